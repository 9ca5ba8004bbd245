"""The shared kernel's models: the base of every ledger record and the access log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class AccessLog(models.Model):
    """Who saw sensitive data in full, or exported it: one row per reveal or full-data export."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("Reveal")
        EXPORT = "export", _("Export")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=64)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=1)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.action} {self.model}#{self.object_id} @ {self.at:%Y-%m-%d %H:%M}"


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
    # Who reads the ledgers sees the uploads in their area (the leading group does not).
    read_roles = LEDGER_READERS

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
