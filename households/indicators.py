"""What the registry contributes to the indicator catalogue (DESIGN.md, Indicators)."""

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from households.choices import AreaType, CertificateStatus, Placement
from households.models import Site
from households.selectors import (
    households_to_complete,
    registered_households,
    registered_persons,
)
from resettle import worklists
from resettle.indicators import Grouping, Indicator, Values, catalogue
from resettle.worklists import Worklist

APP = "households"


def _built(as_of: dt.date) -> Q:
    """Sites built by the year of `as_of` (or of unknown year)."""
    return Q(build_year__isnull=True) | Q(build_year__lte=as_of.year)


def _sites(condition: Q | None = None):
    """The records of a site count: the area's sites built by the date (meeting `condition`)."""
    return lambda area: area.within(Site.objects.filter(_built(area.as_of), condition or Q()))


def _issued(as_of: dt.date) -> Q:
    return Q(property_certificate_status=CertificateStatus.ISSUED) & (
        Q(property_certificate_on__isnull=True) | Q(property_certificate_on__lte=as_of)
    )


def _transferred(as_of: dt.date) -> Q:
    return Q(hukou_transferred=True) & (
        Q(hukou_transferred_on__isnull=True) | Q(hukou_transferred_on__lte=as_of)
    )


# What each household count counts, among the registered households of the date.
HOUSEHOLD_FILTERS = {
    "households": lambda as_of: Q(),
    "households_with_certificate": _issued,
    "households_hukou_transferred": _transferred,
    "households_with_certificate_date_unknown": lambda as_of: (
        _issued(as_of) & Q(property_certificate_on_unknown=True)
    ),
    "households_hukou_transferred_date_unknown": lambda as_of: (
        _transferred(as_of) & Q(hukou_transferred_on_unknown=True)
    ),
    "households_certificate_status_unknown": lambda as_of: Q(property_certificate_status=""),
    "households_hukou_unknown": lambda as_of: Q(hukou_transferred__isnull=True),
}


def _households(code: str):
    return lambda area: area.within(
        registered_households(area.as_of).filter(HOUSEHOLD_FILTERS[code](area.as_of))
    )


@catalogue.source(
    Indicator(
        "sites",
        _("Number of settlement sites"),
        _("sites"),
        _("Settlement sites in scope built by the date's year."),
        app=APP,
        records=_sites(),
    ),
    Indicator(
        "sites_concentrated",
        _("Concentrated placement sites"),
        _("sites"),
        _("Sites with concentrated placement."),
        app=APP,
        records=_sites(Q(placement=Placement.CONCENTRATED)),
    ),
    Indicator(
        "sites_dispersed",
        _("Dispersed placement sites"),
        _("sites"),
        _("Sites with dispersed placement."),
        app=APP,
        records=_sites(Q(placement=Placement.DISPERSED)),
    ),
    Indicator(
        "sites_urban",
        _("Urban sites"),
        _("sites"),
        _("Sites in towns and cities."),
        app=APP,
        records=_sites(Q(area_type=AreaType.URBAN)),
    ),
    Indicator(
        "sites_rural",
        _("Rural sites"),
        _("sites"),
        _("Sites in rural areas."),
        app=APP,
        records=_sites(Q(area_type=AreaType.RURAL)),
    ),
    additive=True,
)
def site_counts(grouping: Grouping) -> Values:
    return grouping.aggregate(
        Site.objects.filter(_built(grouping.as_of)),
        sites=Count("id"),
        sites_concentrated=Count("id", filter=Q(placement=Placement.CONCENTRATED)),
        sites_dispersed=Count("id", filter=Q(placement=Placement.DISPERSED)),
        sites_urban=Count("id", filter=Q(area_type=AreaType.URBAN)),
        sites_rural=Count("id", filter=Q(area_type=AreaType.RURAL)),
    )


@catalogue.source(
    Indicator(
        "persons",
        _("Relocated persons"),
        _("persons"),
        _("Members registered (在册) on the date."),
        source=_("Kashgar report §一"),
        app=APP,
        records=lambda area: area.within(registered_persons(area.as_of)),
    ),
    additive=True,
)
def person_counts(grouping: Grouping) -> Values:
    return grouping.aggregate(registered_persons(grouping.as_of), persons=Count("id"))


@catalogue.source(
    Indicator(
        "households",
        _("Relocated households"),
        _("households"),
        _("Households with at least one member registered (在册) on the date."),
        source=_("Kashgar report §一"),
        app=APP,
        records=_households("households"),
    ),
    Indicator(
        "households_with_certificate",
        _("Households with property certificate"),
        _("households"),
        _("Registered households whose real-estate property certificate was issued by the date."),
        source=_("Guizhou opinions, registration of housing property"),
        app=APP,
        records=_households("households_with_certificate"),
    ),
    Indicator(
        "households_hukou_transferred",
        _("Households with registration transferred"),
        _("households"),
        _(
            "Registered households whose household registration (户籍) moved to the site by the date."
        ),
        source=_("Guizhou opinions, household registration transfer"),
        app=APP,
        records=_households("households_hukou_transferred"),
    ),
    Indicator(
        "households_with_certificate_date_unknown",
        _("Households with certificate, date unknown"),
        _("households"),
        _(
            "Of the households with certificate, those whose issue date was not recorded: "
            "counted from the day the certificate was entered."
        ),
        app=APP,
        records=_households("households_with_certificate_date_unknown"),
    ),
    Indicator(
        "households_hukou_transferred_date_unknown",
        _("Households with registration transferred, date unknown"),
        _("households"),
        _(
            "Of the households with registration transferred, those whose transfer date was not "
            "recorded: counted from the day the transfer was entered."
        ),
        app=APP,
        records=_households("households_hukou_transferred_date_unknown"),
    ),
    Indicator(
        "households_certificate_status_unknown",
        _("Households with certificate status unknown"),
        _("households"),
        _(
            "Registered households whose property certificate status (已办证, 办理中, 未办理) was "
            "not recorded: in the certificate rate's denominator, not its numerator."
        ),
        app=APP,
        records=_households("households_certificate_status_unknown"),
    ),
    Indicator(
        "households_hukou_unknown",
        _("Households with registration transfer unknown"),
        _("households"),
        _(
            "Registered households of which it was not recorded whether their household "
            "registration (户籍) moved to the site: in the transfer rate's denominator, not its "
            "numerator."
        ),
        app=APP,
        records=_households("households_hukou_unknown"),
    ),
    additive=True,
)
def household_counts(grouping: Grouping) -> Values:
    """Registered households (`registered_households`), and those of each step, counted with
    the filters their drill-through lists use (HOUSEHOLD_FILTERS)."""
    as_of = grouping.as_of
    # Households are counted here, not as COUNT(DISTINCT) over persons: that needs a sort of
    # every registered person, this a hash semi-join (BENCHMARKS.md).
    return grouping.aggregate(
        registered_households(as_of),
        **{
            code: Count("id", filter=condition(as_of))
            for code, condition in HOUSEHOLD_FILTERS.items()
        },
    )


catalogue.ratio(
    Indicator(
        "property_certificate_rate",
        _("Property certificate rate"),
        "%",
        _("Households with certificate ÷ households."),
        kind="ratio",
        source=_("Guizhou opinions, registration of housing property"),
        app=APP,
    ),
    numerator="households_with_certificate",
    denominator="households",
)
catalogue.ratio(
    Indicator(
        "hukou_transfer_rate",
        _("Household registration transfer rate"),
        "%",
        _("Households with registration transferred ÷ households."),
        kind="ratio",
        source=_("Guizhou opinions, household registration transfer"),
        app=APP,
    ),
    numerator="households_hukou_transferred",
    denominator="households",
)


@catalogue.source(
    Indicator(
        "households_to_complete",
        _("Households with information to complete"),
        _("households"),
        _(
            "Households of which a fact some figure needs is not known (信息待补录): the move-in "
            "date, category or poverty status, whether or when a step was done, a registered "
            "member's facts, or when a member moved out or died. Counted as recorded when the "
            "figure is computed."
        ),
        app=APP,
        records=lambda area: area.within(households_to_complete()),
    ),
    additive=True,
)
def households_to_complete_count(grouping: Grouping) -> Values:
    return grouping.aggregate(households_to_complete(), households_to_complete=Count("id"))


# The figures that include steps whose date was not recorded (counted from the day they were
# entered), and the indicator that says how many: the monthly workbook's notes print it.
DATE_UNKNOWN_INCLUDED = {
    "households_with_certificate": "households_with_certificate_date_unknown",
    "property_certificate_rate": "households_with_certificate_date_unknown",
    "households_hukou_transferred": "households_hukou_transferred_date_unknown",
    "hukou_transfer_rate": "households_hukou_transferred_date_unknown",
}

# The figures that count a household whose status is not known (left blank) as not done, and the
# indicator that says how many: the rates keep their definition (done ÷ all households), and the
# monthly workbook's notes print the count beside them.
STATUS_UNKNOWN_INCLUDED = {
    "households_with_certificate": "households_certificate_status_unknown",
    "property_certificate_rate": "households_certificate_status_unknown",
    "households_hukou_transferred": "households_hukou_unknown",
    "hukou_transfer_rate": "households_hukou_unknown",
}


worklists.register(
    Worklist(
        "households_to_complete", _("Information to complete"), "households", "household-worklist"
    )
)
