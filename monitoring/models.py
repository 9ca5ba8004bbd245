"""Return-to-poverty monitoring (防返贫动态监测, Yuncheng plan seeds/002 §三(一), Kashgar report
seeds/000 §四(一)): the income line, income checks, incidents, alerts raised by the early-warning
rules, cases with their dated steps, and assistance measures. Every date a figure needs is stored,
so that each indicator holds as of any day."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from households.models import Household, HouseholdRecord, Region
from monitoring import choices
from monitoring.reasons import explain
from resettle.models import RecordedBy, TimeStampedModel, VersionedModel
from resettle.scoping import (
    LEDGER_READERS,
    LEDGER_WRITERS,
    REFERENCE_WRITERS,
    Grant,
    Role,
    ScopedQuerySet,
)


class MonitoringLine(models.Model):
    """The annual per-capita net income line of monitoring (防止返贫监测线) for a year: the
    national guidance (no region; 6,000 yuan for 2021) or a province's or prefecture's own, which
    overrides it. Reference data kept by administrators, never a constant in code."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for the national line."),
    )
    amount = models.DecimalField(
        _("line (yuan per person per year)"), max_digits=9, decimal_places=2
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    # Reference data: everybody reads it; administrators of the region change it.
    scope_region_field = "region_id"
    scope_site_field = None
    write_roles = REFERENCE_WRITERS

    class Meta:
        verbose_name = _("monitoring line")
        verbose_name_plural = _("monitoring lines")
        ordering = ["-year", "region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region"],
                condition=Q(region__isnull=False),
                name="monitoringline_one_per_region_year",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(region__isnull=True),
                name="monitoringline_one_national_per_year",
            ),
        ]

    def __str__(self):
        where = self.region.name if self.region_id else _("national")
        return f"{self.year} {where} {self.amount}"


def amount(label):
    return models.DecimalField(label, max_digits=12, decimal_places=2, default=0)


class IncomeCheck(HouseholdRecord, RecordedBy, TimeStampedModel):
    """A household's income for a year as checked on a day (收入核查): annual figures in yuan."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="income_checks",
        verbose_name=_("household"),
    )
    year = models.PositiveSmallIntegerField(_("income year"))
    checked_on = models.DateField(_("checked on"))
    wage_income = amount(_("wage income"))
    operating_income = amount(_("operating income"))
    property_income = amount(_("property income"))
    transfer_income = amount(_("transfer income"))
    production_costs = amount(_("production costs"))
    medical_expense = amount(_("rigid medical expense"))
    schooling_expense = amount(_("rigid schooling expense"))
    household_size = models.PositiveSmallIntegerField(_("household size"))
    per_capita_net = models.DecimalField(
        _("per-capita net income"), max_digits=12, decimal_places=2, editable=False
    )

    class Meta:
        verbose_name = _("income check")
        verbose_name_plural = _("income checks")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["household", "checked_on"])]

    def __str__(self):
        return f"{self.household} · {self.year} · {self.per_capita_net}"


class Incident(HouseholdRecord, RecordedBy, TimeStampedModel):
    """A natural disaster or accident that struck the household (突发严重困难的起因)."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=choices.IncidentKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on"]

    def __str__(self):
        return f"{self.household} · {self.get_kind_display()} · {self.occurred_on}"


class MonitoringCase(HouseholdRecord, VersionedModel):
    """A monitoring case (监测对象) and the dates of its steps."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="monitoring_cases",
        verbose_name=_("household"),
    )
    category = models.CharField(_("category"), max_length=16, choices=choices.Category.choices)
    # Risk codes (choices.Risk), comma-separated: a case may have several.
    risks = models.CharField(_("risk types"), max_length=200)
    found_through = models.CharField(
        _("found through"), max_length=16, choices=choices.FoundThrough.choices
    )
    status = models.CharField(
        _("step"), max_length=16, choices=choices.Status.choices, default=choices.Status.ALERT
    )
    opened_on = models.DateField(_("opened on"))
    visited_on = models.DateField(_("home visit on"), null=True, blank=True)
    notice_from = models.DateField(_("public notice from"), null=True, blank=True)
    decided_on = models.DateField(_("county decision on"), null=True, blank=True)
    identified_on = models.DateField(_("included on"), null=True, blank=True)
    assisted_from = models.DateField(_("assistance from"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    # Including a household, rejecting it and closing its case are the county's decisions (the
    # monitoring steps of 防止返贫动态监测: a site cadre proposes them): a county-level role or
    # above over the household, from a region membership, not a site's.
    scope_actions = {
        "decide": (Grant({Role.ADMIN, Role.COUNTY_OPERATOR}, sites=False),),
    }

    class Meta:
        verbose_name = _("monitoring case")
        verbose_name_plural = _("monitoring cases")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(closed_on__isnull=True),
                name="monitoringcase_one_open_per_household",
            )
        ]

    def __str__(self):
        return f"{self.household} · {self.get_category_display()} · {self.get_status_display()}"

    @property
    def risk_list(self) -> list[str]:
        return [r for r in self.risks.split(",") if r]

    def get_risks_display(self) -> str:
        labels = dict(choices.Risk.choices)
        return "、".join(str(labels.get(r, r)) for r in self.risk_list)


class CaseEvent(RecordedBy):
    """One step of a case, or a proposal for one: who, when, why, with what evidence."""

    case = models.ForeignKey(
        MonitoringCase, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=choices.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=choices.Status.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    # A site cadre's proposal for a step a county decides: the case does not move.
    proposal = models.BooleanField(_("proposal"), default=False)

    scope_region_field = "case__household__site__region_code"
    scope_site_field = "case__household__site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.from_status} → {self.to_status}"


class Alert(HouseholdRecord, TimeStampedModel):
    """A warning raised by an early-warning rule (monitoring.rules) for a household. Open until a
    case for it has its home visit, or a cadre dismisses it after checking."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("household")
    )
    rule = models.CharField(_("rule"), max_length=32, choices=choices.AlertRule.choices)
    raised_on = models.DateField(_("raised on"))
    details = models.JSONField(_("details"), default=dict)
    status = models.CharField(
        _("handling"),
        max_length=16,
        choices=choices.AlertStatus.choices,
        default=choices.AlertStatus.OPEN,
    )
    case = models.ForeignKey(
        MonitoringCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("case"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reason = models.CharField(_("reason for dismissing"), max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "rule"],
                condition=Q(closed_on__isnull=True),
                name="alert_one_open_per_household_rule",
            )
        ]

    def __str__(self):
        return f"{self.household} · {self.rule} · {self.raised_on}"

    @property
    def explanation(self) -> str:
        """The reason in words, from the details (monitoring.reasons)."""
        return explain(self.rule, self.details)

    @property
    def rule_name(self) -> str:
        """The rule's name (its code where it is no longer known)."""
        return str(self.get_rule_display())


class AssistanceMeasure(RecordedBy, TimeStampedModel):
    """A measure helping a monitored household (帮扶措施), by risk type (缺什么补什么)."""

    case = models.ForeignKey(
        MonitoringCase, on_delete=models.PROTECT, related_name="measures", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=choices.MeasureKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    responsible = models.CharField(_("responsible cadre"), max_length=64)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    scope_region_field = "case__household__site__region_code"
    scope_site_field = "case__household__site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="measure_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.case_id} · {self.get_kind_display()} · {self.start_date}"
