"""Resident identity numbers (公民身份号码, GB 11643-1999): validation, and what they tell."""

import datetime as dt
import operator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from resettle.cleaning import clean_text

# GB 11643-1999 §5.2: weights of the first 17 digits and the check character by sum mod 11.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


@dataclass(frozen=True)
class IdInfo:
    number: str
    region_code: str
    birth_date: dt.date
    gender: str  # "male" or "female", the codes of households.choices.Gender


# No birth before this year is in the future (the year the process started: a process running
# across new year only asks the clock for one year more).
_THIS_YEAR = dt.date.today().year


def check_char(first17: str) -> str:
    """The check character for the first 17 digits (a str of 17 ASCII digits)."""
    if len(first17) != 17:
        raise ValueError("the check character is of 17 digits")
    # map in C: an import checks tens of thousands of numbers.
    return CHECK_CHARS[sum(map(operator.mul, map(int, first17), WEIGHTS)) % 11]


def with_check_char(first17: str) -> str:
    """The whole number for its first 17 digits (examples and test data)."""
    return first17 + check_char(first17)


def normalise(raw: str) -> str:
    """An ID number as typed, cleaned (`clean_text`: full-width digits and Ｘ, invisible
    characters, a leading apostrophe), without spaces, with a capital X."""
    return clean_text(raw or "").replace(" ", "").upper()


def upgrade(number: str) -> str:
    """The 18-digit number of an old 15-digit one (issued before 1999): the century 19 inserted
    before the two-digit birth year, and the check character appended (GB 11643-1999 §5;
    15-digit numbers were issued to persons born in the 1900s only). Takes 15 digits."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_char(first17)


def parse_id_number(raw: str, *, today: dt.date | None = None) -> IdInfo:
    """Validate an ID number and return what it encodes: 18 characters, or an old 15-digit
    number, which is converted to its 18 digits (`upgrade`; `IdInfo.number` is the new number).

    Raises ValidationError with a Chinese message that says what to fix.
    """
    number = normalise(raw)
    if len(number) == 15 and number.isascii() and number.isdigit():
        number = upgrade(number)
    if len(number) != 18:
        if number.replace(".", "").replace("+", "").upper().count("E") == 1:
            raise ValidationError(
                _(
                    "The ID number %(value)s looks like a number Excel shortened into scientific "
                    "notation: format the column as text and type it again."
                )
                % {"value": raw},
                code="id_scientific",
            )
        raise ValidationError(
            _("The ID number must have 18 characters; this one has %(count)d.")
            % {"count": len(number)},
            code="id_length",
        )
    first17, last = number[:17], number[17]
    if not (first17.isascii() and first17.isdigit()) or not (
        (last.isascii() and last.isdigit()) or last == "X"
    ):
        position, char = next(
            (i, c)
            for i, c in enumerate(number, start=1)
            if not (c.isascii() and c.isdigit()) and not (i == 18 and c == "X")
        )
        raise ValidationError(
            _(
                "The ID number must be 17 digits followed by a digit or X; character %(position)d "
                "is 「%(char)s」, not a digit."
            )
            % {"position": position, "char": char},
            code="id_chars",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date %(value)s in the ID number is not a real date.")
            % {"value": number[6:14]},
            code="id_birth_date",
        ) from None
    # (today is asked only of a birth this year or later: an import checks tens of thousands)
    if birth.year < 1900 or (birth.year >= _THIS_YEAR and birth > (today or dt.date.today())):
        raise ValidationError(
            _("The birth date %(value)s in the ID number is impossible.")
            % {"value": birth.isoformat()},
            code="id_birth_date",
        )
    expected = check_char(first17)
    if last != expected:
        raise ValidationError(
            _(
                "The check character of the ID number is wrong: it should be %(expected)s, not %(given)s."
            )
            % {"expected": expected, "given": last},
            code="id_check",
        )
    return describe(number)


def describe(number: str) -> IdInfo:
    """What a number already checked by `parse_id_number` encodes."""
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return IdInfo(number=number, region_code=number[:6], birth_date=birth, gender=gender)
