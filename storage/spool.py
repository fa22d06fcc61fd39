"""This module contains `Spool`: a file next to the database where inbound messages wait while
the database cannot take them (another process holds its write lock).

Each record is one line of JSON, appended and fsynced before the caller answers the provider,
so a message acknowledged to Twilio survives a crash. Each line is sealed with the database's key
ring (it holds phone numbers and texts: storage/sealing.py); the file is also created readable
by its owner only, and removed once every record in it has been replayed. A plain JSON line (from
before sealing) is still read. Records are plain dicts: what they mean is the caller's business.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from storage import sealing

log = logging.getLogger(__name__)

Record = dict[str, Any]


class Spool:
    def __init__(self, path: str | Path, keys: sealing.KeyRing | None = None) -> None:
        self.path = Path(path)
        #: The database's key ring; None uses the process's.
        self.keys = keys

    def _ring(self) -> sealing.KeyRing:
        return self.keys or sealing.ring()

    def append(self, record: Record) -> None:
        """Add one record, durably (fsynced) before returning."""
        text = json.dumps(record, ensure_ascii=True, separators=(",", ":"))
        line = self._ring().seal(text) + "\n"
        created = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            self._sync_directory()

    def read_from(self, offset: int) -> list[tuple[Record, int]]:
        """The records after byte `offset`, each with the offset just past it. A last line cut
        short (a crash mid-append, before the provider got its answer) is left out."""
        try:
            with self.path.open("rb") as file:
                file.seek(offset)
                data = file.read()
        except FileNotFoundError:
            return []
        found: list[tuple[Record, int]] = []
        position = offset
        for line in data.splitlines(keepends=True):
            position += len(line)
            if not line.endswith(b"\n"):
                break
            try:
                record = json.loads(self._ring().unseal(line.decode("ascii").rstrip("\n")))
            except (ValueError, sealing.SealingError):
                log.error("an unreadable line in the inbound spool was skipped")
                continue
            if isinstance(record, dict):
                found.append((record, position))
        return found

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def clear(self) -> None:
        """Remove the spool once everything in it is safely in the database."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return
        self._sync_directory()

    def _sync_directory(self) -> None:
        fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
