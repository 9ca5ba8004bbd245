"""The API of site governance (安置区治理) under /api/v1/: the sites with their governance today
(`site-governance`, read-only), the reference lists (`facility-kinds`, `service-kinds`) and the
records of each site, written through the services that hold the rules (the pages' forms and
the imports call the same): a site outside the user's area is not found (404), a write the
user's role may not make is 403, a refused rule 400 with the service's message by field.
`import/` and `export/` take and give the workbooks: facilities and services on
`site-facilities`, staffing on `team-members`, the greenhouse ledger on `farming-wishes`."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from governance.sitegov import filtersets, services
from governance.sitegov.excel import FACILITY_LEDGER, GREENHOUSE_LEDGER, STAFFING_LEDGER
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
from governance.sitegov.selectors import site_summaries
from households.api.serializers import VersionedSerializerMixin
from households.models import REVEAL_PERMISSION, Household, Person, Region, Site
from industry.models import IndustryProject
from resettle.api.fields import PhoneField, ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField
from resettle.api.serializers import ModelSerializer
from resettle.api.views import (
    LedgerActionsMixin,
    RemovableMixin,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
)
from resettle.scoping import permits


def _actor(serializer):
    return serializer.context["request"].user


# ---- Reference lists -----------------------------------------------------------------------------


class FacilityKindSerializer(ModelSerializer):
    region = serializers.CharField(
        source="region_id", read_only=True, allow_null=True, help_text="Null: the documents' own"
    )

    class Meta:
        model = FacilityKind
        fields = ["id", "code", "name", "position", "measure", "capacity_unit", "region", "source"]


class ServiceKindSerializer(ModelSerializer):
    region = serializers.CharField(
        source="region_id", read_only=True, allow_null=True, help_text="Null: the documents' own"
    )

    class Meta:
        model = ServiceKind
        fields = ["id", "code", "name", "position", "region", "source", "note"]


class FacilityKindViewSet(viewsets.ReadOnlyModelViewSet):
    """The facilities every site has (十有): the Yuncheng plan's ten and any a province added
    (`region`). Reference data every signed-in user reads."""

    queryset = FacilityKind.objects.select_related("region")
    serializer_class = FacilityKindSerializer
    permission_classes = [IsAuthenticated]


class ServiceKindViewSet(viewsets.ReadOnlyModelViewSet):
    """The services every site has in place (十到位): the nine the Yuncheng plan lists under the
    name of ten, and any a province added."""

    queryset = ServiceKind.objects.select_related("region")
    serializer_class = ServiceKindSerializer
    permission_classes = [IsAuthenticated]


# ---- The sites with their governance -------------------------------------------------------------


class LeaderBriefSerializer(ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)

    class Meta:
        model = SiteLeader
        fields = ["id", "cadre", "cadre_name", "position", "start_date", "end_date"]


class SiteGovernanceSerializer(ModelSerializer):
    """A site's governance today, as the governance list and the shortfall worklist read it."""

    county = serializers.CharField(source="county_id", read_only=True, help_text="County code")
    county_name = serializers.CharField(source="county.name", read_only=True)
    persons = serializers.IntegerField(
        source="governance.persons", read_only=True, help_text="Registered persons today"
    )
    poor_persons = serializers.IntegerField(
        source="governance.poor_persons",
        read_only=True,
        help_text="Registered persons of 建档立卡 households today (the work team threshold)",
    )
    facilities_present = serializers.IntegerField(
        source="governance.facts.facility_items_present", read_only=True
    )
    facilities_required = serializers.IntegerField(
        source="governance.facts.facility_items_required", read_only=True
    )
    services_present = serializers.IntegerField(
        source="governance.facts.service_items_present", read_only=True
    )
    services_required = serializers.IntegerField(
        source="governance.facts.service_items_required", read_only=True
    )
    team_members = serializers.IntegerField(
        source="governance.facts.members", read_only=True, help_text="Serving today"
    )
    first_secretaries = serializers.IntegerField(
        source="governance.facts.secretaries", read_only=True
    )
    needs_team = serializers.BooleanField(source="governance.flags.needs_team", read_only=True)
    county_managed = serializers.BooleanField(
        source="governance.flags.county_managed",
        read_only=True,
        help_text="Below the team threshold: managed by the county as a whole",
    )
    team_lacking = serializers.BooleanField(source="governance.flags.team_lacking", read_only=True)
    leaders = LeaderBriefSerializer(
        source="governance.leaders", many=True, read_only=True, help_text="Answering today (包保)"
    )
    leader_missing = serializers.BooleanField(
        source="governance.flags.leader_missing", read_only=True
    )
    leader_unfit = serializers.BooleanField(source="governance.flags.leader_unfit", read_only=True)
    community_missing = serializers.BooleanField(
        source="governance.flags.community_missing", read_only=True
    )
    shortfall = serializers.BooleanField(
        source="governance.flags.shortfall",
        read_only=True,
        help_text="Breaks a rule of site governance (on the 安置区短板 worklist)",
    )

    class Meta:
        model = Site
        fields = [
            "id",
            "code",
            "name",
            "county",
            "county_name",
            "persons",
            "poor_persons",
            "facilities_present",
            "facilities_required",
            "services_present",
            "services_required",
            "team_members",
            "first_secretaries",
            "needs_team",
            "county_managed",
            "team_lacking",
            "leaders",
            "leader_missing",
            "leader_unfit",
            "community_missing",
            "shortfall",
        ]


class SiteGovernanceViewSet(ScopedReadOnlyViewSet):
    """The sites the user sees with their governance today: facilities present of their list
    (十有), services in place (十到位), the work team, the leaders answering for them (包保)
    and the rules they break; filters by county, site and a facility or service lacking."""

    queryset = Site.objects.select_related("county").order_by("county_id", "code")
    serializer_class = SiteGovernanceSerializer
    filterset_class = filtersets.SiteGovernanceFilterSet

    def _with_governance(self, sites: list[Site]) -> list[Site]:
        summaries = site_summaries(sites, timezone.localdate())
        for site in sites:
            site.governance = summaries[site.pk]
        return sites

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        serializer = self.get_serializer(self._with_governance(list(page)), many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        site = self._with_governance([self.get_object()])[0]
        return Response(self.get_serializer(site).data)


# ---- Records of a site -------------------------------------------------------------------------


class RecordSerializer(VersionedSerializerMixin, ModelSerializer):
    """A record of site governance written through its service: `save_record(validated,
    instance, version)` calls it. The fields naming where the record belongs (`fixed`: its
    site, asset or household) stay as they are once it exists."""

    fixed: tuple[str, ...] = ("site",)

    def create(self, validated_data):
        validated_data.pop("version", None)
        return self.save_record(validated_data, None, None)

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        for name in self.fixed:
            if name in validated_data:
                value = validated_data.pop(name)
                if getattr(instance, f"{name}_id") != value.pk:
                    raise serializers.ValidationError(
                        {
                            name: [
                                _("A record stays where it belongs: remove it and record it anew.")
                            ]
                        }
                    )
        return self.save_record(validated_data, instance, version)

    def save_record(self, data: dict, instance, version):
        raise NotImplementedError

    def may_record_at(self, site: Site) -> None:
        """Refuse (403) a new record at `site` that the user's role may not make there (a site
        operator sends no work team), before its other fields are looked at: the permission
        the service checks, asked first so that the answer is the same whatever the body."""
        model = type(self).Meta.model
        if self.instance is None and not permits(
            _actor(self), model, "change", region_code=site.region_code, site_id=site.pk
        ):
            raise PermissionDenied(
                _("Your role may not record %(what)s at this site.")
                % {"what": model._meta.verbose_name_plural}
            )

    def validate_site(self, site):
        self.may_record_at(site)
        return site

    def validate_asset(self, asset):
        self.may_record_at(asset.site)
        return asset

    def validate_household(self, household):
        self.may_record_at(household.site)
        return household

    def fixed_value(self, data: dict, instance, name: str):
        """The record's `name` (its site …): the instance's, or the one the body gives."""
        return getattr(instance, name) if instance is not None else data.pop(name)


class VersionedMeta:
    extra_kwargs = {"version": {"required": False}}
    validators = []  # the services say which record exists


class KindRecordSerializer(RecordSerializer):
    """A facility or service record: one per site and item, by the item's code."""

    fixed = ("site", "kind")
    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all())
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    service = None

    def save_record(self, data, instance, version):
        site = self.fixed_value(data, instance, "site")
        kind = self.fixed_value(data, instance, "kind")
        if instance is None:
            recorded = type(self).Meta.model.objects.filter(site=site, kind=kind).first()
            if recorded is not None:
                raise serializers.ValidationError(
                    {
                        "kind": [
                            _(
                                "%(item)s is already recorded for this site (record %(id)s): "
                                "change that record with its version."
                            )
                            % {"item": kind.name, "id": recorded.pk}
                        ]
                    }
                )
        return type(self).service(
            actor=_actor(self), site=site, kind=kind, data=data, version=version
        )


class SiteFacilitySerializer(KindRecordSerializer):
    kind = serializers.SlugRelatedField(
        slug_field="code", queryset=FacilityKind.objects.all(), help_text="Code of a facility-kind"
    )
    provided_by = ScopedPrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True
    )
    service = staticmethod(services.site_facility_save)

    class Meta(VersionedMeta):
        model = SiteFacility
        fields = [
            "id",
            "site",
            "kind",
            "kind_name",
            "present",
            "since",
            "area_m2",
            "capacity",
            "provided_by",
            "note",
            "version",
        ]


class SiteServiceSerializer(KindRecordSerializer):
    kind = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceKind.objects.all(), help_text="Code of a service-kind"
    )
    service = staticmethod(services.site_service_save)

    class Meta(VersionedMeta):
        model = SiteService
        fields = [
            "id",
            "site",
            "kind",
            "kind_name",
            "in_place",
            "since",
            "responsible_unit",
            "note",
            "version",
        ]


class CadreSerializer(RecordSerializer):
    fixed = ()
    region = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        help_text="Code of the county, prefecture or province keeping the record",
    )
    person = ScopedPrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="The registered person the cadre is, if one",
    )
    site = ScopedPrimaryKeyRelatedField(
        queryset=Site.objects.all(),
        required=False,
        allow_null=True,
        help_text="The site the cadre was named for (a grid role's holder): its operator may "
        "record them; the region is then the site's county",
    )
    phone = PhoneField(max_length=20, required=False, allow_blank=True)

    class Meta(VersionedMeta):
        model = Cadre
        fields = [
            "id",
            "name",
            "post",
            "unit",
            "phone",
            "rank",
            "region",
            "site",
            "person",
            "version",
        ]

    def save_record(self, data, instance, version):
        return services.cadre_save(actor=_actor(self), data=data, cadre=instance, version=version)


class OwnedRecordSerializer(RecordSerializer):
    """A record of a site, a household or a shop asset (`owner`: the field naming it, which the `service`
    takes as an argument of its own) through `service`, which takes the record as
    `record_name`."""

    owner = ""
    record_name = ""
    service = None

    def save_record(self, data, instance, version):
        return type(self).service(
            actor=_actor(self),
            data=data,
            version=version,
            **{self.owner: self.fixed_value(data, instance, self.owner)},
            **{self.record_name: instance},
        )


class SiteRecordSerializer(OwnedRecordSerializer):
    """A record of a site (its team, leaders, bodies, grid roles, shops)."""

    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all())
    owner = "site"


class TeamMemberSerializer(SiteRecordSerializer):
    cadre = ScopedPrimaryKeyRelatedField(queryset=Cadre.objects.all())
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    record_name = "member"
    service = staticmethod(services.team_member_save)

    class Meta(VersionedMeta):
        model = TeamMember
        fields = [
            "id",
            "site",
            "cadre",
            "cadre_name",
            "role",
            "sent_by",
            "start_date",
            "end_date",
            "note",
            "version",
        ]


class SiteLeaderSerializer(SiteRecordSerializer):
    cadre = ScopedPrimaryKeyRelatedField(queryset=Cadre.objects.all())
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    record_name = "leader"
    service = staticmethod(services.site_leader_save)

    class Meta(VersionedMeta):
        model = SiteLeader
        fields = [
            "id",
            "site",
            "cadre",
            "cadre_name",
            "position",
            "start_date",
            "end_date",
            "note",
            "version",
        ]


class CommunityBodySerializer(SiteRecordSerializer):
    record_name = "body"
    service = staticmethod(services.community_body_save)

    class Meta(VersionedMeta):
        model = CommunityBody
        fields = ["id", "site", "kind", "name", "is_own", "established_on", "note", "version"]


class GridRoleSerializer(SiteRecordSerializer):
    person = ScopedPrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True, help_text="A resident"
    )
    cadre = ScopedPrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), required=False, allow_null=True, help_text="Or a cadre"
    )
    holder_name = serializers.CharField(read_only=True)
    phone = PhoneField(max_length=20, required=False, allow_blank=True)
    record_name = "role"
    service = staticmethod(services.grid_role_save)

    class Meta(VersionedMeta):
        model = GridRole
        fields = [
            "id",
            "site",
            "role",
            "area",
            "person",
            "cadre",
            "holder_name",
            "phone",
            "note",
            "version",
        ]


class ShopAssetSerializer(SiteRecordSerializer):
    record_name = "asset"
    service = staticmethod(services.shop_asset_save)

    class Meta(VersionedMeta):
        model = ShopAsset
        fields = [
            "id",
            "site",
            "kind",
            "name",
            "area_m2",
            "units",
            "owner",
            "operator",
            "manager",
            "note",
            "version",
        ]


class ShopIncomeSerializer(OwnedRecordSerializer):
    fixed = ("asset",)
    asset = ScopedPrimaryKeyRelatedField(queryset=ShopAsset.objects.all())
    owner = "asset"
    record_name = "income"
    service = staticmethod(services.shop_income_save)

    class Meta(VersionedMeta):
        model = ShopIncome
        fields = [
            "id",
            "asset",
            "year",
            "income",
            "to_community_running",
            "to_collective_economy",
            "note",
            "version",
        ]


class HouseholdRecordSerializer(OwnedRecordSerializer):
    """A record of a household (its wish to farm, its greenhouses), which keeps its household."""

    fixed = ("household",)
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all())
    owner = "household"


class FarmingWishSerializer(HouseholdRecordSerializer):
    record_name = "wish"
    service = staticmethod(services.farming_wish_save)

    class Meta(VersionedMeta):
        model = FarmingWish
        fields = ["id", "household", "since", "withdrawn_on", "crop", "note", "version"]


class GreenhouseSerializer(HouseholdRecordSerializer):
    project = ScopedPrimaryKeyRelatedField(
        queryset=IndustryProject.objects.all(), required=False, allow_null=True
    )
    record_name = "greenhouse"
    service = staticmethod(services.greenhouse_save)

    class Meta(VersionedMeta):
        model = Greenhouse
        fields = [
            "id",
            "household",
            "number",
            "area_mu",
            "crop",
            "project",
            "allotted_on",
            "ended_on",
            "note",
            "version",
        ]


class RecordViewSet(RemovableMixin, ScopedModelViewSet):
    """Records of site governance: GET, POST (the service creates), PUT/PATCH with the version
    read (the service changes), DELETE with `?reason=` for a record entered by mistake (kept in
    its history)."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    remove_record = staticmethod(services.record_remove)


class SiteFacilityViewSet(LedgerActionsMixin, RecordViewSet):
    """Whether each site has each facility of its list (十有), since when, its size and the
    nearby site providing it; one record per site and facility. `import/` and `export/` take
    and give the facilities and services workbook (one row per site and item)."""

    ledger = FACILITY_LEDGER
    queryset = SiteFacility.objects.select_related("kind")
    serializer_class = SiteFacilitySerializer
    filterset_class = filtersets.SiteFacilityFilterSet


class SiteServiceViewSet(RecordViewSet):
    """Whether each service of a site's list (十到位) is in place, since when, and who is
    responsible; one record per site and service."""

    queryset = SiteService.objects.select_related("kind")
    serializer_class = SiteServiceSerializer
    filterset_class = filtersets.SiteServiceFilterSet


class CadreViewSet(RecordViewSet):
    """Cadres who run or answer for sites (not necessarily residents), kept by a county,
    prefecture or province; phones masked unless `?reveal=1` (permitted, logged)."""

    queryset = Cadre.objects.select_related("region")
    serializer_class = CadreSerializer
    filterset_class = filtersets.CadreFilterSet
    reveal_permission = REVEAL_PERMISSION


class TeamMemberViewSet(LedgerActionsMixin, RecordViewSet):
    """The work teams (一点一队): first secretaries and members sent by the county, with their
    dates. `import/` and `export/` take and give the staffing workbook (team members, leaders
    and grid roles, one row per role held)."""

    ledger = STAFFING_LEDGER
    queryset = TeamMember.objects.select_related("cadre")
    serializer_class = TeamMemberSerializer
    filterset_class = filtersets.TeamMemberFilterSet


class SiteLeaderViewSet(RecordViewSet):
    """The leaders answering for the sites (包保) with their posts and dates."""

    queryset = SiteLeader.objects.select_related("cadre")
    serializer_class = SiteLeaderSerializer
    filterset_class = filtersets.SiteLeaderFilterSet


class CommunityBodyViewSet(RecordViewSet):
    """The community bodies of the sites: communities, residents' or village committees, Party
    branches, their own or shared."""

    queryset = CommunityBody.objects.all()
    serializer_class = CommunityBodySerializer
    filterset_class = filtersets.CommunityBodyFilterSet


class GridRoleViewSet(RecordViewSet):
    """The grid roles of the sites (安置点长, 片长, 楼栋长), held by residents or cadres; phones
    masked unless `?reveal=1` (permitted, logged)."""

    queryset = GridRole.objects.select_related("person", "cadre")
    serializer_class = GridRoleSerializer
    filterset_class = filtersets.GridRoleFilterSet
    reveal_permission = REVEAL_PERMISSION


class ShopAssetViewSet(RecordViewSet):
    """The shop assets of the sites' collective economy, ownership, operation and management
    apart."""

    queryset = ShopAsset.objects.all()
    serializer_class = ShopAssetSerializer
    filterset_class = filtersets.ShopAssetFilterSet


class ShopIncomeViewSet(RecordViewSet):
    """The shop assets' yearly income (yuan) and what went to the community's running and to
    its collective economy."""

    queryset = ShopIncome.objects.all()
    serializer_class = ShopIncomeSerializer
    filterset_class = filtersets.ShopIncomeFilterSet


class FarmingWishViewSet(LedgerActionsMixin, RecordViewSet):
    """The greenhouse ledger's households willing to farm. `import/` and `export/` take and
    give the greenhouse ledger workbook (一户一棚台账)."""

    ledger = GREENHOUSE_LEDGER
    queryset = FarmingWish.objects.all()
    serializer_class = FarmingWishSerializer
    filterset_class = filtersets.FarmingWishFilterSet


class GreenhouseViewSet(RecordViewSet):
    """Greenhouses allotted to households willing to farm (一户一棚)."""

    queryset = Greenhouse.objects.select_related("project")
    serializer_class = GreenhouseSerializer
    filterset_class = filtersets.GreenhouseFilterSet


router = DefaultRouter()
router.include_root_view = False
router.register("facility-kinds", FacilityKindViewSet)
router.register("service-kinds", ServiceKindViewSet)
router.register("site-governance", SiteGovernanceViewSet, basename="site-governance")
router.register("site-facilities", SiteFacilityViewSet)
router.register("site-services", SiteServiceViewSet)
router.register("cadres", CadreViewSet)
router.register("team-members", TeamMemberViewSet)
router.register("site-leaders", SiteLeaderViewSet)
router.register("community-bodies", CommunityBodyViewSet)
router.register("grid-roles", GridRoleViewSet)
router.register("shop-assets", ShopAssetViewSet)
router.register("shop-incomes", ShopIncomeViewSet)
router.register("farming-wishes", FarmingWishViewSet)
router.register("greenhouses", GreenhouseViewSet)

urlpatterns = router.urls
