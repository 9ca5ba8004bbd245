"""FilterSets of site governance, for the API and the pages alike: the sites with their
governance (安置区治理) and the greenhouse ledger (一户一棚台账)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from governance.sitegov import choices
from governance.sitegov.models import (
    Cadre,
    CommunityBody,
    FacilityKind,
    FarmingWish,
    Greenhouse,
    GridRole,
    ServiceKind,
    ShopAsset,
    ShopIncome,
    SiteFacility,
    SiteLeader,
    SiteService,
    TeamMember,
)
from governance.sitegov.selectors import (
    SHORTFALLS,
    facilities_present,
    greenhouses_on,
    services_in_place,
    sites_built,
    sites_where,
    willing_households,
    wishes_on,
)
from households.filtersets import IdFilter, RegionFilter
from households.models import Site
from resettle.filters import ALL, PopulationFilter, StrictBooleanFilter


@extend_schema_field(OpenApiTypes.STR)
class MissingItemFilter(django_filters.ModelChoiceFilter):
    """`?missing_facility=clinic`: the sites whose list has the item (by its code) and that do
    not have it today (not present, or not known), as the worklist and the figures count it."""

    def __init__(self, *, present, **kwargs):
        self.present = present
        super().__init__(to_field_name="code", **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        today = timezone.localdate()
        if value.region_id:
            qs = qs.filter(region_code__startswith=value.region_id)
        return qs.filter(~Exists(self.present(today).filter(site=OuterRef("pk"), kind=value)))


# `?shortfall=` of the sites breaking any rule (the worklist's entries).
ANY_SHORTFALL = "any"


class ShortfallFilter(django_filters.ChoiceFilter):
    """`?shortfall=any`: the sites built by today that break a rule of site governance today,
    the entries of the shortfall worklist (安置区短板) that the `sites_with_shortfall` figure
    counts; `?shortfall=<rule>` (a code of `selectors.SHORTFALLS`): those breaking that rule."""

    def __init__(self, **kwargs):
        choices = [(ANY_SHORTFALL, _("Any shortfall")), *((r.code, r.label) for r in SHORTFALLS)]
        super().__init__(choices=choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        today = timezone.localdate()
        built = qs.filter(sites_built(today))
        rule = "shortfall" if value == ANY_SHORTFALL else value
        return built.filter(pk__in=sites_where(rule, today, built).values("pk"))


class SiteGovernanceFilterSet(django_filters.FilterSet):
    """The sites on the governance list: by county, site, a facility or a service they lack,
    a rule they break (the shortfall worklist)."""

    region = RegionFilter()
    site = IdFilter(field_name="id", label=_("Site"))
    missing_facility = MissingItemFilter(
        queryset=FacilityKind.objects.all(),
        present=facilities_present,
        label=_("Lacking the facility"),
    )
    missing_service = MissingItemFilter(
        queryset=ServiceKind.objects.all(),
        present=services_in_place,
        label=_("Lacking the service"),
    )
    shortfall = ShortfallFilter(label=_("Shortfall"))

    class Meta:
        model = Site
        fields = ["region", "site", "missing_facility", "missing_service", "shortfall"]


def _willing_now(day):
    """The ledger's entries standing on `day` of households registered then: the entries the
    `greenhouse_willing_households` figure counts (one a household: entries of one household
    may not overlap)."""
    return Q(pk__in=wishes_on(day).values("pk")) & Q(
        household__in=willing_households(day).values("pk")
    )


class HoldsGreenhouseFilter(StrictBooleanFilter):
    """`?greenhouse=true`: the households holding a greenhouse today (false: none)."""

    def filter(self, qs, value):
        if value is None:
            return qs
        holds = Exists(greenhouses_on(timezone.localdate()).filter(household=OuterRef("household")))
        return qs.filter(holds if value else ~holds)


class FarmingWishFilterSet(django_filters.FilterSet):
    """The greenhouse ledger (households willing to farm): by county, site, household, whether
    the wish stands today and whether the household holds a greenhouse."""

    state = PopulationFilter(
        states=[
            ("willing", _("Willing now"), _willing_now),
            ("not_willing", _("Withdrawn or not registered"), lambda day: ~_willing_now(day)),
            (ALL, _("All"), None),
        ],
        figure="greenhouse_willing_households",
    )
    region = RegionFilter()
    site = IdFilter(field_name="household__site_id", label=_("Site"))
    household = IdFilter(field_name="household_id", label=_("Household"))
    greenhouse = HoldsGreenhouseFilter(label=_("Holds a greenhouse"))

    class Meta:
        model = FarmingWish
        fields = ["state", "region", "site", "household", "greenhouse"]


# ---- The records of the API ------------------------------------------------------------------


class SiteRecordFilterSet(django_filters.FilterSet):
    """The records of a site (its facilities, team, bodies …): by area and site."""

    region = RegionFilter()
    site = IdFilter(field_name="site_id", label=_("Site"))


class SiteFacilityFilterSet(SiteRecordFilterSet):
    kind = django_filters.ModelChoiceFilter(
        queryset=FacilityKind.objects.all(), to_field_name="code", label=_("facility")
    )

    class Meta:
        model = SiteFacility
        fields = ["region", "site", "kind"]


class SiteServiceFilterSet(SiteRecordFilterSet):
    kind = django_filters.ModelChoiceFilter(
        queryset=ServiceKind.objects.all(), to_field_name="code", label=_("service")
    )

    class Meta:
        model = SiteService
        fields = ["region", "site", "kind"]


class TeamMemberFilterSet(SiteRecordFilterSet):
    role = django_filters.ChoiceFilter(choices=choices.TeamRole.choices)
    cadre = IdFilter(field_name="cadre_id", label=_("cadre"))

    class Meta:
        model = TeamMember
        fields = ["region", "site", "role", "cadre"]


class SiteLeaderFilterSet(SiteRecordFilterSet):
    position = django_filters.ChoiceFilter(choices=choices.LeaderPosition.choices)
    cadre = IdFilter(field_name="cadre_id", label=_("cadre"))

    class Meta:
        model = SiteLeader
        fields = ["region", "site", "position", "cadre"]


class CommunityBodyFilterSet(SiteRecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=choices.BodyKind.choices)

    class Meta:
        model = CommunityBody
        fields = ["region", "site", "kind"]


class GridRoleFilterSet(SiteRecordFilterSet):
    role = django_filters.ChoiceFilter(choices=choices.GridRoleKind.choices)

    class Meta:
        model = GridRole
        fields = ["region", "site", "role"]


class ShopAssetFilterSet(SiteRecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=choices.ShopKind.choices)

    class Meta:
        model = ShopAsset
        fields = ["region", "site", "kind"]


class ShopIncomeFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    site = IdFilter(field_name="asset__site_id", label=_("Site"))
    asset = IdFilter(field_name="asset_id", label=_("shop asset"))
    year = django_filters.NumberFilter()

    class Meta:
        model = ShopIncome
        fields = ["region", "site", "asset", "year"]


class CadreFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    rank = django_filters.ChoiceFilter(choices=choices.Rank.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = Cadre
        fields = ["region", "rank", "q"]


class GreenhouseFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    site = IdFilter(field_name="household__site_id", label=_("Site"))
    household = IdFilter(field_name="household_id", label=_("Household"))
    project = IdFilter(field_name="project_id", label=_("industry project"))

    class Meta:
        model = Greenhouse
        fields = ["region", "site", "household", "project"]
