"""This module sets up logging: one JSON object per line, with phone numbers masked.

Nothing in Companion logs a phone number or a message's text on purpose; the filter here is a
second line of defence, masking anything that looks like a number in a message or its fields.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

#: Ten to fifteen digits with single spaces, dashes or brackets between: a phone number, not a
#: date or a time.
PHONE = re.compile(r"\+?\d(?:[\s()-]?\d){9,14}")
#: Libraries that log statement parameters (and so message texts) when debugging.
CHATTY = ("aiosqlite",)
#: LogRecord's own attributes; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def mask(value: Any) -> Any:
    if isinstance(value, str):
        return PHONE.sub("[number]", value)
    return value


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": mask(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD:
                entry[key] = mask(value)
        if record.exc_info:
            entry["error"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(level: str = "info") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
