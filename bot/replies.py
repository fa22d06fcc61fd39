"""This module holds what the service says by itself, outside any flow: one place to read them.

Each fits one GSM-7 SMS segment with a long name filled in (a test checks).
"""

from __future__ import annotations

from bot.triage.pace_reply_files import ENGLISH, builtin_pace_replies

_PACE = builtin_pace_replies()[ENGLISH].texts

STOPPED = (
    "You won't get any more messages from Companion here. Reply START if you'd like them "
    "again. Your catalyst can still call you."
)
STARTED = "Welcome back, {name}. You'll hear from us again here. Reply STOP at any time to stop."
# The answers to pace requests are in bot/triage/pace_replies.yaml with their translations (a
# resident gets them in their own language: bot/triage/pace_replies.py); these are the English.
NOT_TODAY = _PACE["not_today"]
#: "Not today, ask me tomorrow": {when} is "tomorrow at about 10am" or "on Friday at about 10am".
NOT_TODAY_UNTIL = _PACE["not_today_until"]
#: "later": {when} is a time on their clock ("3pm", "10:30am").
LATER = _PACE["later"]
#: "later" when today has no allowed time left: the first allowed hour tomorrow.
LATER_TOMORROW = _PACE["later_tomorrow"]
#: A pause with no end: until they say they are back.
PAUSED = _PACE["paused"]
#: A pause until a day ("Monday 14 December").
PAUSED_UNTIL = _PACE["paused_until"]
LESS_OFTEN = _PACE["less_often"]
MORE_OFTEN = _PACE["more_often"]
#: Back from a pause, said by them or when it ends: {rhythm} in words ("every Tuesday at 10am").
WELCOME_BACK = _PACE["welcome_back"]
#: Back from a pause with no check-ins set.
RESUMED = _PACE["resumed"]
#: A call asked for: a catalyst works office hours, so the next working day is the honest promise.
CALL = _PACE["call"]
CALL_TEAM = _PACE["call_team"]
PASSED_ON = "Thank you, {name}. I've passed your message to {catalyst}, who will get back to you."
UNKNOWN_SENDER = (
    "Hello, this is Companion, from the community connection programme. We don't know this "
    "number yet; someone from the team will be in touch."
)
LINKED = (
    "Hello {name}, you're now connected to Companion here. {catalyst} will be in touch. "
    "Reply STOP at any time to stop."
)
LINK_EXPIRED = (
    "Sorry, this link has run out or was used already. Please ask your Connection Catalyst "
    "for a new one."
)
LINK_TAKEN = (
    "Sorry, this chat is already connected to someone else. We've let the team know; they "
    "will be in touch."
)
#: To catalysts and staff, in the chat their alerts come to.
STAFF_LINKED = "Hello {name}, Companion alerts will come to this chat. Reply STOP to stop them."
STAFF_CHAT = (
    "Hello {name}, this chat only brings you Companion alerts. Please answer them in the admin."
)
#: Answers to a catalyst or staff member who replied "OK A12" to an alert page.
STAFF_TOOK_ALERT = (
    "Thanks {name}: alert {reference} is with you now. Close it in the admin when done."
)
STAFF_ALERT_TAKEN = "Alert {reference} is already with {who}."
STAFF_ALERT_CLOSED = "Alert {reference} is already closed."
STAFF_ALERT_UNKNOWN = "I can't find alert {reference} among yours. Please check the number."
STAFF_STOPPED = "Alerts will no longer come here, {name}. Reply START to have them again."
#: A staff member's name, in the rare case their record is gone ("Hello there, ...").
NO_NAME = "there"
