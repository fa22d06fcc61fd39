"""Reply understanding: what a resident's short, misspelt or one-digit reply answers."""

from __future__ import annotations

from flows.understand.results import Ambiguous, NotUnderstood, PassOn, Understanding, Understood
from flows.understand.understander import Understander

__all__ = ["Ambiguous", "NotUnderstood", "PassOn", "Understander", "Understanding", "Understood"]
