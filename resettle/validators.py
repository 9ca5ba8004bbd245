"""Validators of values every ledger holds, and the bounds of every number, year and date a
form, the API or an import may store (`field_bounds`, derived from the model field)."""

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Mobile (11 digits) or landline with area code (e.g. 0998-1234567), optionally +86.
PHONE = re.compile(r"^(\+86[- ]?)?(1\d{10}|0\d{2,3}[- ]?\d{7,8})$")


def validate_phone(value: str) -> None:
    if value and not PHONE.match(value.strip()):
        raise ValidationError(
            _(
                "%(value)s is not a phone number: give 11 digits for a mobile (e.g. 13812341234) "
                "or the area code and number for a landline (e.g. 0998-1234567)."
            )
            % {"value": value},
            code="phone",
        )


# The years a record may name (a site's building, a relocation, an investment, a dividend, an
# income, a monitoring line): none of the registry's facts predates the People's Republic, and
# a year more than a few years ahead is a typing mistake (20244, 3000), whatever the column
# could hold. The services add each field's own rule (no dividend of a year to come).
FIRST_YEAR = 1949
YEARS_AHEAD = 5
# The dates a record may name: the oldest members were born in the 1900s; a date past 2099 is a
# typing mistake. Each service adds its field's own rule (not in the future, not before the
# relocation …).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
# The decimals that may be below zero: coordinates. Every other one is an amount (yuan, m²),
# never negative.
SIGNED_DECIMALS = frozenset({"latitude", "longitude"})
# What an integer column holds on PostgreSQL, the production database (SQLite takes more).
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def is_year_field(field: models.Field) -> bool:
    """Whether `field` holds a calendar year (named `year` or `…_year`)."""
    return isinstance(field, models.IntegerField) and (
        field.name == "year" or field.name.endswith("_year")
    )


def field_bounds(field: models.Field) -> tuple[object, object] | None:
    """The smallest and the largest value of `field` (a model field) that any path (form, API,
    import) may store. A model may narrow its own fields' bounds in `BOUNDS` (field name →
    function returning (low, high)), its policy's rule; otherwise: for a decimal, from 0 (but
    for a coordinate) to what its `max_digits` and `decimal_places` hold (10^12 in a 12-digit
    column of 2 places overflows it on PostgreSQL); for a year, FIRST_YEAR to this year +
    YEARS_AHEAD; for another integer, its column's range; for a date, EARLIEST_DATE to
    LATEST_DATE. None for a field of another kind."""
    own = getattr(field.model, "BOUNDS", {}).get(field.name)
    if own is not None:
        return own()
    if isinstance(field, models.DecimalField):
        largest = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(10) ** (
            -field.decimal_places
        )
        return (-largest if field.name in SIGNED_DECIMALS else Decimal(0), largest)
    if is_year_field(field):
        return (FIRST_YEAR, dt.date.today().year + YEARS_AHEAD)
    if isinstance(field, models.IntegerField):
        return INTEGER_RANGES.get(field.get_internal_type())
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return (EARLIEST_DATE, LATEST_DATE)
    return None


def _shown(field: models.Field, value) -> str:
    """`value` of `field` as a message shows it (a long one cut short)."""
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif is_year_field(field):
        text = str(value)
    elif isinstance(value, Decimal):
        text = f"{value:,f}"
    else:
        text = f"{value:,}"
    return text if len(text) <= 24 else text[:24] + "…"


def out_of_range_message(field: models.Field, value=None) -> str:
    """What to fix when `value` (None when not at hand) of `field` is outside
    `field_bounds(field)`: the field's name and the values it takes, in the active language."""
    low, high = field_bounds(field)
    values = {
        "field": capfirst(field.verbose_name),
        "low": _shown(field, low),
        "high": _shown(field, high),
    }
    if value is None:
        return _("%(field)s must be between %(low)s and %(high)s: check the value.") % values
    return _(
        "%(field)s must be between %(low)s and %(high)s; %(value)s is not: check the value."
    ) % {
        **values,
        "value": _shown(field, value),
    }


def check_bounds(field: models.Field, value) -> None:
    """Raise ValidationError (`out_of_range_message`) when `value` (None for a blank) lies
    outside `field_bounds(field)`; return None otherwise."""
    bounds = field_bounds(field)
    if value is None or bounds is None:
        return
    low, high = bounds
    if not low <= value <= high:
        raise ValidationError(out_of_range_message(field, value), code="out_of_range")


class BoundsValidator:
    """Refuses a value of a model `field` outside `field_bounds(field)` (`check_bounds`)."""

    def __init__(self, field: models.Field):
        self.field = field

    def __call__(self, value) -> None:
        check_bounds(self.field, value)


def bounds_of(model: type[models.Model], name: str) -> list[BoundsValidator]:
    """The validators that hold a form or serializer field declared by hand to the bounds of
    `model`'s field `name`, as the fields built from the model are held."""
    return [BoundsValidator(model._meta.get_field(name))]


def bounded_formfield(field: models.Field, **kwargs):
    """The form field of a model `field` (a ModelForm's `Meta.formfield_callback`), which
    refuses a value outside `field_bounds` with `out_of_range_message`, as the API and the
    imports do (a decimal with more digits than its column, before it is a number to compare,
    with the message that gives the bounds)."""
    formfield = field.formfield(**kwargs)
    if formfield is None or field_bounds(field) is None:
        return formfield
    replaced = MinValueValidator | MaxValueValidator | DecimalValidator
    formfield.validators = [v for v in formfield.validators if not isinstance(v, replaced)]
    if isinstance(field, models.DecimalField):
        # Its places still checked; its digits are the bounds, said with the value.
        formfield.validators.append(DecimalValidator(None, field.decimal_places))
    formfield.validators.append(BoundsValidator(field))
    message = lazy(out_of_range_message, str)(field)
    for key in BOUND_ERRORS:
        formfield.error_messages[key] = message
    return formfield


# The error codes of the digit and value checks that Django and DRF make of a field's bounds.
BOUND_ERRORS = ("max_value", "min_value", "max_digits", "max_whole_digits")


def check_page_number(raw: str | None) -> None:
    """Raise ValidationError unless `raw`, a list's `page` parameter (None when not given), is
    a whole number from 1, or `last`. A page past the end is no error here: the lists answer
    it."""
    if raw is None or raw == "last" or (raw.isascii() and raw.isdigit() and int(raw) >= 1):
        return
    raise ValidationError(
        _("The page number must be a whole number from 1; got %(value)s.") % {"value": raw[:20]},
        code="page",
    )
