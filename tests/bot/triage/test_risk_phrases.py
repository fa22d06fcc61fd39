"""Tests for the risk phrases as data: the files, their checks, the replies, and the detector
built from them (every language at once, staff additions, spellings and scripts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SETTINGS, Settings, SettingsError
from bot.triage.phrases import read_words
from bot.triage.risk_files import (
    PhraseFileError,
    builtin_phrases,
    builtin_replies,
    known_languages,
    read_language_file,
)
from bot.triage.safeguarding import (
    KIND_WORDS,
    Detector,
    Phrase,
    RiskKind,
    default_detector,
    phrase_problem,
    risk_reply,
)
from flows.sms import Encoding, sms_info

LANGUAGES = ("en", "pl", "ro", "lt", "bn", "ur", "pt")


def test_every_configured_language_has_a_phrase_file_and_every_kind_has_plain_words() -> None:
    assert set(known_languages()) == set(LANGUAGES)
    assert set(KIND_WORDS) == set(RiskKind)
    assert KIND_WORDS[RiskKind.ABUSE_FINANCIAL] == "Money being taken (financial abuse)"


def test_every_phrase_has_a_note_a_known_kind_and_a_usable_pattern() -> None:
    for phrase in builtin_phrases():
        assert phrase.note, phrase
        assert phrase.origin == "file"
        assert phrase_problem(phrase) is None, phrase


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_phrases_for_the_pressing_kinds(language: str) -> None:
    kinds = {phrase.kind for phrase in builtin_phrases() if phrase.language == language}
    assert kinds >= set(RiskKind) - {RiskKind.ABUSE_SEXUAL} or kinds == set(RiskKind)


# Spellings, scripts and languages.


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Pomóż mi", ("pomoz", "mi")),
        ("NÃO consigo", ("nao", "consigo")),
        ("sinucid", ("sinucid",)),
        ("Sinucid", ("sinucid",)),
        ("mă sufoc", ("ma", "sufoc")),
        ("mă sufoc", ("ma", "sufoc")),  # s with a comma below, and with a cedilla
        ("upadłam", ("upadlam",)),
        ("Straße", ("strasse",)),
        ("can’t", ("cant",)),
        ("bate-me", ("bate", "me")),
        ("پڑ\u200cا", ("پڑا",)),  # a zero-width non-joiner typed inside a word
        ("مـــدد", ("مدد",)),  # tatweel, the stretching line
        ("مدد كريں", ("مدد", "کریں")),  # Arabic kaf typed for the Urdu keheh
        ("মেঝেতে", read_words("মেঝেতে")),  # Bengali vowel signs stay part of the word
    ],
)
def test_messages_and_patterns_are_folded_alike(typed: str, folded: tuple[str, ...]) -> None:
    assert read_words(typed) == folded


@pytest.mark.parametrize(
    ("text", "kind", "language"),
    [
        ("pomocy", RiskKind.HELP_ME, "pl"),
        ("POMÓŻ MI", RiskKind.HELP_ME, "pl"),
        ("nu pot respira", RiskKind.BREATHING, "ro"),
        ("nu pot respira", RiskKind.BREATHING, "ro"),
        ("negaliu kvėpuoti", RiskKind.BREATHING, "lt"),
        ("shash nite parchi na", RiskKind.BREATHING, "bn"),
        ("শ্বাস নিতে পারছি না", RiskKind.BREATHING, "bn"),
        ("saans nahi aa rahi", RiskKind.BREATHING, "ur"),
        ("سانس نہیں آ رہی", RiskKind.BREATHING, "ur"),
        ("não consigo respirar", RiskKind.BREATHING, "pt"),
        ("nao consigo respirar", RiskKind.BREATHING, "pt"),
    ],
)
def test_a_risk_is_found_in_any_language_with_or_without_its_letters(
    text: str, kind: RiskKind, language: str
) -> None:
    found = default_detector().triage(text)
    assert found is not None
    assert (found.kind, found.language, found.urgent) == (kind, language, True)


def test_every_message_is_checked_against_every_language_whatever_its_own() -> None:
    # An English message with a Polish cry for help in it: both are found.
    kinds = [risk.kind for risk in default_detector().find_risks("I fell, pomocy")]
    assert kinds == [RiskKind.FALL, RiskKind.HELP_ME]


def test_a_detector_checks_only_the_languages_it_is_given() -> None:
    english = Detector(builtin_phrases(), ["en"])
    assert english.triage("nie mogę oddychać") is None
    assert english.triage("I can't breathe") is not None


# Phrases added by staff.


def test_a_phrase_added_by_staff_is_found_and_an_everyday_one_silences_a_look_alike() -> None:
    added = Phrase(RiskKind.FEAR, "en", "(van|car) parked outside all night", note="Reported")
    everyday = Phrase(
        RiskKind.FALL, "en", "fell into (bed|my bed)", everyday=True, origin="admin:3"
    )
    detector = Detector((*builtin_phrases(), added, everyday), LANGUAGES)
    found = detector.triage("There's a van parked outside all night")
    assert found is not None and found.kind is RiskKind.FEAR
    assert default_detector().triage("i fell into bed exhausted") is not None
    assert detector.triage("i fell into bed exhausted") is None


@pytest.mark.parametrize(
    ("phrase", "reason"),
    [
        (Phrase(RiskKind.FALL, "en", ""), "empty"),
        (Phrase(RiskKind.FALL, "en", "   "), "empty"),
        (Phrase(RiskKind.FALL, "en", "(fell|tripped"), "never closed"),
        (Phrase(RiskKind.FALL, "en", "fell)"), "never opened"),
        (Phrase(RiskKind.FALL, "en", "(fell (over|down))"), "inside another choice"),
        (Phrase(RiskKind.FALL, "en", "fell|tripped"), "outside a choice"),
        (Phrase(RiskKind.FALL, "en", "fell ??? over"), "no letter or digit"),
        (Phrase(RiskKind.FALL, "en", "(fell|) $"), "optional"),
        (Phrase(RiskKind.FALL, "en", "fell $ over"), "anchor"),
        (Phrase(RiskKind.FALL, "en", "fell ~ floor ~ stairs"), "more than once"),
        (Phrase(RiskKind.FALL, "en", "~ floor"), "both sides"),
        (Phrase(RiskKind.FALL, "en", "(fell|~) floor"), "inside a choice"),
        (Phrase(RiskKind.FALL, "en", "^ fell ~ floor"), "cannot hold"),
        (Phrase(RiskKind.FALL, "en", "fell * on ~ floor"), "cannot hold"),
        (Phrase(RiskKind.FALL, "en", "(fell|) ~ floor"), "optional"),
        (Phrase(RiskKind.FALL, "en", "fel* ~ floor"), "shorter than 4 letters"),
        (Phrase(RiskKind.FALL, "en", "fell-down* floor"), "not one word"),
        (Phrase(RiskKind.FEAR, "pl", "(boję się$|boje sie)"), "inside it"),
        (Phrase(RiskKind.FALL, "en", "kl*tka boli"), "inside it"),
        (Phrase(RiskKind.FALL, "en", "* fell"), "gap"),
        (Phrase(RiskKind.FALL, "english", "fell"), "two-letter code"),
        (Phrase("tripping", "en", "fell"), "not one of"),  # type: ignore[arg-type]
        (Phrase(RiskKind.FALL, "en", "fell", urgency="soon"), "urgency"),  # type: ignore[arg-type]
        (Phrase(RiskKind.FALL, "en", "{cant} get up"), "group name"),
    ],
)
def test_a_phrase_that_cannot_be_used_is_explained_in_plain_words(
    phrase: Phrase, reason: str
) -> None:
    problem = phrase_problem(phrase)
    assert problem is not None and reason in problem


def test_a_phrase_with_capitals_accents_and_apostrophes_is_usable_as_written() -> None:
    phrase = Phrase(RiskKind.HELP_ME, "pl", "Pomóż mi, proszę!")
    assert phrase_problem(phrase) is None
    found = Detector([phrase], ["pl"]).triage("pomoz mi prosze")
    assert found is not None and found.kind is RiskKind.HELP_ME


def test_a_detector_skips_an_unusable_phrase_rather_than_failing() -> None:
    detector = Detector(
        [Phrase(RiskKind.FALL, "en", "(fell"), Phrase(RiskKind.FALL, "en", "fell")], ["en"]
    )
    assert detector.triage("i fell") is not None


# The files' checks.


def _phrase_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "en.yaml"
    path.write_text("language: en\nname: English\n" + body, encoding="utf-8")
    return path


def test_a_bad_entry_is_explained_by_file_entry_and_reason(tmp_path: Path) -> None:
    path = _phrase_file(
        tmp_path,
        "phrases:\n"
        '  - {kind: fall, pattern: "fell over", note: "Fine."}\n'
        '  - {kind: tumble, pattern: "fell down", note: "Unknown kind."}\n'
        '  - {kind: fall, pattern: "", note: "Empty."}\n'
        '  - {kind: fall, pattern: "fell (over", note: "Unclosed."}\n'
        '  - {kind: fall, pattern: "fell again"}\n'
        '  - {kind: fall, pattern: "{nothing} fell", note: "No such group."}\n',
    )
    with pytest.raises(PhraseFileError) as raised:
        read_language_file(path)
    lines = str(raised.value).splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("en.yaml, entry 2 ('fell down'): unknown kind 'tumble'")
    assert lines[1] == "en.yaml, entry 3 (''): the pattern is empty"
    assert lines[2] == "en.yaml, entry 4 ('fell (over'): a '(' opens a choice that is never closed"
    assert (
        lines[3]
        == "en.yaml, entry 5 ('fell again'): every entry needs a note saying why it is there"
    )
    assert "entry 6" in lines[4] and "{nothing}" in lines[4]


def test_a_file_that_is_not_yaml_is_explained_not_thrown(tmp_path: Path) -> None:
    path = _phrase_file(tmp_path, "phrases: [\n")
    with pytest.raises(PhraseFileError, match=r"^en.yaml: cannot be read as YAML"):
        read_language_file(path)


# The replies.


def _is_one_gsm_segment(text: str) -> bool:
    info = sms_info(text)
    return info.segments == 1 and info.encoding is Encoding.GSM7


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(RiskKind))
def test_every_kind_has_a_reply_in_every_language_with_the_numbers(
    kind: RiskKind, language: str
) -> None:
    reply = builtin_replies()[kind, language]
    assert risk_reply(kind, language) == reply
    for number in ("999", "NHS 111", "116 123"):
        assert number in reply
    if kind in (RiskKind.SUICIDE, RiskKind.SELF_HARM):
        assert "SHOUT" in reply and "85258" in reply
    if language == "en":
        assert _is_one_gsm_segment(reply)
        assert "not an emergency service" in reply and "telling the team now" in reply
    assert len(reply) <= 240, len(reply)


def test_a_reply_in_a_language_without_one_falls_back_to_english() -> None:
    assert risk_reply(RiskKind.FALL, "fr") == risk_reply(RiskKind.FALL)


# The setting.


def test_the_languages_setting_defaults_to_every_language_and_names_the_choices() -> None:
    assert Settings.load({}, env_file=None).languages == LANGUAGES
    assert Settings.load({"COMPANION_LANGUAGES": " EN, pl"}, env_file=None).languages == (
        "en",
        "pl",
    )
    with pytest.raises(SettingsError, match="each one of: en, pl, ro, lt, bn, ur, pt"):
        Settings.load({"COMPANION_LANGUAGES": "en,fr"}, env_file=None)
    (setting,) = [setting for setting in SETTINGS if setting.name == "COMPANION_LANGUAGES"]
    for language in known_languages():
        assert language in setting.kind.accepts


@pytest.mark.parametrize(
    "text",
    [
        "Nie, nie mogę wstać",  # "No, I can't get up": the comma is lost in folding
        "nie upadłam",
        "Nu, nu pot respira",
        "Não, não consigo respirar",
        "Ne, negaliu kvėpuoti",
        "ami morte chai na",  # Bengali puts "not" after the verb
        "jeena nahi chahta",  # Urdu "not" inside the phrase itself
    ],
)
def test_a_word_that_is_both_no_and_not_never_softens_a_risk(text: str) -> None:
    found = default_detector().triage(text)
    assert found is not None and found.urgent, found


@pytest.mark.parametrize(
    "text", ["nigdy nie upadłam", "niciodata nu am cazut", "I have never fallen"]
)
def test_never_before_an_event_makes_it_routine_but_still_seen(text: str) -> None:
    found = default_detector().triage(text)
    assert found is not None and not found.urgent, found


def test_a_group_standing_as_a_whole_choice_is_spliced_into_it(tmp_path: Path) -> None:
    path = _phrase_file(
        tmp_path,
        'groups:\n  cant: "(cant|cannot)"\n'
        "phrases:\n"
        '  - {kind: breathing, pattern: "(trying|{cant}) breathe", note: "Spliced."}\n',
    )
    (phrase,) = read_language_file(path).phrases
    assert phrase.pattern == "(trying|cant|cannot) breathe"


# The broad net: words near each other, and stems.


def test_a_near_pattern_finds_its_parts_in_either_order_within_four_words() -> None:
    detector = Detector(
        [Phrase(RiskKind.CHEST_PAIN, "en", "(chest|peito) ~ (pain|hurts|dor)")], LANGUAGES
    )
    for text in ("pain in my chest", "my chest really hurts", "sinto uma dor forte no peito"):
        found = detector.triage(text)
        assert found is not None and found.kind is RiskKind.CHEST_PAIN, text
    assert detector.triage("chest one two three four pain") is not None
    assert detector.triage("chest one two three four five pain") is None
    assert detector.triage("my chest is fine thank you but the knee pain is back") is None


def test_a_near_pattern_keeps_its_softening_and_its_everyday_look_alikes() -> None:
    detector = Detector(
        [
            Phrase(RiskKind.CHEST_PAIN, "en", "(chest) ~ (pain|hurts)", urgency="event"),
            Phrase(RiskKind.CHEST_PAIN, "en", "chest of drawers", everyday=True),
        ],
        ["en"],
    )
    negated = detector.triage("no chest pain today")
    assert negated is not None and not negated.urgent
    worried = detector.triage("worried my chest hurts")
    assert worried is not None and not worried.urgent
    assert detector.triage("my back hurts from moving the chest of drawers") is None


def test_a_stem_stands_for_every_word_it_begins_and_protects_them_from_the_speller() -> None:
    detector = Detector([Phrase(RiskKind.CHEST_PAIN, "pl", "(klatk*|klatc*) ~ (boli|ból)")], ["pl"])
    for text in ("boli mnie w klatce", "klatka boli", "ból w klatkę", "Klatką mnie boli"):
        found = detector.triage(text)
        assert found is not None and found.kind is RiskKind.CHEST_PAIN, text
    assert detector.triage("kla boli") is None
    assert detector.triage("klat boli") is None


# What the broad net is for: wording no exact phrase foresaw, in any language.

LEADS_PROBE = [
    ("i dont see the point anymore tbh", RiskKind.SUICIDE),
    ("a man has been following me home from the shops", RiskKind.FEAR),
    ("words come out wrong", RiskKind.STROKE),
    ("nao aguento mais viver", RiskKind.SUICIDE),
    ("sinto uma dor forte no peito", RiskKind.CHEST_PAIN),
    ("someone broke in last night", RiskKind.FEAR),
]


@pytest.mark.parametrize(("text", "kind"), LEADS_PROBE)
def test_the_phrasings_the_exact_phrases_missed_are_caught_by_the_net(
    text: str, kind: RiskKind
) -> None:
    found = default_detector().triage(text)
    assert found is not None and found.kind is kind and found.urgent, found


@pytest.mark.parametrize(
    "text",
    [
        "i had a stroke of luck at bingo",
        "killing time till the bus comes",
        "my son carried the chest of drawers up for me",
        "nearly had a heart attack when i saw the price of the gas bill",
        "i want to see the grandkids before i die",
        "whats the point of the new parking meters",
        "prawie dostałam zawału jak zobaczyłam rachunek",
        "klatka schodowa jest ciemna",
        "morro de rir com este programa",
        "quase tive um ataque cardíaco quando vi a conta",
        "era sa fac infarct cand am vazut factura",
        "mirštu iš alkio",
        "খিদেয় মরে যাচ্ছি",
        "bhook se mar rahi hoon",
    ],
)
def test_everyday_look_alikes_of_what_the_net_catches_raise_nothing(text: str) -> None:
    assert default_detector().triage(text) is None


@pytest.mark.parametrize("text", ["its so hot today", "i drove past my old home"])
def test_a_word_of_another_language_that_is_everyday_english_raises_nothing(text: str) -> None:
    # Every message is read in every language, so a phrase that folds to an English word
    # ("hoț", a thief in Romanian, folds to "hot") would raise an alarm on English small talk.
    assert default_detector().triage(text) is None


# Text-speak.


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("dnt wnt 2 b here n e more", RiskKind.SUICIDE),
        ("wna end it al 2nite", RiskKind.SUICIDE),
        ("bin cuttin agen", RiskKind.SELF_HARM),
        ("sum1 tryin 2 get in my house", RiskKind.FEAR),
        ("carer hasnt cum 4 2 days", RiskKind.NEGLECT),
    ],
)
def test_text_speak_is_read_as_the_words_it_stands_for(text: str, kind: RiskKind) -> None:
    found = default_detector().triage(text)
    assert found is not None and found.kind is kind, found


def test_a_digit_is_read_both_ways_so_text_speak_never_hides_a_number() -> None:
    # "2" is "to" in text-speak but two in "for 2 days": both readings are tried.
    found = default_detector().triage("havent eaten for 2 days")
    assert found is not None and found.kind is RiskKind.NEGLECT


def test_text_speak_of_one_language_never_undoes_an_everyday_phrase_of_another() -> None:
    # "mi" is not English text-speak for "my" here: "mi-a căzut fața" (I was crestfallen)
    # stays everyday Romanian.
    assert default_detector().triage("mi-a cazut fata cand am auzit vestea") is None


def test_shorthand_in_a_file_must_be_one_word_for_one_word(tmp_path: Path) -> None:
    path = _phrase_file(
        tmp_path,
        'spelling:\n  shorthand: {sum1: someone, "n e": any}\n'
        'phrases:\n  - {kind: fall, pattern: "fell over", note: "Fine."}\n',
    )
    with pytest.raises(PhraseFileError, match="each side must be one word"):
        read_language_file(path)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("i cut myself on the wrist again", RiskKind.SELF_HARM),
        ("i cut my arm in the bathroom on purpose", RiskKind.SELF_HARM),
        ("i burned my hand on the cooker on purpose", RiskKind.SELF_HARM),
        ("i want to die for real", RiskKind.SUICIDE),
        ("im dying of this pain", RiskKind.UNWELL_URGENT),
        ("please send help to my mums house", RiskKind.HELP_ME),
        ("someone has been following my mum home from church", RiskKind.FEAR),
        ("he beat me to a pulp", RiskKind.ABUSE_PHYSICAL),
        ("my son pushed me to the ground", RiskKind.ABUSE_PHYSICAL),
        ("he had a stroke in the kitchen just now", RiskKind.STROKE),
        ("i passed out the moment i stood up", RiskKind.UNWELL_URGENT),
        ("theres someone in my garden and hes trying the door", RiskKind.FEAR),
        ("he broke down the door", RiskKind.FEAR),
        ("the air is so thick i cant breathe", RiskKind.BREATHING),
    ],
)
def test_an_everyday_phrase_never_silences_the_risk_said_beside_it(
    text: str, kind: RiskKind
) -> None:
    # Each holds the start of an everyday phrase ("cut myself on the...", "die for",
    # "dying of", "help ... to", "following my...") that once swallowed the risk.
    found = default_detector().triage(text)
    assert found is not None and found.kind is kind, found
