"""Word-level differences between two versions of the memorandum (difflib over word tokens).

A clause's words (with its structured parts as text, see :func:`clause_body`) are split into words and line
breaks; difflib's SequenceMatcher finds what was kept, added and removed. The result is plain data that the
exports and the notebook render: ``[-removed-]{+added+}`` as plain text, ``<del>``/``<ins>`` as HTML.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import Enum

from lessonkit.domain.mou import Clause, MouVersion, clause_body
from lessonkit.i18n import _, pgettext

_TOKEN = re.compile(r"\n|[^\s]+")


class Op(str, Enum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


class Change(str, Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


# How a text word diff marks words (shown in help texts as these, never inside a message: braces are placeholders).
REMOVED_MARK = "[-…-]"
ADDED_MARK = "{+…+}"


def change_label(change: Change) -> str:
    """What happened to a clause between two versions, for a person to read."""
    return {
        Change.ADDED: pgettext("change to a clause", "added"),
        Change.REMOVED: pgettext("change to a clause", "removed"),
        Change.CHANGED: pgettext("change to a clause", "changed"),
        Change.UNCHANGED: pgettext("change to a clause", "unchanged"),
    }[change]


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


@dataclass(frozen=True)
class ClauseDiff:
    key: str
    title: str
    old_title: str
    change: Change
    segments: tuple[Segment, ...]

    @property
    def renamed(self) -> bool:
        return self.change is Change.CHANGED and self.title != self.old_title


def tokens(text: str) -> list[str]:
    """Words (anything between spaces) and line breaks."""
    return _TOKEN.findall(text)


def _join(words: list[str]) -> str:
    out = ""
    for w in words:
        if w == "\n" or out.endswith("\n") or not out:
            out += w
        else:
            out += " " + w
    return out


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The segments that turn ``old`` into ``new``, word by word; neighbouring segments of one kind merged."""
    a, b = tokens(old), tokens(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment(Op.EQUAL, _join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment(Op.DELETE, _join(a[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment(Op.INSERT, _join(b[j1:j2])))
    return tuple(s for s in segments if s.text)


def clause_diff(old: Clause | None, new: Clause | None) -> ClauseDiff:
    if old is None and new is None:
        raise ValueError("nothing to compare")
    if old is None:
        assert new is not None
        return ClauseDiff(new.key, new.title, "", Change.ADDED, (Segment(Op.INSERT, clause_body(new)),))
    if new is None:
        return ClauseDiff(old.key, old.title, old.title, Change.REMOVED, (Segment(Op.DELETE, clause_body(old)),))
    segments = word_diff(clause_body(old), clause_body(new))
    same = all(s.op is Op.EQUAL for s in segments) and old.title == new.title
    return ClauseDiff(new.key, new.title, old.title, Change.UNCHANGED if same else Change.CHANGED, segments)


def diff_versions(old: MouVersion, new: MouVersion) -> list[ClauseDiff]:
    """Every clause of both versions in ``new``'s order; a removed clause follows the clause it followed."""
    old_keys, new_keys = old.keys(), new.keys()
    removed_after: dict[str | None, list[str]] = {}
    for idx, key in enumerate(old_keys):
        if key not in new_keys:
            anchor = next((k for k in reversed(old_keys[:idx]) if k in new_keys), None)
            removed_after.setdefault(anchor, []).append(key)
    order = list(removed_after.get(None, []))
    for key in new_keys:
        order += [key, *removed_after.get(key, [])]
    return [clause_diff(old.clause(k), new.clause(k)) for k in order]


def changed_only(diffs: list[ClauseDiff]) -> list[ClauseDiff]:
    return [d for d in diffs if d.change is not Change.UNCHANGED]


def segments_as_text(segments: tuple[Segment, ...]) -> str:
    """git's word-diff style: ``[-removed-]`` and ``{+added+}``."""
    out = []
    for s in segments:
        if s.op is Op.EQUAL:
            out.append(s.text)
        else:
            lead = "\n" if s.text.startswith("\n") else ""
            body = s.text[len(lead) :]
            out.append(lead + (f"[-{body}-]" if s.op is Op.DELETE else f"{{+{body}+}}"))
    return _join_segments(out)


def _join_segments(parts: list[str]) -> str:
    text = ""
    for p in parts:
        if not text or text.endswith("\n") or p.startswith("\n"):
            text += p
        else:
            text += " " + p
    return text


def diff_as_text(
    old: MouVersion, new: MouVersion, *, all_clauses: bool = False, diffs: list[ClauseDiff] | None = None
) -> str:
    """The whole diff as plain text, one block per changed clause (``diffs`` when already computed)."""
    diffs = diff_versions(old, new) if diffs is None else diffs
    shown = diffs if all_clauses else changed_only(diffs)
    head = _("Changes from version {a} to version {b}").format(a=old.number, b=new.number)
    if not shown:
        return head + "\n\n" + _("No differences.") + "\n"
    blocks = [head]
    for d in shown:
        label = change_label(d.change)
        title = d.title if not d.renamed else f"{d.old_title} → {d.title}"
        blocks.append(f"## {title} ({label})\n{segments_as_text(d.segments)}")
    return "\n\n".join(blocks) + "\n"
