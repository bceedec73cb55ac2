"""Scoring rounds in a convening: the facilitator opens one, participants rate the target by join code."""

from __future__ import annotations

from dataclasses import dataclass

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.modules import ReviewStatus, review_status_label
from lessonkit.domain.rubric import ContextProfile, Rubric, check_ratings
from lessonkit.domain.scoring import ScoreResult, median, score
from lessonkit.domain.scoring_rounds import ScoringRating, ScoringRound
from lessonkit.errors import ConsentError, NotFoundError, SessionClosedError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.library import get_module
from lessonkit.services.participants import TABLE as PARTICIPANTS
from lessonkit.services.participants import find_by_code
from lessonkit.services.scoring import save_profile, source_ratings
from lessonkit.store.base import Store, Tx

ROUNDS = "scoring_rounds"
RATINGS = "scoring_ratings"


def open_round(
    store: Store,
    library: Store,
    slug: str,
    target_name: str,
    rubric: Rubric,
    *,
    target_description: str = "",
    endorsed_only: bool = True,
) -> ScoringRound:
    """Start a round on one module for one target context; the module's content is copied into the round."""
    module = get_module(library, slug)
    if endorsed_only and module.status is not ReviewStatus.ENDORSED:
        raise ValidationError(
            "module",
            _(
                "'{title}' is not endorsed ({status}): choose an endorsed module, or "
                "allow modules that are not endorsed."
            ).format(title=module.title, status=review_status_label(module.status)),
        )
    if module.sensitivity is Sensitivity.RESTRICTED:
        raise ConsentError(
            _("'{title}' is restricted to facilitators: participants cannot be shown it.").format(title=module.title)
        )
    scoring_round = ScoringRound(
        module_slug=module.slug,
        module_title=module.title,
        module_summary=module.summary,
        target_name=v.text("target_name", target_name, max_length=200),
        target_description=v.text("target_description", target_description, max_length=4000, required=False),
        source=source_ratings(module, rubric),
        rubric=rubric.id,
        cautions=module.cautions,
        context=dict(module.context),
    )
    doc_id = store.insert(ROUNDS, scoring_round.to_dict())
    return ScoringRound.from_dict({**scoring_round.to_dict(), "id": doc_id})


def _load_round(tx: Tx, round_id: int | str) -> ScoringRound:
    try:
        key = int(round_id)
    except (TypeError, ValueError):
        raise ValidationError("round", _("'{r}' is not a round number.").format(r=round_id)) from None
    doc = tx.get(ROUNDS, key)
    if doc is None:
        raise NotFoundError(_("There is no scoring round {id} in this convening.").format(id=round_id))
    return ScoringRound.from_dict(doc)


def get_round(store: Store, round_id: int | str) -> ScoringRound:
    with store.read() as tx:
        return _load_round(tx, round_id)


def list_rounds(store: Store) -> list[ScoringRound]:
    return [ScoringRound.from_dict(d) for d in store.all(ROUNDS)]


def latest_open_round(store: Store) -> ScoringRound | None:
    rounds = [r for r in list_rounds(store) if r.is_open]
    return rounds[-1] if rounds else None


def set_round_open(store: Store, round_id: int, is_open: bool) -> ScoringRound:
    with store.transaction() as tx:
        _load_round(tx, round_id)
        tx.update(ROUNDS, int(round_id), {"is_open": bool(is_open)})
        return _load_round(tx, round_id)


def submit_ratings(
    store: Store, round_id: int | str, join_code: str, ratings: dict[str, object], rubric: Rubric
) -> ScoringRating:
    """One participant's ratings of the target, each criterion 0–4; submitting again replaces them."""
    with store.transaction() as tx:
        scoring_round = _load_round(tx, round_id)
        if not scoring_round.is_open:
            raise SessionClosedError(_("This scoring round is closed: ask the facilitator to open it."))
        participant = find_by_code(tx, join_code)
        if not participant.consent.record:
            raise ConsentError(
                _(
                    "Your consent says your contributions are not to be recorded, so nothing was "
                    "saved. Talk to the facilitator if you want to take part."
                )
            )
        checked = check_ratings(rubric, ratings, "ratings", whole=True, require="all")
        rating = ScoringRating(
            round_id=scoring_round.id,  # type: ignore[arg-type]
            participant_id=participant.id,  # type: ignore[arg-type]
            ratings={k: int(x) for k, x in checked.items()},
        )
        for old in tx.search(
            RATINGS,
            lambda d: d.get("round_id") == scoring_round.id and d.get("participant_id") == participant.id,
        ):
            tx.remove(RATINGS, old["id"])
        doc_id = tx.insert(RATINGS, rating.to_dict())
    return ScoringRating.from_dict({**rating.to_dict(), "id": doc_id})


def round_ratings(store: Store, round_id: int) -> list[ScoringRating]:
    """The ratings of a round, leaving out anyone whose consent no longer allows recording."""
    with store.read() as tx:
        consenting = {d["id"] for d in tx.all(PARTICIPANTS) if (d.get("consent") or {}).get("record", True)}
        docs = tx.search(RATINGS, lambda d: d.get("round_id") == int(round_id))
    return [ScoringRating.from_dict(d) for d in docs if d.get("participant_id") in consenting]


@dataclass(frozen=True)
class RoundResult:
    round: ScoringRound
    result: ScoreResult | None  # None until somebody has rated
    assessors: int


def round_result(store: Store, round_id: int, rubric: Rubric) -> RoundResult:
    scoring_round = get_round(store, round_id)
    ratings = round_ratings(store, round_id)
    if not ratings:
        return RoundResult(scoring_round, None, 0)
    result = score(
        rubric,
        scoring_round.source,
        [r.ratings for r in ratings],
        cautions=scoring_round.cautions,
        context=scoring_round.context,
    )
    return RoundResult(scoring_round, result, len(ratings))


def save_round_target(store: Store, round_id: int, rubric: Rubric, name: str | None = None) -> ContextProfile:
    """Keep the round's target (the median of every criterion) as a context profile, e.g. for ranking."""
    scoring_round = get_round(store, round_id)
    ratings = round_ratings(store, round_id)
    if not ratings:
        raise ValidationError("round", _("nobody has rated this round yet."))
    medians = {
        c.id: median([r.ratings[c.id] for r in ratings if c.id in r.ratings])
        for c in rubric.criteria
        if any(c.id in r.ratings for r in ratings)
    }
    profile = ContextProfile.from_dict(
        {
            "name": name or scoring_round.target_name,
            "ratings": medians,
            "description": scoring_round.target_description,
        },
        rubric,
    )
    return save_profile(store, profile)
