"""The memorandum as Markdown and as HTML: version, status, clauses, change log, open concerns, signatures.

A chain of small steps: :func:`document` turns a :class:`MouState` into plain blocks (headings, paragraphs,
lists, tables); :func:`to_markdown` and :func:`to_html` render the blocks. Every value from the store is
escaped in HTML and its Markdown specials are backslash-escaped, so participant text never becomes markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

from lessonkit.domain.mou import Clause, ClauseKind, MouVersion
from lessonkit.domain.mou_decisions import open_blocks, open_concerns, stance_label
from lessonkit.domain.mou_diff import ClauseDiff, Op, change_label, changed_only, diff_versions
from lessonkit.domain.mou_parts import role_label
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import Signature, status_label
from lessonkit.domain.mou_translation import ParallelText, TranslationState, diff_in_language
from lessonkit.i18n import _, language_name, pgettext


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    emphasis: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Para | Bullets | Table
BLANK = "____________________"


def translation_mark(text: ParallelText, authoritative: str) -> str:
    """The small line under a clause read in another language than the authoritative one."""
    lang, auth = language_name(text.language), language_name(authoritative)
    if text.state is TranslationState.MISSING:
        return _("Not translated into {lang} yet: the authoritative text ({auth}) is shown.").format(
            lang=lang, auth=auth
        )
    assert text.translation is not None
    if text.state is TranslationState.STALE:
        return _(
            "Translation ({lang}) of version {v}, out of date: the authoritative text ({auth}) changed in version {n}."
        ).format(lang=lang, v=text.translation.based_on, auth=auth, n=text.changed_in)
    return _("Translation ({lang}) of version {v} by {who}; the authoritative text is in {auth}.").format(
        lang=lang, v=text.translation.based_on, who=text.translation.by, auth=auth
    )


def _clause_blocks(number: int, clause: Clause, mark: str = "") -> list[Block]:
    blocks: list[Block] = [Heading(2, f"{number}. {clause.title}")]
    if mark:
        blocks.append(Para(mark, emphasis=True))
    blocks += [Para(p) for p in clause.text.split("\n\n") if p.strip()]
    if clause.rotation:
        blocks.append(
            Table(
                (_("From"), _("To"), _("Party"), _("Role")),
                tuple((str(s.start), str(s.end), s.party, role_label(s.role)) for s in clause.rotation),
            )
        )
    if clause.metrics:
        blocks.append(
            Table(
                (_("Metric"), _("Baseline"), _("Target"), _("How measured"), _("Who reports"), _("When")),
                tuple(
                    (m.metric, m.baseline, m.target, m.how_measured, m.who_reports, str(m.when)) for m in clause.metrics
                ),
            )
        )
    if clause.consent_reviews:
        blocks.append(
            Table(
                (_("Party"), _("Consent re-evaluated on")),
                tuple((c.party, str(c.on)) for c in clause.consent_reviews),
            )
        )
    if clause.review_date:
        blocks.append(Para(_("Next review: {d}").format(d=clause.review_date)))
    return blocks


def _signature_blocks(state: MouState, version: MouVersion) -> list[Block]:
    signed = {s.party.casefold(): s for s in state.signatures_for(version.number)}
    rows = []
    for party in state.record.parties:
        s = signed.get(party.name.casefold())
        rows.append(
            (party.name, s.signatory, s.role, str(s.signed_on), str(s.version))
            if s
            else (party.name, BLANK, BLANK, BLANK, str(version.number))
        )
    head = (_("Party"), _("Signatory"), _("Role"), _("Date"), _("Version signed"))
    blocks: list[Block] = [Heading(3, _("Signature block")), Table(head, tuple(rows))]
    recorded = [line for s in signed.values() if (line := signed_translations(s))]
    if recorded:
        blocks.append(Bullets(tuple(recorded)))
    if state.record.signed_version and state.record.signed_version != version.number:
        blocks.append(
            Para(
                _(
                    "Version {n} is the version in force, signed by the parties; signatures above "
                    "apply to version {m} only."
                ).format(n=state.record.signed_version, m=version.number),
                emphasis=True,
            )
        )
    return blocks


def signed_translations(signature: Signature) -> str:
    """One line on what a signature recorded: the authoritative language and the translations at signing."""
    if not signature.language:
        return ""
    per_language: dict[str, list[bool]] = {}
    for ref in signature.translations:
        per_language.setdefault(ref.language, []).append(ref.stale)
    parts = [
        _("{lang}: clauses translated {n}, out of date {k}").format(
            lang=language_name(lang), n=len(flags), k=sum(flags)
        )
        for lang, flags in per_language.items()
    ]
    return _("{party} signed the authoritative text ({auth}). Translations at signing: {list}").format(
        party=signature.party,
        auth=language_name(signature.language),
        list="; ".join(parts) or pgettext("empty list of translations", "none"),
    )


def _header_blocks(state: MouState, version: MouVersion) -> list[Block]:
    record = state.record
    meta = [
        _("Version {n} of {total}, saved {when} by {who}").format(
            n=version.number, total=state.latest.number, when=version.created.date(), who=version.author
        ),
        _("Status: {status}").format(status=status_label(record.status)),
    ]
    if version.number != state.latest.number:
        meta.append(_("This is an earlier version; the latest is version {n}.").format(n=state.latest.number))
    if record.agreed_version:
        meta.append(_("Latest agreed version: {n}").format(n=record.agreed_version))
    if record.signed_version:
        meta.append(_("Signed version in force: {n}").format(n=record.signed_version))
    parties = ", ".join(p.name for p in record.parties) or pgettext("empty list of parties", "none yet")
    meta.append(_("Parties: {parties}").format(parties=parties))
    meta.append(_("Authoritative language: {lang}").format(lang=language_name(record.language)))
    return [Heading(1, record.title), Bullets(tuple(meta))]


def _concern_blocks(state: MouState, version: MouVersion) -> list[Block]:
    titles = {c.key: c.title for c in version.clauses}
    blocks_ = open_blocks(state.positions, version, state.record.parties)
    concerns = open_concerns(state.positions, version, state.record.parties)
    out: list[Block] = [Heading(2, _("Open blocks and concerns"))]
    if not blocks_ and not concerns:
        return out + [Para(_("None."))]
    rows = tuple(
        (titles[p.clause_key], p.party, stance_label(p.stance), p.reason or _("(no reason given)"))
        for p in blocks_ + concerns
    )
    return out + [Table((_("Clause"), _("Party"), _("Position"), _("Reason")), rows)]


def _changelog_blocks(state: MouState, version: MouVersion) -> list[Block]:
    rows = tuple(
        (str(ver.number), str(ver.created.date()), ver.author, ver.summary)
        for ver in state.versions
        if ver.number <= version.number
    )
    steps = tuple(
        f"{h.at.date()}: {status_label(h.old)} → {status_label(h.new)} ({h.by})"
        + (f": {h.shown_note}" if h.shown_note else "")
        for h in state.record.history
    )
    out: list[Block] = [
        Heading(2, _("Change log")),
        Table((_("Version"), _("Date"), _("By"), _("Summary")), rows),
    ]
    if steps:
        out += [Heading(3, _("Status history")), Bullets(steps)]
    return out


def document(state: MouState, number: int | None = None, language: str | None = None) -> list[Block]:
    """The memorandum (version ``number``, else the latest) as blocks, read in ``language`` (default: the
    authoritative one): each clause in its translation where there is one, marked as such (or as missing or out of
    date). Only the authoritative text is signed."""
    version = state.version(number)
    blocks = _header_blocks(state, version)
    texts = {}
    if language and language != state.record.language:
        texts = {p.clause.key: p for p in state.parallel(language, version.number)}
        blocks.append(
            Para(
                _("This is the text in {lang}. The authoritative text, the one signed, is in {auth}.").format(
                    lang=language_name(language), auth=language_name(state.record.language)
                ),
                emphasis=True,
            )
        )
    signatures_done = False
    for i, clause in enumerate(version.clauses, start=1):
        shown = texts.get(clause.key)
        if shown is None:
            blocks += _clause_blocks(i, clause)
        else:
            translated = replace(clause, title=shown.title, text=shown.text)
            blocks += _clause_blocks(i, translated, translation_mark(shown, state.record.language))
        if clause.kind is ClauseKind.SIGNATURES:
            blocks += _signature_blocks(state, version)
            signatures_done = True
    if not signatures_done:
        blocks += _signature_blocks(state, version)
    return blocks + _concern_blocks(state, version) + _changelog_blocks(state, version)


# --- Markdown ----------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown's specials (and '<', '>', so no HTML passes through a Markdown renderer)."""
    return text if text == BLANK else _MD_SPECIAL.sub(r"\\\1", text)


def _md_block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + md_escape(block.text)
    if isinstance(block, Para):
        text = md_escape(block.text).replace("\n", "  \n")
        return f"*{text}*" if block.emphasis else text
    if isinstance(block, Bullets):
        return "\n".join(f"- {md_escape(i)}" for i in block.items)
    head = "| " + " | ".join(md_escape(h) for h in block.headers) + " |"
    rule = "|" + "---|" * len(block.headers)
    rows = ["| " + " | ".join(md_escape(c).replace("\n", " ") for c in row) + " |" for row in block.rows]
    return "\n".join([head, rule, *rows])


def to_markdown(state: MouState, number: int | None = None, language: str | None = None) -> str:
    return "\n\n".join(_md_block(b) for b in document(state, number, language)) + "\n"


# --- HTML --------------------------------------------------------------------------------------------------

TABLE_STYLE = (
    "{scope}table{{border-collapse:collapse;margin:.5em 0}}{scope}th,{scope}td{{border:1px solid #ccc;"
    "padding:.25em .5em;text-align:left;vertical-align:top}}"
)
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.45}"
    + TABLE_STYLE.format(scope="")
    + "ins{background:#e6ffec;text-decoration:none}del{background:#ffebe9}"
)


def _html_block(block: Block) -> str:
    e = html.escape
    if isinstance(block, Heading):
        return f"<h{block.level}>{e(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        text = e(block.text).replace("\n", "<br>")
        return f"<p><em>{text}</em></p>" if block.emphasis else f"<p>{text}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{e(i)}</li>" for i in block.items) + "</ul>"
    head = "".join(f"<th>{e(h)}</th>" for h in block.headers)
    rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def to_html(
    state: MouState, number: int | None = None, *, full_page: bool = True, language: str | None = None
) -> str:
    body = "\n".join(_html_block(b) for b in document(state, number, language))
    lang = html.escape(language or state.record.language)
    if not full_page:
        return (
            f'<div class="lk-mou" lang="{lang}"><style>{TABLE_STYLE.format(scope=".lk-mou ")}</style>{body}</div>'
        )
    title = html.escape(state.record.title)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )


def diffs_for(state: MouState, a: int, b: int, language: str | None = None) -> list[ClauseDiff]:
    """The clause diffs from version ``a`` to ``b``, of the authoritative text or as read in ``language``."""
    if language and language != state.record.language:
        for number in (a, b):
            state.version(number)  # a clear error for a version that does not exist
        return diff_in_language(state.versions, state.translations, a, b, language)
    return diff_versions(state.version(a), state.version(b))


def outdated_note(state: MouState, number: int, language: str | None) -> str:
    """For a diff read in ``language``: which clauses of version ``number`` have no current translation."""
    if not language or language == state.record.language:
        return ""
    behind = [p.title for p in state.parallel(language, number) if p.state is not TranslationState.CURRENT]
    if not behind:
        return ""
    return _(
        "In '{lang}', version {n} has no up-to-date translation of: {titles}. Those clauses are compared as they "
        "were last translated (or in the authoritative text)."
    ).format(lang=language, n=number, titles=", ".join(behind))


def diff_html(
    old: MouVersion,
    new: MouVersion,
    *,
    all_clauses: bool = False,
    diffs: list[ClauseDiff] | None = None,
    note: str = "",
) -> str:
    """The word diff with removals in ``<del>`` and additions in ``<ins>`` (all text escaped); ``diffs`` when
    given (e.g. read in another language, with ``note`` saying what is out of date)."""
    diffs = diff_versions(old, new) if diffs is None else diffs
    shown = diffs if all_clauses else changed_only(diffs)
    head = html.escape(_("Changes from version {a} to version {b}").format(a=old.number, b=new.number))
    extra = f"<p><em>{html.escape(note)}</em></p>" if note else ""
    if not shown:
        return f"<h3>{head}</h3>{extra}<p>" + html.escape(_("No differences.")) + "</p>"
    return f"<h3>{head}</h3>{extra}" + "".join(_clause_diff_html(d) for d in shown)


def _clause_diff_html(d: ClauseDiff) -> str:
    title = html.escape(d.title if not d.renamed else f"{d.old_title} → {d.title}")
    label = html.escape(change_label(d.change))
    parts = []
    for s in d.segments:
        text = html.escape(s.text).replace("\n", "<br>")
        tag = {Op.INSERT: "ins", Op.DELETE: "del"}.get(s.op)
        parts.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return f'<div class="lk-diff"><h4>{title} <small>({label})</small></h4><p>{" ".join(parts)}</p></div>'
