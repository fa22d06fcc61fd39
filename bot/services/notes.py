"""This module contains notes about a resident: catalysts and staff add them and read them,
newest first. A note is never edited: a correction is a new note, so the record stays true to
what was known when."""

from __future__ import annotations

from bot.services.access import Viewer
from bot.services.audit import resident_subject
from bot.services.errors import Invalid
from bot.services.lookups import resident_for_viewer
from bot.services.unit import Tx, reading, writing
from storage import audit, notes
from storage.database import Database
from storage.notes import Note

__all__ = ["MAX_NOTE", "Note", "Notes"]

#: The longest note, in characters: a few paragraphs, not a case file.
MAX_NOTE = 2000


class Notes:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, viewer: Viewer, resident_id: int, text: str, tx: Tx | None = None) -> Note:
        """Add a note in the viewer's name; Invalid (nothing saved) when empty or too long."""
        body = text.strip()
        if not body:
            raise Invalid("note", "Write the note before saving it.")
        if len(body) > MAX_NOTE:
            raise Invalid(
                "note",
                f"A note can be at most {MAX_NOTE} characters; this one has {len(body)}. "
                "Shorten it, or save it as two notes.",
            )
        async with writing(self.db, tx) as work:
            resident = await resident_for_viewer(work, viewer, resident_id)
            note = await notes.add_note(
                work, resident.id, author=viewer.display_name, actor=viewer.actor, body=body
            )
            await audit.record(
                work, viewer.actor, "added a note", resident_subject(resident.id), note=note.id
            )
        return note

    async def of(self, viewer: Viewer, resident_id: int, conn: Tx | None = None) -> list[Note]:
        async with reading(self.db, conn) as read:
            resident = await resident_for_viewer(read, viewer, resident_id)
            return await notes.notes_of(read, resident.id)
