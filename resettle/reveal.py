"""Showing sensitive fields in full: only on request, only with the permission, always logged."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from resettle import audit


def wants_reveal(request, *, permission: str) -> bool:
    """True when the request asks for `?reveal=1`; the user must hold `permission` (else 403,
    written to the audit trail as a refused reveal). The caller records an allowed reveal."""
    if request.GET.get("reveal") != "1":
        return False
    if not request.user.has_perm(permission):
        audit.record(
            audit.Action.REVEAL,
            request=request,
            outcome=audit.Outcome.REFUSED,
            detail=request.get_full_path(),
        )
        raise PermissionDenied(
            _("You do not hold the permission to see ID numbers and phones in full.")
        )
    return True


def reveal_allowed(request, *, permission: str, model_label: str, object_id: str) -> bool:
    """True when the request asks for `?reveal=1`: the user must hold `permission` (else 403)
    and the reveal is written to the audit trail once per request."""
    if not wants_reveal(request, permission=permission):
        return False
    if not getattr(request, "_reveal_logged", False):
        audit.record(
            audit.Action.REVEAL,
            request=request,
            model=model_label,
            object_id=object_id,
            detail=request.get_full_path(),
        )
        request._reveal_logged = True
    return True
