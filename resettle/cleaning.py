"""The one cell cleaner: what every value a user types goes through before any check, in every
import, form, API field and search (DESIGN.md, "Data we can trust").

Offices copy cells between Excel, WPS, web systems and chat programs, and type with Chinese input
methods. What arrives carries full-width digits and letters (６５３１２５…, Ｘ), invisible
characters (zero-width space, byte-order mark, word joiner), no-break and ideographic spaces,
control characters, and a leading apostrophe typed to stop Excel turning a number into
1.2E+17. None of these is part of the value. `clean_text` removes them all the same way, so that
two spellings of one key are one key (`FT09０1` and `FT0901` are one household).

A control character (NUL, ESC …) is removed from a cell of an uploaded workbook, where Excel or
another system may have left it. A person typing in a form, a search box or a program sending
an API body never means one, and PostgreSQL refuses a NUL outright: such a value is refused at
the edge with a 400 that names where it was (`refused_character`, called by the middleware for
query strings and form bodies and by the API's parsers for request bodies), never stored
without it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

# Characters that are never part of a value: every format character (Unicode category Cf:
# zero-width space, non-joiner and joiner, the direction marks and embeddings, word joiner and
# the invisible operators, the byte-order mark, soft hyphen, Mongolian vowel separator, the
# interlinear annotation marks, the tag characters …), variation selectors, the blank letters
# (Hangul fillers, Khmer inherent vowels, the blank Braille pattern), and the C0/C1 control
# characters except tab, line feed and carriage return.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# The first letter of the Unicode categories of what can be seen: letters, digits, punctuation
# and symbols. A value with none of them (combining marks, spaces) is blank.
VISIBLE_CATEGORIES = frozenset("LNPS")
# What no typed value may hold (`refused_character`): the C0 control characters but tab, line
# feed and carriage return, DEL, the C1 control characters, and a lone half of a surrogate pair
# (a JSON body can spell one, \ud800; no database stores it).
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
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
    dropped. Cleaning a cleaned value changes nothing. Takes and returns str; never raises. A
    value with nothing visible left (no letter, digit, punctuation or symbol: spaces, a lone
    accent) gives "", so that a required name of invisible characters is refused as empty."""
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
    text = _drop_text_marks(text.strip())
    if text and not any(unicodedata.category(ch)[0] in VISIBLE_CATEGORIES for ch in text):
        # Nothing to see (a lone accent): no value, as an empty cell, whatever path it came by
        # (a name of invisible characters is no name).
        return "", note or INVISIBLE_CHARS
    return text, note


def _drop_text_marks(text: str) -> str:
    """`text` without the apostrophes typed before it (all of them, so that cleaning again
    changes nothing)."""
    while text[:1] in TEXT_MARKS and text:
        text = text[1:].lstrip()
    return text


def _spaces_removed(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


# The longest search key of a name (Person.name_key): the name's own length.
NAME_KEY_LENGTH = 64
# Letters typed as a middle dot between the parts of a name: the Hangul araea (ㆍ U+318D, which
# NFKC makes U+119E), a Korean input method's middle dot.
DOT_LETTERS = frozenset("\u318d\u119e")


def name_key(value: str) -> str:
    """A name as a search compares it: cleaned (`clean_text`: NFKC, so full-width letters are
    half-width), in lower case, and with its letters, digits and combining marks only: no middle
    dots (· • ‧ ∙ ⋅ ・ ･ ㆍ), hyphens, full stops or spaces. "赛买提·玉素甫", "赛买提 • 玉素甫",
    "赛买提・玉素甫" and "赛买提玉素甫" all give "赛买提玉素甫". Takes and returns str (at most
    NAME_KEY_LENGTH characters, "" for a name of separators only); never raises."""
    text = clean_text(value).casefold()
    kept = "".join(
        ch for ch in text if unicodedata.category(ch)[0] in "LNM" and ch not in DOT_LETTERS
    )
    return kept[:NAME_KEY_LENGTH]


@functools.lru_cache(maxsize=65536)
def name_initials(value: str) -> str:
    """The initials of a name's pinyin, as a cadre types them into a search box on a phone:
    "赛买提·玉素甫" gives "smtysf", "王志强" "wzq". Each Chinese character gives the first letter
    of its usual reading (pypinyin's; a surname read otherwise, 单 as shan, gives the usual one);
    letters and digits written in the name are kept as `name_key` keeps them; separators are
    dropped. Takes a str; returns a str of lower-case letters and digits (at most
    NAME_KEY_LENGTH), "" when nothing is left. Never raises. Cached: names repeat."""
    initials = lazy_pinyin(name_key(value), style=Style.FIRST_LETTER, errors="default")
    return "".join(initials).casefold()[:NAME_KEY_LENGTH]


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


class RefusedCharacter(ValueError):
    """A typed value holds a character no value may hold (`REFUSED`): `field` says where (a
    form field or query parameter, or the path into a JSON body such as `served[0].site`),
    `char` which character."""

    def __init__(self, field: str, char: str):
        super().__init__(field, char)
        self.field = field
        self.char = char

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.char):04X}"

    def message(self) -> str:
        """What to fix, in the active language."""
        values = {"field": self.field, "char": self.code_point}
        if "\ud800" <= self.char <= "\udfff":
            if self.field:
                return (
                    _(
                        "%(field)s holds %(char)s, half of a character that is missing its other "
                        "half: type the value again and send it."
                    )
                    % values
                )
            return (
                _(
                    "The request holds %(char)s, half of a character that is missing its other "
                    "half: type the value again and send it."
                )
                % values
            )
        if self.field:
            return (
                _(
                    "%(field)s holds the control character %(char)s, which no value may hold: "
                    "remove it and send again."
                )
                % values
            )
        return (
            _(
                "The request holds the control character %(char)s, which no value may hold: "
                "remove it and send again."
            )
            % values
        )


def refused_character(value: object, field: str = "") -> None:
    """Raise RefusedCharacter for a string in `value` (a str, or the strings of the lists and
    dicts of a parsed JSON body, keys included) that holds a character of `REFUSED`; `field` is
    where `value` came from. Returns None when there is none. Iterative, so that no nesting
    makes it recurse."""
    stack = [(field, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            found = REFUSED.search(item)
            if found:
                raise RefusedCharacter(where[:64], found.group())
        elif isinstance(item, dict):
            for key, inner in item.items():
                key = str(key)
                found = REFUSED.search(key)
                if found:
                    raise RefusedCharacter(where[:64], found.group())
                stack.append((f"{where}.{key}" if where else key, inner))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{i}]", inner) for i, inner in enumerate(item))
