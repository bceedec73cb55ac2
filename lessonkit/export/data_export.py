"""Data exports: notes, memorandum positions and transferability scores as CSV, JSON or pandas DataFrames.

The same steps as the reports (filter by consent and sensitivity → redact → count), with documented columns
(:data:`COLUMNS`). CSV and JSON are UTF-8; the JSON file also carries the level, the column descriptions and how
many records were withheld or redacted. pandas is imported only by the DataFrame functions.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.mou_decisions import current_positions
from lessonkit.domain.scoring import score
from lessonkit.errors import ValidationError
from lessonkit.export.report_data import open_store
from lessonkit.export.report_mou import withheld_reason
from lessonkit.i18n import _
from lessonkit.services.disclosure import Disclosure
from lessonkit.services.mou import get_mou, has_mou
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import list_rounds, round_ratings
from lessonkit.services.sessions import list_sessions
from lessonkit.store.base import Store

if TYPE_CHECKING:
    import pandas as pd

#: Every export's columns, in order, with what each holds.
COLUMNS: dict[str, dict[str, str]] = {
    "notes": {
        "id": "the note's number in this convening",
        "session": "the session id",
        "session_title": "the session's title (redacted)",
        "category": "need / what worked / risk / question",
        "text": "the note as written, redacted (names, join codes, e-mails, phones, extra terms)",
        "tags": "tags joined by ', ' (redacted)",
        "sensitivity": "the stricter of the note's level and its author's consent",
        "author": "the pseudonym where consent allows attribution (names stay inside), else 'a participant'",
        "merged": "how many duplicates were merged into this note",
        "created": "when it was written (ISO 8601, UTC)",
        "language": "the language it was written in ('' when not recorded)",
        "translations": "people's translations, 'lang: text (by who)' joined by ' | ' (redacted)",
    },
    "positions": {
        "id": "the position's number",
        "version": "the memorandum version it was taken on",
        "party": "the party (redacted when it is a person's name)",
        "clause_key": "the clause's stable key",
        "clause_title": "the clause's title in the latest version ('' if removed since)",
        "stance": "agree / concern / block",
        "reason": "the reason given (redacted); withheld below 'convening' level or without the party's consent",
        "reason_withheld": "true when the reason was withheld at this level",
        "current": "true for the party's latest position on the clause",
        "created": "when it was recorded (ISO 8601, UTC)",
    },
    "scores": {
        "round": "the scoring round id",
        "module": "the module's title",
        "target": "the target context's name (redacted)",
        "criterion_id": "the rubric criterion's id",
        "criterion": "the criterion's name",
        "critical": "true for a critical criterion",
        "weight": "the criterion's weight",
        "source": "rating of the context the tactic came from (0-4)",
        "target_median": "median of the assessors' ratings of the target (0-4)",
        "ratings": "every counted rating, sorted, joined by ' '",
        "spread": "highest minus lowest rating",
        "gap": "levels of difference that count against transfer",
        "match": "0-1 at the median",
        "fails": "true when a critical criterion's gap blocks transfer",
        "assessors": "assessors whose consent allows this level",
        "overall": "the round's overall match (0-100)",
        "verdict": "the round's verdict",
    },
}
WHATS = tuple(COLUMNS)


@dataclass
class DataExport:
    what: str
    level: Sensitivity
    rows: list[dict[str, Any]]
    withheld: int
    redacted: int
    disclosure: Disclosure | None = field(default=None, repr=False, compare=False)

    @property
    def columns(self) -> list[str]:
        return list(COLUMNS[self.what])


def _notes(scope: Disclosure) -> list[dict[str, Any]]:
    titles = {s.id: scope.session(s).title for s in list_sessions(scope.store)}
    return [
        {
            "id": shown.note.id,
            "session": shown.note.session_id,
            "session_title": titles.get(shown.note.session_id, ""),
            "category": shown.note.category.value,
            "text": shown.note.text,
            "tags": ", ".join(shown.note.tags),
            "sensitivity": shown.level.value,
            "author": shown.author,
            "merged": shown.merged,
            "created": shown.note.created.isoformat(),
            "language": shown.note.language,
            "translations": " | ".join(f"{t.language}: {t.text} ({t.by})" for t in shown.note.translations),
        }
        for shown in scope.notes().shown
    ]


def _positions(scope: Disclosure) -> list[dict[str, Any]]:
    if not has_mou(scope.store):
        return []
    state = get_mou(scope.store)
    titles = {c.key: c.title for c in state.latest.clauses}
    current = {id(p) for p in current_positions(state.positions).values()}
    rows = []
    for p in sorted(state.positions, key=lambda p: p.id or 0):
        allowed = not p.reason or scope.reason_allowed(state, p)
        if not allowed:
            scope.withhold()
        rows.append(
            {
                "id": p.id,
                "version": p.version,
                "party": scope.text(p.party, count=False),
                "clause_key": p.clause_key,
                "clause_title": titles.get(p.clause_key, ""),
                "stance": p.stance.value,
                "reason": scope.text(p.reason) if allowed else withheld_reason(),
                "reason_withheld": not allowed,
                "current": id(p) in current,
                "created": p.created.isoformat(),
            }
        )
    return rows


def _scores(scope: Disclosure) -> list[dict[str, Any]]:
    rows = []
    for r in list_rounds(scope.store):
        ratings = scope.ratings(round_ratings(scope.store, r.id or 0))
        if not ratings:
            continue
        result = score(load_rubric(r.rubric), r.source, [x.ratings for x in ratings])
        for c in result.criteria:
            rows.append(
                {
                    "round": r.id,
                    "module": r.module_title,
                    "target": scope.text(r.target_name, count=False),
                    "criterion_id": c.id,
                    "criterion": c.name,
                    "critical": c.criterion.critical,
                    "weight": c.criterion.weight,
                    "source": c.source,
                    "target_median": c.target,
                    "ratings": " ".join(f"{x:g}" for x in sorted(c.ratings)),
                    "spread": c.spread,
                    "gap": c.gap,
                    "match": round(c.score, 3),
                    "fails": c.fails,
                    "assessors": len(ratings),
                    "overall": result.overall,
                    "verdict": result.verdict,
                }
            )
    return rows


_BUILDERS: dict[str, Callable[[Disclosure], list[dict[str, Any]]]] = {
    "notes": _notes,
    "positions": _positions,
    "scores": _scores,
}


def export_data(
    what: str,
    convening: str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
) -> DataExport:
    """The rows of ``what`` (notes, positions or scores) that may go out at ``level`` (default: public)."""
    if what not in _BUILDERS:
        raise ValidationError("what", _("'{w}' is not one of: {all}.").format(w=what, all=", ".join(WHATS)))
    scope = Disclosure.open(open_store(convening, home, store), level, "export")
    rows = _BUILDERS[what](scope)
    return DataExport(what, scope.level, rows, scope.tally.withheld, scope.tally.redacted, scope)


def log_data(export: DataExport, out: str | os.PathLike[str] | None) -> None:
    """Add the export to its convening's export log (``out`` None: printed, not written to a file)."""
    if export.disclosure is not None:
        export.disclosure.log(f"export {export.what}", out)


def to_csv(export: DataExport) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=export.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export.rows)
    return buf.getvalue()


def to_json(export: DataExport) -> str:
    data = {
        "what": export.what,
        "level": export.level.value,
        "withheld": export.withheld,
        "redacted": export.redacted,
        "columns": COLUMNS[export.what],
        "rows": export.rows,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_data(export: DataExport, fmt: str, out: str | os.PathLike[str]) -> Path:
    """Write ``export`` as ``csv`` or ``json`` (UTF-8), replacing ``out`` in one step."""
    if fmt not in ("csv", "json"):
        raise ValidationError("format", _("'{f}' is not one of: csv, json.").format(f=fmt))
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(to_csv(export) if fmt == "csv" else to_json(export), encoding="utf-8")
    os.replace(tmp, path)
    log_data(export, path)
    return path


def dataframe(
    what: str,
    convening: str | None = None,
    level: str | Sensitivity | None = None,
    home: str | None = None,
    *,
    store: Store | None = None,
) -> pd.DataFrame:
    """The export as a pandas DataFrame with the documented columns (``frame.attrs`` holds the counts)."""
    import pandas as pd

    export = export_data(what, convening, level, home, store=store)
    frame = pd.DataFrame(export.rows, columns=export.columns)
    frame.attrs.update(level=export.level.value, withheld=export.withheld, redacted=export.redacted)
    return frame
