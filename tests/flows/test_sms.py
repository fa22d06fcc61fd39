"""Tests for flows.sms: GSM 03.38 segment accounting and splitting long texts."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from flows.sms import (
    GSM7_BASIC_TABLE,
    GSM7_EXTENSION_CHARS,
    Encoding,
    SmsInfo,
    describe_character,
    explain,
    sms_info,
    split_for_sms,
    split_for_sms_segments,
    suggest_replacement,
)

GSM_CHARS = (set(GSM7_BASIC_TABLE) - {"\x1b"}) | set(GSM7_EXTENSION_CHARS)
GSM_TEXT = st.text(alphabet=sorted(GSM_CHARS), max_size=400)
GSM_BASIC_TEXT = st.text(alphabet=sorted(set(GSM7_BASIC_TABLE) - {"\x1b"}), max_size=160)
# Letters, spaces and a few characters that force UCS-2, including 2-unit emoji.
UCS2_TEXT = st.text(alphabet="abc xyz’“😊—é€", max_size=300).map(lambda text: text + "’")


def test_gsm7_basic_table_has_128_characters_in_code_order() -> None:
    assert len(GSM7_BASIC_TABLE) == 128
    assert len(set(GSM7_BASIC_TABLE)) == 128
    assert GSM7_BASIC_TABLE[0x00] == "@"
    assert GSM7_BASIC_TABLE[0x09] == "Ç"
    assert GSM7_BASIC_TABLE[0x10] == "\u0394"  # Greek capital delta, not the increment sign
    assert GSM7_BASIC_TABLE[0x15] == "\u03a9"  # Greek capital omega, not the ohm sign
    assert GSM7_BASIC_TABLE[0x1B] == "\x1b"
    assert GSM7_BASIC_TABLE[0x20] == " "
    assert GSM7_BASIC_TABLE[0x24] == "¤"
    assert GSM7_BASIC_TABLE[0x40] == "¡"
    assert GSM7_BASIC_TABLE[0x5F] == "§"
    assert GSM7_BASIC_TABLE[0x60] == "¿"
    assert GSM7_BASIC_TABLE[0x7F] == "à"


@pytest.mark.parametrize(
    ("text", "encoding", "segments", "units"),
    [
        ("", Encoding.GSM7, 0, 0),
        ("a", Encoding.GSM7, 1, 1),
        ("a" * 160, Encoding.GSM7, 1, 160),
        ("a" * 161, Encoding.GSM7, 2, 161),
        ("a" * 306, Encoding.GSM7, 2, 306),
        ("a" * 307, Encoding.GSM7, 3, 307),
        ("€", Encoding.GSM7, 1, 2),
        ("a" * 158 + "€", Encoding.GSM7, 1, 160),
        ("a" * 159 + "€", Encoding.GSM7, 2, 161),
        # The escape pair cannot straddle segments, so 152 + € leaves a septet unused and
        # 306 septets need 3 segments, not 306 / 153 = 2.
        ("a" * 152 + "€" + "a" * 151, Encoding.GSM7, 2, 305),
        ("a" * 152 + "€" + "a" * 152, Encoding.GSM7, 3, 306),
        ("Café à Göteborg, £5 ¿Qué? ΔΩ", Encoding.GSM7, 1, 28),
        ("line one\nline two", Encoding.GSM7, 1, 17),
        ("ж" * 70, Encoding.UCS2, 1, 70),
        ("ж" * 71, Encoding.UCS2, 2, 71),
        ("ж" * 134, Encoding.UCS2, 2, 134),
        ("ж" * 135, Encoding.UCS2, 3, 135),
        ("😊", Encoding.UCS2, 1, 2),
        ("ж" * 68 + "😊", Encoding.UCS2, 1, 70),
        # The surrogate pair cannot straddle segments.
        ("ж" * 66 + "😊" + "ж" * 65, Encoding.UCS2, 2, 133),
        ("ж" * 66 + "😊" + "ж" * 66, Encoding.UCS2, 3, 134),
        ("€" + "ж", Encoding.UCS2, 1, 2),
    ],
)
def test_sms_info_counts_segments_and_units(
    text: str, encoding: Encoding, segments: int, units: int
) -> None:
    info = sms_info(text)
    assert (info.encoding, info.segments, info.units) == (encoding, segments, units)
    assert info.characters == len(text)


def test_one_curly_quote_turns_a_100_character_text_into_two_ucs2_segments() -> None:
    text = "a" * 99 + "’"
    info = sms_info(text)
    assert info == SmsInfo(Encoding.UCS2, 2, 100, 100, ("’",))


def test_forcing_ucs2_lists_distinct_characters_in_order_of_first_appearance() -> None:
    assert sms_info("“Hi” — it’s 😊 “ok”").forcing_ucs2 == ("“", "”", "—", "’", "😊")


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("", "0 segments, GSM-7, 0 of 160"),
        ("a" * 98, "1 segment, GSM-7, 98 of 160"),
        ("a" * 200, "2 segments, GSM-7, 200 characters"),
        ("See you soon 😊", "1 segment, UCS-2 (because of an emoji 😊), 15 of 70"),
        ("a" * 74 + "’", "2 segments, UCS-2 (because of a curly quote ’), 75 characters"),
        ("a\u00a0b", "1 segment, UCS-2 (because of a non-breaking space), 3 of 70"),
        (
            "“ok” — ",
            "1 segment, UCS-2 (because of a curly double quote “, a curly double"
            " quote ” and an em dash —), 7 of 70",
        ),
        (
            "“ok” — … ж",
            "1 segment, UCS-2 (because of a curly double quote “, a curly double"
            " quote ”, an em dash — and 2 other characters), 10 of 70",
        ),
        ("Ж 12", "1 segment, UCS-2 (because of the character ‘Ж’), 4 of 70"),
    ],
)
def test_describe_says_the_cost_in_words_staff_understand(text: str, description: str) -> None:
    assert sms_info(text).describe() == description


@pytest.mark.parametrize(
    ("ch", "description"),
    [
        ("’", "a curly quote (’); use ' instead"),
        ("“", 'a curly double quote (“); use " instead'),
        ("—", "an em dash (—); use - instead"),
        ("–", "an en dash (–); use - instead"),
        ("…", "an ellipsis character (…); use ... instead"),
        ("😊", "an emoji (😊)"),
        ("\u00a0", "a non-breaking space; use a normal space instead"),
        ("\u200b", "an invisible zero-width space; delete it"),
        ("á", "the character ‘á’ (LATIN SMALL LETTER A WITH ACUTE); use a instead"),
        ("Ж", "the character ‘Ж’ (CYRILLIC CAPITAL LETTER ZHE)"),
    ],
)
def test_describe_character_names_it_plainly_with_a_fix(ch: str, description: str) -> None:
    assert describe_character(ch) == description


@pytest.mark.parametrize(
    ("ch", "replacement"),
    [
        ("’", "'"),
        ("‘", "'"),
        ("“", '"'),
        ("”", '"'),
        ("—", "-"),
        ("–", "-"),
        ("…", "..."),
        ("\u00a0", " "),
        ("ê", "e"),
        ("ﬁ", "fi"),
        ("😊", None),
        ("Ж", None),
        ("é", None),
    ],
)
def test_suggest_replacement_gives_gsm7_text_or_none(ch: str, replacement: str | None) -> None:
    assert suggest_replacement(ch) == replacement


def test_describe_character_refuses_more_than_one_character() -> None:
    with pytest.raises(ValueError, match="'ab'"):
        describe_character("ab")


def test_split_for_sms_keeps_a_short_text_whole_and_trims_outer_space() -> None:
    assert split_for_sms("  Lunch is at 12.\nSee you there!  ") == [
        "Lunch is at 12.\nSee you there!"
    ]
    assert split_for_sms("   ") == []


def test_split_for_sms_breaks_between_words_at_160_septets() -> None:
    parts = split_for_sms("word " * 100)
    assert [len(part) for part in parts] == [159, 159, 159, 19]


def test_split_for_sms_uses_70_units_for_ucs2_text() -> None:
    parts = split_for_sms("it’s " * 30)
    assert all(len(part) <= 70 for part in parts)
    assert len(parts) == 3


def test_split_for_sms_hard_splits_a_word_longer_than_a_segment_without_breaking_emoji() -> None:
    parts = split_for_sms("😊" * 40)
    assert parts == ["😊" * 35, "😊" * 5]


def test_split_for_sms_leaves_room_when_asked() -> None:
    parts = split_for_sms("word " * 100, max_units_per_part=150)
    assert all(len(part) <= 150 for part in parts)


@pytest.mark.parametrize("limit", [1, 161])
def test_split_for_sms_refuses_a_limit_no_segment_can_meet(limit: int) -> None:
    with pytest.raises(ValueError, match=f"max_units_per_part={limit} must be between 2 and 160"):
        split_for_sms("hello", max_units_per_part=limit)


@given(GSM_TEXT, st.sampled_from(sorted(GSM_CHARS)))
def test_appending_a_gsm_character_never_lowers_the_segment_count(text: str, ch: str) -> None:
    assert sms_info(text + ch).segments >= sms_info(text).segments


@given(UCS2_TEXT, st.sampled_from(list("ab ’😊ж€")))
def test_appending_a_character_to_ucs2_text_never_lowers_the_segment_count(
    text: str, ch: str
) -> None:
    assert sms_info(text + ch).segments >= sms_info(text).segments


@given(GSM_TEXT)
def test_gsm_text_of_at_most_160_septets_is_one_segment(text: str) -> None:
    assume(text and sms_info(text).units <= 160)
    assert sms_info(text).segments == 1
    assert sms_info(text).encoding is Encoding.GSM7


@given(GSM_BASIC_TEXT.filter(bool))
def test_basic_gsm_text_up_to_160_characters_is_one_segment(text: str) -> None:
    assert sms_info(text).segments == 1


def _words(max_word: int) -> st.SearchStrategy[str]:
    word = st.text(alphabet="abcdéж😊’€", min_size=1, max_size=max_word)
    gap = st.sampled_from([" ", "  ", "\n", " \n\n "])
    return st.lists(st.tuples(word, gap), max_size=80).map(
        lambda pairs: "".join(w + g for w, g in pairs)
    )


@given(_words(max_word=30))
def test_split_parts_are_one_segment_and_rejoin_to_the_normalised_text(text: str) -> None:
    parts = split_for_sms(text)
    assert all(sms_info(part).segments == 1 for part in parts)
    assert all(part and part == part.strip() for part in parts)
    assert " ".join(parts).split() == text.split()


@given(_words(max_word=200), st.integers(min_value=2, max_value=70))
def test_split_parts_keep_every_non_space_character_in_order_even_when_hard_split(
    text: str, limit: int
) -> None:
    parts = split_for_sms(text, max_units_per_part=limit)
    # Units are counted in the whole text's encoding, which a part may not need on its own.
    assert all(len(part.encode("utf-16-le")) // 2 <= limit for part in parts)
    assert all(part.strip() for part in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


@given(_words(max_word=30), st.integers(min_value=1, max_value=4))
def test_long_texts_split_between_words_into_parts_of_a_few_segments(
    text: str, segments: int
) -> None:
    parts = split_for_sms_segments(text, segments)
    assert all(sms_info(part).segments <= segments for part in parts)
    assert all(part and part == part.strip() for part in parts)
    # No word is cut: the words of the parts are the words of the text.
    assert [w for part in parts for w in part.split()] == text.split()


def test_a_long_text_is_split_into_as_few_parts_as_fit() -> None:
    text = " ".join(f"word{i}" for i in range(600))  # 4,689 characters of GSM-7
    parts = split_for_sms_segments(text, 10)
    assert [sms_info(part).segments for part in parts] == [10, 10, 10, 1]
    assert " ".join(parts) == text


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("", "Empty: nothing to send"),
        ("Hello Pat, how are you?", "1 segment, GSM-7"),
        ("a" * 161, "2 segments, GSM-7"),
        ("It’s " + "a" * 70, "2 segments: the curly quote ’ makes it UCS-2; use ' for ’"),
        ("Hi 😊", "1 segment: the emoji 😊 makes it UCS-2"),
        (
            "a\u200bb",
            "1 segment: the invisible zero-width space makes it UCS-2; "
            "delete the invisible zero-width space",
        ),
        (
            "Tea — today… ’",
            "1 segment: the em dash —, the ellipsis character … and the curly quote ’ make it "
            "UCS-2; use - for —, use ... for …, use ' for ’",
        ),
        (
            "“Tea” — today… ’",
            "1 segment: the curly double quote “, the curly double quote ”, the em dash — "
            'and 2 other characters make it UCS-2; use " for “, use " for ”, use - for —',
        ),
    ],
)
def test_explain_says_the_cost_and_what_forced_ucs2(text: str, explained: str) -> None:
    assert explain(text) == explained


def test_explain_names_one_other_character_in_the_singular() -> None:
    assert "and 1 other character make" in explain("“” — …")
