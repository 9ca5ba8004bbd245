"""What monitoring contributes to the indicator catalogue, each as of the grouping's date: the
dates of every case's steps are stored, so a case eliminated in November still counts as
monitored in October."""

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from households.selectors import registered_persons
from monitoring import choices
from monitoring.models import MonitoringCase
from monitoring.selectors import (
    alerts_open_on,
    cases_opened_by,
    identified_on,
    overdue_on,
    with_risk,
    without_measure_on,
)
from resettle import worklists
from resettle.filters import ALL
from resettle.indicators import Area, Grouping, Indicator, Values, catalogue
from resettle.worklists import Worklist

APP = "monitoring"
SOURCE = _("Yuncheng plan §三(一)")


def _month(as_of: dt.date) -> tuple[dt.date, dt.date]:
    return as_of.replace(day=1), as_of


# What each case count counts among the cases opened by the date (`cases_opened_by`).
CASE_FILTERS = {
    "monitored_households": identified_on,
    "new_monitored": lambda as_of: Q(identified_on__range=_month(as_of)),
    "eliminated_this_month": lambda as_of: Q(
        status=choices.Status.ELIMINATED, closed_on__range=_month(as_of)
    ),
    "cases_without_measure": without_measure_on,
    "overdue_verifications": overdue_on,
    # The breakdowns of the monitored households, by their case's category and risk.
    "monitored_by_category": identified_on,
    "monitored_by_risk": identified_on,
}


def _cases(code: str):
    """The drill-through of a case count: the cases it counts in the area, of the area's
    category (a breakdown's) when there is one."""

    def records(area: Area):
        cases = cases_opened_by(area.as_of).filter(CASE_FILTERS[code](area.as_of))
        if area.category and code == "monitored_by_category":
            cases = cases.filter(category=area.category)
        elif area.category and code == "monitored_by_risk":
            cases = cases.filter(with_risk(area.category))
        return area.within(cases)

    return records


@catalogue.source(
    Indicator(
        "monitored_households",
        _("Monitored households"),
        _("households"),
        _("Households included in monitoring by the date and not yet out of risk."),
        source=SOURCE,
        app=APP,
        records=_cases("monitored_households"),
    ),
    Indicator(
        "monitored_by_category",
        _("Monitored households by category"),
        _("households"),
        _("Monitored households by category: unstable, marginal, sudden hardship."),
        kind="breakdown",
        source=SOURCE,
        app=APP,
        records=_cases("monitored_by_category"),
        categories=tuple(choices.Category.choices),
    ),
    Indicator(
        "monitored_by_risk",
        _("Monitored households by risk type"),
        _("households"),
        _(
            "Monitored households by the risk types of their case; a case with several risks "
            "counts under each, so the types add up to more than the households."
        ),
        kind="breakdown",
        source=SOURCE,
        app=APP,
        records=_cases("monitored_by_risk"),
        categories=tuple(choices.Risk.choices),
    ),
    Indicator(
        "new_monitored",
        _("Newly monitored this month"),
        _("households"),
        _("Households included in monitoring from the 1st of the month to the date."),
        source=SOURCE,
        app=APP,
        records=_cases("new_monitored"),
    ),
    Indicator(
        "eliminated_this_month",
        _("Risks eliminated this month"),
        _("households"),
        _("Cases whose risk was marked eliminated from the 1st of the month to the date."),
        source=SOURCE,
        app=APP,
        records=_cases("eliminated_this_month"),
    ),
    Indicator(
        "cases_without_measure",
        _("Monitored without a measure"),
        _("households"),
        _("Monitored households with no assistance measure running on the date (should be 0)."),
        source=SOURCE,
        app=APP,
        records=_cases("cases_without_measure"),
    ),
    Indicator(
        "overdue_verifications",
        _("Overdue home visits"),
        _("cases"),
        _(
            "Cases whose home visit was due (working days after the warning) and not made by the date."
        ),
        source=SOURCE,
        app=APP,
        records=_cases("overdue_verifications"),
    ),
    additive=True,
)
def case_counts(grouping: Grouping) -> Values:
    as_of = grouping.as_of
    monitored = identified_on(as_of)
    aggregates = {
        code: Count("id", filter=CASE_FILTERS[code](as_of))
        for code in (
            "monitored_households",
            "new_monitored",
            "eliminated_this_month",
            "cases_without_measure",
            "overdue_verifications",
        )
    }
    for code, _label in choices.Category.choices:
        aggregates[f"category_{code}"] = Count("id", filter=monitored & Q(category=code))
    for code, _label in choices.Risk.choices:  # risks are stored as "illness,work"
        aggregates[f"risk_{code}"] = Count("id", filter=monitored & Q(_risks__contains=f",{code},"))
    cases = cases_opened_by(as_of).annotate(_risks=Concat(Value(","), "risks", Value(",")))
    values = grouping.aggregate(cases, **aggregates)
    for row in values.values():
        row["monitored_by_category"] = {
            code: row.pop(f"category_{code}") for code, _label in choices.Category.choices
        }
        row["monitored_by_risk"] = {
            code: row.pop(f"risk_{code}") for code, _label in choices.Risk.choices
        }
    return values


def _members_monitored(as_of: dt.date):
    """Registered members of the households monitored on `as_of`, with `case_category`: the
    category of the household's latest case identified by then."""
    category = Subquery(
        MonitoringCase.objects.filter(identified_on(as_of), household=OuterRef("household_id"))
        .order_by("-identified_on")
        .values("category")[:1]
    )
    # Only members of households with such a case are given the category (a semi-join first):
    # the same persons, without the subquery run for each of a province's two million.
    households = MonitoringCase.objects.filter(identified_on(as_of)).values("household_id")
    return (
        registered_persons(as_of)
        .filter(household_id__in=households)
        .annotate(case_category=category)
        .filter(case_category__isnull=False)
    )


def _monitored_persons(area: Area):
    persons = _members_monitored(area.as_of)
    if area.category:
        persons = persons.filter(case_category=area.category)
    return area.within(persons)


@catalogue.source(
    Indicator(
        "monitored_persons",
        _("Monitored persons"),
        _("persons"),
        _("Registered members of the monitored households on the date."),
        source=SOURCE,
        app=APP,
        records=_monitored_persons,
    ),
    Indicator(
        "monitored_persons_by_category",
        _("Monitored persons by category"),
        _("persons"),
        _(
            "Registered members of the monitored households on the date, by the category of their case."
        ),
        kind="breakdown",
        source=SOURCE,
        app=APP,
        records=_monitored_persons,
        categories=tuple(choices.Category.choices),
    ),
    additive=True,
)
def monitored_persons(grouping: Grouping) -> Values:
    aggregates = {
        f"category_{code}": Count("id", filter=Q(case_category=code))
        for code, _label in choices.Category.choices
    }
    values = grouping.aggregate(
        _members_monitored(grouping.as_of),
        monitored_persons=Count("id"),
        **aggregates,
    )
    for row in values.values():
        row["monitored_persons_by_category"] = {
            code: row.pop(f"category_{code}") for code, _label in choices.Category.choices
        }
    return values


@catalogue.source(
    Indicator(
        "open_alerts",
        _("Open alerts"),
        _("alerts"),
        _("Alerts raised by the date and neither answered by a home visit nor dismissed then."),
        source=SOURCE,
        app=APP,
        records=lambda area: area.within(alerts_open_on(area.as_of)),
    ),
    additive=True,
)
def alert_counts(grouping: Grouping) -> Values:
    return grouping.aggregate(alerts_open_on(grouping.as_of), open_alerts=Count("id"))


# Monitoring's worklists: the alert inbox and the case list filtered to a figure's records.
worklists.register(
    Worklist("open_alerts", _("Alert inbox"), "monitoring", "alert-list"),
    Worklist(
        "overdue_verifications",
        _("Overdue home visits"),
        "monitoring",
        "case-list",
        query=f"state={ALL}&overdue=true",
    ),
    Worklist(
        "cases_without_measure",
        _("Monitored without a measure"),
        "monitoring",
        "case-list",
        query="without_measure=true",
    ),
)
