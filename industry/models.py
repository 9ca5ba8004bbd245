"""Industry support projects (产业项目, Kashgar report seeds/000 §二(二)): what was built with
which money, whom it employs and which households benefit; workshops (车间工坊) with the rules of
the Yuncheng plan (seeds/002 §三(二)), which `industry.indicators` checks."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.models import Household, HouseholdRecord, Region, Site
from industry import choices
from resettle.models import RecordedBy, TimeStampedModel, VersionedModel
from resettle.scoping import LEDGER_READERS, LEDGER_WRITERS, ScopedQuerySet


class ProjectRecord(models.Model):
    """A record of a project, scoped by the project's county; read also at the sites the project
    serves, as the project is."""

    scope_region_field = "project__county__code"
    scope_site_field = None
    scope_served_site_field = "project__served__site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class IndustryProject(VersionedModel):
    code = models.CharField(_("project code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    sites = models.ManyToManyField(
        Site, through="ProjectSite", related_name="projects", verbose_name=_("sites served")
    )
    sector = models.CharField(_("sector"), max_length=16, choices=choices.Sector.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=choices.Kind.choices)
    operator_type = models.CharField(
        _("operator type"), max_length=16, choices=choices.OperatorType.choices
    )
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    status = models.CharField(
        _("project status"),
        max_length=16,
        choices=choices.ProjectStatus.choices,
        default=choices.ProjectStatus.PLANNED,
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    actual_completion = models.DateField(_("actual completion"), null=True, blank=True)
    units = models.PositiveIntegerField(_("units (count)"), default=0)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2, default=0)
    jobs_offered = models.PositiveIntegerField(_("jobs offered"), default=0)

    # A project is its county's: the county's cadres change it; the cadres of a site it serves
    # read it (the site's dashboard counts it), and change nothing.
    scope_region_field = "county__code"
    scope_site_field = None
    scope_served_site_field = "served__site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("industry project")
        verbose_name_plural = _("industry projects")
        ordering = ["county_id", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class ProjectStatusChange(ProjectRecord, RecordedBy):
    """A project's status from a date on (项目状态变更): the dated history that lets a past date
    see the status of that date (issue 14, "Facts keep their own dates"). `changed_on` is the day
    the project took the status, a fact typed by the cadre, not the day it was entered; blank
    only for the first entry of a project registered before the history was kept whose start was
    not recorded: its date is not known, and figures count it from the day the project was
    recorded (`created`), as they did before. The project's `status` is its latest entry's."""

    project = models.ForeignKey(
        IndustryProject,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("project"),
    )
    status = models.CharField(
        _("project status"), max_length=16, choices=choices.ProjectStatus.choices
    )
    changed_on = models.DateField(_("status since"), null=True, blank=True)
    created = models.DateTimeField(_("recorded on"), auto_now_add=True)

    class Meta:
        verbose_name = _("project status change")
        verbose_name_plural = _("project status changes")
        ordering = ["project_id", "id"]

    def __str__(self):
        return f"{self.project_id} · {self.get_status_display()} · {self.changed_on or '?'}"

    @staticmethod
    def counted_from():
        """The date figures count an entry from, as an expression: its `changed_on`, or when
        that is not known the day it was recorded (in the local time zone)."""
        return Coalesce("changed_on", TruncDate("created"))


class ProjectSite(models.Model):
    """A site a project serves, and the travel time from it (a workshop's 20-minute circle)."""

    project = models.ForeignKey(
        IndustryProject, on_delete=models.CASCADE, related_name="served", verbose_name=_("project")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    travel_minutes = models.PositiveSmallIntegerField(
        _("travel time from the site (minutes)"), null=True, blank=True
    )

    scope_region_field = "site__region_code"
    scope_site_field = "site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("site served")
        verbose_name_plural = _("sites served")
        constraints = [models.UniqueConstraint(fields=["project", "site"], name="projectsite_once")]

    def __str__(self):
        return f"{self.project_id} · {self.site_id}"


class Investment(ProjectRecord, RecordedBy, TimeStampedModel):
    project = models.ForeignKey(
        IndustryProject,
        on_delete=models.PROTECT,
        related_name="investments",
        verbose_name=_("project"),
    )
    source = models.CharField(_("fund source"), max_length=16, choices=choices.FundSource.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    # Corrections and removals are kept: money records are audited.
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        ordering = ["project_id", "source"]

    def __str__(self):
        return f"{self.project_id} · {self.get_source_display()} · {self.amount}"


class BenefitLink(HouseholdRecord, RecordedBy, TimeStampedModel):
    """How a household benefits from a project (利益联结)."""

    project = models.ForeignKey(
        IndustryProject, on_delete=models.PROTECT, related_name="links", verbose_name=_("project")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="benefit_links",
        verbose_name=_("household"),
    )
    kind = models.CharField(_("benefit"), max_length=16, choices=choices.LinkKind.choices)
    since = models.DateField(_("since"))

    # Corrections and removals are kept: money records are audited.
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("benefit link")
        verbose_name_plural = _("benefit links")
        ordering = ["project_id", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "household", "kind"], name="benefitlink_once"
            )
        ]

    def __str__(self):
        return f"{self.project_id} · {self.household_id} · {self.get_kind_display()}"


class Dividend(HouseholdRecord, RecordedBy, TimeStampedModel):
    """A dividend paid to a household by a project for a year (分红)."""

    project = models.ForeignKey(
        IndustryProject,
        on_delete=models.PROTECT,
        related_name="dividends",
        verbose_name=_("project"),
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="dividends", verbose_name=_("household")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    # Blank when the sheet does not say: the payment's day is not known (issue 14, item 2).
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    # Corrections and removals are kept: money records are audited.
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("dividend")
        verbose_name_plural = _("dividends")
        ordering = ["-year", "project_id", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "household", "year"], name="dividend_once_a_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="dividend_not_negative"),
        ]

    def __str__(self):
        return f"{self.project_id} · {self.household_id} · {self.year} · {self.amount}"
