"""`Authorization: Token <key>` for the API: django-rest-knox finds and checks the token; this
adds the expiry rules, the account's state and the token's last use."""

import string

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from accounts.selectors import account_locked
from accounts.services import api_token_alive, api_token_record_use

HEX = frozenset(string.hexdigits)


def token_refused() -> AuthenticationFailed:
    return AuthenticationFailed(
        _(
            "This API token is unknown, expired or revoked. Ask for a new one with your "
            "username and password (POST /api/v1/auth/token/) or on the API tokens page."
        )
    )


class ApiTokenAuthentication(TokenAuthentication):
    """Accepts a token that knox finds by its hash and that has not expired (idle and absolute,
    accounts.services.api_token_expiry), of an active account that django-axes has not locked.

    An unknown, expired or revoked token: 401; an inactive account: 401; a locked account: 403
    with what to do. An accepted token's last use is recorded."""

    def authenticate_credentials(self, token: bytes):
        # Knox decodes and looks the token up as given: a header that is no token of ours (not
        # UTF-8, a NUL) would reach the database as a query it refuses. Ours are hexadecimal
        # (knox's TOKEN_PREFIX is left empty).
        try:
            text = token.decode("utf-8")
        except UnicodeDecodeError:
            raise token_refused() from None
        if not text or not HEX.issuperset(text):
            raise token_refused()
        try:
            return super().authenticate_credentials(token)
        except AuthenticationFailed:
            raise token_refused() from None

    def validate_user(self, auth_token):
        # The account's state is checked in authenticate(), which has the request.
        return (auth_token.user, auth_token)

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        now = timezone.now()
        if not api_token_alive(token, now=now):
            # Expired by a setting made shorter after it was issued (knox checks the expiry
            # stored at its last use).
            token.delete()
            raise token_refused()
        if not user.is_active:
            raise AuthenticationFailed(
                _(
                    "This account is deactivated: its API tokens no longer work. Ask your administrator."
                )
            )
        if account_locked(request=request, username=user.get_username()):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise PermissionDenied(
                _(
                    "This account is locked after too many wrong passwords, and its API tokens "
                    "are refused while it is: try again %(minutes)d minutes after the last wrong "
                    "password, or ask your administrator to unlock it."
                )
                % {"minutes": minutes}
            )
        api_token_record_use(token, now=now)
        return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes these tokens: `Authorization: Token <key>`."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
