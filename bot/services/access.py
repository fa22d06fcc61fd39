"""This module contains who is using the admin (`Viewer`) and what each role may do, as data.

A catalyst sees only their own residents; admin and staff see everyone. Every page and service
that shows a resident asks `sees_resident`, so the rule is written once: anything else answers
"not found", never "forbidden", so that a catalyst cannot even learn that an id exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Ability(StrEnum):
    """Something a role may do in the admin."""

    SEE_ALL_RESIDENTS = "see every resident"
    LOOK_AFTER_RESIDENTS = "look after residents"
    WRITE_FLOWS = "write and publish flows"
    SEE_FIGURES = "see the programme's figures"
    STAFF_ALERTS = "see the staff alert inbox"
    MANAGE_ACCOUNTS = "manage accounts and sessions"
    READ_AUDIT = "read the audit log"
    EDIT_SAFEGUARDING_TEXTS = "edit the safeguarding texts"
    ERASE_RESIDENTS = "erase a resident's personal data"
    REVIEW_SAFEGUARDING_PHRASES = "read and add safeguarding phrases"
    MANAGE_DUTY_LIST = "choose who is on duty for urgent alerts"


_EVERYONE = {Ability.LOOK_AFTER_RESIDENTS}
_STAFF = _EVERYONE | {
    Ability.SEE_ALL_RESIDENTS,
    Ability.WRITE_FLOWS,
    Ability.SEE_FIGURES,
    Ability.STAFF_ALERTS,
    Ability.REVIEW_SAFEGUARDING_PHRASES,
    Ability.MANAGE_DUTY_LIST,
}

#: What each role may do; the admin role may do everything.
ABILITIES: dict[str, frozenset[Ability]] = {
    "catalyst": frozenset(_EVERYONE),
    "staff": frozenset(_STAFF),
    "admin": frozenset(Ability),
}


@dataclass(frozen=True, slots=True)
class Viewer:
    """A logged-in account, as the services need to know it."""

    account_id: int
    username: str
    display_name: str
    role: str
    #: The catalyst's row in `people` (for a catalyst: whose residents they see).
    person_id: int | None

    def may(self, ability: Ability) -> bool:
        return ability in ABILITIES.get(self.role, frozenset())

    def sees_resident(self, catalyst_id: int | None) -> bool:
        """Whether this viewer may see a resident whose catalyst is `catalyst_id`."""
        if self.may(Ability.SEE_ALL_RESIDENTS):
            return True
        return self.person_id is not None and catalyst_id == self.person_id

    @property
    def actor(self) -> str:
        """How the audit log names this viewer."""
        return f"{self.role}:{self.username}"
