"""Serializers every ledger's API shares: the base of every model serializer, and the Excel
import's request and result."""

from rest_framework import serializers

from resettle.excel import check_upload_size
from resettle.validators import BOUND_ERRORS, BoundsValidator, field_bounds, out_of_range_message


class ModelSerializer(serializers.ModelSerializer):
    """Every app's model serializer. A number, year or date outside what its model field may
    hold (`resettle.validators.field_bounds`: a decimal's digits, a plausible year, a date from
    1900) is refused at validation with the message that names the field and its range, as the
    forms and the imports refuse it: never left to overflow the column at the write."""

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
