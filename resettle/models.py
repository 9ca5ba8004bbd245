"""The shared kernel's models: the base of every ledger record, the audit trail, Excel jobs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resettle.scoping import LEDGER_READERS, ScopedQuerySet


class TimeStampedModel(models.Model):
    """Created and updated stamps for every ledger record."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record edited by several people: `version` rises by one on every saved change, and a
    change made against an older version is refused (optimistic locking)."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class RecordedBy(models.Model):
    """A record attributed to the cadre who made it (a contact, a check, a measure)."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        abstract = True


def running_on(day, prefix: str = "", start: str = "start_date", end: str = "end_date") -> Q:
    """Records running on `day`: begun by then and not ended before it (an empty end is open).
    `prefix` is the path to the record, e.g. "employments__"."""
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day})
    )


class AuditTrailIsAppendOnly(Exception):
    """An attempt to change or delete a row of the audit trail (GB/T 22239-2019 §8.1.4.3 c:
    audit records are protected from deletion, change or overwriting)."""


CHANGE_REFUSED = "The audit trail is append-only: its rows are never changed."
DELETE_REFUSED = (
    "Rows of the audit trail are removed only by pruning, once past the retention period."
)


class AccessLogQuerySet(models.QuerySet):
    """The audit trail's rows are never changed, and deleted only by `prune` (older than the
    retention period)."""

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly(CHANGE_REFUSED)

    def delete(self):
        raise AuditTrailIsAppendOnly(DELETE_REFUSED)

    def prune(self, *, before) -> int:
        """Delete the rows recorded before `before` (an aware datetime); returns how many. The
        only way rows leave the trail (resettle.audit.prune_audit_trail)."""
        deleted, _by_model = models.QuerySet.delete(self.filter(at__lt=before))
        return deleted


class AccessLog(models.Model):
    """The security audit trail (GB/T 22239-2019 level 3, §8.1.4.3): one row per
    security-relevant event — sign-ins and their failures, lockouts, tokens, membership and
    permission changes, reveals, full exports, import commits, report steps — with when, who
    (the account, and the name as typed), what, the outcome and the source address.

    Rows are written by `resettle.audit.record` only, never changed, and deleted only when older
    than the retention period (settings.AUDIT_RETENTION_DAYS, at least 180 days). It began as
    the access log of reveals and exports, whose rows it keeps; hence its name."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        LOCKED_OUT = "locked_out", _("Account locked out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        ACCOUNT_CHANGED = "account_changed", _("Account changed")
        MEMBERSHIP_GRANTED = "membership_granted", _("Membership granted")
        MEMBERSHIP_REVOKED = "membership_revoked", _("Membership revoked")
        PERMISSION_CHANGED = "permission_changed", _("Permissions changed")
        REVEAL = "reveal", _("Reveal")
        EXPORT = "export", _("Full export")
        IMPORT_COMMITTED = "import_committed", _("Import committed")
        REPORT_SUBMITTED = "report_submitted", _("Report submitted")
        REPORT_APPROVED = "report_approved", _("Report approved")
        REPORT_RETURNED = "report_returned", _("Report returned")
        REPORT_REOPENED = "report_reopened", _("Approved report reopened")
        AUDIT_EXPORTED = "audit_exported", _("Audit trail exported")
        AUDIT_PRUNED = "audit_pruned", _("Audit trail pruned")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")
        REFUSED = "refused", _("Refused")

    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    # Empty for a failed sign-in under a name no account has; `username` keeps the name typed.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("event"), max_length=32, choices=Action.choices, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    address = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    model = models.CharField(_("record type"), max_length=64, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=1)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit trail entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.username or self.user_id} {self.action} {self.outcome} @ {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly(CHANGE_REFUSED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly(DELETE_REFUSED)


class ExcelJob(TimeStampedModel):
    """An import or export of a ledger's workbook: the upload history, and the state of the Celery
    task that runs a large one (the page shows its progress and survives a reload).

    An import keeps the uploaded file until it is committed, for the commit and for the workbook
    with the errors marked; an export keeps the file it made. Files live in the database, which
    every web process and worker share."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        CHECKED = "checked", _("Checked")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    ledger = models.CharField(_("ledger"), max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user")
    )
    # The home region of the user when they started the job: who else may see it in the history.
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"), null=True, editable=False)
    # An import's stage (check, then commit) or an export's filters, format and reveal flag.
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    result = models.JSONField(_("result"), default=dict)
    message = models.TextField(_("message"), blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    scope_region_field = "region_code"
    scope_site_field = None
    # Who reads the ledgers sees the uploads in their area (the leading group does not); every
    # user sees their own.
    read_roles = LEDGER_READERS
    scope_owner_field = "user"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("import or export")
        verbose_name_plural = _("imports and exports")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
