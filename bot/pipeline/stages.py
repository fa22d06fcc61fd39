"""This module holds the pipeline's stages in the order they are tried: the one place to read
or change it. A new stage (the buddy relay, an answer to an event) is a module and a line here.

Who the message is for comes first (a link being opened, a person on the programme's side,
someone not known yet, a button on an old question); then what a resident says, in the design's
order: opt-out and opt-in words > consent words for one purpose ("stop event news", only ever
a whole message, so no risk message is swallowed) > safeguarding > privacy questions > pace
words > keyword triggers > the conversation waiting for a reply > the catch-all.
"""

from __future__ import annotations

from bot.pipeline import (
    all_clear,
    button,
    catch_all,
    consent_words,
    help_keyword,
    keywords,
    link,
    opted_out,
    optout,
    pace,
    privacy_questions,
    safeguarding,
    session,
    staff,
    unknown,
)
from bot.pipeline.base import Stage

STAGES: tuple[Stage, ...] = (
    Stage("link", link.handle),
    Stage("staff", staff.handle),
    Stage("unknown_sender", unknown.handle),
    Stage("stale_button", button.handle),
    Stage("optout", optout.handle),
    Stage("consent_words", consent_words.handle),
    Stage("safeguarding", safeguarding.handle),
    Stage("all_clear", all_clear.handle),
    # Before opted_out: a privacy request after STOP must still reach staff.
    Stage("privacy_questions", privacy_questions.handle),
    Stage("opted_out", opted_out.handle),
    Stage("help", help_keyword.handle),
    Stage("pace", pace.handle),
    Stage("keywords", keywords.handle),
    Stage("session", session.handle),
    Stage("catch_all", catch_all.handle),
)
