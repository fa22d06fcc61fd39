"""This module contains a resident's Telegram start link as staff hand it over: the link, and
the same link as a QR code drawn as SVG to print or send, for the residents a viewer may see.

Making a link replaces the resident's older one (see bot.linking), so it is a change to the
resident and is written in the audit log in the same transaction.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

import qrcode  # type: ignore[import-untyped]
import qrcode.image.svg  # type: ignore[import-untyped]

from bot.services.access import Viewer
from bot.services.audit import Audit, resident_subject
from bot.services.errors import NotFound
from bot.services.links import Links
from bot.services.lookups import resident_or_not_found
from bot.services.unit import Tx, reading, writing
from storage.database import Database
from storage.records import Resident


@dataclass(frozen=True, slots=True)
class LinkCard:
    """A new start link for `resident`, with its QR code."""

    resident: Resident
    url: str
    expires_at: str
    #: A standalone SVG document (its text escaped as XML), safe to put in a page as it is.
    svg: str


class LinkCards:
    def __init__(self, db: Database, links: Links, audit: Audit) -> None:
        self.db = db
        self.links = links
        self.audit = audit

    async def resident(self, viewer: Viewer, resident_id: int) -> Resident:
        """The resident a link would be for, if the viewer may see them (else NotFound)."""
        async with reading(self.db) as conn:
            return await _visible(conn, viewer, resident_id)

    def telegram_off(self) -> str | None:
        """Why no link can be made at all just now, in plain words; None when one can."""
        if self.links.telegram is None:
            return f"Telegram is {self.links.telegram_status()}."
        return None

    async def make(self, viewer: Viewer, resident_id: int) -> LinkCard:
        """A new start link for a resident the viewer may see; raises Conflict or Unavailable
        (with the reason) while Telegram is off or not yet connected."""
        async with writing(self.db) as tx:
            resident = await _visible(tx, viewer, resident_id)
            link = await self.links.for_resident(resident.id, tx)
            await self.audit.record(
                viewer.actor, "made a Telegram start link", resident_subject(resident.id), tx
            )
        title = f"QR code for {resident.preferred_name}'s Telegram link: {link.url}"
        return LinkCard(resident, link.url, link.expires_at, qr_svg(link.url, title))


def qr_svg(text: str, title: str) -> str:
    """`text` as a QR code: an SVG document with a white background, sized in millimetres
    for print, described for screen readers by `title`."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,
    )
    svg: ElementTree.Element = image.get_image()
    svg.set("role", "img")
    svg.set("aria-labelledby", "qr-title")
    svg.set("class", "qr")
    described = ElementTree.Element("title", {"id": "qr-title"})
    described.text = title  # ElementTree escapes it as XML
    svg.insert(0, described)
    return ElementTree.tostring(svg, encoding="unicode")


async def _visible(conn: Tx, viewer: Viewer, resident_id: int) -> Resident:
    resident = await resident_or_not_found(conn, resident_id)
    if not viewer.sees_resident(resident.catalyst_id):
        raise NotFound("resident", resident_id)
    return resident
