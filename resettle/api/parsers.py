"""The API's request parsers: DRF's, with every string of the body cleaned by the one cell
cleaner (`resettle.cleaning`), as the web forms' values are (`resettle.middleware`)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, FormParser, JSONParser, MultiPartParser

from resettle.cleaning import clean_value
from resettle.middleware import cleaned_query


class CleanJSONParser(JSONParser):
    """A JSON body with its strings (keys and values, at any depth) cleaned."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return clean_value(super().parse(stream, media_type, parser_context))
        except RecursionError:
            # No record nests this deep: a 400 that says so, never a server error.
            raise ParseError(_("The JSON body is nested too deeply.")) from None


class CleanFormParser(FormParser):
    """A form-encoded body with its values cleaned (passwords as typed)."""

    def parse(self, stream, media_type=None, parser_context=None):
        return cleaned_query(super().parse(stream, media_type, parser_context))


class CleanMultiPartParser(MultiPartParser):
    """A multipart body (a form with an upload) with its text values cleaned; files as sent."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        return DataAndFiles(cleaned_query(parsed.data), parsed.files)
