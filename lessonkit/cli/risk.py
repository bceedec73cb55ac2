"""``lessonkit risk add|rate|list|review``: the convening's joint risk register."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_json, echo_record, open_store, record_format_option
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.risk_register import JointRisk, band, band_label
from lessonkit.domain.risks import Risk, RiskCategory, RiskRating, risk_category_label
from lessonkit.i18n import _
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.risks import add_risk, rate_risk, register, review_risk

LEVELS = [s.value for s in Sensitivity]
CATEGORIES = [c.value for c in RiskCategory]
LIST_JSON = ("id", "title", "category", "likelihood", "impact", "score")
LIST_COLUMNS = ("id", "score", "likelihood", "impact", "category", "title", "groups", "spread", "owner", "review_date")


@main.group(
    cls=CommandGroup,
    help=_(
        "The joint risk register: risks with the rating the partner groups agreed, each group's own rating, "
        "mitigations, a contingency plan, an owner and a review date."
    ),
)
def risk() -> None:
    pass


def _rating_option(name: str, required: bool, what: str) -> Any:
    return click.option(name, type=click.IntRange(1, 5), required=required, help=what)


def risk_json(r: Risk) -> dict[str, Any]:
    return {"id": r.id, **r.to_dict(), "score": r.score}


def _agreed(r: Risk) -> str:
    return _("agreed likelihood {l} × impact {i} = {score} ({band})").format(
        l=r.likelihood, i=r.impact, score=r.score, band=band_label(band(r.score))
    )


def _contingency(how: str | None, who: str | None, channel: str | None) -> dict[str, str] | None:
    """The parts of the contingency plan given (a review keeps the parts left out)."""
    given = {k: val for k, val in (("how", how), ("who", who), ("channel", channel)) if val is not None}
    return given or None


def plan_options(f: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--mitigation",
                "mitigations",
                multiple=True,
                help=_("Something done to make the risk less likely or less harmful (repeat for several)."),
            ),
            click.option("--contingency", help=_("The contingency plan: what is done if the risk comes true.")),
            click.option("--contingency-who", help=_("Who acts if the risk comes true (a group or a role).")),
            click.option(
                "--contingency-channel", help=_("Through which channel they are reached (e.g. a phone tree).")
            ),
            click.option("--owner", help=_("Who watches this risk and calls the review (a group or a role).")),
        ]
    ):
        f = option(f)
    return f


@risk.command(
    "add",
    help=_(
        "Add a risk with the rating the groups agreed. Who raised it: --group (a partner group), --code (a "
        "participant's join code), both, or neither (anonymous). --note promotes a listening note of category 'risk': "
        "its author raised it, its text is the description, and the risk is shared no wider than the note."
    ),
)
@click.argument("slug")
@click.option("--title", default="", help=_("A short title (optional with --note: the note's first words)."))
@click.option("--category", type=click.Choice(CATEGORIES), required=True, help=_("What kind of harm."))
@_rating_option("--likelihood", True, _("Agreed likelihood: 1 (rare) to 5 (almost certain)."))
@_rating_option("--impact", True, _("Agreed impact: 1 (minor) to 5 (severe)."))
@click.option("--description", default="", help=_("What could happen, to whom, and why."))
@plan_options
@click.option("--review-date", help=_("When to review the risk (YYYY-MM-DD)."))
@click.option(
    "--sensitivity",
    type=click.Choice(LEVELS),
    help=_("How widely the risk may be shared (default: convening; a promoted note's own level at least)."),
)
@click.option("--group", default="", help=_("The partner group that raised it."))
@click.option("--code", "join_code", help=_("Join code of the participant who raised it."))
@click.option("--note", "note_id", type=int, help=_("Promote this listening note (category 'risk') into the register."))
@record_format_option()
@click.pass_context
def add(
    ctx: click.Context,
    slug: str,
    title: str,
    category: str,
    likelihood: int,
    impact: int,
    description: str,
    mitigations: tuple[str, ...],
    contingency: str | None,
    contingency_who: str | None,
    contingency_channel: str | None,
    owner: str | None,
    review_date: str | None,
    sensitivity: str | None,
    group: str,
    join_code: str | None,
    note_id: int | None,
    fmt: str,
) -> None:
    made = add_risk(
        open_store(ctx, slug),
        title,
        category,
        likelihood,
        impact,
        description=description,
        group=group,
        join_code=join_code,
        note_id=note_id,
        mitigations=mitigations,
        contingency=_contingency(contingency, contingency_who, contingency_channel),
        owner=owner or "",
        review_date=review_date,
        sensitivity=sensitivity,
    )
    line = _("Added risk {id}: '{title}' ({category}), {agreed}.").format(
        id=made.id, title=made.title, category=risk_category_label(made.category), agreed=_agreed(made)
    )
    echo_record(fmt, risk_json(made), [line])


@risk.command(
    "rate",
    help=_(
        "Record one partner group's own rating of a risk (rating again replaces the group's earlier rating). With a "
        "memorandum, the groups are its parties."
    ),
)
@click.argument("slug")
@click.argument("risk_id", metavar="ID")
@click.option("--group", required=True, help=_("The partner group whose rating this is."))
@_rating_option("--likelihood", True, _("The group's likelihood: 1 (rare) to 5 (almost certain)."))
@_rating_option("--impact", True, _("The group's impact: 1 (minor) to 5 (severe)."))
@record_format_option()
@click.pass_context
def rate(ctx: click.Context, slug: str, risk_id: str, group: str, likelihood: int, impact: int, fmt: str) -> None:
    store = open_store(ctx, slug)
    made: RiskRating = rate_risk(store, risk_id, group, likelihood, impact)
    joint = next(j for j in register(store) if j.risk.id == made.risk_id)
    lines = [
        _("{group} rated risk {id}: likelihood {l}, impact {i}.").format(
            group=made.group, id=made.risk_id, l=made.likelihood, i=made.impact
        ),
        _("Risk {id}: {agreed}; the groups' ratings lie {ls} apart on likelihood, {is_} on impact.").format(
            id=made.risk_id, agreed=_agreed(joint.risk), ls=joint.likelihood_spread, is_=joint.impact_spread
        ),
    ]
    if joint.contested:
        lines.append(_("The groups disagree: talk it through before agreeing on a rating (`lessonkit risk review`)."))
    echo_record(fmt, {"id": made.id, **made.to_dict()}, lines)


def _row(view: Disclosure, j: JointRisk, raised_by: str) -> dict[str, Any]:
    r = j.risk
    groups = "; ".join(f"{view.party(x.group)} {x.likelihood}×{x.impact}" for x in j.ratings)
    return {
        "id": r.id,
        "score": r.score,
        "likelihood": r.likelihood,
        "impact": r.impact,
        "category": r.category.value,
        "title": r.title,
        "groups": groups,
        "spread": f"{j.likelihood_spread}/{j.impact_spread}" if j.ratings else "",
        "owner": r.owner,
        "review_date": r.review_date.isoformat() if r.review_date else "",
        "raised_by": raised_by,
        "sensitivity": r.sensitivity.value,
    }


@risk.command(
    "list",
    help=_(
        "List the risks that may be shown at --level (default: restricted, the facilitators' own view), ranked by "
        "agreed likelihood × impact (ties: the higher impact first), with each group's rating and the spread "
        "(likelihood/impact)."
    ),
)
@click.argument("slug")
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default=Sensitivity.RESTRICTED.value,
    show_default=True,
    help=_("Who will see the listing: the same risks as the reports at that level."),
)
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, slug: str, level: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    view = Disclosure.open(store, level, Purpose.BOARD)
    shown = view.risks(register(store))
    if fmt == "json":
        echo_json([{k: risk_json(s.risk)[k] for k in LIST_JSON} for s in shown])
        return
    emit([_row(view, s.joint, s.raised_by) for s in shown], fmt, LIST_COLUMNS if fmt == "table" else None)


@risk.command(
    "review",
    help=_(
        "Record a review of a risk: the rating agreed now (unchanged when not given), what was said, the next "
        "review date; mitigations, contingency plan and owner are replaced when given."
    ),
)
@click.argument("slug")
@click.argument("risk_id", metavar="ID")
@_rating_option("--likelihood", False, _("Agreed likelihood after the review: 1 to 5."))
@_rating_option("--impact", False, _("Agreed impact after the review: 1 to 5."))
@click.option("--next-review", help=_("When to review it again (YYYY-MM-DD); none when left out."))
@click.option("--note", default="", help=_("What the review found."))
@click.option("--by", default="", help=_("Who reviewed it (a group or a role)."))
@click.option("--on", "on", help=_("The day of the review (YYYY-MM-DD; default: today)."))
@plan_options
@record_format_option()
@click.pass_context
def review(
    ctx: click.Context,
    slug: str,
    risk_id: str,
    likelihood: int | None,
    impact: int | None,
    next_review: str | None,
    note: str,
    by: str,
    on: str | None,
    mitigations: tuple[str, ...],
    contingency: str | None,
    contingency_who: str | None,
    contingency_channel: str | None,
    owner: str | None,
    fmt: str,
) -> None:
    from lessonkit.domain import validation as v

    made = review_risk(
        open_store(ctx, slug),
        risk_id,
        by=by,
        note=note,
        likelihood=likelihood,
        impact=impact,
        next_review=next_review,
        on=v.iso_date("--on", on),
        mitigations=mitigations or None,
        contingency=_contingency(contingency, contingency_who, contingency_channel),
        owner=owner,
    )
    lines = [_("Reviewed risk {id}: {agreed}.").format(id=made.id, agreed=_agreed(made))]
    if made.review_date:
        lines.append(_("Next review: {date}.").format(date=made.review_date.isoformat()))
    echo_record(fmt, risk_json(made), lines)
