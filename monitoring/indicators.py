"""What monitoring contributes to the indicator catalogue, each as of the grouping's date: the
dates of every case's steps are stored, so a case eliminated in November still counts as
monitored in October."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from households.models import Person, registered_on_date
from monitoring import choices
from monitoring.models import Alert, AssistanceMeasure, MonitoringCase
from monitoring.selectors import identified_on, overdue_on
from resettle.indicators import Grouping, Indicator, Values, catalogue
from resettle.models import running_on

APP = "monitoring"
SOURCE = _("Yuncheng plan §三(一)")


@catalogue.source(
    Indicator(
        "monitored_households",
        _("Monitored households"),
        _("households"),
        _("Households included in monitoring by the date and not yet out of risk."),
        source=SOURCE,
        app=APP,
    ),
    Indicator(
        "monitored_by_category",
        _("Monitored households by category"),
        _("households"),
        _("Monitored households by category: unstable, marginal, sudden hardship."),
        kind="breakdown",
        source=SOURCE,
        app=APP,
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
        categories=tuple(choices.Risk.choices),
    ),
    Indicator(
        "new_monitored",
        _("Newly monitored this month"),
        _("households"),
        _("Households included in monitoring from the 1st of the month to the date."),
        source=SOURCE,
        app=APP,
    ),
    Indicator(
        "eliminated_this_month",
        _("Risks eliminated this month"),
        _("households"),
        _("Cases whose risk was marked eliminated from the 1st of the month to the date."),
        source=SOURCE,
        app=APP,
    ),
    Indicator(
        "cases_without_measure",
        _("Monitored without a measure"),
        _("households"),
        _("Monitored households with no assistance measure running on the date (should be 0)."),
        source=SOURCE,
        app=APP,
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
    ),
    additive=True,
)
def case_counts(grouping: Grouping) -> Values:
    as_of = grouping.as_of
    month = as_of.replace(day=1)
    monitored = identified_on(as_of)
    measured = Exists(AssistanceMeasure.objects.filter(running_on(as_of), case=OuterRef("pk")))
    aggregates = {
        "monitored_households": Count("id", filter=monitored),
        "new_monitored": Count("id", filter=Q(identified_on__gte=month, identified_on__lte=as_of)),
        "eliminated_this_month": Count(
            "id",
            filter=Q(status=choices.Status.ELIMINATED, closed_on__gte=month, closed_on__lte=as_of),
        ),
        "cases_without_measure": Count("id", filter=monitored & Q(measured=False)),
        "overdue_verifications": Count("id", filter=overdue_on(as_of) & Q(opened_on__lte=as_of)),
    }
    for code, _label in choices.Category.choices:
        aggregates[f"category_{code}"] = Count("id", filter=monitored & Q(category=code))
    for code, _label in choices.Risk.choices:  # risks are stored as "illness,work"
        aggregates[f"risk_{code}"] = Count("id", filter=monitored & Q(_risks__contains=f",{code},"))
    cases = MonitoringCase.objects.filter(opened_on__lte=as_of).annotate(
        measured=measured, _risks=Concat(Value(","), "risks", Value(","))
    )
    values = grouping.aggregate(cases, **aggregates)
    for row in values.values():
        row["monitored_by_category"] = {
            code: row.pop(f"category_{code}") for code, _label in choices.Category.choices
        }
        row["monitored_by_risk"] = {
            code: row.pop(f"risk_{code}") for code, _label in choices.Risk.choices
        }
    return values


@catalogue.source(
    Indicator(
        "monitored_persons",
        _("Monitored persons"),
        _("persons"),
        _("Registered members of the monitored households on the date."),
        source=SOURCE,
        app=APP,
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
        categories=tuple(choices.Category.choices),
    ),
    additive=True,
)
def monitored_persons(grouping: Grouping) -> Values:
    as_of = grouping.as_of
    category = Subquery(
        MonitoringCase.objects.filter(identified_on(as_of), household=OuterRef("household_id"))
        .order_by("-identified_on")
        .values("category")[:1]
    )
    aggregates = {
        f"category_{code}": Count("id", filter=Q(case_category=code))
        for code, _label in choices.Category.choices
    }
    values = grouping.aggregate(
        Person.objects.filter(registered_on_date(as_of))
        .annotate(case_category=category)
        .filter(case_category__isnull=False),
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
    ),
    additive=True,
)
def alert_counts(grouping: Grouping) -> Values:
    as_of = grouping.as_of
    return grouping.aggregate(
        Alert.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=as_of), raised_on__lte=as_of
        ),
        open_alerts=Count("id"),
    )
