"""The registry of action kinds a step's `do:` list can use, one module per kind."""

from __future__ import annotations

from collections.abc import Mapping

from flows.actions import (
    alert_catalyst,
    change_rhythm,
    end_conversation,
    record_consent,
    record_rsvp,
    save,
    say,
    schedule_followup,
    set_field,
    start_flow,
)
from flows.actions.base import ActionType

REGISTRY: Mapping[str, ActionType] = {
    module.TYPE: module.ACTION
    for module in (
        say,
        save,
        set_field,
        alert_catalyst,
        schedule_followup,
        start_flow,
        record_rsvp,
        record_consent,
        end_conversation,
        change_rhythm,
    )
}
