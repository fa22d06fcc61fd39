"""This module tells a number that picks a choice from one that is part of a time, date or amount.

"back on the 14th", "at 2", "2pm", "3 days" and "21/11" hold numbers, but none of them answers
"Reply 1, 2 or 3". Reading such a number as a choice is a wrong reading, which is worse than
asking again, so only a number standing on its own, or introduced as a choice, counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flows.understand.number_words import is_ordinal
from flows.understand.vocabulary import Vocabulary

# A clock time or a written date anywhere in the reply: "2:30", "14.15", "21/11", "3-4".
_TIME_OR_DATE = re.compile(r"\d\s*[:/.\-]\s*\d|\d\s*(?:am|pm)\b")
#: Words after an ordinal that make it a choice: "the 2nd one", "third option".
_CHOICE_NOUNS = frozenset(["one", "option", "choice", "answer"])


def has_time_or_date(folded: str) -> bool:
    return _TIME_OR_DATE.search(folded) is not None


def part_of_time_or_date(words: Sequence[str], index: int, vocabulary: Vocabulary) -> bool:
    """Whether the number at `words[index]` belongs to a time, date or amount."""
    following = words[index + 1] if index + 1 < len(words) else ""
    if following in vocabulary.after_numbers:
        return True
    before = list(words[max(0, index - 2) : index])
    if before[-1:] == ["the"]:
        before = before[:-1]  # "on the 14"
    if before and before[-1] in vocabulary.before_times:
        return True
    if is_ordinal(words[index]):
        # "on the 3rd" is a date; "3rd", "the third" or "the 3rd one" picks a choice.
        others = [w for i, w in enumerate(words) if i != index]
        return following not in _CHOICE_NOUNS and not all(
            word in vocabulary.filler for word in others
        )
    return False
