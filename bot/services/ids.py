"""This module reads ids written by people and programs: ASCII digits only, within SQLite's
signed 64-bit range, so that '１', '١', ' 1', '+1' or '1_000' are refused rather than read as 1
(Python's `int()` accepts all of those) and a huge number never reaches SQLite."""

from __future__ import annotations

import re

#: The largest id SQLite can store (a signed 64-bit integer).
MAX_ID = 2**63 - 1

_ASCII_DIGITS = re.compile(r"[0-9]+")


def parse_id(text: str, *, minimum: int = 1) -> int | None:
    """The number `text` spells in plain ASCII digits, or None if it is anything else or is
    outside `minimum`..MAX_ID."""
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    # Checked by length first: int() of thousands of digits is slow, and refused past 4300.
    if len(text.lstrip("0")) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if minimum <= number <= MAX_ID else None
