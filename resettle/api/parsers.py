"""The API's request parsers: DRF's, with every string of the body cleaned by the one cell
cleaner (`resettle.cleaning`), as the web forms' values are (`resettle.middleware`).

They are where an API body is refused (400) before any view reads it: one holding a control
character (`resettle.cleaning.refused_character`, naming the field), and a JSON body nested
deeper than any record (`MAX_JSON_DEPTH`)."""

import codecs

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import (
    DataAndFiles,
    FormParser,
    JSONParser,
    MultiPartParser,
    get_encoding,
)
from rest_framework.utils import json

from resettle.api.exceptions import BodyRefused
from resettle.cleaning import RefusedCharacter, clean_value, refused_character
from resettle.middleware import cleaned_query

# The deepest a JSON body nests (a project's served sites are three levels: the body, the
# list, a site): anything deeper is no record of ours, and DRF would walk it recursively.
MAX_JSON_DEPTH = 32


def refused(exc: RefusedCharacter) -> ValidationError:
    """The 400 of a body field holding a control character: the field's error, as validation
    gives it."""
    message = exc.message()
    return ValidationError({exc.field or "non_field_errors": [message]})


def json_depth(value: object) -> int:
    """How deep `value` (a parsed JSON body) nests: 0 for a scalar, 1 for a flat list or
    object. Iterative, whatever the depth."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((inner, depth) for inner in item if isinstance(inner, dict | list))
    return deepest


class RepeatedKey(Exception):
    """A JSON object names `key` twice."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _object_once(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object's members as a dict; RepeatedKey when a name comes twice (json keeps the
    last one silently: {"amount": 1, "amount": 1e12} would be read as the second)."""
    result = {}
    for key, value in pairs:
        if key in result:
            raise RepeatedKey(key)
        result[key] = value
    return result


class CleanJSONParser(JSONParser):
    """A JSON body with its strings (keys and values, at any depth) cleaned; one naming a field
    twice, nesting deeper than MAX_JSON_DEPTH or holding a control character refused."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=json.strict_constant,
                object_pairs_hook=_object_once,
            )
            too_deep = json_depth(data) > MAX_JSON_DEPTH
        except RepeatedKey as exc:
            raise ValidationError(
                {
                    exc.key[:64]: [
                        _("%(field)s is given twice in the body: send each field once.")
                        % {"field": exc.key[:64]}
                    ]
                }
            ) from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:  # deeper than Python's own limit
            too_deep = True
        if too_deep:
            raise BodyRefused(
                _(
                    "The JSON body nests more than %(max)d levels deep: send the record's "
                    "fields as the API documents them."
                )
                % {"max": MAX_JSON_DEPTH}
            )
        try:
            refused_character(data)
        except RefusedCharacter as exc:
            raise refused(exc) from None
        return clean_value(data)


class CleanFormParser(FormParser):
    """A form-encoded body with its values cleaned (passwords as typed)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return cleaned_query(super().parse(stream, media_type, parser_context))
        except RefusedCharacter as exc:
            raise refused(exc) from None


class CleanMultiPartParser(MultiPartParser):
    """A multipart body (a form with an upload) with its text values cleaned; files as sent."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        try:
            return DataAndFiles(cleaned_query(parsed.data), parsed.files)
        except RefusedCharacter as exc:
            raise refused(exc) from None
