"""Masking of sensitive values for display and export (DESIGN.md, Regions and access scoping)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def mask_id_number(value: str | None) -> str:
    """653125199001011234 → 653125********1234: region kept, birth date and sequence hidden."""
    if not value:
        return value or ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """13812341234 → 138****1234."""
    if not value:
        return value or ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# Fields every ledger masks by name for display and export.
SENSITIVE_FIELDS = {"id_number": mask_id_number, "phone": mask_phone}

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
