"""Tests for reply normalisation: case, accents, punctuation, repeated letters and emoji."""

from __future__ import annotations

import pytest

from flows.understand.normalise import Reply, emoji_form, fold, split_words, squeeze


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  GOOD  ", "good"), ("Café", "cafe"), ("don't", "dont"),
        ("I’m  fine\n\tthanks", "im fine thanks"), ("ŹLE", "zle"),
        ("Straße", "strasse"), ("１２", "12"),
    ],
)  # fmt: skip
def test_fold_lowercases_drops_accents_and_apostrophes_and_collapses_whitespace(
    text: str, folded: str
) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("folded", "words"),
    [
        ("yes, please!!", ("yes", "please")), ("no. 1", ("no", "1")), ("#1)", ("1",)),
        ("feeling_good", ("feeling", "good")), ("ok 👍🏽 thanks", ("ok", "thanks")),
        ("1️⃣", ("1",)), ("আমি ভালো আছি", ("আমি", "ভালো", "আছি")), ("...", ()),
    ],
)  # fmt: skip
def test_split_words_keeps_letters_digits_and_vowel_signs_and_drops_the_rest(
    folded: str, words: tuple[str, ...]
) -> None:
    assert split_words(folded) == words


@pytest.mark.parametrize(
    ("word", "squeezed"),
    [("gooood", "god"), ("good", "god"), ("yesss", "yes"), ("noo", "no"), ("11", "11")],
)
def test_squeeze_collapses_repeated_letters_but_never_digits(word: str, squeezed: str) -> None:
    assert squeeze(word) == squeezed


def test_emoji_form_makes_presentation_selectors_and_skin_tones_irrelevant() -> None:
    assert emoji_form("❤️") == emoji_form("❤") == "❤"
    assert emoji_form("👍🏿") == emoji_form("👍") == "👍"


def test_a_reply_keeps_the_text_as_sent_apart_from_surrounding_whitespace() -> None:
    reply = Reply.of("  Yes, PLEASE!  ")
    assert (reply.text, reply.folded, reply.words) == (
        "Yes, PLEASE!",
        "yes, please!",
        ("yes", "please"),
    )
