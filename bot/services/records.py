"""This module hands callers of the services the records they render, so that the API and the
admin pages need nothing from `storage`."""

from __future__ import annotations

from storage.records import Alert, Checkin, Identity, Message, Person, Resident

__all__ = ["Alert", "Checkin", "Identity", "Message", "Person", "Resident"]
