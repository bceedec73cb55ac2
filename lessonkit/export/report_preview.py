"""What redaction will replace in the texts an export may carry at a level: the facilitator's preview.

The texts are those the reports and data exports would let out at that level (notes and their tags, session
titles and prompts, the memorandum's clauses and the reasons that may be shown, scoring rounds' targets). The
preview shows what was found, so it belongs on the facilitator's own screen, never on the projector.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.redaction import Kind, preview
from lessonkit.services.disclosure import Disclosure
from lessonkit.services.mou import get_mou, has_mou
from lessonkit.services.notes import list_notes
from lessonkit.services.scoring_rounds import list_rounds
from lessonkit.services.sessions import list_sessions
from lessonkit.store.base import Store


@dataclass(frozen=True)
class Preview:
    level: Sensitivity
    rows: list[tuple[Kind, str, int]]  # (what it is, the text as found, how many times)
    texts: int  # texts looked at
    changed: int  # texts that would have something redacted
    withheld: int  # notes left out at this level altogether


def exported_texts(scope: Disclosure) -> list[str]:
    """Every free text the exports may carry at the scope's level, as written (before redaction)."""
    texts: list[str] = []
    written = {n.id: n for n in list_notes(scope.store, respect_consent=False)}
    for shown in scope.notes().shown:
        original = written[shown.note.id]
        texts += [original.text, *original.tags]
    for s in list_sessions(scope.store):
        texts += [s.title, *s.prompts]
    if has_mou(scope.store):
        state = get_mou(scope.store)
        texts += [state.record.title, *(p.name for p in state.record.parties)]
        texts += [c.text for c in state.latest.clauses]
        texts += [p.reason for p in state.positions if p.reason and scope.reason_allowed(state, p)]
    for r in list_rounds(scope.store):
        texts += [r.target_name, r.target_description, r.cautions, *r.context.values()]
    return [t for t in texts if t]


def redaction_preview(store: Store, level: object = None) -> Preview:
    """What the exports at ``level`` (default: public) would redact, most frequent first."""
    scope = Disclosure.open(store, level)
    texts = exported_texts(scope)
    results = [scope.redactor.redact(t) for t in texts]
    return Preview(scope.level, preview(results), len(texts), sum(r.changed for r in results), scope.tally.withheld)
