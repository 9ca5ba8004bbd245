"""What the labor ledger contributes to the indicator catalogue: laborers, the employed and the
households without work, each as of the grouping's date (a spell that ended in November still
counts in October's figure)."""

import datetime as dt

from django.db.models import Avg, Count, Exists, FloatField, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from employment.models import Employment, FollowUpVisit, Training, employed_on
from employment.selectors import (
    FIVE_CLEARS_MISSING,
    FOLLOW_UP_DAYS,
    laborers_on,
    with_employment_status,
    working_on,
)
from households.models import Household
from resettle.indicators import Grouping, Indicator, Values, catalogue

APP = "employment"


@catalogue.source(
    Indicator(
        "labor_force",
        _("Labor force"),
        _("persons"),
        _("Registered persons of working age whose labor profile says they can work."),
        source=_("Tacheng plan §四(一)"),
        app=APP,
    ),
    Indicator(
        "employed",
        _("Employed laborers"),
        _("persons"),
        _("Laborers holding a main job on the date."),
        source=_("Kashgar report §二(一)"),
        app=APP,
    ),
    Indicator(
        "employed_visited",
        _("Employed laborers visited"),
        _("persons"),
        _("Employed laborers with a follow-up visit in the 12 months to the date."),
        app=APP,
    ),
    Indicator(
        "five_clears_complete",
        _("Laborers with the five clears"),
        _("persons"),
        _(
            "Laborers whose education, capacity, employment status, willingness and training "
            "intention are all on record."
        ),
        source=_("Kashgar report §五.5"),
        app=APP,
    ),
)
def labor_counts(grouping: Grouping) -> Values:
    as_of = grouping.as_of
    visited = Exists(
        FollowUpVisit.objects.filter(
            person=OuterRef("pk"),
            visited_on__gt=as_of - dt.timedelta(days=FOLLOW_UP_DAYS),
            visited_on__lte=as_of,
        )
    )
    return grouping.aggregate(
        with_employment_status(laborers_on(as_of), as_of).annotate(visited=visited),
        labor_force=Count("id"),
        employed=Count("id", filter=Q(working=True)),
        employed_visited=Count("id", filter=Q(working=True, visited=True)),
        five_clears_complete=Count("id", filter=~FIVE_CLEARS_MISSING),
    )


catalogue.ratio(
    Indicator(
        "employment_rate",
        _("Employment rate"),
        _("%"),
        _("Employed laborers ÷ labor force."),
        kind="ratio",
        app=APP,
    ),
    numerator="employed",
    denominator="labor_force",
)


@catalogue.source(
    Indicator(
        "labor_households",
        _("Households with labor"),
        _("households"),
        _("Households with at least one laborer on the date."),
        app=APP,
    ),
    Indicator(
        "employed_households",
        _("Households with someone employed"),
        _("households"),
        _("Households with labor in which at least one laborer holds a job on the date."),
        app=APP,
    ),
    Indicator(
        "zero_employment_households",
        _("Zero-employment households"),
        _("households"),
        _("Households with labor in which no laborer holds a job on the date (零就业家庭)."),
        source=_("Tacheng plan §四(二)"),
        app=APP,
    ),
)
def household_counts(grouping: Grouping) -> Values:
    laborers = laborers_on(grouping.as_of).filter(household=OuterRef("pk"))
    working = laborers.filter(working_on(grouping.as_of))
    households = Household.objects.annotate(labor=Exists(laborers), working=Exists(working)).filter(
        labor=True
    )
    return grouping.aggregate(
        households,
        labor_households=Count("id"),
        employed_households=Count("id", filter=Q(working=True)),
        zero_employment_households=Count("id", filter=Q(working=False)),
    )


catalogue.ratio(
    Indicator(
        "one_per_household_rate",
        _("One employed per household"),
        _("%"),
        _("Households with labor and someone employed ÷ households with labor (一户一人)."),
        kind="ratio",
        source=_("Tacheng plan §一"),
        app=APP,
    ),
    numerator="employed_households",
    denominator="labor_households",
)


catalogue.ratio(
    Indicator(
        "followup_coverage",
        _("Follow-up coverage"),
        _("%"),
        _("Employed laborers visited in the last 12 months ÷ employed laborers."),
        kind="ratio",
        source=_("Tacheng plan §四(四)"),
        app=APP,
    ),
    numerator="employed_visited",
    denominator="employed",
)
catalogue.ratio(
    Indicator(
        "five_clears_rate",
        _("Five clears rate"),
        _("%"),
        _("Laborers with the five clears ÷ labor force."),
        kind="ratio",
        source=_("Kashgar report §五.5"),
        app=APP,
    ),
    numerator="five_clears_complete",
    denominator="labor_force",
)


@catalogue.source(
    Indicator(
        "avg_monthly_wage",
        _("Average monthly income"),
        _("yuan"),
        _("Mean monthly income of the main jobs open on the date that record one."),
        kind="amount",
        app=APP,
    ),
)
def wages(grouping: Grouping) -> Values:
    values = grouping.aggregate(
        Employment.objects.filter(
            employed_on(grouping.as_of), is_main=True, monthly_income__isnull=False
        ),
        avg_monthly_wage=Avg("monthly_income", output_field=FloatField()),
    )
    return {
        key: {"avg_monthly_wage": round(row["avg_monthly_wage"] or 0, 2)}
        for key, row in values.items()
    }


@catalogue.source(
    Indicator(
        "trained_ytd",
        _("Trained this year"),
        _("persons"),
        _("Persons who finished a training between 1 January and the date."),
        source=_("Tacheng plan §四(二)"),
        app=APP,
    ),
)
def trainings(grouping: Grouping) -> Values:
    as_of = grouping.as_of
    return grouping.aggregate(
        Training.objects.filter(end_date__gte=as_of.replace(month=1, day=1), end_date__lte=as_of),
        trained_ytd=Count("person_id", distinct=True),
    )
