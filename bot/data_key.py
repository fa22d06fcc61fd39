"""This module finds the key ring personal data is sealed with (storage/sealing.py): the keys in
COMPANION_DATA_KEY, newest first, or else a key file beside the database.

The key file (`<database>.key`, readable by its owner only) is made once, at the first start
without COMPANION_DATA_KEY, so that the demo and a fresh clone work with no configuration. It
lies beside the database, so a copy of the folder carries both: production sets
COMPANION_DATA_KEY instead (and the service warns at start when it is not set).
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from bot.settings import Settings
from storage import sealing
from storage.database import Database, DataKeyError

log = logging.getLogger(__name__)


class KeyFileError(RuntimeError):
    """The key file beside the database cannot be used."""


def key_file(database: Path) -> Path:
    return database.with_name(database.name + ".key")


def data_keys(settings: Settings) -> list[str]:
    """The data keys, newest first: COMPANION_DATA_KEY's, or the key file's (made if need be)."""
    if settings.data_key:
        return [key.strip() for key in settings.data_key.reveal().split(",")]
    path = key_file(settings.database)
    if not path.exists():
        _make_key_file(path)
    try:
        text = path.read_text(encoding="ascii").strip()
        return [sealing.check_key(key.strip()) for key in text.split(",")]
    except (OSError, ValueError) as exc:
        raise KeyFileError(
            f"The data key file {path} cannot be used ({type(exc).__name__}): it should hold "
            "one key as `companion keys new` prints it. Set COMPANION_DATA_KEY instead."
        ) from None


def key_ring(settings: Settings) -> sealing.KeyRing:
    return sealing.KeyRing(data_keys(settings))


def _make_key_file(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Made owner-only before the key is written; if another process makes it first, its key
    # stands.
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, (sealing.new_key() + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        log.info("a data key was made for the database", extra={"path": str(path)})


async def check_opens(settings: Settings) -> None:
    """Open the database with the data key and close it: DataKeyError (or KeyFileError) with a
    plain message when the key does not open it. Also seals what an older version wrote plain."""
    async with Database(settings.database, key_ring(settings)):
        pass


def explain(settings: Settings, problem: Exception) -> str:
    """What an operator reads when the data key does not open the database: which key was
    tried, so that a forgotten COMPANION_DATA_KEY is not mistaken for a wrong one."""
    if isinstance(problem, DataKeyError) and not settings.data_key:
        return (
            f"The database {settings.database} was sealed with another key than the key file "
            f"{key_file(settings.database)}, and COMPANION_DATA_KEY is not set: set "
            "COMPANION_DATA_KEY to the key it was sealed with."
        )
    return str(problem)


#: What a command says instead of a traceback when the key is wrong.
KEY_PROBLEMS = (DataKeyError, KeyFileError)
