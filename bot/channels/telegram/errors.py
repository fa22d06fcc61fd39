"""This module contains what Telegram's refusals mean for a message and for a chat."""

from __future__ import annotations

import logging
import os
import warnings
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.channels.base import SendError

log = logging.getLogger(__name__)

# Opt in now to PTB's coming change (durations such as retry_after as timedelta): without it,
# PTB warns each time it builds a RetryAfter. `retry_after_seconds` reads either form.
os.environ.setdefault("PTB_TIMEDELTA", "true")


def retry_after_seconds(exc: RetryAfter) -> float:
    # PTB 22 warns on reading retry_after while it moves from int to timedelta; either is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def send_error(exc: TelegramError) -> SendError:
    """What a Telegram refusal means for the message and for the chat."""
    if isinstance(exc, RetryAfter):
        seconds = retry_after_seconds(exc)
        return SendError(f"Telegram asked us to wait {seconds:g} s (429)", retry_after=seconds)
    if isinstance(exc, Forbidden):
        return SendError("the person has blocked the bot or left Telegram (403)", unreachable=True)
    if isinstance(exc, BadRequest) and "chat not found" in exc.message.lower():
        return SendError("Telegram does not know this chat", unreachable=True)
    if isinstance(exc, ChatMigrated):
        return SendError("the chat has moved", unreachable=True)
    if isinstance(exc, InvalidToken):
        log.error("Telegram refused the bot token")
        return SendError("Telegram refused the bot token")
    if isinstance(exc, BadRequest):
        return SendError(f"Telegram refused the message: {exc.message}", permanent=True)
    if isinstance(exc, NetworkError):  # also TimedOut and 5xx answers
        return SendError(f"Telegram could not be reached ({type(exc).__name__})")
    return SendError(f"Telegram error: {exc.message}")
