"""This module contains the one table of Twilio error codes that every Twilio path reads.

A send refused with one of these codes and a status callback reporting one mean the same
thing for the number: it is gone (`unreachable`), its owner texted STOP to their carrier
(`opted_out`), or only this message failed (`permanent`: not worth retrying). Codes not in the
table are judged by the HTTP status alone (see `bot.channels.twilio.sms.send_error`).

Meanings follow Twilio's error dictionary (twilio.com/docs/api/errors/<code>).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TwilioCode:
    code: int
    #: What it means, in words staff can read.
    meaning: str
    #: Not worth trying this message again (a later try fails the same way).
    permanent: bool = False
    #: The number cannot get our texts at all: nothing more is sent to it.
    unreachable: bool = False
    #: The number texted STOP to its carrier: nothing reaches it until it texts START.
    opted_out: bool = False
    #: The account's settings are at fault, not the number: the operator must act.
    operator: bool = False


CODES: dict[int, TwilioCode] = {
    entry.code: entry
    for entry in (
        # 21211 "Invalid 'To' Phone Number": not a number at all, or not one that can receive.
        TwilioCode(21211, "not a valid phone number", permanent=True, unreachable=True),
        # 21214 "'To' phone number cannot be reached": no route to the number.
        TwilioCode(21214, "a number that cannot be reached", permanent=True, unreachable=True),
        # 21408 "Permission to send an SMS has not been enabled for the region": the account's
        # geographic permissions. The number is fine; this message fails over, and the
        # operator is told to enable the region.
        TwilioCode(
            21408,
            "a country this account may not text yet (Twilio's geo permissions)",
            permanent=True,
            operator=True,
        ),
        # 21610 "Attempt to send to unsubscribed recipient": the number said STOP.
        TwilioCode(
            21610, "the number has opted out with its carrier", permanent=True, opted_out=True
        ),
        # 21612 "The 'To' phone number is not currently reachable via SMS" from this sender: every
        # text from us fails the same way, so the number is lost for SMS.
        TwilioCode(21612, "a number our SMS sender cannot reach", permanent=True, unreachable=True),
        # 21614 "'To' number is not a valid mobile number": a landline.
        TwilioCode(21614, "not a mobile number", permanent=True, unreachable=True),
        # 30003 "Unreachable destination handset": switched off or out of signal, for now.
        TwilioCode(30003, "the phone is off or out of signal"),
        # 30004 "Message blocked": by the recipient's settings or their carrier; this message
        # will not get through, but the number is still theirs.
        TwilioCode(30004, "the number blocks our messages", permanent=True),
        # 30005 "Unknown destination handset": the number is not in use.
        TwilioCode(
            30005, "the number is unknown or no longer in use", permanent=True, unreachable=True
        ),
        # 30006 "Landline or unreachable carrier".
        TwilioCode(
            30006,
            "the number is a landline or cannot receive texts",
            permanent=True,
            unreachable=True,
        ),
        # 30007 "Message filtered": the carrier took it for spam; sending it again will not help.
        TwilioCode(30007, "the carrier filtered the message", permanent=True),
        # 30008 "Unknown error": the carrier gave no reason; a later try may go.
        TwilioCode(30008, "the carrier could not deliver it"),
    )
}


def lookup(code: int | None) -> TwilioCode | None:
    return CODES.get(code) if code is not None else None


def describe(code: int | None) -> str | None:
    """The code's meaning with the code, for staff ("not a mobile number (Twilio 21614)")."""
    entry = lookup(code)
    return f"{entry.meaning} (Twilio {entry.code})" if entry else None
