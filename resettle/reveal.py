"""Showing sensitive fields in full: only on request, only with the permission, always logged."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from resettle.models import AccessLog


def wants_reveal(request, *, permission: str) -> bool:
    """True when the request asks for `?reveal=1`; the user must hold `permission` (else 403).
    The caller writes the access log."""
    if request.GET.get("reveal") != "1":
        return False
    if not request.user.has_perm(permission):
        raise PermissionDenied(
            _("You do not hold the permission to see ID numbers and phones in full.")
        )
    return True


def reveal_allowed(request, *, permission: str, model_label: str, object_id: str) -> bool:
    """True when the request asks for `?reveal=1`: the user must hold `permission` (else 403)
    and the reveal is written to the access log once per request."""
    if not wants_reveal(request, permission=permission):
        return False
    if not getattr(request, "_reveal_logged", False):
        AccessLog.objects.create(
            user=request.user,
            action=AccessLog.Action.REVEAL,
            model=model_label,
            object_id=object_id,
            detail=request.get_full_path()[:255],
        )
        request._reveal_logged = True
    return True
