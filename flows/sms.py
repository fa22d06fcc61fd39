"""This module contains SMS segment accounting (GSM 03.38) and splitting of long texts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

# The GSM 03.38 default alphabet, written out in code order (16 per line) so a position can be
# checked against the standard. 0x1B is the escape to the extension table, not a character.
GSM7_BASIC_TABLE = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
#: Characters sent as ESC plus a code, so each costs 2 septets.
GSM7_EXTENSION_CHARS = "\f^{}\\[~]|€"

_GSM7_BASIC = frozenset(GSM7_BASIC_TABLE) - {"\x1b"}
_GSM7_ALL = _GSM7_BASIC | frozenset(GSM7_EXTENSION_CHARS)

_WORD = re.compile(r"\S+")


class Encoding(StrEnum):
    """How an SMS is encoded: GSM-7 if every character allows it, otherwise UCS-2."""

    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


#: Units one standalone SMS holds, and units per segment once a message is concatenated
#: (the user data header takes the rest).
SINGLE_LIMIT = {Encoding.GSM7: 160, Encoding.UCS2: 70}
CONCAT_LIMIT = {Encoding.GSM7: 153, Encoding.UCS2: 67}


@dataclass(frozen=True, slots=True)
class SmsInfo:
    """What a text costs as SMS. `units` are septets (GSM-7) or UTF-16 code units (UCS-2)."""

    encoding: Encoding
    segments: int
    units: int
    characters: int
    forcing_ucs2: tuple[str, ...]

    def describe(self) -> str:
        """Say the cost in words for staff, e.g. "1 segment, GSM-7, 98 of 160"."""
        count = f"{self.segments} segment{'' if self.segments == 1 else 's'}"
        encoding = str(self.encoding)
        if self.forcing_ucs2:
            encoding += f" (because of {_list_culprits(self.forcing_ucs2)})"
        if self.segments <= 1:
            return f"{count}, {encoding}, {self.units} of {SINGLE_LIMIT[self.encoding]}"
        return f"{count}, {encoding}, {self.characters} characters"


# Characters staff paste from word processors, as (plain name, show the character itself,
# GSM-7 replacement). A replacement of "" means the character is invisible and can go.
_KNOWN: dict[str, tuple[str, bool, str | None]] = {
    "’": ("a curly quote", True, "'"),
    "‘": ("a curly quote", True, "'"),
    "‚": ("a curly quote", True, "'"),
    "`": ("a backtick", True, "'"),
    "´": ("an accent mark", True, "'"),
    "“": ("a curly double quote", True, '"'),
    "”": ("a curly double quote", True, '"'),
    "„": ("a curly double quote", True, '"'),
    "—": ("an em dash", True, "-"),
    "–": ("an en dash", True, "-"),
    "−": ("a minus sign", True, "-"),
    "…": ("an ellipsis character", True, "..."),
    "•": ("a bullet", True, "-"),
    "\u00a0": ("a non-breaking space", False, " "),
    "\u202f": ("a narrow non-breaking space", False, " "),
    "\u2009": ("a thin space", False, " "),
    "\t": ("a tab", False, " "),
    "\u200b": ("an invisible zero-width space", False, ""),
    "\ufeff": ("an invisible zero-width space", False, ""),
    "\u00ad": ("an invisible soft hyphen", False, ""),
    "\u200d": ("an invisible part of an emoji", False, None),
    "\ufe0f": ("an invisible part of an emoji", False, None),
}


def sms_info(text: str) -> SmsInfo:
    """Count the encoding, segments and units `text` needs as one SMS message."""
    forcing = tuple(dict.fromkeys(ch for ch in text if ch not in _GSM7_ALL))
    encoding = Encoding.UCS2 if forcing else Encoding.GSM7
    sizes = [_char_units(ch, encoding) for ch in text]
    units = sum(sizes)
    if not text:
        segments = 0
    elif units <= SINGLE_LIMIT[encoding]:
        segments = 1
    else:
        segments = _count_concatenated(sizes, CONCAT_LIMIT[encoding])
    return SmsInfo(encoding, segments, units, len(text), forcing)


def describe_character(ch: str) -> str:
    """Name a non-GSM character in plain words for staff, with a replacement if one is obvious."""
    _check_one_character(ch)
    if ch in _KNOWN:
        name, show, _ = _KNOWN[ch]
        words = f"{name} ({ch})" if show else name
    elif _is_emoji(ch):
        words = f"an emoji ({ch})"
    else:
        words = f"the character ‘{ch}’ ({unicodedata.name(ch, f'U+{ord(ch):04X}')})"
    replacement = suggest_replacement(ch)
    if replacement == "":
        return f"{words}; delete it"
    if replacement == " ":
        return f"{words}; use a normal space instead"
    if replacement is not None:
        return f"{words}; use {replacement} instead"
    return words


def explain(text: str) -> str:
    """Say in words what `text` costs as SMS and why, e.g. "2 segments: the curly quote ’ makes
    it UCS-2; use ' for ’", for staff writing a message."""
    info = sms_info(text)
    if not text:
        return "Empty: nothing to send"
    count = f"{info.segments} segment{'' if info.segments == 1 else 's'}"
    if not info.forcing_ucs2:
        return f"{count}, {info.encoding}"
    names = _list_culprits(info.forcing_ucs2)
    names = re.sub(r"(^|, | and )an? ", r"\1the ", names)
    verb = "makes" if len(info.forcing_ucs2) == 1 else "make"
    fixes = []
    for ch in info.forcing_ucs2[:3]:
        replacement = suggest_replacement(ch)
        if replacement == "":
            fixes.append(f"delete {_the(_short_name(ch))}")
        elif replacement == " ":
            fixes.append(f"use a normal space for {_the(_short_name(ch))}")
        elif replacement is not None:
            fixes.append(f"use {replacement} for {ch}")
    fix = f"; {', '.join(fixes)}" if fixes else ""
    return f"{count}: {names} {verb} it {info.encoding}{fix}"


def suggest_replacement(ch: str) -> str | None:
    """Return the GSM-7 text to use instead of `ch` ("" to delete it), or None if none is obvious.

    A character that is already GSM-7 needs no replacement, so it also gives None.
    """
    _check_one_character(ch)
    if ch in _GSM7_ALL:
        return None
    if ch in _KNOWN:
        return _KNOWN[ch][2]
    # Compatibility decomposition turns "á" into "a" plus an accent, "ﬁ" into "fi" and
    # full-width "！" into "!"; it is only a suggestion when every part left is GSM-7.
    plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if plain and plain != ch and all(c in _GSM7_ALL for c in plain):
        return plain
    return None


def split_for_sms(text: str, max_units_per_part: int | None = None) -> list[str]:
    """Split `text` at whitespace into parts that are each one SMS segment in its encoding.

    Whitespace inside a part is kept (line breaks help residents read); whitespace between
    parts is dropped. A word too long for one part is cut as a last resort, never inside a
    2-unit character. `max_units_per_part` lowers the limit, e.g. to leave room for "(1/3)".
    """
    encoding = sms_info(text).encoding
    limit = SINGLE_LIMIT[encoding]
    if max_units_per_part is not None:
        if not 2 <= max_units_per_part <= limit:
            raise ValueError(
                f"max_units_per_part={max_units_per_part} must be between 2 and {limit}, "
                f"what one {encoding} segment holds."
            )
        limit = max_units_per_part

    parts: list[str] = []
    start = end = used = 0
    open_part = False
    for match in _WORD.finditer(text):
        word_start, word_end = match.span()
        if open_part:
            extra = _units(text[end:word_end], encoding)
            if used + extra <= limit:
                end, used = word_end, used + extra
                continue
            parts.append(text[start:end])
        start, used, open_part = word_start, 0, True
        for index in range(word_start, word_end):
            size = _char_units(text[index], encoding)
            if used + size > limit:
                parts.append(text[start:index])
                start, used = index, 0
            used += size
        end = word_end
    if open_part:
        parts.append(text[start:end])
    return parts


def split_for_sms_segments(text: str, max_segments: int) -> list[str]:
    """Split `text` between words into parts of at most `max_segments` segments each.

    For texts too long to send as one concatenated SMS: each part arrives whole on the phone,
    and no word is broken unless a single word is longer than a part can hold.
    """
    if max_segments < 1:
        raise ValueError(f"max_segments={max_segments} must be at least 1.")
    parts: list[str] = []
    start = end = -1
    for match in _WORD.finditer(text):
        if start < 0:
            start, end = match.span()
        elif sms_info(text[start : match.end()]).segments <= max_segments:
            end = match.end()
        else:
            parts.append(text[start:end])
            start, end = match.span()
    if start >= 0:
        parts.append(text[start:end])
    # A lone word longer than a whole part: cut it as split_for_sms does, as a last resort.
    return [
        piece
        for part in parts
        for piece in ([part] if sms_info(part).segments <= max_segments else split_for_sms(part))
    ]


def _char_units(ch: str, encoding: Encoding) -> int:
    if encoding is Encoding.UCS2:
        return 2 if ord(ch) > 0xFFFF else 1
    return 1 if ch in _GSM7_BASIC else 2


def _units(text: str, encoding: Encoding) -> int:
    return sum(_char_units(ch, encoding) for ch in text)


def _count_concatenated(sizes: list[int], per_segment: int) -> int:
    # Greedy, because an escape pair or surrogate pair that does not fit moves whole to the
    # next segment, leaving a unit unused; dividing the total would undercount.
    segments, used = 1, 0
    for size in sizes:
        if used + size > per_segment:
            segments, used = segments + 1, 0
        used += size
    return segments


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF


def _list_culprits(chars: tuple[str, ...]) -> str:
    shown = [_short_name(ch) for ch in chars[:3]]
    if len(chars) > 3:
        others = len(chars) - 3
        shown.append(f"{others} other character{'' if others == 1 else 's'}")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _short_name(ch: str) -> str:
    if ch in _KNOWN:
        name, show, _ = _KNOWN[ch]
        return f"{name} {ch}" if show else name
    if _is_emoji(ch):
        return f"an emoji {ch}"
    return f"the character ‘{ch}’"


def _the(name: str) -> str:
    return re.sub(r"^an? ", "the ", name)


def _check_one_character(ch: str) -> None:
    if len(ch) != 1:
        raise ValueError(f"Expected one character, got {ch!r}.")
