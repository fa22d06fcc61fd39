"""This module contains the escalation ladder as staff write it: "2h reminder, 2h other channel,
4h missed". Each step is a wait and a rung; the wait counts from the step before (the first
from when the check-in began). Pure: reading, checking and writing the words, nothing else.

The rungs:
  reminder        the question again, on the channel the check-in went on
  other channel   the question again on the resident's other channel (skipped if none)
  missed          a "missed check-in" alert to the catalyst; the ladder ends here
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from flows.durations import DurationError, format_duration, parse_duration

REMINDER: Final = "reminder"
OTHER_CHANNEL: Final = "other channel"
MISSED: Final = "missed"
RUNGS: Final = (REMINDER, OTHER_CHANNEL, MISSED)

#: The programme's ladder unless the operator sets COMPANION_CHECKIN_LADDER.
DEFAULT_LADDER: Final = "2h reminder, 2h other channel, 4h missed"
#: The longest a whole ladder may take: the check-in flows wait 3 days for an answer, and the
#: ladder must finish (quiet hours may hold a rung overnight) while the question still waits.
LONGEST: Final = timedelta(days=2)

_HOW: Final = (
    'Write it like "2h reminder, 2h other channel, 4h missed": each step a wait (30m, 2h, 1d) '
    "and one of reminder, other channel or missed, separated by commas, ending with missed."
)
_STEP = re.compile(rf"(?P<wait>.*?)\s*(?P<rung>{'|'.join(RUNGS)})", re.IGNORECASE)


class LadderError(ValueError):
    """A ladder that staff wrote could not be understood; the message says why and how."""


@dataclass(frozen=True, slots=True)
class Step:
    wait: timedelta
    rung: str


@dataclass(frozen=True, slots=True)
class Ladder:
    steps: tuple[Step, ...]

    def __str__(self) -> str:
        return ", ".join(f"{format_duration(step.wait)} {step.rung}" for step in self.steps)

    @property
    def total(self) -> timedelta:
        return sum((step.wait for step in self.steps), timedelta(0))

    def step(self, index: int) -> Step | None:
        """The step at `index` (0 is the first), or None past the end."""
        return self.steps[index] if 0 <= index < len(self.steps) else None


def parse_ladder(text: str) -> Ladder:
    """Read a ladder such as "2h reminder, 2h other channel, 4h missed"; LadderError if bad."""
    words = " ".join(text.split())
    if not words:
        raise LadderError(f"The ladder is empty. {_HOW}")
    steps: list[Step] = []
    for number, part in enumerate(words.split(","), start=1):
        part = part.strip()
        match = _STEP.fullmatch(part)
        if not part or match is None:
            raise LadderError(
                f"Step {number} ({part!r}) does not end with reminder, other channel or "
                f"missed. {_HOW}"
            )
        rung = match["rung"].lower()
        if not match["wait"]:
            raise LadderError(f"Step {number} ({part!r}) has no wait before {rung}. {_HOW}")
        try:
            wait = parse_duration(match["wait"])
        except DurationError as exc:
            raise LadderError(f"Step {number} ({part!r}): {exc}") from None
        if any(step.rung == rung for step in steps):
            raise LadderError(f"{rung.capitalize()} is given twice; give each rung once.")
        if steps and steps[-1].rung == MISSED:
            raise LadderError("Missed must be the last step: nothing comes after the alert.")
        steps.append(Step(wait, rung))
    if steps[-1].rung != MISSED:
        raise LadderError(
            f"The ladder must end with missed, so the catalyst hears when nobody answers. {_HOW}"
        )
    ladder = Ladder(tuple(steps))
    if ladder.total > LONGEST:
        raise LadderError(
            f"The ladder takes {format_duration(ladder.total)} in all; at most "
            f"{format_duration(LONGEST)}, so it ends while the check-in still waits."
        )
    return ladder
