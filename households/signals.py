"""Memberships granted, changed and revoked go to the audit trail (resettle.audit), however
they are made: the admin, `add_member`, `membership_grant`. Connected by
`households.apps.HouseholdsConfig.ready`."""

from django.db.models.signals import post_delete, post_save, pre_save

from households.models import Membership
from resettle.audit import Action, record


def _described(membership: Membership) -> str:
    scope = membership.region_id or (membership.site.code if membership.site_id else "")
    return f"{membership.user.get_username()}: {membership.role} @ {scope}"


def membership_before_save(sender, instance, raw=False, **kwargs):
    instance._audit_before = None
    if not raw and not instance._state.adding:
        old = Membership.objects.filter(pk=instance.pk).select_related("user", "site").first()
        instance._audit_before = _described(old) if old else None


def membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    now = _described(instance)
    if not created and before == now:
        return
    record(
        Action.MEMBERSHIP_GRANTED,
        model="households.membership",
        object_id=instance.pk,
        detail=now if created else f"{before} → {now}",
    )


def membership_deleted(sender, instance, **kwargs):
    record(
        Action.MEMBERSHIP_REVOKED,
        model="households.membership",
        object_id=instance.pk,
        detail=_described(instance),
    )


def connect() -> None:
    pre_save.connect(membership_before_save, sender=Membership, dispatch_uid="audit-member-pre")
    post_save.connect(membership_saved, sender=Membership, dispatch_uid="audit-member")
    post_delete.connect(membership_deleted, sender=Membership, dispatch_uid="audit-member-del")
