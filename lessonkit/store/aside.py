"""Keeping damaged files aside (never deleting a byte) and sweeping the temp files of writers that died."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from lessonkit.i18n import _, ngettext
from lessonkit.store.journal_lines import Damage

REPORT = "damage.txt"
_TMP = re.compile(r"^\..+\.tmp-(\d+)$")


def new_folder(path: Path) -> Path:
    """A new folder ``NAME.damaged-YYYYmmdd-HHMMSS[-n]`` beside ``path`` (never one that exists)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        folder = path.with_name(f"{path.name}.damaged-{stamp}" + (f"-{n}" if n > 1 else ""))
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            n += 1


def copy_into(folder: Path, source: Path) -> Path:
    """A durable copy of ``source`` in ``folder`` under the same name."""
    target = folder / source.name
    shutil.copyfile(source, target)
    with open(target, "rb+") as f:
        os.fsync(f.fileno())
    return target


def describe(damage: Iterable[Damage], torn_line: int | None) -> list[str]:
    """One line per damaged journal line, for a person."""
    out = [
        ngettext("line {n} (byte {at}, {size} byte): {why}", "line {n} (byte {at}, {size} bytes): {why}", d.length)
        .format(n=d.line, at=d.offset, size=d.length, why=d.reason)
        for d in damage
    ]
    if torn_line is not None:
        out.append(_("line {n}: cut off, its writer stopped in the middle of it").format(n=torn_line))
    return out


def keep_journal(path: Path, journal: Path, damage: list[Damage], torn_line: int | None) -> Path:
    """Copy the journal of ``path`` unchanged into a new folder beside it, with a report of what was damaged."""
    folder = new_folder(path)
    if journal.exists():
        copy_into(folder, journal)
    report = [_("Damaged lines of {file}, left out when it was read:").format(file=journal.name)]
    report += describe(damage, torn_line)
    (folder / REPORT).write_text("\n".join(report) + "\n", encoding="utf-8")
    return folder


def pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would interrupt the process there: never guess, keep the file
        return True
    if pid == os.getpid():
        return False  # our own leftover: the caller holds the lock, so nothing of ours is being written
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_temps(folder: Path, prefix: str = ".") -> list[Path]:
    """Remove ``.NAME.tmp-PID`` files (starting with ``prefix``) whose writing process is gone: a compaction or an
    import killed half-way leaves a whole copy of the data there. Returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TMP.match(entry.name)
        if match and entry.name.startswith(prefix) and not pid_alive(int(match.group(1))):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed
