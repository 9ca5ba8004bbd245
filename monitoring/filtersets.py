"""FilterSets of monitoring, for the API and the pages alike."""

import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from households.filtersets import IdFilter, RegionFilter
from monitoring import choices
from monitoring.models import (
    Alert,
    AssistanceMeasure,
    CaseEvent,
    IncomeCheck,
    MonitoringCase,
    MonitoringLine,
)
from monitoring.selectors import identified_on, overdue_on, with_risk, without_measure_on
from resettle.filters import ALL, PopulationFilter, StrictBooleanFilter


class HouseholdRecordFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    site = IdFilter(field_name="household__site_id", label=_("Site"))
    household = IdFilter(field_name="household_id", label=_("Household"))


class MonitoringLineFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    region = django_filters.CharFilter(field_name="region_id", label=_("Region code"))

    class Meta:
        model = MonitoringLine
        fields = ["year", "region"]


class IncomeCheckFilterSet(HouseholdRecordFilterSet):
    year = django_filters.NumberFilter()

    class Meta:
        model = IncomeCheck
        fields = ["region", "site", "household", "year"]


class AlertFilterSet(HouseholdRecordFilterSet):
    rule = django_filters.ChoiceFilter(choices=choices.AlertRule.choices, label=_("Rule"))
    status = django_filters.ChoiceFilter(choices=choices.AlertStatus.choices)
    open = StrictBooleanFilter(field_name="closed_on", lookup_expr="isnull", label=_("Open"))

    class Meta:
        model = Alert
        fields = ["region", "site", "household", "rule", "status", "open"]


class RiskFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        return qs.filter(with_risk(value)) if value else qs


class OverdueFilter(StrictBooleanFilter):
    """Cases whose home visit is overdue today."""

    def filter(self, qs, value):
        if value is None:
            return qs
        condition = overdue_on(dt.date.today())
        return qs.filter(condition) if value else qs.exclude(condition)


class WithoutMeasureFilter(StrictBooleanFilter):
    """Cases monitored today with no assistance measure running: the `cases_without_measure`
    figure's records."""

    def filter(self, qs, value):
        if value is None:
            return qs
        condition = without_measure_on(timezone.localdate())
        return qs.filter(condition) if value else qs.exclude(condition)


class ProposedFilter(StrictBooleanFilter):
    """Cases with a site cadre's proposal for their next step, not yet decided."""

    def filter(self, qs, value):
        if value is None:
            return qs
        pending = Exists(
            CaseEvent.objects.filter(
                case=OuterRef("pk"), proposal=True, from_status=OuterRef("status")
            )
        )
        return qs.filter(pending) if value else qs.exclude(pending)


class MonitoringCaseFilterSet(HouseholdRecordFilterSet):
    # Monitored (监测中) today: included and not yet out of risk, as the `monitored_households`
    # indicator counts them; the others (being checked before the county's decision, not
    # included, risk eliminated) are a state the list names.
    state = PopulationFilter(
        states=[
            ("monitored", _("Monitored"), identified_on),
            ("not_monitored", _("Not monitored"), lambda day: ~identified_on(day)),
            (ALL, _("All"), None),
        ],
        figure="monitored_households",
    )
    category = django_filters.ChoiceFilter(choices=choices.Category.choices)
    risk = RiskFilter(choices=choices.Risk.choices, label=_("Risk type"))
    status = django_filters.ChoiceFilter(choices=choices.Status.choices)
    found_through = django_filters.ChoiceFilter(choices=choices.FoundThrough.choices)
    overdue = OverdueFilter(label=_("Home visit overdue"))
    without_measure = WithoutMeasureFilter(label=_("No assistance measure running"))
    proposed = ProposedFilter(label=_("Awaiting the county"))
    open = StrictBooleanFilter(
        field_name="closed_on",
        lookup_expr="isnull",
        label=pgettext_lazy("monitoring case", "Still open"),
    )

    class Meta:
        model = MonitoringCase
        fields = [
            "state",
            "region",
            "site",
            "household",
            "category",
            "risk",
            "status",
            "overdue",
            "without_measure",
            "proposed",
            "open",
        ]


class AssistanceMeasureFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    case = IdFilter(field_name="case_id", label=_("Case"))
    kind = django_filters.ChoiceFilter(choices=choices.MeasureKind.choices)

    class Meta:
        model = AssistanceMeasure
        fields = ["region", "case", "kind"]
