"""``lessonkit mou init|show|diff|status|versions``: the memorandum of understanding from the command line.

Changing it from the command line: ``mou_edit`` (save, party) and ``mou_decide`` (positions, proposals, status,
signatures, what is due); its parallel texts: ``mou_languages``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_json, echo_record, open_store, record_format_option
from lessonkit.domain import validation as v
from lessonkit.domain.language import language_tag
from lessonkit.domain.mou_decisions import Stance, stance_label
from lessonkit.domain.mou_diff import ADDED_MARK, REMOVED_MARK, changed_only, diff_as_text, segments_as_text
from lessonkit.domain.mou_schedule import DueState, due_label
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import TRANSITIONS, status_label
from lessonkit.domain.mou_translation import ParallelText
from lessonkit.i18n import _, ngettext, pgettext
from lessonkit.services.mou import create_mou, get_mou


@main.group(
    cls=CommandGroup,
    help=_(
        "The memorandum of understanding of a convening: start it, save versions, parties, positions, proposals, "
        "status and signatures, what is due; show and compare versions."
    ),
)
def mou() -> None:
    pass


@mou.command("init", help=_("Start the convening's memorandum from the template (version 1, draft)."))
@click.argument("slug")
@click.option("--author", required=True, help=_("Your name, recorded with version 1."))
@click.option(
    "--party",
    "parties",
    multiple=True,
    help=_("A party: a registered participant's organisation, or their name (repeat for each)."),
)
@click.option("--title", help=_("Title of the memorandum (default: the template's)."))
@click.option(
    "--language",
    help=_(
        "Language of the template, which becomes the authoritative language, e.g. es (default: en). The "
        "convening's other languages get the template's clauses as translations."
    ),
)
@record_format_option()
@click.pass_context
def init(
    ctx: click.Context,
    slug: str,
    author: str,
    parties: tuple[str, ...],
    title: str | None,
    language: str | None,
    fmt: str,
) -> None:
    state = create_mou(open_store(ctx, slug), author, title=title, parties=parties, language=language)
    n = len(state.latest.clauses)
    lines = [
        ngettext(
            "Started the memorandum of '{slug}' from the template: version 1, {n} clause, status draft.",
            "Started the memorandum of '{slug}' from the template: version 1, {n} clauses, status draft.",
            n,
        ).format(slug=slug, n=n),
        _("Authoritative language: {lang}; translations: {others}.").format(
            lang=state.record.language,
            others=", ".join(state.translation_languages()) or pgettext("empty list of translations", "none"),
        ),
        _(
            "Next: edit it in workbooks/03_memorandum.ipynb or with `lessonkit mou save {slug}`; see it with "
            "`lessonkit mou show {slug}`."
        ).format(slug=slug),
    ]
    echo_record(fmt, state_json(state), lines)


def parallel_row(p: ParallelText) -> dict[str, Any]:
    """One clause beside its translation, for JSON."""
    return {
        "key": p.clause.key,
        "language": p.language,
        "state": p.state.value,
        "title": p.title,
        "text": p.text,
        "based_on": p.translation.based_on if p.translation else None,
        "by": p.translation.by if p.translation else None,
        "source_changed_in": p.changed_in,
    }


def state_json(state: MouState, number: int | None = None) -> dict[str, Any]:
    """One version with everything needed to read it: status, parties, signatures, positions, change log."""
    version = state.version(number)
    return {
        "title": state.record.title,
        "status": state.record.status.value,
        "language": state.record.language,
        "translation_languages": state.translation_languages(),
        "version": version.number,
        "latest_version": state.latest.number,
        "agreed_version": state.record.agreed_version,
        "signed_version": state.record.signed_version,
        "parties": [p.name for p in state.record.parties],
        "saved": version.created.isoformat(),
        "author": version.author,
        "summary": version.summary,
        "clauses": [c.to_dict() for c in version.clauses],
        "signatures": [s.to_dict() for s in state.signatures_for(version.number)],
        "open_blocks": [p.to_dict() for p in state.blocks()],
        "open_concerns": [p.to_dict() for p in state.concerns()],
        "changelog": [
            {
                "version": ver.number,
                "saved": ver.created.isoformat(),
                "author": ver.author,
                "summary": ver.summary,
            }
            for ver in state.versions
            if ver.number <= version.number
        ],
        "history": [h.to_dict() for h in state.record.history],
    }


def lang_option() -> Any:
    return click.option(
        "--lang",
        "language",
        help=_("Read it in this language (its translations, marked where missing or out of date); default: the "
               "authoritative language."),
    )


def _language(value: str | None) -> str | None:
    return language_tag("--lang", value) if value else None


@mou.command("show", help=_("Print the memorandum (latest version unless --version) as Markdown, HTML or JSON."))
@click.argument("slug")
@click.option("--version", "number", type=int, help=_("Version number (default: the latest)."))
@lang_option()
@format_option("md", "html", "json", default="md")
@click.pass_context
def show(ctx: click.Context, slug: str, number: int | None, language: str | None, fmt: str) -> None:
    from lessonkit.export import mou_html as to_html
    from lessonkit.export import mou_markdown as to_markdown

    state = get_mou(open_store(ctx, slug))
    lang = _language(language)
    if fmt == "json":
        data = state_json(state, number)
        if lang:
            data["parallel"] = [parallel_row(p) for p in state.parallel(lang, number)]
        echo_json(data)
    elif fmt == "html":
        click.echo(to_html(state, number, language=lang), nl=False)
    else:
        click.echo(to_markdown(state, number, lang), nl=False)


@mou.command(
    "diff",
    help=_("Word-level changes from version A to version B (removed words are marked {removed}, added ones {added}).")
    .format(removed=REMOVED_MARK, added=ADDED_MARK),
)
@click.argument("slug")
@click.argument("a", type=int)
@click.argument("b", type=int)
@click.option("--all", "all_clauses", is_flag=True, help=_("Also list the clauses that did not change."))
@lang_option()
@format_option("text", "html", "json", default="text")
@click.pass_context
def diff(ctx: click.Context, slug: str, a: int, b: int, all_clauses: bool, language: str | None, fmt: str) -> None:
    from lessonkit.export import diffs_for, outdated_note

    state = get_mou(open_store(ctx, slug))
    old, new = state.version(a), state.version(b)
    lang = _language(language)
    diffs = diffs_for(state, a, b, lang)
    note = outdated_note(state, b, lang)
    if fmt == "json":
        echo_json(
            [
                {
                    "key": d.key,
                    "title": d.title,
                    "old_title": d.old_title,
                    "change": d.change.value,
                    "text": segments_as_text(d.segments),
                    "segments": [{"op": s.op.value, "text": s.text} for s in d.segments],
                }
                for d in (diffs if all_clauses else changed_only(diffs))
            ]
        )
    elif fmt == "html":
        from lessonkit.export import diff_html

        click.echo(diff_html(old, new, all_clauses=all_clauses, diffs=diffs, note=note))
    else:
        click.echo(diff_as_text(old, new, all_clauses=all_clauses, diffs=diffs), nl=False)
        if note:
            click.echo(note, err=True)


def status_data(state: MouState, today: date) -> dict[str, Any]:
    record = state.record
    return {
        "title": record.title,
        "status": record.status.value,
        "latest_version": state.latest.number,
        "agreed_version": record.agreed_version,
        "signed_version": record.signed_version,
        "next_steps": [s.value for s in TRANSITIONS[record.status]],
        "parties": [p.name for p in record.parties],
        "open_blocks": [{"party": p.party, "clause": p.clause_key, "reason": p.reason} for p in state.blocks()],
        "open_concerns": [{"party": p.party, "clause": p.clause_key, "reason": p.reason} for p in state.concerns()],
        "pending_proposals": len(state.pending()),
        "signatures": [s.to_dict() for s in state.signatures_for(record.agreed_version or state.latest.number)],
        "due": [
            {"kind": d.kind, "what": d.what, "on": d.on.isoformat(), "state": d.state.value} for d in state.due(today)
        ],
    }


@mou.command("status", help=_("Status, open blocks and concerns, pending proposals, and what is due or overdue."))
@click.argument("slug")
@click.option("--today", help=_("Count due dates from this day (YYYY-MM-DD) instead of today."))
@format_option("text", "json", default="text")
@click.pass_context
def status(ctx: click.Context, slug: str, today: str | None, fmt: str) -> None:
    day = v.iso_date("--today", today) or v.now().date()
    state = get_mou(open_store(ctx, slug))
    data = status_data(state, day)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for line in status_lines(state, data):
        click.echo(line)


def status_lines(state: MouState, data: dict[str, Any]) -> list[str]:
    lines = [
        data["title"],
        _("Status: {s} (latest version {n}; agreed: {a}; signed: {g})").format(
            s=status_label(state.record.status),
            n=data["latest_version"],
            a=data["agreed_version"] or "-",
            g=data["signed_version"] or "-",
        ),
        _("Parties: {p}").format(p=", ".join(data["parties"]) or pgettext("empty list of parties", "none yet")),
        _("Next steps: {s}").format(
            s=", ".join(status_label(s) for s in TRANSITIONS[state.record.status])
            or pgettext("empty list of next steps", "none")
        ),
    ]
    no_reason = _("(no reason given)")
    for kind, items in ((Stance.BLOCK, data["open_blocks"]), (Stance.CONCERN, data["open_concerns"])):
        lines += [
            "  "
            + _("{stance}: {party} on '{clause}': {reason}").format(
                stance=stance_label(kind), party=i["party"], clause=i["clause"], reason=i["reason"] or no_reason
            )
            for i in items
        ]
    lines.append(_("Proposals waiting for a decision: {n}").format(n=data["pending_proposals"]))
    lines += [
        _("Signed: {party} by {who} ({role}) on {d}, version {n}").format(
            party=s["party"], who=s["signatory"], role=s["role"], d=s["signed_on"], n=s["version"]
        )
        for s in data["signatures"]
    ]
    if data["due"]:
        lines.append(_("Due or overdue:"))
        lines += [f"  [{due_label(DueState(d['state']))}] {d['on']}: {d['what']}" for d in data["due"]]
    else:
        lines.append(_("Nothing due in the next 30 days."))
    return lines


@mou.command("versions", help=_("List the versions: number, when, who, summary."))
@click.argument("slug")
@format_option("table", "csv", "json")
@click.pass_context
def versions(ctx: click.Context, slug: str, fmt: str) -> None:
    state = get_mou(open_store(ctx, slug))
    rows = [
        {
            "version": ver.number,
            "saved": ver.created.isoformat(),
            "author": ver.author,
            "summary": ver.summary,
        }
        for ver in state.versions
    ]
    emit(rows, fmt, ("version", "saved", "author", "summary"))
