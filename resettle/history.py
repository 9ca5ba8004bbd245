"""Change history (django-simple-history) as people read it: which field, from what to what;
choice labels instead of codes, sensitive values masked unless revealed."""

from collections.abc import Callable

from django.db import models

from resettle.masking import SENSITIVE_FIELDS

Display = Callable[..., str]


def display_value(model: type[models.Model], field_name: str, value, *, reveal: bool) -> str:
    if value is None or value == "":
        return ""
    field = model._meta.get_field(field_name)
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    if field_name in SENSITIVE_FIELDS and not reveal:
        value = SENSITIVE_FIELDS[field_name](str(value))
    return str(value)


def record_changes(
    model: type[models.Model], older, newer, *, reveal: bool, display: Display = display_value
) -> list[dict]:
    """The fields that differ between two historical records of `model`."""
    delta = newer.diff_against(older, excluded_fields=["version"])
    return [
        {
            "field": change.field,
            "label": str(model._meta.get_field(change.field).verbose_name),
            "old": display(model, change.field, change.old, reveal=reveal),
            "new": display(model, change.field, change.new, reveal=reveal),
        }
        for change in delta.changes
    ]
