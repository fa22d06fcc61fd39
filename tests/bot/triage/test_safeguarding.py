"""Tests for safeguarding triage: risks found, everyday English left alone, one-SMS replies."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.triage.phrases import PhraseBook, Speller, expand
from bot.triage.safeguarding import (
    RiskKind,
    RiskMatch,
    builtin_replies,
    find_risks,
    risk_reply,
    triage,
)
from flows.sms import Encoding, sms_info

FALL = RiskKind.FALL
CHEST = RiskKind.CHEST_PAIN
STROKE = RiskKind.STROKE
SUICIDE = RiskKind.SUICIDE
PHYSICAL = RiskKind.ABUSE_PHYSICAL
EMOTIONAL = RiskKind.ABUSE_EMOTIONAL
FINANCIAL = RiskKind.ABUSE_FINANCIAL
FEAR = RiskKind.FEAR
HELP = RiskKind.HELP_ME
BREATHING = RiskKind.BREATHING
UNWELL = RiskKind.UNWELL_URGENT

# Clear present danger, as residents write it: every one is urgent.
URGENT: list[tuple[str, RiskKind]] = [
    ("I've fallen and can't get up", FALL), ("i had a fall", FALL),
    ("fell over in the kitchen", FALL), ("on the floor cant get up", FALL),
    ("ive fallen", FALL), ("i cant get up", FALL), ("I cannot get up", FALL),
    ("fallne over", FALL), ("Help, I've fallen", FALL), ("i keep falling", FALL),
    ("i tripped over the rug", FALL), ("slipped in the bath", FALL), ("stuck in the bath", FALL),
    ("im on the floor", FALL), ("on the floor", FALL),
    ("i fell last night and im still on the floor", FALL), ("mum has fallen", FALL),
    ("chest pain", CHEST), ("Chest pains", CHEST), ("pain in my chest", CHEST),
    ("my chest hurts", CHEST), ("tight chest", CHEST), ("my chest is really tight", CHEST),
    ("crushing pain in my chest", CHEST), ("chset pain", CHEST),
    ("I think I'm having a heart attack", CHEST),
    ("face drooping", STROKE), ("my arm is weak and my speech is slurred", STROKE),
    ("can't speak properly", STROKE), ("cant talk properly", STROKE),
    ("my face has dropped", STROKE), ("I think I'm having a stroke", STROKE),
    ("i think ive had a stroke", STROKE), ("my speech is slurred", STROKE),
    ("cant lift my arm", STROKE), ("my arm has gone numb", STROKE), ("another stroke", STROKE),
    ("i want to die", SUICIDE), ("want to end it all", SUICIDE), ("kill myself", SUICIDE),
    ("suicidal", SUICIDE), ("no point living", SUICIDE), ("better off without me", SUICIDE),
    ("I don't want to live anymore", SUICIDE), ("nobody would miss me", SUICIDE),
    ("I wish I was dead", SUICIDE), ("i dont want to be here anymore", SUICIDE),
    ("i cant go on", SUICIDE), ("whats the point of living", SUICIDE),
    ("I can't cope, I want to end it", SUICIDE), ("I want to end it x", SUICIDE),
    ("i might kill myself", SUICIDE), ("thinking about killing myself", SUICIDE),
    ("sucidal", SUICIDE), ("im saving up my tablets", SUICIDE),
    ("he hits me", PHYSICAL), ("my son takes my money", FINANCIAL),
    ("someone is hurting me", PHYSICAL), ("scared of him", EMOTIONAL), ("he pushed me", PHYSICAL),
    ("my grandson took my pension", FINANCIAL),
    ("i dont feel safe at home", FEAR), ("my carer is stealing from me", FINANCIAL),
    ("she locks me in", EMOTIONAL), ("I'm frightened of my son", EMOTIONAL),
    ("help me", HELP), ("please help", HELP), ("HELP ME!!!", HELP), ("sos", HELP),
    ("SOS!", HELP), ("heeelp meee", HELP), ("I need help", HELP), ("someone help", HELP),
    ("emergency", HELP), ("call an ambulance", HELP), ("help help", HELP),
    ("can someone help me", HELP), ("need help now", HELP),
    ("i cant breathe", BREATHING), ("struggling to breathe", BREATHING),
    ("cant breath", BREATHING), ("strugling to breath", BREATHING),
    ("difficulty breathing", BREATHING), ("short of breath", BREATHING),
    ("I'm choking", BREATHING),
    ("I'm dying", UNWELL), ("I've collapsed", UNWELL), ("i hit my head", UNWELL),
    ("bleeding a lot", UNWELL), ("i passed out", UNWELL),
]  # fmt: skip

# Softer signals: still found, so a human looks, but at routine priority.
ROUTINE: list[tuple[str, RiskKind]] = [
    # Negated: the topic is on the resident's mind, and people minimise; a look is cheap.
    ("I haven't fallen", FALL), ("I have not really fallen", FALL),
    ("no chest pain today", CHEST), ("not suicidal", SUICIDE), ("I'm not suicidal", SUICIDE),
    ("i'm not feeling suicidal", SUICIDE), ("i dont want to die", SUICIDE),
    ("I'm not going to kill myself", SUICIDE),
    # Long ago: "last night" and "yesterday" are not here, as such a fall can still mean
    # someone hurt and alone.
    ("i had a fall last year", FALL), ("fell over a few weeks ago", FALL),
    ("he hit me years ago", PHYSICAL), ("had chest pains last month", CHEST),
    # A worry about a health event, not the event itself.
    ("scared i might fall over", FALL), ("worried about falling over", FALL),
    # A vague concern, and a question to the bot that may be a request rather than a cry.
    ("feeling very poorly", UNWELL), ("can you help me?", HELP),
    ("could you please help me", HELP),
]  # fmt: skip

# Everyday English that only looks like risk. Each would page a catalyst for nothing.
NOT_RISK = [
    "help", "help!", "HELP", "what help is there?", "is there any help for carers?",
    "I helped at the fall fair", "the autumn fall colours", "my chest of drawers",
    "killing time at the library", "I'm dying to go to bingo", "dying for a cuppa",
    "the bus didn't stop", "I fell asleep", "fell behind with my jigsaw",
    "I'd die for a cup of tea",
    "I had a stroke last year", "since my stroke I cant walk far", "i went to the stroke club",
    "sorry cant talk", "I can't talk right now", "gasping for a cuppa",
    "can you help me with my phone", "i need help finding the choir",
    "my daughter will help me tomorrow", "help yourself to cake", "the catalyst helped me",
    "I nearly had a heart attack when I won bingo!", "we fell out",
    "my birthday fell on a sunday", "remembering the fallen", "I dont need help thanks",
    "its not an emergency", "in an emergency who do I call?",
    "my emergency contact is my daughter", "I feel over the moon", "im filling myself up with cake",
    "my legs are tired", "this jigsaw is killing me", "can't get up early for the bus",
    "it beats me", "it suddenly hit me how much I miss him", "Fine thanks", "1", "yes", "no",
    "not today", "I love chess", "the price fell", "I am dying my hair",
    "what a breath of fresh air", "the fall prevention class", "my knee is hurting me",
    "the choir was breathtaking", "chest infection", "he's a pain", "I'm calling over later",
    "the cash machine took my card", "a wreath for the funeral", "my property", "", "   ", "?!",
    "my grandson beat me at cards", "she beat me at bingo", "The picture fell off the wall",
    "they kicked me out of the library at closing time", "my hearing aid fell out",
    "I have a fall alarm", "my glasses fell behind the sofa", "I'm dying of boredom",
    "I'd kill for a biscuit", "My feet are killing me", "I hope I dont wake up the neighbours",
    "the party was to die for", "I cut my finger chopping onions", "I hurt my back lifting",
    "I fell for a scam call", "my son helps me with money", "the fall team came round",
]  # fmt: skip


@pytest.mark.parametrize(("text", "category"), URGENT)
def test_clear_present_danger_is_an_urgent_risk_of_the_right_kind(
    text: str, category: RiskKind
) -> None:
    found = triage(text)
    assert found is not None, text
    assert (found.kind, found.urgent) == (category, True)


@pytest.mark.parametrize(("text", "category"), ROUTINE)
def test_negated_past_or_worried_mentions_still_reach_a_human_at_routine_priority(
    text: str, category: RiskKind
) -> None:
    assert triage(text) == RiskMatch(category, _phrase_of(text), urgent=False)


@pytest.mark.parametrize("text", NOT_RISK)
def test_everyday_english_that_only_looks_like_risk_is_left_alone(text: str) -> None:
    assert triage(text) is None


def _phrase_of(text: str) -> str:
    found = triage(text)
    assert found is not None, text
    return found.phrase


def test_the_matched_phrase_is_the_residents_own_words_for_staff() -> None:
    assert triage("Oh no, I've FALLNE over!!") == RiskMatch(FALL, "fallne", urgent=True)
    assert triage("my son takes my money") == RiskMatch(FINANCIAL, "takes my money")


def test_a_present_danger_is_urgent_even_when_an_older_event_is_mentioned() -> None:
    found = triage("I fell last week and now I can't get up")
    assert found is not None and found.urgent


def test_not_before_a_different_clause_does_not_soften_the_danger() -> None:
    # The look back stops at "ok": the "not" belongs to another thought.
    assert triage("I'm not ok I've fallen") == RiskMatch(FALL, "fallen", urgent=True)


def test_every_risk_in_a_message_is_listed_most_pressing_first() -> None:
    risks = find_risks("I fell over and now my chest hurts, help me")
    assert [risk.kind for risk in risks] == [CHEST, FALL, HELP]
    assert triage("I fell over and now my chest hurts, help me") == risks[0]


def test_an_urgent_risk_comes_before_a_routine_one_of_a_more_pressing_kind() -> None:
    risks = find_risks("no chest pain but I've fallen")
    assert [(risk.kind, risk.urgent) for risk in risks] == [(FALL, True), (CHEST, False)]


# The fixed replies.


def _is_one_gsm_segment(text: str) -> bool:
    info = sms_info(text)
    return info.segments == 1 and info.encoding is Encoding.GSM7


def test_the_help_reply_is_one_plain_sms_with_every_number_and_a_person_told() -> None:
    reply = risk_reply(HELP)
    assert _is_one_gsm_segment(reply)
    for needed in ("not an emergency service", "999", "NHS 111", "116 123", "free", "any time"):
        assert needed in reply
    assert "telling the team now" in reply


@pytest.mark.parametrize("kind", list(RiskKind))
def test_each_english_reply_is_one_plain_sms_with_every_number_and_a_person_told(
    kind: RiskKind,
) -> None:
    # Every number in every reply: a message read as the wrong kind of risk still gets them.
    reply = risk_reply(kind)
    assert _is_one_gsm_segment(reply), sms_info(reply).describe()
    for needed in ("999", "NHS 111", "116 123", "not an emergency service", "telling the team now"):
        assert needed in reply
    assert risk_reply(RiskMatch(kind, "x")) == reply == builtin_replies()[kind, "en"]


@pytest.mark.parametrize("kind", [SUICIDE, RiskKind.SELF_HARM])
def test_thoughts_of_suicide_or_self_harm_get_the_crisis_lines(kind: RiskKind) -> None:
    reply = risk_reply(kind)
    for needed in ("116 123", "SHOUT to 85258", "NHS 111 option 2"):
        assert needed in reply


@pytest.mark.parametrize(
    "kind",
    [PHYSICAL, EMOTIONAL, FINANCIAL, RiskKind.ABUSE_SEXUAL, RiskKind.NEGLECT, FEAR],
)
def test_the_reply_to_abuse_never_names_abuse_in_case_the_abuser_reads_the_phone(
    kind: RiskKind,
) -> None:
    for (replied_kind, language), reply in builtin_replies().items():
        if replied_kind is kind:
            assert "abus" not in reply.lower(), language


# The phrase machinery safeguarding relies on.


def test_a_pattern_expands_into_every_sequence_it_stands_for() -> None:
    assert expand("(a|b c|) d") == [("a", "d"), ("b", "c", "d"), ("d",)]
    assert expand("x (y|) $") == [("x", "y", "$"), ("x", "$")]


def test_a_pattern_no_folded_message_could_hold_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="can't"):
        PhraseBook([("i can't get up", "fall")])
    with pytest.raises(ValueError, match="anchor"):
        PhraseBook([("end $ it", "suicide")])
    with pytest.raises(ValueError, match="anchor"):
        PhraseBook([("(a|) $", "nothing")])


def test_anchors_allow_only_the_ignorable_words_beyond_them() -> None:
    book = PhraseBook([("end it $", 1), ("^ floor", 2)], ignorable={"x", "oh"})
    assert [hit.key for hit in book.find(("end", "it", "x"))] == [1]
    assert book.find(("end", "it", "now")) == []
    assert [hit.key for hit in book.find(("oh", "floor"))] == [2]
    assert book.find(("the", "floor")) == []


# Words one edit from a typo target, among the 30,000 commonest English words. None may be
# read as a risk word.
EVERYDAY_NEIGHBOURS = [
    "fallon", "fallow", "calling", "failing", "filling", "willing", "breach", "breaching",
    "breadth", "breather", "wreath", "breeding", "blurred", "blurring", "spurred", "spurring",
    "slurped", "slurping", "drooling", "trooping", "hunting", "hurling", "hurtling", "emergence",
    "property", "bleeping", "blending", "overdone", "chess", "cheat", "chase", "strike", "stoke",
    "feel", "fel", "week", "floor", "flour",
]  # fmt: skip


@pytest.mark.parametrize("word", EVERYDAY_NEIGHBOURS)
def test_an_everyday_word_is_never_corrected_into_a_risk_word(word: str) -> None:
    assert triage(f"i was {word} it") is None
    assert find_risks(word) == ()


def test_the_speller_corrects_only_long_words_or_swapped_letters() -> None:
    speller = Speller(["fallen", "chest"], ["fallen", "chest"])
    assert speller.correct(("fallne", "falen", "chset", "chess", "fel")) == (
        "fallen",
        "fallen",
        "chest",
        "chess",
        "fel",
    )
    assert speller.correct_word("cheeeest") == "chest"


# Properties.

awkward_text = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(["help", "me", "not", "fell", "fallen", "chest", "pain", "i", "cant",
                         "get", "up", "end", "it", "$", "^", "()", "|", "die", "x", "9" * 40,
                         "❤️", "\x00", "ǅ", "'", "no", "floor", "on", "the"]),
        max_size=12,
    ).map(" ".join),
)  # fmt: skip


@given(awkward_text)
def test_any_text_is_read_without_error(text: str) -> None:
    risks = find_risks(text)
    assert triage(text) == (risks[0] if risks else None)


CASES: list[Callable[[str], str]] = [str.upper, str.lower, str.title, str.swapcase]


# "on the floor" alone counts only as the whole message: after other words it is as likely
# to be where the jigsaw is.
WITH_ANY_START = [case for case in URGENT if case[0] != "on the floor"]


@given(
    st.sampled_from(WITH_ANY_START),
    st.sampled_from(["", "oh ", "sorry ", "hello ", "hi abby, ", "Abby "]),
    st.sampled_from(["", " x", " please", " now", "!!!", "...", " love", " thanks"]),
    st.sampled_from(CASES),
)
def test_surrounding_words_punctuation_and_case_do_not_change_a_risk(
    case: tuple[str, RiskKind], before: str, after: str, change: Callable[[str], str]
) -> None:
    text, category = case
    found = triage(change(f"{before}{text}{after}"))
    assert found is not None
    assert (found.kind, found.urgent) == (category, True)
