"""The API's OpenAPI schema (drf-spectacular's AutoSchema, named in REST_FRAMEWORK): what every
operation answers besides success, written once here rather than on each view, and the few
things the views' serializers cannot say themselves.

- 400, 401, 403, 404 and 409 are documented on every operation that can give them, with the
  bodies `resettle.api.exceptions.exception_handler` writes: a field's errors, a `detail`, or a
  version conflict.
- An update (PUT or PATCH) of a record with a `version` requires it, as the serializers'
  validation does (`households.api.serializers.VersionedSerializerMixin`); a create does not.
- A read-only code whose model field may be blank serves "" (not known): its schema allows it,
  as the writable fields' schemas do (DRF drops `allow_blank` from read-only fields).
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance, is_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

WRITES = ("POST", "PUT", "PATCH", "DELETE")
UPDATES = ("PUT", "PATCH")
# The field an update must carry (the version the user read; a stale one is refused with 409).
VERSION_FIELD = "version"

# The bodies of the error answers, as the exception handler writes them.
ERROR_COMPONENTS = {
    "FieldErrors": {
        "type": "object",
        "description": (
            "What to fix, in Chinese: each field refused, with its messages (an object of them "
            "for a field holding a record or a list); `non_field_errors` for the record as a "
            "whole; `detail` when the body or a parameter could not be read at all."
        ),
        "properties": {
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
            "detail": {"type": "string"},
        },
        "additionalProperties": {
            "anyOf": [{"type": "array", "items": {}}, {"type": "object"}],
        },
    },
    "ErrorDetail": {
        "type": "object",
        "description": "Why the request was refused, in Chinese.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "Conflict": {
        "type": "object",
        "description": (
            "Someone saved the record after the `version` sent was read (the changes they made "
            "are listed), or saved a clashing record (same ID or household number) a moment "
            "ago. Nothing was written: reload, check and send again."
        ),
        "properties": {
            "detail": {"type": "string"},
            "current_version": {"type": "integer", "description": "The record's version now."},
            "changed_fields": {
                "type": "array",
                "items": {"type": "string"},
                "description": "The labels of the fields changed since the version sent.",
            },
            "changes": {
                "type": "array",
                "description": "Each change since the version sent; sensitive values masked.",
                "items": {
                    "type": "object",
                    "properties": {
                        "user": {"type": "string"},
                        "at": {"type": "string", "format": "date-time"},
                        "field": {"type": "string"},
                        "label": {"type": "string"},
                        "old": {"type": "string", "nullable": True},
                        "new": {"type": "string", "nullable": True},
                    },
                },
            },
        },
        "required": ["detail"],
    },
}


class ResettleAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema with the error answers and the update rules above."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            self._add_error_responses(operation)
            self._require_version(operation)
        return operation

    def _require_version(self, operation: dict) -> None:
        """An update (PUT or PATCH) of a record with a `version` must send it."""
        if self.method not in UPDATES or "requestBody" not in operation:
            return
        serializer = self.get_request_serializer()
        if not is_serializer(serializer):
            return
        field = force_instance(serializer).fields.get(VERSION_FIELD)
        if field is None or field.read_only:
            return
        operation["requestBody"]["required"] = True
        for media in operation["requestBody"]["content"].values():
            media["schema"] = {"allOf": [media["schema"], {"required": [VERSION_FIELD]}]}

    def _add_error_responses(self, operation: dict) -> None:
        """Document on `operation` each error answer it can give (those it documents itself are
        kept, a 400 of its own joined with the field errors any validation may give)."""
        parameters = operation.get("parameters", [])
        in_query = any(p.get("in") == "query" for p in parameters)
        in_path = any(p.get("in") == "path" for p in parameters)
        paginated = any(p.get("in") == "query" and p.get("name") == "page" for p in parameters)
        signed_in = self._requires_sign_in()
        errors = {}
        if self.method in WRITES or in_query:
            errors["400"] = (
                "FieldErrors",
                "Refused: the body or a parameter is not valid (see what to fix). Nothing was "
                "written.",
            )
        if signed_in:
            errors["401"] = (
                "ErrorDetail",
                "Not signed in, or the token has expired or was revoked.",
            )
            errors["403"] = (
                "ErrorDetail",
                "In your area, but your role may not do this (or the session's CSRF token is "
                "missing).",
            )
        if in_path or paginated:
            errors["404"] = (
                "ErrorDetail",
                "Not found, or outside your area (the same answer for both)"
                + ("; or a page past the last" if paginated else "")
                + ".",
            )
        if self.method in WRITES and (self._writes_records() or self._carries_version()):
            errors["409"] = ("Conflict", ERROR_COMPONENTS["Conflict"]["description"])

        responses = operation["responses"]
        for code, (name, description) in errors.items():
            ref = self._error_component(name)
            if code not in responses:
                responses[code] = {
                    "description": description,
                    "content": {"application/json": {"schema": ref}},
                }
                continue
            responses[code]["description"] = responses[code].get("description") or description
            for media in responses[code].get("content", {}).values():
                if media.get("schema") != ref:
                    media["schema"] = {"anyOf": [media["schema"], ref]}

    def _error_component(self, name: str) -> dict:
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema=copy.deepcopy(ERROR_COMPONENTS[name]),
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _requires_sign_in(self) -> bool:
        permissions = self.view.get_permissions()
        return any(not isinstance(p, AllowAny) for p in permissions)

    def _writes_records(self) -> bool:
        # A write to a model may clash with another user's (the exception handler's 409).
        return getattr(self.view, "queryset", None) is not None

    def _carries_version(self) -> bool:
        serializer = self.get_request_serializer()
        return is_serializer(serializer) and VERSION_FIELD in force_instance(serializer).fields

    # -- blank codes ---------------------------------------------------------------------------

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if _serves_blank(field):
            field = copy.copy(field)
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _serves_blank(field) -> bool:
    """Whether `field` is a read-only code list built from a model field that may be blank
    (DRF leaves `allow_blank` off read-only fields, yet they serve the blank)."""
    if not (isinstance(field, serializers.ChoiceField) and field.read_only):
        return False
    if field.allow_blank:
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in field.source:
        return False
    try:
        return model._meta.get_field(field.source).blank
    except FieldDoesNotExist:
        return False
