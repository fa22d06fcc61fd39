"""This module seals personal data at rest: message texts, notes, names, phone numbers, chat ids.

A sealed value is "s2:" and, in URL-safe base64, a random nonce and the text encrypted with
AES-256-GCM (authenticated: a changed byte is refused, never misread), from the cryptography
library; so a copy of the database file alone reveals none of it. A value that must be found by
equality (a phone number on an inbound message) is stored sealed *and* as a keyed hash beside it
(`lookup_hash`), so finding it stays an index lookup. Values sealed by the first version ("s1:",
a Fernet token) are still opened; rotation reseals them. GCM over Fernet: a fifth of the time
per value (every inbound message seals and opens several) and about half the size.

The key ring is one or more keys (Fernet keys: 32 random bytes in base64, as `new_key` makes
them), newest first; the AES key and the lookup-hash key are each derived from a key, for its own
purpose. New values are sealed with the newest, and any key in the ring opens a value.
Rotation (`companion keys rotate`) puts a new key first, reseals every value and rewrites every
lookup hash; until it has finished, lookups try the hash under each key in the ring
(`lookup_hashes`).

The process has one ring (`use_keys`); a `Database` opened with its own ring makes it the one
in force inside its `read()` and `write()` blocks (`in_force`), so two databases sealed with
different keys can be open in one process (a test, a restore) without mixing them up. Only
storage/ calls `seal` and `unseal`, where rows are written and read.

A value looked up by equality sits in column X with its keyed hash in column X_hash beside it;
`companion keys rotate` relies on that naming to rewrite the hashes (see storage/resealing.py).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

#: How a value sealed now starts.
PREFIX = "s2:"
#: How a value sealed by the first version (a Fernet token) starts.
FERNET_PREFIX = "s1:"
_LOOKUP_LABEL = b"companion lookup hash v1"
_SEAL_LABEL = b"companion seal key v2"
_NONCE = 12
#: How many opened names a ring keeps in memory for `unseal_cached` (the residents list).
CACHE_SIZE = 50_000


class SealingError(RuntimeError):
    """A sealed value that no key in the ring opens: the wrong key, or a damaged value."""


def is_sealed(stored: str) -> bool:
    """Whether `stored` is a sealed value (of either version), not plain text."""
    return stored.startswith((PREFIX, FERNET_PREFIX))


class KeyRing:
    """Keys, newest first, and the sealing and lookup-hash keys derived from each."""

    def __init__(self, keys: Sequence[str | bytes]) -> None:
        if not keys:
            raise ValueError("A key ring needs at least one key.")
        raw = [key.encode("ascii") if isinstance(key, str) else key for key in keys]
        self.size = len(raw)
        # Fernet checks each key's form, and opens values sealed by the first version.
        self._fernet = MultiFernet([Fernet(key) for key in raw])
        self._aead = [AESGCM(hmac.new(key, _SEAL_LABEL, hashlib.sha256).digest()) for key in raw]
        self._opened: dict[str, str] = {}
        # One hash key per Fernet key, derived so that the hash never reveals the sealing key.
        self._hash_keys = [hmac.new(key, _LOOKUP_LABEL, hashlib.sha256).digest() for key in raw]

    def seal(self, text: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = nonce + self._aead[0].encrypt(nonce, text.encode("utf-8"), None)
        return PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii")

    def unseal(self, stored: str) -> str:
        if stored.startswith(PREFIX):
            opened = self._open(stored, self._aead)
            if opened is not None:
                return opened
        elif stored.startswith(FERNET_PREFIX):
            try:
                token = stored[len(FERNET_PREFIX) :].encode("ascii")
                return self._fernet.decrypt(token).decode("utf-8")
            except (InvalidToken, UnicodeError):
                pass
        else:
            return stored  # written before sealing existed; the first open seals it
        raise SealingError("A sealed value could not be opened with any key in COMPANION_DATA_KEY.")

    @staticmethod
    def _open(stored: str, keys: Sequence[AESGCM]) -> str | None:
        try:
            sealed = base64.urlsafe_b64decode(stored[len(PREFIX) :])
        except (binascii.Error, ValueError):
            return None
        nonce, body = sealed[:_NONCE], sealed[_NONCE:]
        for key in keys:
            try:
                return key.decrypt(nonce, body, None).decode("utf-8")
            except (InvalidTag, ValueError):
                continue
        return None

    def unseal_cached(self, stored: str) -> str:
        """As `unseal`, remembering up to CACHE_SIZE values opened: for values read again and
        again in bulk (every resident's names, to search and sort the residents list). A sealed
        value never changes its meaning, so the cache needs no invalidation; when full it is
        emptied and fills again with what is read next (cheaper than keeping an LRU order on
        every hit)."""
        found = self._opened.get(stored)
        if found is None:
            found = self.unseal(stored)
            if len(self._opened) >= CACHE_SIZE:
                self._opened.clear()
            self._opened[stored] = found
        return found

    def reseal(self, stored: str) -> str:
        """`stored` sealed with the newest key (plain text is sealed for the first time)."""
        return self.seal(self.unseal(stored))

    def is_current(self, stored: str) -> bool:
        """Whether `stored` is sealed, as now, with the newest key (rotation leaves it be)."""
        return stored.startswith(PREFIX) and self._open(stored, self._aead[:1]) is not None

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


def check_key(key: str) -> str:
    """`key` if it is a Fernet key (32 random bytes, URL-safe base64: 44 characters ending
    in '='); ValueError otherwise."""
    Fernet(key.encode("ascii") if key.isascii() else b"")
    return key


_ring: KeyRing | None = None
_in_force: ContextVar[KeyRing | None] = ContextVar("sealing_ring", default=None)


def use_keys(keys: Sequence[str | bytes]) -> KeyRing:
    """Set this process's key ring (newest key first)."""
    global _ring
    _ring = KeyRing(keys)
    return _ring


@contextlib.contextmanager
def in_force(keys: KeyRing | None) -> Iterator[None]:
    """Within this block (and the tasks it starts), seal and open with `keys`; None changes
    nothing. `Database.read()` and `write()` put the database's own ring in force."""
    if keys is None:
        yield
        return
    token = _in_force.set(keys)
    try:
        yield
    finally:
        # An async generator closed from another task cannot reset; its context ends anyway.
        with contextlib.suppress(ValueError):
            _in_force.reset(token)


def ring() -> KeyRing:
    """The ring in force here: a database's own, or else this process's."""
    found = _in_force.get() or _ring
    if found is None:
        raise SealingError("No data key is set: the database cannot be read or written.")
    return found


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


def unseal_cached(stored: str) -> str:
    """A stored value opened, remembered for the next time (see `KeyRing.unseal_cached`)."""
    return ring().unseal_cached(stored)


def lookup_hash(text: str) -> str:
    """The keyed hash stored beside a sealed value that is looked up by equality."""
    return ring().lookup_hash(text)


def lookup_hashes(text: str) -> tuple[str, ...]:
    """`text`'s hash under every key in the ring: look up with `IN`, during a rotation too."""
    return ring().lookup_hashes(text)
