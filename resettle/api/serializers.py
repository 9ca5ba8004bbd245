"""Serializers every ledger's API shares: the base of every model serializer, and the Excel
import's request and result."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from resettle.excel import check_upload_size
from resettle.validators import BOUND_ERRORS, BoundsValidator, field_bounds, out_of_range_message


def _label(choices: dict, value) -> str | None:
    """The label of `value` among `choices` (code → label), translated into the request's
    language; None for no value, "" for a blank, the code itself when it is not on the list."""
    if value is None:
        return None
    if value == "":
        return ""
    return str(choices.get(value, value))


@extend_schema_field({"type": "string", "nullable": True, "readOnly": True})
class ChoiceDisplayField(serializers.Field):
    """The label of a code field's value (「已纳入监测」 for `monitored`), read-only, beside the
    code: `<field>_display`. Takes the code field's `choices` (code → label) and its `source`;
    gives a str in the request's language (Chinese by default), None when the code is null."""

    def __init__(self, choices: dict, **kwargs):
        self.label_of = dict(choices)
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return _label(self.label_of, value)


@extend_schema_field({"type": "array", "items": {"type": "string"}, "readOnly": True})
class ChoiceListDisplayField(ChoiceDisplayField):
    """The labels of a list of codes (a case's risks), in their order: a list of str."""

    def to_representation(self, value):
        return [_label(self.label_of, code) for code in value or []]


def with_display_fields(fields: dict) -> dict:
    """`fields` (a serializer's name → field) with a read-only `<name>_display` after every
    readable code field (a ChoiceField, or a list of them): its label, so that an API client
    shows what the pages show without its own copy of the code lists (issue 18, item 3). A name
    already declared is left as it is. Returns a new dict in the same order."""
    result = {}
    for name, field in fields.items():
        result[name] = field
        display = f"{name}_display"
        if field.write_only or display in fields:
            continue
        extra = {"source": field.source or name}
        if isinstance(field, serializers.ChoiceField):
            result[display] = ChoiceDisplayField(field.choices, **extra)
        elif isinstance(field, serializers.ListField) and isinstance(
            field.child, serializers.ChoiceField
        ):
            result[display] = ChoiceListDisplayField(field.child.choices, **extra)
    return result


class ModelSerializer(serializers.ModelSerializer):
    """Every app's model serializer. A number, year or date outside what its model field may
    hold (`resettle.validators.field_bounds`: a decimal's digits, a plausible year, a date from
    1900) is refused at validation with the message that names the field and its range, as the
    forms and the imports refuse it: never left to overflow the column at the write.

    Every code field is served with its label beside it (`with_display_fields`):
    `"status": "monitored", "status_display": "已纳入监测"`."""

    def get_fields(self):
        return with_display_fields(super().get_fields())

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_bounds(model_field) is None or kwargs.get("read_only"):
            return field_class, kwargs
        # The bounds are the validator's; a decimal with more digits than its column (which
        # DRF refuses before it is a number) gets the same message.
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        kwargs["validators"] = [*kwargs.get("validators", []), BoundsValidator(model_field)]
        message = out_of_range_message(model_field)
        kwargs["error_messages"] = {
            **kwargs.get("error_messages", {}),
            **dict.fromkeys(BOUND_ERRORS, message),
        }
        return field_class, kwargs


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An .xlsx in the columns of the import template")
    dry_run = serializers.BooleanField(default=True, help_text="Check only; write nothing")

    def validate_file(self, upload):
        check_upload_size(upload.size)
        return upload


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Row in the sheet; null for the file")
    column = serializers.CharField(allow_null=True, help_text="The column's header")
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
