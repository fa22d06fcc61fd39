"""This module contains language identification: which configured language a message is in.

It picks the language of a reply, and nothing else: risk detection checks every message against
every configured language whatever this says. It uses py3langid, which ships its model in its
package; the model is loaded once per process, when first needed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import cache
from typing import Protocol

#: Fewer letters than this say too little to tell languages apart ("ok", "tak", "da").
MIN_LETTERS = 8
#: Below this probability among the candidates, the answer is a guess: None is returned.
MIN_CONFIDENCE = 0.8
_LETTER = re.compile(r"[^\W\d_]")
_LOCK = threading.Lock()


class _Identifier(Protocol):
    def set_languages(self, langs: list[str] | None = None) -> None: ...
    def classify(self, text: str) -> tuple[str, float]: ...


@cache
def _model() -> tuple[_Identifier, frozenset[str]]:
    """The identifier, and every language it knows (read before any restriction)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier, frozenset(identifier.labels)


def identify(text: str, candidates: Iterable[str]) -> str | None:
    """The language of `text` among `candidates` (two-letter codes), or None when unsure.

    None when the text is too short to tell, when no candidate is known to the model, or when
    the best candidate is not clearly ahead. Romanised Bengali and Urdu are mostly None: the
    model knows those languages in their own scripts.
    """
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return None
    identifier, known = _model()
    wanted = sorted(set(candidates) & known)
    if len(wanted) < 2:
        return wanted[0] if wanted else None
    # The model is one object shared by every caller, and restricting it changes its state.
    with _LOCK:
        identifier.set_languages(wanted)
        language, confidence = identifier.classify(text)
    return language if confidence >= MIN_CONFIDENCE else None
