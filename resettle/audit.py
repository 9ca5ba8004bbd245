"""The security audit trail (GB/T 22239-2019 level 3, §8.1.4.3): every security-relevant event,
with its date and time, user, event type, outcome and source address, in one append-only table
(resettle.models.AccessLog) that administrators read, filter and export in the admin.

Every writer calls `record`: sign-ins and sign-outs, failed sign-ins and lockouts, API tokens,
membership, permission and account changes, reveals, full exports, import commits and the monthly
reports' steps. Rows are kept at least AUDIT_RETENTION_DAYS (never fewer than 180: "kept ≥ 6
months", 网络安全法 art. 21(三)) and then pruned by `prune_audit_trail`."""

from __future__ import annotations

import datetime as dt
import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.core import checks
from django.utils import timezone

from resettle.models import AccessLog

Action = AccessLog.Action
Outcome = AccessLog.Outcome

# GB/T 22239-2019 §8.1.4.3 and 网络安全法 art. 21(三): network logs kept at least six months.
MIN_RETENTION_DAYS = 180

USERNAME_LENGTH = AccessLog._meta.get_field("username").max_length
DETAIL_LENGTH = AccessLog._meta.get_field("detail").max_length
FIELD_LENGTH = AccessLog._meta.get_field("object_id").max_length


def record(
    action: str,
    *,
    request=None,
    user=None,
    username: str = "",
    outcome: str = Outcome.SUCCESS,
    model: str = "",
    object_id: str | int = "",
    rows: int = 1,
    detail: str = "",
    address: str | None = None,
) -> AccessLog:
    """Write one event to the audit trail and return its row.

    `action` is one of `Action` (e.g. `Action.TOKEN_CREATED`), `outcome` one of `Outcome`.
    `user` is who acted; by default the request's signed-in user, else nobody (a failed sign-in
    under an unknown name, a command, a scheduled task); an AnonymousUser records nobody even
    while the request is signed in. `username` is the name as typed when no account has it
    (default: the user's name). `request` (default: the request being served, kept by
    `AuditRequestMiddleware`) gives the source address (`source_address`); `address` is the
    one to record when there is no request (a task keeps that of the request that started it).
    `model` and `object_id` name the record concerned (e.g. "households.household", 42),
    `rows` how many records an export or import moved, `detail` anything else (cut to 255
    characters).

    Written in the caller's transaction: an event whose change is rolled back leaves no row.
    Raises ValueError on an action or outcome that is not on its list."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if outcome not in Outcome.values:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    if request is None:
        request = _current_request.get()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if not username and user is not None:
        username = user.get_username()
    return AccessLog.objects.create(
        action=action,
        outcome=outcome,
        user=user,
        username=(username or "")[:USERNAME_LENGTH],
        address=source_address(request) if request is not None else address,
        model=model[:FIELD_LENGTH],
        object_id=str(object_id)[:FIELD_LENGTH],
        rows=rows,
        detail=(detail or "")[:DETAIL_LENGTH],
    )


_current_request = ContextVar("audit_request", default=None)


class AuditRequestMiddleware:
    """Keeps the request being served where `record` finds it, so that a service called from a
    view (a report's approval, a membership granted in the admin) records who and from where
    without being handed the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_address() -> str | None:
    """The source address of the request being served, if any (kept by a job it starts)."""
    return source_address(_current_request.get())


def source_address(request) -> str | None:
    """The client's IP address: REMOTE_ADDR, or, when the request came through a proxy named in
    settings.AUDIT_TRUSTED_PROXIES (addresses or networks), the last address in X-Forwarded-For
    that is not such a proxy (a client can write anything into the header; only what our own
    proxies appended counts). None without a request or a readable address."""
    if request is None:
        return None
    remote = _ip(request.META.get("REMOTE_ADDR", ""))
    if remote is None or not _trusted(remote):
        return str(remote) if remote else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _ip(hop)
        if address is None:
            break
        if not _trusted(address):
            return str(address)
    return str(remote)


def _trusted(address) -> bool:
    return any(
        address in ipaddress.ip_network(proxy, strict=False)
        for proxy in settings.AUDIT_TRUSTED_PROXIES
    )


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def prune_audit_trail(*, now=None) -> int:
    """Delete the rows older than settings.AUDIT_RETENTION_DAYS (never fewer than 180, see the
    system check `resettle.E001`) and record the pruning itself; returns how many rows went.
    Run every night by Celery beat (task `resettle.prune_audit_trail`) or by
    `manage.py prune_audit_trail`."""
    days = max(settings.AUDIT_RETENTION_DAYS, MIN_RETENTION_DAYS)
    before = (now or timezone.now()) - dt.timedelta(days=days)
    deleted = AccessLog.objects.prune(before=before)
    if deleted:
        record(
            Action.AUDIT_PRUNED,
            rows=deleted,
            detail=f"before {timezone.localtime(before):%Y-%m-%d %H:%M}",
        )
    return deleted


@checks.register(checks.Tags.security)
def check_retention(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """AUDIT_RETENTION_DAYS below 180 days is an error (GB/T 22239-2019 §8.1.4.3; 网络安全法
    art. 21(三): logs kept at least six months)."""
    days = settings.AUDIT_RETENTION_DAYS
    if days >= MIN_RETENTION_DAYS:
        return []
    return [
        checks.Error(
            f"AUDIT_RETENTION_DAYS={days}: the audit trail is kept at least "
            f"{MIN_RETENTION_DAYS} days (six months, GB/T 22239-2019 §8.1.4.3).",
            hint=f"Set AUDIT_RETENTION_DAYS to {MIN_RETENTION_DAYS} or more.",
            id="resettle.E001",
        )
    ]
