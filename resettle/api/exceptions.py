"""Turns the services' errors into API answers: rule violations 400, stale versions 409."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from resettle.exceptions import VersionConflict


class BodyRefused(ParseError):
    """A request body that parses but that no endpoint takes (`resettle.api.parsers`): answered
    400 with its own message, which says what to fix."""


def exception_handler(exc, context):
    if isinstance(exc, VersionConflict):
        return Response(
            {
                "detail": str(exc),
                "current_version": exc.current_version,
                "changed_fields": exc.changed_fields,
                "changes": exc.changes,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        # The same answer whether the record is missing or outside the user's area.
        exc = NotFound(_("Not found, or outside your area."))
    if isinstance(exc, IntegrityError):
        # Another user saved a clashing record (same ID number, household number, …) between
        # our checks and the write.
        return Response(
            {
                "detail": _(
                    "Someone saved a record that clashes with this one (for example the same ID "
                    "number or household number) a moment ago. Reload, check, and try again."
                )
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ParseError) and not isinstance(exc, BodyRefused):
        exc = ParseError(
            _(
                "The request body is not valid JSON (%(detail)s): check the brackets, quotes and "
                "commas."
            )
            % {"detail": exc.detail}
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages or [_("The request is not valid.")]}
        exc = ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = field_errors(response.data)
    return response


def field_errors(data):
    """A 400's body in its one documented shape (`resettle.api.schema`, FieldErrors): each field
    with a list of messages. A refusal of the request as a whole (a ValidationError("…")
    outside a serializer, a bare list) goes under non_field_errors, as a serializer's own; a
    field's lone message (ValidationError({"field": "…"})) in a list; `detail` as it is."""
    if isinstance(data, list):
        return {"non_field_errors": data}
    return {
        field: [messages] if isinstance(messages, str) and field != "detail" else messages
        for field, messages in data.items()
    }
