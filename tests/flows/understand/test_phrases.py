"""Tests for PhraseMatcher and the typo allowance it uses."""

from __future__ import annotations

import pytest

from flows.understand.phrases import Match, PhraseMatcher, allowed_edits, closest


@pytest.mark.parametrize(("length", "edits"), [(1, 0), (2, 0), (3, 1), (5, 1), (6, 2), (12, 2)])
def test_short_words_get_no_typos_and_longer_words_get_more(length: int, edits: int) -> None:
    assert allowed_edits(length) == edits


MATCHER = PhraseMatcher(
    [("good", "g"), ("not so good", "n"), ("lonely", "l"), ("no", "no"), ("11", "eleven")],
    exact_only=[("tues", "t")],
)


def test_exact_phrases_are_found_inside_longer_replies_with_their_positions() -> None:
    assert MATCHER.find(("feeling", "good", "today")) == [Match("g", 1, 2, 0)]


def test_the_longest_phrase_wins_and_its_words_are_not_matched_again() -> None:
    assert MATCHER.find(("not", "so", "good")) == [Match("n", 0, 3, 0)]


def test_stretched_words_match_exactly_after_squeezing() -> None:
    assert MATCHER.find(("gooooood",)) == [Match("g", 0, 1, 0)]


def test_a_typo_matches_with_its_edit_count() -> None:
    assert MATCHER.find(("lonley",)) == [Match("l", 0, 1, 1)]
    assert MATCHER.find(("not", "so", "gud")) == [Match("n", 0, 3, 1)]


def test_short_words_digits_skipped_words_and_exact_only_phrases_never_match_by_typo() -> None:
    assert MATCHER.find(("now",)) == []
    assert MATCHER.find(("1",)) == []
    assert MATCHER.find(("12",)) == []
    assert MATCHER.find(("tuez",)) == []
    assert MATCHER.find(("lonley",), skip={"lonley"}) == []


def test_a_phrase_shared_by_two_keys_reports_both() -> None:
    shared = PhraseMatcher([("cuppa", "tea"), ("cuppa", "coffee")])
    assert [m.key for m in shared.find(("cuppa",))] == ["tea", "coffee"]


def test_closest_keeps_keys_within_one_edit_of_the_best() -> None:
    assert closest({"a": 0, "b": 1, "c": 2}) == ["a", "b"]
    assert closest({"a": 2, "b": 0}) == ["b"]
    assert closest({}) == []
