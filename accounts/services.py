"""Issuing and revoking API tokens: the one place every path (API, page, admin, signals) calls,
and which records each issue and revocation in the audit trail (resettle.audit).

Policy: GB/T 22239-2019 §8.1.4.1 (identity authentication: credentials that expire, are
revoked with the account's password and cannot be read back)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.settings import knox_settings

from accounts.models import ApiToken
from resettle import audit

DEFAULT_NAME = "API"
MODEL = "accounts.apitoken"
# How stale `last_used` may get before a use is written down (one write a minute at most per
# token, knox's MIN_REFRESH_INTERVAL), and so how exact the idle expiry is.
USE_RECORDED_EVERY = dt.timedelta(seconds=knox_settings.MIN_REFRESH_INTERVAL)


class Revoked:
    """Why tokens were revoked, as the audit trail records it."""

    BY_USER = "revoked by its user"
    REPLACED = "replaced by a new token of the same name"
    BY_ADMIN = "revoked by an administrator"
    PASSWORD_CHANGED = "password changed"
    DEACTIVATED = "account deactivated"


def api_token_expiry(*, created: dt.datetime, last_used: dt.datetime | None) -> dt.datetime:
    """When a token issued at `created` and last used at `last_used` (None: never) stops
    working: API_TOKEN_IDLE after its last use (or issue), but never later than
    API_TOKEN_MAX_AGE after its issue. Reads the settings now, so a shorter setting applies to
    tokens already issued."""
    idle_end = (last_used or created) + settings.API_TOKEN_IDLE
    return min(idle_end, created + settings.API_TOKEN_MAX_AGE)


def api_token_alive(token: ApiToken, *, now: dt.datetime | None = None) -> bool:
    """Whether `token` still works at `now` (default: now) by the expiry rules above."""
    now = now or timezone.now()
    return now < api_token_expiry(created=token.created, last_used=token.last_used)


def api_token_alive_q(now: dt.datetime) -> Q:
    """The tokens that still work at `now`, as a query: the rule of `api_token_expiry`."""
    return Q(created__gt=now - settings.API_TOKEN_MAX_AGE) & (
        Q(last_used__gt=now - settings.API_TOKEN_IDLE)
        | Q(last_used__isnull=True, created__gt=now - settings.API_TOKEN_IDLE)
    )


def api_token_create(
    *, user, name: str = "", replace: bool = False, request=None
) -> tuple[ApiToken, str]:
    """Issue `user` a new API token named `name` (blank: "API") and return it with its secret,
    which is shown this once: only its hash is kept.

    A user holds one token of a name. With `replace` an earlier token of the same name is
    revoked first (a script that asks for its token again gets a fresh one); without it the
    name is refused. Expired tokens of the user are deleted first. Raises ValidationError
    ({"name": …}) on a name in use, or when the user already holds API_TOKEN_LIMIT tokens."""
    name = " ".join((name or "").split()) or DEFAULT_NAME
    limit = settings.API_TOKEN_LIMIT
    with transaction.atomic():
        _delete_expired(user)
        held = ApiToken.objects.filter(user=user)
        same_name = held.filter(name=name).first()
        if same_name is not None:
            if not replace:
                raise ValidationError(
                    {
                        "name": _(
                            "You already hold a token named “%(name)s”: choose another name, "
                            "or revoke that token first."
                        )
                        % {"name": name}
                    }
                )
            api_token_revoke(token=same_name, reason=Revoked.REPLACED, request=request)
        if held.count() >= limit:
            raise ValidationError(
                {
                    "name": _(
                        "You already hold %(limit)d API tokens, the most allowed: revoke one "
                        "you no longer use (on the API tokens page, or DELETE "
                        "/api/v1/auth/tokens/<id>/) and ask again."
                    )
                    % {"limit": limit}
                }
            )
        token, secret = ApiToken.objects.create(user=user, name=name, expiry=None)
        token.expiry = api_token_expiry(created=token.created, last_used=None)
        token.save(update_fields=["expiry"])
        audit.record(
            audit.Action.TOKEN_CREATED,
            request=request,
            user=user,
            model=MODEL,
            object_id=token.pk,
            detail=_described(token),
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, reason: str, request=None) -> None:
    """Revoke (delete) `token`; it stops working at once, and the audit trail records who
    revoked it (the signed-in user of `request`; without one, for a password change or a
    deactivation, the token's user) and why. `reason` is one of `Revoked`."""
    pk = token.pk
    with transaction.atomic():
        token.delete()
        actor = getattr(request, "user", None)
        audit.record(
            audit.Action.TOKEN_REVOKED,
            request=request,
            user=actor if actor is not None and actor.is_authenticated else token.user,
            model=MODEL,
            object_id=pk,
            detail=f"{_described(token)} · {reason}",
        )


def api_tokens_revoke(*, user, reason: str, request=None) -> int:
    """Revoke every token of `user` (signing out every script) and return how many there were.
    `reason` is one of `Revoked`."""
    count = 0
    for token in ApiToken.objects.filter(user=user):
        api_token_revoke(token=token, reason=reason, request=request)
        count += 1
    return count


def api_token_record_use(token: ApiToken, *, now: dt.datetime | None = None) -> None:
    """Note that `token` was accepted at `now`: its last use and the expiry that follows, written
    at most once a minute (USE_RECORDED_EVERY) so that a busy script does not write each time."""
    now = now or timezone.now()
    if token.last_used is not None and now - token.last_used < USE_RECORDED_EVERY:
        return
    token.last_used = now
    token.expiry = api_token_expiry(created=token.created, last_used=now)
    ApiToken.objects.filter(pk=token.pk).update(last_used=token.last_used, expiry=token.expiry)


def _described(token: ApiToken) -> str:
    return f"{token.user.get_username()} · “{token.name}” · {token.token_key[:8]}…"


def _delete_expired(user) -> None:
    ApiToken.objects.filter(user=user).exclude(api_token_alive_q(timezone.now())).delete()
