from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response


@extend_schema(summary="Exchange username and password for an API token")
class TokenView(ObtainAuthToken):
    """POST username and password; answer {"token": …} for `Authorization: Token …`.

    Held to the same sign-in lock as the pages: a locked account gets 429 and says so."""

    def post(self, request, *args, **kwargs):
        credentials = {"username": request.data.get("username", "")}
        if AxesProxyHandler.is_locked(request._request, credentials):
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
        return super().post(request, *args, **kwargs)
