"""This module sets up logging: one JSON object per line, with phone numbers masked.

Nothing in Companion logs a phone number, a secret or a message's text on purpose; the filter
here is a second line of defence, masking anything that looks like a phone number or a Telegram
bot token in a message or its fields.
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
#: A Telegram bot token (digits, a colon, then 30 or more of A-Z, a-z, 0-9, _ and -).
BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
#: Libraries that log what must stay out of logs: statement parameters (message texts),
#: request URLs (Telegram's carry the bot token) and Twilio's request chatter.
CHATTY = ("aiosqlite", "httpx", "httpcore", "telegram", "twilio", "aiohttp")
#: APScheduler's logger for each run of a job.
APSCHEDULER_ROUTINE = "apscheduler.executors"
#: LogRecord's own attributes; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def mask(value: Any) -> Any:
    if isinstance(value, str):
        return PHONE.sub("[number]", BOT_TOKEN.sub("[token]", value))
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
    # APScheduler says "Running job" and "executed successfully" at INFO for every sweep, four
    # lines every 10 s that drown what matters: they show only when debug logging is asked for.
    routine = logging.NOTSET if level.lower() == "debug" else logging.WARNING
    logging.getLogger(APSCHEDULER_ROUTINE).setLevel(routine)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
