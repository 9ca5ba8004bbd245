"""Masking of sensitive values for display and export (DESIGN.md, Regions and access scoping).

A user without the reveal permission is shown, beside a person's masked ID number, the person's
gender and the year of birth (never the day): what is served together must not rebuild the number
(PIPL art. 28 and 51; issue 16). An ID number (GB 11643-1999) is 6 digits of region, 8 of birth
date, 3 of sequence (the last odd for men) and a check character computed from the other 17. The
common "first six, last four" mask leaves only the month and day unknown once the year is shown:
about 366 ÷ 11 ≈ 33 numbers fit, few enough to try by hand. Keeping the region only leaves the day
of the year and the sequence: 366 × 1,000 ÷ 2 ≈ 183,000 numbers fit (`candidates` counts them).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from resettle.idcard import check_char

# Characters of an 18-character ID number a masked one keeps: the region code (户籍地 county),
# which the household's origin and site tell anyway.
ID_KEPT = 6


def mask_id_number(value: str | None) -> str:
    """653125199001011234 → 653125************: the region kept, the birth date, sequence and
    check character hidden. Takes the stored number (str, or None/"" for none); returns a str of
    the same length ("" for none; all stars for a value too short to carry a region)."""
    if not value:
        return value or ""
    if len(value) <= ID_KEPT + 4:
        return "*" * len(value)
    return value[:ID_KEPT] + "*" * (len(value) - ID_KEPT)


def mask_birth_date(value: dt.date | str | None) -> str:
    """1994-06-14 → "1994-**-**": the year kept (ages and the working-age band follow from it),
    the month and day hidden, as they complete a masked ID number. Takes a date or its ISO
    text; returns "" for none."""
    if not value:
        return ""
    return f"{str(value)[:4]}-**-**"


def mask_phone(value: str | None) -> str:
    """13812341234 → 138****1234."""
    if not value:
        return value or ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# Fields every ledger masks by name for display and export.
SENSITIVE_FIELDS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "birth_date": mask_birth_date,
}

# What a user is told who sends a masked value (with *) back as if it were a number.
MASKED_INPUT = _("Type the whole number: a value with * is a masked one and cannot be saved.")


def unmask(value: str, *, stored: str, mask) -> str:
    """A value sent back by a form or client: a masked value equal to the mask of the stored one
    keeps the stored value (a read-modify-write round trip); any other value with * is refused."""
    if "*" not in value:
        return value
    if stored and mask(stored) == value:
        return stored
    raise ValidationError(MASKED_INPUT, code="masked")


def candidates(masked_id: str, *, birth_year: int, gender: str) -> int:
    """How many valid 18-character ID numbers fit a masked one (`mask_id_number`'s output) and
    what is served beside it: the year of birth and gender ("male"/"female"). Dates that do not
    exist are not counted; the check character is computed (GB 11643-1999), so a mask that keeps
    it narrows the count by about eleven. Used by the tests to show the mask holds."""
    kept = {i: c for i, c in enumerate(masked_id) if c != "*"}
    day = dt.date(birth_year, 1, 1)
    count = 0
    while day.year == birth_year:
        for sequence in range(1000):
            if (sequence % 2 == 1) != (gender == "male"):
                continue
            body = f"{masked_id[:6]}{day:%Y%m%d}{sequence:03d}"
            number = body + check_char(body)
            if all(number[i] == c for i, c in kept.items()):
                count += 1
        day += dt.timedelta(days=1)
    return count
