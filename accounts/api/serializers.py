"""What the token endpoints take and answer. A token's secret appears once, in the answer that
issues it; lists show its first characters only."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import ApiToken
from accounts.services import api_token_expiry

PREFIX_SHOWN = 8


class TokenRequestSerializer(serializers.Serializer):
    """Username and password, and the name of what will use the token (optional)."""

    username = serializers.CharField(label=gettext_lazy("username"), max_length=150)
    password = serializers.CharField(
        label=gettext_lazy("password"), max_length=128, trim_whitespace=False
    )
    name = serializers.CharField(
        label=gettext_lazy("name"),
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "What will use the token, e.g. “monthly export script”; default “API”. Asking again "
            "with the same name replaces that token."
        ),
    )

    def validate(self, attrs):
        # With the request, so that django-axes counts a wrong password towards the lock.
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                _(
                    "Wrong username or password: check both and try again. After %(limit)d "
                    "wrong passwords the account is locked for a while."
                )
                % {"limit": settings.AXES_FAILURE_LIMIT},
                code="authorization",
            )
        attrs["user"] = user
        return attrs


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its user sees it listed: never the secret, nor its hash."""

    prefix = serializers.SerializerMethodField(
        help_text=gettext_lazy("The token's first characters, to tell it apart.")
    )
    expires = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "When it stops working unless used before: API_TOKEN_IDLE after its last use, "
            "never later than API_TOKEN_MAX_AGE after it was issued."
        )
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created", "last_used", "expires"]
        read_only_fields = fields

    def get_prefix(self, token: ApiToken) -> str:
        return token.token_key[:PREFIX_SHOWN]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_expires(self, token: ApiToken) -> str:
        return serializers.DateTimeField().to_representation(
            api_token_expiry(created=token.created, last_used=token.last_used)
        )


class TokenIssuedSerializer(ApiTokenSerializer):
    """A token just issued: with its secret, shown this once."""

    token = serializers.CharField(
        help_text=gettext_lazy(
            "The secret, for `Authorization: Token <token>`. Shown only in this answer: keep it."
        )
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
        read_only_fields = fields
