"""What the labor ledger contributes to the indicator catalogue: laborers, the employed and the
households without work, each as of the grouping's date (a spell that ended in November still
counts in October's figure)."""

import datetime as dt

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from employment.choices import LABOR_CAPACITIES
from employment.models import Employment, employed_on
from households.models import Household, Person, registered_on_date
from resettle.indicators import Grouping, Indicator, Values, catalogue

APP = "employment"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def laborers_on(as_of: dt.date):
    """Persons who are laborers (劳动力) on `as_of`: registered, of working age (settings), with
    a profile recorded by then whose capacity is ordinary, skilled or weak labor."""
    low, high = settings.EMPLOYMENT_WORKING_AGE
    return Person.objects.filter(
        registered_on_date(as_of),
        birth_date__lte=_years_before(as_of, low),
        birth_date__gt=_years_before(as_of, high),
        labor_profile__capacity__in=LABOR_CAPACITIES,
        labor_profile__recorded_on__lte=as_of,
    )


def working_on(as_of: dt.date) -> Exists:
    """Whether the person (OuterRef "pk") holds a main job on `as_of`."""
    return Exists(
        Employment.objects.filter(employed_on(as_of), person=OuterRef("pk"), is_main=True)
    )


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
)
def labor_counts(grouping: Grouping) -> Values:
    return grouping.aggregate(
        laborers_on(grouping.as_of).annotate(working=working_on(grouping.as_of)),
        labor_force=Count("id"),
        employed=Count("id", filter=Q(working=True)),
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
    working = laborers.filter(
        Exists(
            Employment.objects.filter(
                employed_on(grouping.as_of), person=OuterRef("pk"), is_main=True
            )
        )
    )
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
