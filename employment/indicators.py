"""What the labor ledger contributes to the indicator catalogue: laborers, the employed and the
households without work, each as of the grouping's date (a spell that ended in November still
counts in October's figure)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from employment.selectors import laborers_on, working_on
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
