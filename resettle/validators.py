"""Validators of values every ledger holds."""

import re

from django.core.exceptions import ValidationError
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
