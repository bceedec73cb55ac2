"""The disclosure layer for the risk register and the mutual-aid ledger (issue 16), reached through
:class:`lessonkit.services.disclosure.Disclosure` (``scope.party``, ``scope.risks``, ``scope.ledger``).

- A group's name goes out as the groups agreed to be called (the memorandum's spelling): a participant's
  organisation that is itself a party is not hidden as an organisation, but any other name, code, contact or extra
  term inside it is redacted where the purpose redacts. A group that is a person (named after a registered
  participant) is never named by that person's name where text is redacted (every report, and any screen at
  ``network`` or ``public``): it is credited by their pseudonym when their consent reaches the level, else as
  "a participant".
- A risk is a record with a sensitivity and, when a participant raised it, an author: it goes out under the one rule,
  like a note; its texts are redacted, its author credited as their consent says.
- A ledger line's accounting (groups, kind, quantity, unit, status, dates) goes out whenever the line's sensitivity
  allows the level; its evidence notes only when their author's consent allows it too (else they are left out and
  counted as withheld). Withdrawing consent never changes the accounting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lessonkit.domain.ledger import Entry
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.privacy import anonymous_label
from lessonkit.domain.redaction import Kind
from lessonkit.domain.risk_register import JointRisk
from lessonkit.domain.risks import Risk
from lessonkit.i18n import _

if TYPE_CHECKING:
    from lessonkit.services.disclosure import Disclosure


@dataclass(frozen=True)
class ShownRisk:
    """A risk as it may go out: its texts redacted (group names kept for the arithmetic; show them with
    ``scope.party``), who raised it, its owner and who acts in the contingency plan as they may be named."""

    joint: JointRisk
    raised_by: str
    owner: str
    who_acts: str
    level: Sensitivity

    @property
    def risk(self) -> Risk:
        return self.joint.risk


@dataclass(frozen=True)
class ShownLine:
    """A ledger line as it may go out: ``line`` with its texts redacted and its evidence left out when its author's
    consent does not reach this level (group names kept for the arithmetic); ``giver`` and ``receiver`` as they may
    be named."""

    line: Entry
    giver: str
    receiver: str
    evidence_withheld: bool = False


def party(scope: Disclosure, name: str) -> str:
    if not name or not scope.redacting:
        return name
    folded = name.strip().casefold()
    person = next((p for p in scope.people.values() if p.name.strip().casefold() == folded), None)
    if person is not None:
        if scope.why_withheld(Sensitivity.PUBLIC, person.id) is not None:
            return anonymous_label()
        return scope.credit(person.id)
    result = scope.redactor.redact(name)
    if all(hit.kind is Kind.ORGANISATION for hit in result.hits):
        return name  # the group's own name, as the groups agreed it
    return result.text


def raised_by(scope: Disclosure, risk: Risk) -> str:
    if risk.author_id is not None:
        who = scope.credit(risk.author_id)
        return _("{who} ({group})").format(who=who, group=party(scope, risk.group)) if risk.group else who
    if risk.group:
        return party(scope, risk.group)
    return _("anonymous")


def risks(scope: Disclosure, register: Iterable[JointRisk]) -> list[ShownRisk]:
    out = []
    for j in register:
        r = j.risk
        reason = scope.why_withheld(r.sensitivity, r.author_id)
        if reason is not None:
            scope.tally.withhold(reason, r.author_id)
            continue
        scope.tally.include(r.author_id)
        c = r.contingency
        n_mit, n_rev = len(r.mitigations), len(r.reviews)
        title, description, how, channel, *rest = scope.texts(
            r.title, r.description, c.how, c.channel, *r.mitigations, *(x.note for x in r.reviews),
            *(x.by for x in r.reviews),
        )
        mitigations, notes, bys = rest[:n_mit], rest[n_mit : n_mit + n_rev], rest[n_mit + n_rev :]
        reviews = tuple(replace(x, note=n, by=b) for x, n, b in zip(r.reviews, notes, bys, strict=True))
        owner, who = party(scope, r.owner), party(scope, c.who)
        shown = replace(
            r,
            title=title,
            description=description,
            mitigations=tuple(mitigations),
            contingency=replace(c, who=who, how=how, channel=channel),
            owner=owner,
            reviews=reviews,
        )
        level = scope.level_of(r.sensitivity, r.author_id)
        out.append(ShownRisk(replace(j, risk=shown), raised_by(scope, r), owner, who, level))
    return out


def ledger(scope: Disclosure, lines: Iterable[Entry]) -> list[ShownLine]:
    out = []
    for e in lines:
        reason = scope.why_withheld(e.sensitivity, None)
        if reason is not None:
            scope.tally.withhold(reason)
            continue
        evidence_reason = scope.why_withheld(e.sensitivity, e.author_id) if e.evidence else None
        if evidence_reason is not None:
            scope.tally.withhold(evidence_reason, e.author_id)
        words = e.evidence if evidence_reason is None else ""
        what, reason_text, evidence = scope.texts(e.what, e.reason, words)
        scope.tally.include(e.author_id if words else None)
        shown = replace(e, what=what, reason=reason_text, evidence=evidence)
        out.append(ShownLine(shown, party(scope, e.giver), party(scope, e.receiver), evidence_reason is not None))
    return out
