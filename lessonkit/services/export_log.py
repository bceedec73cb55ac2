"""The export log: every report, data export, bundle and clone adds one line to its convening.

It answers "what left this laptop, and whose words?" after the fact: what was made, at which level, when, the file
name, how many records went out, were withheld or redacted, and the ids of the participants whose words went out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from lessonkit.domain.export_record import ExportRecord
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.privacy import Tally
from lessonkit.store.base import Store

TABLE = "exports"


def log_export(
    store: Store,
    what: str,
    level: Sensitivity,
    file: str | os.PathLike[str] | None,
    tally: Tally | None = None,
    participant_ids: Iterable[int] = (),
    by: str = "",
) -> ExportRecord:
    """Append one line; ``file`` is kept as its name only (folders can name people or places)."""
    t = tally or Tally()
    record = ExportRecord(
        what=what,
        level=level,
        file=os.path.basename(os.fspath(file)) if file else "",
        included=t.included,
        withheld=t.withheld,
        redacted=t.redacted,
        participant_ids=tuple(sorted(set(t.participants) | set(participant_ids))),
        by=by,
    )
    doc_id = store.insert(TABLE, record.to_dict())
    return ExportRecord.from_dict({**record.to_dict(), "id": doc_id})


def list_exports(store: Store) -> list[ExportRecord]:
    """Every line of the log, oldest first."""
    return sorted((ExportRecord.from_dict(d) for d in store.all(TABLE)), key=lambda r: (r.at, r.id or 0))
