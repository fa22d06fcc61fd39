"""This module contains the shape every action kind shares: how it is parsed and run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from flows.events import Button, Event, MessageOut
from flows.format.reader import Reader
from flows.types import Text


class Turn(Protocol):
    """What an action may do during one engine turn (implemented by the engine)."""

    @property
    def now(self) -> datetime: ...

    @property
    def step(self) -> str: ...

    @property
    def language(self) -> str: ...

    def emit(self, event: Event) -> None: ...

    def render(self, text: Text) -> str | None:
        """The text in the session's language with its names filled in (None if it failed)."""

    def render_value(
        self, template: str, extra: Mapping[str, Any] | None = None, *, strict: bool = False
    ) -> str | None: ...

    def message(self, text: str, kind: str = "say", buttons: tuple[Button, ...] = ()) -> MessageOut:
        """A message in the session's language, marked as a reply when answering one."""

    def lookup(self, namespace: str, name: str) -> Any:
        """A value the bot handed in, e.g. ("event", "id"), or None."""

    def end_session(self, outcome: str) -> None: ...

    def save_result(
        self, name: str, value: Any, label: str, category: str, input_text: str | None
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class ActionType:
    """A registered action kind. `parse` returns None after recording a problem."""

    name: str
    parse: Callable[[Any, Reader, int | None], Any]
    execute: Callable[[Any, Turn], None]
    doc: str
    #: Message texts and templated values inside params, for validation and SMS checks.
    texts: Callable[[Any], list[Text]]
    values: Callable[[Any], list[str]]


def no_texts(_params: Any) -> list[Text]:
    return []


def no_values(_params: Any) -> list[str]:
    return []
