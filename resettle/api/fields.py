"""Serializer fields shared by every app's API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from resettle.masking import MASKED_INPUT, mask_birth_date, mask_id_number, mask_phone, unmask


class ScopedRelatedFieldMixin:
    """A related field whose choices are what the requesting user may see (NetBox's
    restrict_form_fields): anything else reads as "does not exist"."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        return queryset.visible_to(request.user if request else None)


class ScopedPrimaryKeyRelatedField(ScopedRelatedFieldMixin, serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _(
            "No record {pk_value} in your area: check the number, or ask who manages it."
        ),
    }


class ScopedSlugRelatedField(ScopedRelatedFieldMixin, serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("No record with the code {value} in your area: check the code."),
    }


class MaskedField(serializers.CharField):
    """A sensitive value, masked unless the view put `reveal` in the context."""

    def __init__(self, mask, **kwargs):
        self.mask = mask
        super().__init__(**kwargs)

    def to_representation(self, value):
        value = super().to_representation(value)
        return value if self.context.get("reveal") else self.mask(value)

    def to_internal_value(self, data):
        """A masked value sent back unchanged (a read-modify-write round trip) keeps the stored one."""
        value = super().to_internal_value(data)
        instance = getattr(self.parent, "instance", None)
        stored = (getattr(instance, self.source, "") or "") if instance is not None else ""
        return unmask(value, stored=stored, mask=self.mask)


def IdNumberField(**kwargs):
    return MaskedField(mask_id_number, **kwargs)


def PhoneField(**kwargs):
    return MaskedField(mask_phone, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "description": "YYYY-MM-DD; without the reveal permission the year only, as YYYY-**-**.",
        "example": "1994-**-**",
    }
)
class MaskedDateField(serializers.DateField):
    """A date that completes a masked ID number (the birth date): ISO "1994-06-14" when the view
    put `reveal` in the context, else "1994-**-**" (`mask_birth_date`). A masked value sent
    back unchanged keeps the stored date; any other value with * is refused (MASKED_INPUT)."""

    def __init__(self, *, always_masked: bool = True, **kwargs):
        # False: the serializer masks it where it would tell the birth date (a date of its own
        # that is the birth date for some records, such as a newborn's registration day).
        self.always_masked = always_masked
        super().__init__(**kwargs)

    def to_representation(self, value):
        value = super().to_representation(value)
        if self.context.get("reveal") or not self.always_masked:
            return value
        return mask_birth_date(value)

    def to_internal_value(self, data):
        if isinstance(data, str) and "*" in data:
            instance = getattr(self.parent, "instance", None)
            stored = getattr(instance, self.source, None) if instance is not None else None
            if stored and mask_birth_date(stored) == data:
                return stored
            raise serializers.ValidationError(str(MASKED_INPUT), code="masked")
        return super().to_internal_value(data)
