"""Masking of sensitive values for display and export (DESIGN.md, Regions and access scoping)."""


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
