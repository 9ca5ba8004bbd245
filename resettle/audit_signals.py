"""What the audit trail hears rather than is told (resettle.audit): sign-ins, sign-outs, failed
sign-ins and lockouts from Django and django-axes, and changes of accounts, groups and
permissions however they are made (the admin, a command, a service). Connected by
`resettle.apps.ResettleConfig.ready`."""

from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from resettle.audit import Action, Outcome, record

# What an administrator grants besides memberships: the account's switches.
ACCOUNT_FLAGS = ("is_active", "is_staff", "is_superuser")


def signed_in(sender, request, user, **kwargs):
    record(Action.SIGN_IN, request=request, user=user)


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(Action.SIGN_OUT, request=request, user=user)


def _attempt_while_locked(request, credentials: dict) -> bool:
    """True when django-axes refused the attempt without checking the password: the account was
    locked already (each such attempt counts one failure past the limit)."""
    failures = getattr(request, "axes_failures_since_start", 0) or 0
    return bool(getattr(request, "axes_locked_out", False)) and failures > get_failure_limit(
        request, credentials
    )


def sign_in_failed(sender, credentials, request=None, **kwargs):
    """A wrong password or unknown name (failure), or an attempt on a locked account (refused).
    The name is kept as typed; the row links the account when one has that name. The lockout
    this attempt began (see `locked_out`) follows it."""
    typed = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    account = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: typed}).first()
    locked = request is not None and _attempt_while_locked(request, credentials)
    record(
        Action.SIGN_IN_FAILED,
        request=request,
        # No account by that name: nobody, even if the browser is signed in as someone else.
        user=account or AnonymousUser(),
        username=typed,
        outcome=Outcome.REFUSED if locked else Outcome.FAILURE,
        detail=request.path if request is not None else "",
    )
    lockout = getattr(request, "_audit_lockout", None)
    if lockout is not None:
        request._audit_lockout = None
        _record_lockout(request, **lockout)


def locked_out(sender, request, username, **kwargs):
    """django-axes locked the account: recorded when the lock begins (the attempt that reached
    the limit), not on each attempt refused while it lasts. django-axes says so from within its
    own receiver of the failed sign-in, before ours: the row waits for the failure's row."""
    credentials = getattr(request, "axes_credentials", None) or {}
    if request is None:
        _record_lockout(None, username=username, credentials=credentials)
    elif not _attempt_while_locked(request, credentials):
        request._audit_lockout = {"username": username, "credentials": credentials}


def _record_lockout(request, *, username, credentials) -> None:
    account = (
        get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username or ""}).first()
    )
    record(
        Action.LOCKED_OUT,
        request=request,
        user=account or AnonymousUser(),
        username=username or "",
        detail=f"after {get_failure_limit(request, credentials)} failed sign-ins",
    )


def account_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Keep the account's switches as they were, to record what a save changes."""
    instance._audit_flags = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(ACCOUNT_FLAGS):
        return
    instance._audit_flags = sender.objects.filter(pk=instance.pk).values(*ACCOUNT_FLAGS).first()


def account_saved(sender, instance, created, raw=False, **kwargs):
    """An account created, its switches changed, or its password set (`set_password` leaves the
    new password in `_password` until saved; the hash upgrade at sign-in does not)."""
    if raw:
        return
    name = instance.get_username()
    subject = {"model": "auth.user", "object_id": instance.pk}
    if created:
        flags = ", ".join(f for f in ACCOUNT_FLAGS if getattr(instance, f))
        record(Action.ACCOUNT_CHANGED, detail=f"{name}: created ({flags})", **subject)
        return
    before = getattr(instance, "_audit_flags", None) or {}
    changes = [
        f"{flag} {before[flag]} → {getattr(instance, flag)}"
        for flag in ACCOUNT_FLAGS
        if flag in before and before[flag] != getattr(instance, flag)
    ]
    if changes:
        record(Action.ACCOUNT_CHANGED, detail=f"{name}: {'; '.join(changes)}", **subject)
    if getattr(instance, "_password", None) is not None:
        record(Action.PASSWORD_CHANGED, detail=name, **subject)


def account_deleted(sender, instance, **kwargs):
    record(
        Action.ACCOUNT_CHANGED,
        model="auth.user",
        object_id=instance.pk,
        detail=f"{instance.get_username()}: deleted",
    )


def _names(model, pks) -> str:
    if model is Permission:
        rows = model.objects.filter(pk__in=pks).values_list("content_type__app_label", "codename")
        return ", ".join(sorted(f"{app}.{code}" for app, code in rows))
    if model is Group:
        return ", ".join(sorted(model.objects.filter(pk__in=pks).values_list("name", flat=True)))
    return ", ".join(sorted(u.get_username() for u in model.objects.filter(pk__in=pks)))


def grants_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Groups and permissions added to or taken from an account, or permissions to or from a
    group, from either side of the relation."""
    if action == "pre_clear":
        field = _m2m_field(sender, instance)
        instance._audit_cleared = set(getattr(instance, field).values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_audit_cleared", set())
    if not pk_set:
        return
    sign = "+" if action == "post_add" else "-"
    holder = instance.get_username() if isinstance(instance, get_user_model()) else str(instance)
    kind = instance._meta.label_lower
    record(
        Action.PERMISSION_CHANGED,
        model=kind,
        object_id=instance.pk,
        detail=f"{holder}: {sign} {_names(model, pk_set)}",
    )


def _m2m_field(through, instance) -> str:
    """The name, on `instance`'s side, of the many-to-many relation `through` belongs to."""
    for field in instance._meta.get_fields():
        if not field.many_to_many:
            continue
        if field.auto_created and field.through is through:
            return field.get_accessor_name()
        if not field.auto_created and field.remote_field.through is through:
            return field.name
    raise LookupError(through)


def connect() -> None:
    """Connect the receivers (called once, from the app's ready())."""
    user_model = get_user_model()
    user_logged_in.connect(signed_in, dispatch_uid="audit-sign-in")
    user_logged_out.connect(signed_out, dispatch_uid="audit-sign-out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="audit-sign-in-failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit-locked-out")
    pre_save.connect(account_before_save, sender=user_model, dispatch_uid="audit-account-pre")
    post_save.connect(account_saved, sender=user_model, dispatch_uid="audit-account")
    post_delete.connect(account_deleted, sender=user_model, dispatch_uid="audit-account-delete")
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(grants_changed, sender=through, dispatch_uid=f"audit-{through}")
