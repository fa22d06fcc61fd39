"""Tests of reading ids: ASCII digits within SQLite's 64-bit range, nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    "text",
    ["１", "١", "۱", " 1", "1 ", "+1", "-1", "1_000", "1.0", "0x1", "", "0", str(MAX_ID + 1)],
)
def test_other_forms_of_a_number_are_refused(text: str) -> None:
    assert parse_id(text) is None


def test_plain_ids_are_read_to_the_largest_sqlite_holds() -> None:
    assert parse_id("1") == 1
    assert parse_id("007") == 7
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id("0", minimum=0) == 0
    assert parse_id("9" * 5000) is None


@given(st.text())
def test_any_text_is_an_id_only_if_it_is_ascii_digits_in_range(text: str) -> None:
    number = parse_id(text)
    plain = text != "" and all(c in "0123456789" for c in text)
    if number is not None:
        assert plain and 1 <= number <= MAX_ID and number == int(text)
    elif plain:
        assert int(text) < 1 or int(text) > MAX_ID


@given(st.integers())
def test_any_integer_written_plainly_is_read_back_if_in_range(number: int) -> None:
    expected = number if 1 <= number <= MAX_ID else None
    assert parse_id(str(number)) == expected
