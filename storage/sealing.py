"""This module seals personal data at rest: message texts, notes, names, phone numbers, chat ids.

A sealed value is "s1:" and a Fernet token (AES-128-CBC with HMAC-SHA256, from the
cryptography library), so a copy of the database file alone reveals none of it. A value that
must be found by equality (a phone number on an inbound message) is stored sealed *and* as a
keyed hash beside it (`lookup_hash`), so finding it stays an index lookup.

The key ring is one or more Fernet keys, newest first: new values are sealed with the newest,
and any key in the ring opens a value. Rotation (`companion keys rotate`) puts a new key first,
reseals every value and rewrites every lookup hash; until it has finished, lookups try the hash
under each key in the ring (`lookup_hashes`).

The ring is set once per process (`use_keys`), since one service runs with one key ring; only
storage/ calls `seal` and `unseal`, where rows are written and read.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "s1:"
_LOOKUP_LABEL = b"companion lookup hash v1"


class SealingError(RuntimeError):
    """A sealed value that no key in the ring opens: the wrong key, or a damaged value."""


class KeyRing:
    """Fernet keys, newest first, and the lookup-hash key derived from each."""

    def __init__(self, keys: Sequence[str | bytes]) -> None:
        if not keys:
            raise ValueError("A key ring needs at least one key.")
        raw = [key.encode("ascii") if isinstance(key, str) else key for key in keys]
        self._fernet = MultiFernet([Fernet(key) for key in raw])
        # One hash key per Fernet key, derived so that the hash never reveals the sealing key.
        self._hash_keys = [hmac.new(key, _LOOKUP_LABEL, hashlib.sha256).digest() for key in raw]

    def seal(self, text: str) -> str:
        return PREFIX + self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def unseal(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored  # written before sealing existed; `companion keys rotate` seals it
        try:
            return self._fernet.decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise SealingError(
                "A sealed value could not be opened with any key in COMPANION_DATA_KEY."
            ) from error

    def reseal(self, stored: str) -> str:
        """`stored` sealed with the newest key (plain text is sealed for the first time)."""
        return self.seal(self.unseal(stored))

    def lookup_hash(self, text: str) -> str:
        return self._hash(self._hash_keys[0], text)

    def lookup_hashes(self, text: str) -> tuple[str, ...]:
        return tuple(self._hash(key, text) for key in self._hash_keys)

    @staticmethod
    def _hash(key: bytes, text: str) -> str:
        return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def new_key() -> str:
    """A fresh random key, as COMPANION_DATA_KEY takes it."""
    return Fernet.generate_key().decode("ascii")


_ring: KeyRing | None = None


def use_keys(keys: Sequence[str | bytes]) -> KeyRing:
    """Set this process's key ring (newest key first)."""
    global _ring
    _ring = KeyRing(keys)
    return _ring


def ring() -> KeyRing:
    if _ring is None:
        raise SealingError("No data key is set: the database cannot be read or written.")
    return _ring


def seal(text: str) -> str:
    """`text` as stored: sealed with the newest key."""
    return ring().seal(text)


def seal_optional(text: str | None) -> str | None:
    return None if text is None else ring().seal(text)


def unseal(stored: str) -> str:
    """A stored value opened."""
    return ring().unseal(stored)


def unseal_optional(stored: str | None) -> str | None:
    return None if stored is None else ring().unseal(stored)


def lookup_hash(text: str) -> str:
    """The keyed hash stored beside a sealed value that is looked up by equality."""
    return ring().lookup_hash(text)


def lookup_hashes(text: str) -> tuple[str, ...]:
    """`text`'s hash under every key in the ring: look up with `IN`, during a rotation too."""
    return ring().lookup_hashes(text)
