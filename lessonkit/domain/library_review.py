"""Peer review of modules: draft → in review → endorsed → retired, and who may endorse."""

from __future__ import annotations

from dataclasses import replace

from lessonkit.domain.library import Module
from lessonkit.domain.modules import Review, ReviewStatus, Verdict, review_status_label
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext, pgettext

MIN_ENDORSING_ORGANISATIONS = 2

# Allowed moves between review states.
TRANSITIONS: dict[ReviewStatus, frozenset[ReviewStatus]] = {
    ReviewStatus.DRAFT: frozenset({ReviewStatus.IN_REVIEW, ReviewStatus.RETIRED}),
    ReviewStatus.IN_REVIEW: frozenset({ReviewStatus.DRAFT, ReviewStatus.ENDORSED, ReviewStatus.RETIRED}),
    ReviewStatus.ENDORSED: frozenset({ReviewStatus.IN_REVIEW, ReviewStatus.RETIRED}),
    ReviewStatus.RETIRED: frozenset({ReviewStatus.DRAFT}),
}


def endorsing_organisations(module: Module) -> list[str]:
    """Organisations, other than the authors' own, whose reviewers endorsed the module."""
    own = module.author_organisations
    seen: dict[str, str] = {}
    for review in module.reviews:
        key = review.organisation.casefold()
        if review.verdict is Verdict.ENDORSE and key not in own:
            seen.setdefault(key, review.organisation)
    return list(seen.values())


def can_endorse(module: Module) -> bool:
    return len(endorsing_organisations(module)) >= MIN_ENDORSING_ORGANISATIONS


def add_review(module: Module, review: Review) -> Module:
    """Record a review; only a module in review takes reviews."""
    if module.status is not ReviewStatus.IN_REVIEW:
        raise ValidationError(
            "status",
            _("'{title}' is {status}: send it to review first, then add reviews.").format(
                title=module.title, status=review_status_label(module.status)
            ),
        )
    return replace(module, reviews=(*module.reviews, review))


def set_status(module: Module, status: ReviewStatus) -> Module:
    """Move the module to ``status``; endorsing needs endorsements from enough independent organisations."""
    if status is module.status:
        return module
    if status not in TRANSITIONS[module.status]:
        allowed = ", ".join(sorted(review_status_label(s) for s in TRANSITIONS[module.status]))
        raise ValidationError(
            "status",
            _("a module that is {current} can move only to: {allowed}.").format(
                current=review_status_label(module.status), allowed=allowed
            ),
        )
    if status is ReviewStatus.ENDORSED and not can_endorse(module):
        have = endorsing_organisations(module)
        raise ValidationError(
            "status",
            ngettext(
                "endorsing needs endorsements from at least {n} organisation other than the authors' "
                "(so far: {have}). Ask reviewers from other groups.",
                "endorsing needs endorsements from at least {n} organisations other than the authors' "
                "(so far: {have}). Ask reviewers from other groups.",
                MIN_ENDORSING_ORGANISATIONS,
            ).format(
                n=MIN_ENDORSING_ORGANISATIONS, have=", ".join(have) or pgettext("empty list of organisations", "none")
            ),
        )
    return replace(module, status=status)
