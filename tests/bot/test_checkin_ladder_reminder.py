"""Tests of the ladder's reminder words: a reminder reads as one ("Just checking in again, Pat.
How are you this week? ..."), in the conversation's language where the flow has one, and fits
one SMS even with a long name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ladder_reminder import reminder_text
from bot.runtime import Runtime
from flows.sms import Encoding, sms_info
from storage import flow_store, people, schedules
from tests.bot.conftest import MovableClock
from tests.bot.helpers import sent_to

WEEKLY = "Hi Pat, it's Abby. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
REMEMBERING = (
    'Hi Pat, it\'s Abby. You said "my knee is bad." last week. How are you this week? '
    "Reply 1 Good, 2 OK or 3 Not so good"
)
TWO_LANGUAGES = """\
format: 1
id: checkin_two
name: Check-in in two languages
purpose: checkins
languages: [en, pl]
start: how
steps:
  how:
    say:
      en: "Hi {{ resident.preferred_name }}, it's {{ catalyst.first_name }}. How are you? Reply 1 Good or 2 Low"
      pl: "Cześć {{ resident.preferred_name }}, tu {{ catalyst.first_name }}. Jak się masz? 1 Dobrze, 2 Źle"
    ask:
      choices:
        good:
          label: {en: Good, pl: Dobrze}
        low:
          label: {en: Low, pl: Źle}
      timeout: 3d
    branches:
      good: bye
      low: bye
      other: bye
      no_response: bye
  bye:
    say: {en: "Thank you.", pl: "Dziękuję."}
    end: completed
"""  # noqa: E501


def test_a_reminder_leaves_the_greeting_and_last_time_and_keeps_the_question() -> None:
    expected = (
        "Just checking in again, Pat. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
    )
    assert reminder_text(WEEKLY, "Pat", "en") == expected
    assert reminder_text(REMEMBERING, "Pat", "en") == expected


def test_a_question_that_asks_nothing_keeps_all_but_its_greeting() -> None:
    assert reminder_text("Morning Pat! Reply 1 if all is well", "Pat", "en") == (
        "Just checking in again, Pat. Reply 1 if all is well"
    )
    assert reminder_text("Reply 1 if all is well", "Pat", "en") == (
        "Just checking in again, Pat. Reply 1 if all is well"
    )


def test_a_question_that_names_them_already_is_not_named_twice() -> None:
    assert reminder_text("How are you, Pat? Reply 1 or 2", "Pat", "en") == (
        "Just checking in again. How are you, Pat? Reply 1 or 2"
    )


def test_a_long_name_still_fits_one_sms() -> None:
    long_name = "Bartholomew-Fitzwilliam"
    named = reminder_text(REMEMBERING, long_name, "en")
    assert named.startswith(f"Just checking in again, {long_name}. How are you this week?")
    assert (sms_info(named).encoding, sms_info(named).segments) == (Encoding.GSM7, 1)
    # A name too long for one segment is left out rather than making two.
    longest = "Maximiliana " * 9
    plain = reminder_text(REMEMBERING, longest.strip(), "en")
    assert plain == (
        "Just checking in again. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
    )
    # So is one whose letters would turn the whole text into UCS-2 beyond one segment.
    assert reminder_text(REMEMBERING, "Zoë Ångström-Łukasiewicz", "en").startswith(
        "Just checking in again. How"
    )


def test_a_question_written_in_gsm_letters_stays_one_gsm_sms_in_polish() -> None:
    question = "Czesc Pat, tu Abby. Jak sie masz w tym tygodniu? Odpowiedz 1 Dobrze, 2 OK, 3 Zle"
    reminder = reminder_text(question, "Pat", "pl")
    assert reminder == (
        "Odzywam sie jeszcze raz, Pat. Jak sie masz w tym tygodniu? Odpowiedz 1 Dobrze, 2 OK, 3 Zle"
    )
    assert (sms_info(reminder).encoding, sms_info(reminder).segments) == (Encoding.GSM7, 1)


def test_a_language_without_its_own_words_reads_in_english() -> None:
    assert reminder_text(WEEKLY, "Pat", "xx").startswith("Just checking in again, Pat.")


#: Tuesday 1 December 2026, 10:00 in London.
DEC_1 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


async def test_the_reminder_is_in_her_language_where_the_flow_has_it(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat, lucy = demo["Pat"], demo["Lucy"]
    async with services.db.write() as tx:
        stored = await flow_store.publish(tx, "checkin_two", "Two", TWO_LANGUAGES, "t")
        services.flows.add_revision(stored)
        await people.update_resident(tx, pat, language="pl")
        await people.update_resident(tx, lucy, language="ro")  # the flow has no Romanian
        for resident in (pat, lucy):
            await schedules.set_checkin(
                tx,
                resident,
                flow_id="checkin_two",
                rule="FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0",
                starts_at=DEC_1 - timedelta(days=7),
                next_due_at=DEC_1,
            )
    clock.moment = DEC_1
    await services.sweeps.start_due_checkins()
    clock.advance(timedelta(hours=2))
    await services.sweeps.climb_ladders()
    await services.dispatcher.run_once()
    [question, reminder] = [m.body for m in await sent_to(services, pat)]
    assert question == "Cześć Pat, tu Abby. Jak się masz? 1 Dobrze, 2 Źle"
    assert reminder == "Odzywam sie jeszcze raz, Pat. Jak się masz? 1 Dobrze, 2 Źle"
    [_, lucy_reminder] = [m.body for m in await sent_to(services, lucy)]
    assert lucy_reminder == "Just checking in again, Lucy. How are you? Reply 1 Good or 2 Low"
