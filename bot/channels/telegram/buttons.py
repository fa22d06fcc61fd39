"""This module contains Telegram's buttons: choices as an inline keyboard, and reading a press.

Choices go one to a row, so each is a large target. A button's callback data carries our
message id and the answer ("41:1"), so a press can be checked against the question it belongs
to.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.base import Outgoing

log = logging.getLogger(__name__)


def callback_data(message_id: int, answer: str) -> str:
    return f"{message_id}:{answer}"


def parse_callback_data(data: str) -> tuple[int | None, str]:
    """(our message id or None, the answer) from a button's callback data."""
    head, sep, answer = data.partition(":")
    if sep and head.isdigit():
        return int(head), answer
    return None, data


def keyboard(message: Outgoing) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    rows = []
    for button in message.buttons:
        data = callback_data(message.message_id, button["answer"])
        if len(data.encode()) > 64:  # Telegram's limit; answers are short, so this is a bug
            log.warning("button answer too long for Telegram; sent without buttons")
            return None
        rows.append([InlineKeyboardButton(button["label"], callback_data=data)])
    return InlineKeyboardMarkup(rows)
