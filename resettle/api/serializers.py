"""Serializers every ledger's API shares: its Excel import's request and result."""

from rest_framework import serializers

from resettle.excel import check_upload_size


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
