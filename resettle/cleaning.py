"""The one cell cleaner: what every value a user types goes through before any check, in every
import, form, API field and search (DESIGN.md, "Data we can trust").

Offices copy cells between Excel, WPS, web systems and chat programs, and type with Chinese input
methods. What arrives carries full-width digits and letters (６５３１２５…, Ｘ), invisible
characters (zero-width space, byte-order mark, word joiner), no-break and ideographic spaces,
control characters, and a leading apostrophe typed to stop Excel turning a number into
1.2E+17. None of these is part of the value. `clean_text` removes them all the same way, so that
two spellings of one key are one key (`FT09０1` and `FT0901` are one household).
"""

from __future__ import annotations

import re
import unicodedata

# Characters that are never part of a value: zero-width space, non-joiner and joiner, the
# direction marks and embeddings, word joiner and the invisible operators, the byte-order mark
# (zero-width no-break space), soft hyphen, Mongolian vowel separator, variation selectors,
# Hangul fillers, and the C0/C1 control characters except tab, line feed and carriage return.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
# What Excel users type before a number to keep it as text: the ASCII apostrophe, and the
# typographic quotes a Chinese input method gives for it.
TEXT_MARKS = ("'", "\u2019", "\u2018", "`")

# What `clean_text_noted` says it changed, beyond trimming spaces and a leading text mark.
FULL_WIDTH = "full_width"
INVISIBLE_CHARS = "invisible"


def clean_text(value: str) -> str:
    """`value` as the user meant it: Unicode NFKC (full-width digits, letters and punctuation to
    half-width, no-break and ideographic spaces to spaces), invisible and control characters
    removed, surrounding spaces trimmed, and the leading apostrophes (' ’ ‘ `) that forced text
    dropped. Cleaning a cleaned value changes nothing. Takes and returns str; never raises. An all-blank value gives ""."""
    return clean_text_noted(value)[0]


def clean_text_noted(value: str) -> tuple[str, str | None]:
    """`clean_text(value)` and what cleaning changed that a user should be told of:
    `FULL_WIDTH` (full-width or compatibility characters, e.g. ６ or Ｘ, were read as half-width),
    `INVISIBLE_CHARS` (invisible or control characters were removed), or None (nothing but
    surrounding spaces and a leading apostrophe)."""
    if value.isascii() and value.isprintable():
        # Nearly every cell: nothing to normalise.
        return _drop_text_marks(value.strip()), None
    note = None
    text = INVISIBLE.sub("", value)
    if text != value:
        note = INVISIBLE_CHARS
    if not unicodedata.is_normalized("NFKC", text):
        normal = unicodedata.normalize("NFKC", text)
        # Spaces alone (no-break, ideographic) are trimmed or kept as spaces: no news.
        if note is None and _spaces_removed(normal) != _spaces_removed(text):
            note = FULL_WIDTH
        text = normal
    return _drop_text_marks(text.strip()), note


def _drop_text_marks(text: str) -> str:
    """`text` without the apostrophes typed before it (all of them, so that cleaning again
    changes nothing)."""
    while text[:1] in TEXT_MARKS and text:
        text = text[1:].lstrip()
    return text


def _spaces_removed(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def clean_value(value: object) -> object:
    """`value` with every string in it cleaned by `clean_text`: a str, or the strings inside
    lists, tuples and dicts (keys too), as parsed from a JSON body or a form. Other values are
    returned as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        # Passwords are compared as they were set: left as typed.
        return {
            clean_value(k): v if isinstance(k, str) and "password" in k else clean_value(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, tuple):
        return tuple(clean_value(v) for v in value)
    return value


def clean_header(value: object) -> str:
    """A column header as it is matched against a ledger's headers: cleaned, and without
    spaces, line breaks and the required-column marks * and ＊ (so that 「身份证号 *」,
    「身份\\n证号」 and 「身份证号」 are one header). Full-width brackets become half-width."""
    text = clean_text(str(value)) if value is not None else ""
    return re.sub(r"[\s*]", "", text)
