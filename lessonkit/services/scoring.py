"""Transferability: rubrics and context profiles, scoring one module, ranking the library for a target."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit.domain.library import Module
from lessonkit.domain.modules import ReviewStatus
from lessonkit.domain.rubric import ContextProfile, Rubric, check_ratings
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.domain.scoring import Candidate, RankRow, ScoreResult, rank, score
from lessonkit.errors import LessonkitError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.library import get_module, list_modules
from lessonkit.services.library_io import read_json
from lessonkit.store.base import Store

PROFILES = "context_profiles"
DEFAULT_RUBRIC = "default"
_rubrics: dict[str, tuple[float, Rubric]] = {}


def rubric_path(name: str) -> Path:
    """``data/rubrics/NAME.json`` for a name, or the path itself when it names a file."""
    from lessonkit.resources import data_path

    if name.endswith(".json") or "/" in name:
        return Path(name)
    return data_path("rubrics") / f"{name}.json"


def load_rubric(name: str = DEFAULT_RUBRIC) -> Rubric:
    """A rubric by name (``data/rubrics/``) or path, validated; cached until the file changes."""
    path = rubric_path(name)
    if not path.exists():
        raise NotFoundError(_("There is no rubric '{name}' ({path}).").format(name=name, path=path))
    stamp = path.stat().st_mtime
    cached = _rubrics.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        rubric = Rubric.from_dict(read_json(path))
    except ValidationError as exc:
        raise ValidationError(f"{path.name}: {exc.field}", exc.message) from None
    _rubrics[str(path)] = (stamp, rubric)
    return rubric


def profile_from_data(data: Any, rubric: Rubric) -> ContextProfile:
    return ContextProfile.from_dict(data, rubric)


def load_profile(path: str | Path, rubric: Rubric) -> ContextProfile:
    """A context profile from a JSON file (see ``data/profiles/``); every critical criterion must be rated."""
    try:
        return ContextProfile.from_dict(read_json(path), rubric)
    except ValidationError as exc:
        if exc.field == str(path):
            raise
        raise ValidationError(f"{Path(path).name}: {exc.field}", exc.message) from None


def save_profile(store: Store, profile: ContextProfile) -> ContextProfile:
    """Keep a named context profile in the convening (a profile with the same name is replaced)."""
    doc = {"schema_version": CURRENT_VERSIONS["context_profile"], **profile.to_dict()}
    with store.transaction() as tx:
        for old in tx.search(PROFILES, lambda d: d.get("name") == profile.name):
            tx.remove(PROFILES, old["id"])
        tx.insert(PROFILES, doc)
    return profile


def list_profiles(store: Store, rubric: Rubric) -> list[ContextProfile]:
    return [
        ContextProfile.from_dict(upgrade("context_profile", d), rubric)
        for d in store.all(PROFILES)
        if d.get("rubric", rubric.id) == rubric.id
    ]


def get_profile(store: Store, name: str, rubric: Rubric) -> ContextProfile:
    for profile in list_profiles(store, rubric):
        if profile.name == name:
            return profile
    raise NotFoundError(_("There is no context profile '{name}' in this convening.").format(name=name))


def source_ratings(module: Module, rubric: Rubric) -> dict[str, float]:
    """The module's source profile, checked against ``rubric`` (a clear error when it has none)."""
    if not module.source_profile:
        raise ValidationError(
            "source_profile",
            _(
                "the module '{slug}' has no source profile yet: rate the context it came from "
                "with `lessonkit library profile {slug} PROFILE.json`."
            ).format(slug=module.slug),
        )
    return check_ratings(rubric, module.source_profile, f"{module.slug}.source_profile")


def score_module(library: Store, slug: str, target: ContextProfile, rubric: Rubric) -> ScoreResult:
    """How well one module's source context matches ``target``, with the explanation."""
    module = get_module(library, slug)
    return score(
        rubric,
        source_ratings(module, rubric),
        (target.ratings,),
        cautions=module.cautions,
        context=module.context,
    )


@dataclass(frozen=True)
class Ranking:
    rows: list[RankRow]
    without_profile: int  # modules left out: no (usable) source profile
    considered: int


def candidates(modules: list[Module], rubric: Rubric) -> tuple[list[Candidate], int]:
    """Modules with a usable source profile as ranking candidates; how many were left out."""
    out: list[Candidate] = []
    for m in modules:
        try:
            ratings = source_ratings(m, rubric)
        except LessonkitError:
            continue
        out.append(Candidate(m.slug, m.title, ratings, m.cautions, m.context))
    return out, len(modules) - len(out)


def rank_library(
    library: Store,
    target: ContextProfile,
    rubric: Rubric,
    *,
    endorsed_only: bool = False,
    include_retired: bool = False,
) -> Ranking:
    """Every module that has a source profile, ranked for ``target`` (retired ones left out by default)."""
    modules = [
        m
        for m in list_modules(library)
        if (include_retired or m.status is not ReviewStatus.RETIRED)
        and (not endorsed_only or m.status is ReviewStatus.ENDORSED)
    ]
    cands, left_out = candidates(modules, rubric)
    return Ranking(rank(rubric, cands, target.ratings), left_out, len(modules))
