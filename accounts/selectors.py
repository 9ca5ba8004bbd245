"""Reading API tokens and the state of an account."""

from axes.handlers.proxy import AxesProxyHandler
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_alive_q


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The tokens `user` holds that still work, newest first. Never anyone else's."""
    return ApiToken.objects.filter(user=user).filter(api_token_alive_q(timezone.now()))


def account_locked(*, request, username: str) -> bool:
    """Whether the account `username` is locked by django-axes after too many wrong passwords
    (AXES_FAILURE_LIMIT within AXES_COOLOFF_TIME; README "Sign-in"). `request` is the Django
    (or DRF) request being answered."""
    request = getattr(request, "_request", request)
    return AxesProxyHandler.is_locked(request, {"username": username})
