"""Group commit for the journal: appenders share fsyncs instead of queueing for them."""

from __future__ import annotations

import os
import time
from pathlib import Path

import portalocker

SYNC_POLL_S = 0.0005


def group_sync(jpath: Path, fd: int, end: int) -> None:
    """Return once the journal is durable up to ``end``, sharing fsyncs between writers (group commit).

    Thirty fsyncs of one file at the same moment took p95 130-160 ms on a 2-core laptop, one alone 0.2 ms. So
    one writer at a time (whoever gets the non-blocking sync lock) fsyncs everything appended so far and notes
    how far the file is now durable in ``NAME.journal.synced``; the others see their bytes covered and return.
    """
    ino = os.fstat(fd).st_ino
    marker = jpath.with_name(jpath.name + ".synced")
    lock_path = jpath.with_name(jpath.name + ".synclock")
    while True:
        if _synced_to(marker, ino) >= end:
            return
        with open(lock_path, "a") as lock:
            try:
                portalocker.lock(lock, portalocker.LOCK_EX | portalocker.LOCK_NB)
            except portalocker.LockException:
                time.sleep(SYNC_POLL_S)
                continue
            try:
                if _synced_to(marker, ino) >= end:
                    return
                size = os.fstat(fd).st_size  # every append that finished before the fsync is covered by it
                os.fsync(fd)
                _mark_synced(marker, ino, size)
                return
            finally:
                portalocker.unlock(lock)


def forget_synced(jpath: Path) -> None:
    """Drop the group-commit mark of a journal that is being replaced (exclusive lock held)."""
    jpath.with_name(jpath.name + ".synced").unlink(missing_ok=True)


def _synced_to(marker: Path, ino: int) -> int:
    try:
        raw = marker.read_bytes()
        marked_ino, offset = (int(x) for x in raw.split())
    except (OSError, ValueError):
        return -1
    return offset if marked_ino == ino else -1


def _mark_synced(marker: Path, ino: int, offset: int) -> None:
    """Best effort and not itself durable: a stale or missing mark only costs another fsync."""
    tmp = marker.with_name(f".{marker.name}.tmp-{os.getpid()}")
    tmp.write_bytes(f"{ino} {offset}".encode())
    os.replace(tmp, marker)
