"""Tests of the pace replies' file, bot/triage/pace_replies.yaml, as a resident and a reviewer
notice it: every configured language has every reply, each keeps its placeholders and fits one
SMS (or, in Bengali and Urdu with two long names, two), the words a paused resident is told to
say to come back are understood, and a text missing or broken is explained or sent in English."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.triage.pace import PaceKind, pace_intent
from bot.triage.pace_replies import PaceVoice, to_gsm7, voice_for
from bot.triage.pace_reply_files import (
    ENGLISH,
    REPLY_FILE,
    TEXT_NAMES,
    PaceReplyFileError,
    builtin_pace_replies,
    placeholders,
    read_reply_file,
)
from bot.triage.risk_files import known_languages
from flows.sms import Encoding, sms_info

LONG_NAME = "Bartholomew-Alexander"
RHYTHM = "every 2 months on the first Wednesday at 10:30am"
#: Languages whose letters GSM-7 cannot carry: their replies are UCS-2, 70 to an SMS.
UCS2_LANGUAGES = ("bn", "ur")
#: The words each language's pause reply tells the resident to say when they are back.
BACK_WORDS = {
    "en": "I'M BACK",
    "pl": "JESTEM Z POWROTEM",
    "ro": "AM REVENIT",
    "lt": "GRIZAU",
    "pt": "VOLTEI",
    "bn": "আবার শুরু করুন",
    "ur": "دوبارہ شروع کریں",
}
#: The texts inside others ("tomorrow at about 9am"), never sent alone.
PIECES = ("tomorrow_at", "on_day_at", "next_at")
#: Placeholders that may stand in for each other: a date or a weekday; the rhythm in words
#: (English only, for now) or the next check-in.
STAND_INS = {"weekday": "day", "next": "rhythm"}
#: Every day of a year, and every five minutes of the waking day, to find the longest words.
A_YEAR = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
WAKING = [datetime(2026, 6, 1, 8, 0, tzinfo=UTC) + timedelta(minutes=5 * n) for n in range(160)]


def _longest(voice: PaceVoice, name: str) -> str:
    """Reply `name` with long names and the longest day and time words the language has."""
    day = max((voice.day(d) for d in A_YEAR), key=len)
    weekday = max((voice.weekday(d) for d in A_YEAR), key=len)
    time = max((voice.clock(moment, "UTC") for moment in WAKING), key=len)
    pieces = {piece: voice.say(piece, time=time, day=day, weekday=weekday) for piece in PIECES}
    when = max(pieces["tomorrow_at"], pieces["on_day_at"], key=len)
    return voice.say(
        name, name=LONG_NAME, catalyst=LONG_NAME, when=when if name == "not_today_until" else time,
        day=day, weekday=weekday, rhythm=RHYTHM, next=pieces["next_at"],
    )  # fmt: skip


def test_every_configured_language_has_every_reply() -> None:
    books = builtin_pace_replies()
    assert set(known_languages()) <= set(books)
    for language in known_languages():
        assert set(books[language].texts) == set(TEXT_NAMES), language


def test_only_english_is_marked_reviewed_and_the_file_says_so() -> None:
    books = builtin_pace_replies()
    assert [code for code, book in books.items() if book.reviewed] == [ENGLISH]
    assert "NOT YET REVIEWED BY A NATIVE SPEAKER" in REPLY_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", known_languages())
def test_every_reply_keeps_the_english_placeholders(language: str) -> None:
    english = builtin_pace_replies()[ENGLISH].texts
    for name, text in builtin_pace_replies()[language].texts.items():
        wanted = {STAND_INS.get(p, p) for p in placeholders(english[name])}
        assert {STAND_INS.get(p, p) for p in placeholders(text)} == wanted, (language, name)


@pytest.mark.parametrize("language", [c for c in known_languages() if c not in UCS2_LANGUAGES])
def test_every_reply_fits_one_gsm7_sms_with_long_names(language: str) -> None:
    voice = voice_for(language)
    for name in TEXT_NAMES:
        if name not in PIECES:
            text = _longest(voice, name)
            info = sms_info(text)
            assert (info.encoding, info.segments) == (Encoding.GSM7, 1), text


@pytest.mark.parametrize("language", UCS2_LANGUAGES)
def test_bengali_and_urdu_replies_fit_one_ucs2_sms_unless_they_name_two_long_names(
    language: str,
) -> None:
    # 42 of an SMS's 70 characters go on two long names: a text naming both the resident and
    # the catalyst has too little room left for what it says, and takes two.
    voice = voice_for(language)
    for name in TEXT_NAMES:
        if name in PIECES:
            continue
        text = _longest(voice, name)
        info = sms_info(text)
        both_names = "catalyst" in placeholders(voice.book.texts[name])
        assert info.segments <= (2 if both_names else 1), (name, len(text), text)
        assert info.encoding is Encoding.UCS2


@pytest.mark.parametrize(("language", "words"), BACK_WORDS.items())
def test_the_words_a_paused_resident_is_told_to_say_bring_them_back(
    language: str, words: str
) -> None:
    voice = voice_for(language)
    assert words in voice.say("paused", name="Ada", catalyst="Abby")
    assert words in voice.say("paused_until", name="Ada", catalyst="Abby", day="", weekday="")
    request = pace_intent(words, (ENGLISH, language))
    assert request is not None and request.kind is PaceKind.RESUME


def test_times_and_days_are_in_the_language() -> None:
    three = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    friday = date(2026, 12, 4)
    assert voice_for("en").clock(three, "Europe/London") == "3pm"
    assert voice_for("pl").clock(three, "Europe/London") == "15:00"
    assert voice_for("bn").clock(three, "Europe/London") == "দুপুর 3:00"
    assert voice_for("ur").clock(three, "Europe/London") == "دوپہر 3:00"
    assert voice_for("en").day(friday) == "Friday 4 December"
    assert voice_for("pl").day(friday) == "4 grudnia"
    assert voice_for("pt").day(friday) == "4 de dezembro"
    assert voice_for("ro").weekday(friday) == "vineri"
    assert voice_for("bn").weekday(friday) == "শুক্রবার"


def test_a_time_on_the_residents_clock_in_summer() -> None:
    # 14:00 UTC in July is 15:00 in London.
    assert voice_for("pl").clock(datetime(2026, 7, 1, 14, 0, tzinfo=UTC), "Europe/London") == (
        "15:00"
    )


def test_gsm7_letters_keep_the_words_readable() -> None:
    assert to_gsm7("Dziękuję, śliczna łąka; până mâine; žinutės; até amanhã") == (
        "Dziekuje, sliczna laka; pana maine; zinutes; até amanha"
    )


def test_the_team_opening_a_sentence_starts_with_a_capital() -> None:
    voice = voice_for("pl")
    assert voice.say("less_often", name="Ada", catalyst=voice.team("Companion")).startswith(
        "Dziekuje, Ada. Zespol Companion dowie sie"
    )


# -- a text missing, a language missing, a file broken ------------------------------------------


def _file(tmp_path: Path, polish_texts: str) -> Path:
    english = REPLY_FILE.read_text(encoding="utf-8").split("\npl:", 1)[0]
    path = tmp_path / "pace_replies.yaml"
    path.write_text(
        english
        + "\npl:\n  locale: pl\n  letters: gsm7\n  time: 'HH:mm'\n  day: 'd MMMM'\n"
        + "  weekday: EEEE\n  team: 'zespół {programme}'\n  texts:\n"
        + polish_texts,
        encoding="utf-8",
    )
    return path


def test_a_missing_text_is_sent_in_english_with_english_times(tmp_path: Path) -> None:
    books = read_reply_file(_file(tmp_path, "    not_today: 'Dobrze, {name}. Nie dzisiaj.'\n"))
    assert voice_for("pl", "not_today", books=books).say("not_today", name="Ada") == (
        "Dobrze, Ada. Nie dzisiaj."
    )
    voice = voice_for("pl", "later", books=books)
    assert voice.language == ENGLISH
    when = voice.clock(datetime(2026, 12, 1, 15, 0, tzinfo=UTC), "UTC")
    assert voice.say("later", name="Ada", when=when) == (
        "Of course, Ada. I'll ask again at about 3pm. Message me any time before then."
    )


def test_a_reply_and_its_piece_come_in_one_language(tmp_path: Path) -> None:
    # Polish has "not today, until" but not "tomorrow at": the whole reply is English.
    books = read_reply_file(
        _file(tmp_path, "    not_today_until: 'Dobrze, {name}. Zapytam {when}.'\n")
    )
    assert voice_for("pl", "not_today_until", "tomorrow_at", books=books).language == ENGLISH
    assert voice_for("pl", "not_today_until", books=books).language == "pl"


def test_a_language_with_no_replies_is_answered_in_english() -> None:
    assert voice_for("de", "not_today").say("not_today", name="Ada").startswith("That's fine")


def test_a_text_that_lost_a_placeholder_is_explained(tmp_path: Path) -> None:
    path = _file(tmp_path, "    later: 'Oczywiście, {name}. Zapytam później.'\n")
    with pytest.raises(PaceReplyFileError) as error:
        read_reply_file(path)
    assert "pace_replies.yaml, pl, later: the placeholders should be as in English" in str(
        error.value
    )
    assert "{when}" in str(error.value)


def test_a_misspelt_placeholder_an_unknown_text_and_a_bad_locale_are_each_explained(
    tmp_path: Path,
) -> None:
    path = _file(
        tmp_path,
        "    later: 'Oczywiście, {nmae}. Zapytam {when}.'\n    latr: 'Zaraz.'\n",
    )
    path.write_text(path.read_text(encoding="utf-8").replace("locale: pl", "locale: xx_QQ"))
    with pytest.raises(PaceReplyFileError) as error:
        read_reply_file(path)
    problems = str(error.value).splitlines()
    assert any(p.startswith("pace_replies.yaml, pl, later: the placeholders") for p in problems)
    assert any("unknown text 'latr'" in p for p in problems)
    assert any("the locale 'xx_QQ' is not one babel knows" in p for p in problems)
