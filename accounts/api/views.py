"""The token endpoints: issue one for a username and password, list one's own, revoke them."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import (
    ApiTokenSerializer,
    TokenIssuedSerializer,
    TokenRequestSerializer,
)
from accounts.models import ApiToken
from accounts.selectors import account_locked, api_token_list
from accounts.services import Revoked, api_token_create, api_token_revoke, api_tokens_revoke

DETAIL = inline_serializer("AuthRefusal", {"detail": serializers.CharField()})
REVOKED = inline_serializer("TokensRevoked", {"revoked": serializers.IntegerField()})


def locked_answer() -> Response:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return Response(
        {
            "detail": _(
                "Too many wrong passwords: this account is locked for %(minutes)d "
                "minutes. Try again later, or ask your administrator to unlock it."
            )
            % {"minutes": minutes}
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class TokenView(GenericAPIView):
    """POST a username and password (and a name for the token): answer a new token for
    `Authorization: Token …`, its secret shown this once.

    Held to the same sign-in lock as the pages: a locked account gets 429 and says so."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        summary="Exchange username and password for a named API token",
        responses={
            200: TokenIssuedSerializer,
            400: OpenApiResponse(
                description="Wrong username or password, or the user already holds "
                "API_TOKEN_LIMIT tokens."
            ),
            429: OpenApiResponse(DETAIL, description="The account is locked."),
        },
    )
    def post(self, request, *args, **kwargs):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if isinstance(username, str) and account_locked(request=request, username=username):
            return locked_answer()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, secret = api_token_create(
            user=serializer.validated_data["user"],
            name=serializer.validated_data.get("name", ""),
            replace=True,
            request=request,
        )
        token.token = secret
        return Response(TokenIssuedSerializer(token).data)


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The API tokens the signed-in user holds (never anyone else's: another's id is 404), with
    their last use; DELETE revokes one."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        return api_token_list(user=self.request.user)

    def perform_destroy(self, instance):
        api_token_revoke(token=instance, reason=Revoked.BY_USER, request=self.request)


@extend_schema(
    request=None,
    responses={
        204: OpenApiResponse(description="The token of this request is revoked."),
        400: OpenApiResponse(DETAIL, description="The request was made without a token."),
    },
    summary="Revoke the token this request is made with",
)
class LogoutView(APIView):
    """Revoke the token the request is made with (a script signing out)."""

    def post(self, request, *args, **kwargs):
        if not isinstance(request.auth, ApiToken):
            return Response(
                {
                    "detail": _(
                        "This request carries no API token to revoke: send it with "
                        "“Authorization: Token …”, or revoke tokens by their id."
                    )
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        api_token_revoke(token=request.auth, reason=Revoked.BY_USER, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    request=None,
    responses={200: REVOKED},
    summary="Revoke every API token of the signed-in user",
)
class LogoutAllView(APIView):
    """Revoke every token the user holds, this one included; answer how many."""

    def post(self, request, *args, **kwargs):
        revoked = api_tokens_revoke(user=request.user, reason=Revoked.BY_USER, request=request)
        return Response({"revoked": revoked})
