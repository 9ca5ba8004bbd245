"""Site governance (安置区治理): what each settlement site has and who runs it.

- Facilities (十有) and services (十到位) are reference lists (`FacilityKind`, `ServiceKind`)
  seeded with the Yuncheng plan's (seeds/002 §三(四)); a province or prefecture may add its own,
  which apply to its sites. Each site records each item once (`SiteFacility`, `SiteService`):
  present or not, since when.
- Who runs a site: cadres (`Cadre`, not necessarily residents), its first secretary and work
  team (`TeamMember`, 一点一队), the leader answering for it (`SiteLeader`, 包保), its community
  bodies (`CommunityBody`) and grid roles (`GridRole`).
- Its collective economy: shop assets (`ShopAsset`) and their yearly income (`ShopIncome`),
  Guizhou opinions seeds/003 item 9.
- Greenhouses: the households willing to farm (`FarmingWish`) and the greenhouses allotted to
  them (`Greenhouse`), Yuncheng plan seeds/002 §三(三)三.

Writes go through governance.sitegov.services, which hold the rules; the shortfall selector and
the indicators read these as of a date. A fact's date is its own (the day a facility opened, a
member was sent); left blank it is not known, and figures count the fact from the day it was
recorded (`counted_from`), as the other ledgers do (issue 14)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.sitegov import choices
from households.models import Household, HouseholdRecord, Person, Region, Site
from industry.models import IndustryProject
from resettle.models import VersionedModel
from resettle.scoping import (
    LEDGER_READERS,
    LEDGER_WRITERS,
    REFERENCE_WRITERS,
    Grant,
    ScopedQuerySet,
)
from resettle.validators import validate_phone


def counted_from(date_field: str):
    """The date figures count a record from, as an expression: its own `date_field`, or when
    that is not known the day it was recorded (in the local time zone)."""
    return Coalesce(date_field, TruncDate("created"))


# ---- Reference lists -------------------------------------------------------------------------


class ReferenceItem(models.Model):
    """An item of a reference list of site governance: the documents' own (no region), or one a
    province or prefecture added for its sites (`region`). Everybody reads the lists;
    administrators of the region change its items, and only an administrator over everything
    the documents' own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for the items of the policy documents, which apply everywhere."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_region_field = "region__code"
    scope_site_field = None
    write_roles = REFERENCE_WRITERS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    def applies_to(self, site: Site) -> bool:
        """Whether the item is on the list of `site`: the documents' items everywhere, a
        region's own in the region's subtree."""
        return self.region_id is None or site.region_code.startswith(self.region_id)


class FacilityKind(ReferenceItem):
    """A facility every site has (十有, Yuncheng plan seeds/002 §三(四)): 党员活动室, 业委会办公室,
    物业中心, 卫生室, 幼儿园, 警务室, 文体活动室, 产业就业服务点, 便民超市, 休闲广场; its size
    recorded as a floor area or a capacity (`measure`)."""

    measure = models.CharField(
        _("size recorded as"), max_length=16, choices=choices.Measure.choices
    )
    capacity_unit = models.CharField(
        _("unit of capacity"), max_length=16, blank=True, help_text=_("e.g. 个学位")
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("facility (十有)")
        verbose_name_plural = _("facilities (十有)")

    def clean(self):
        if self.measure != choices.Measure.CAPACITY and self.capacity_unit:
            raise ValidationError(
                {"capacity_unit": _("Only a facility sized by its capacity has a unit of it.")}
            )


class ServiceKind(ReferenceItem):
    """A public service every site has in place (十到位, Yuncheng plan seeds/002 §三(四)). The plan
    names ten but lists nine: 党员服务, 产业支撑, 就业保障, 治安联防, 文明创建, 议事组织, 民调机构,
    困难帮扶, 工作经费. Those nine are seeded; a province adds its own for a tenth."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("service (十到位)")
        verbose_name_plural = _("services (十到位)")


# ---- Records of a site -----------------------------------------------------------------------


class SiteRecord(VersionedModel):
    """A record of one site, scoped by the site: the ledger's writers of its area (and of the
    site) change it, its readers read it. Every change is kept in its history."""

    scope_region_field = "site__region_code"
    scope_site_field = "site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


# Who sends a work team and names the leader answering for a site: the county (Yuncheng plan
# seeds/002 §三(五)一: 由县级选派; Guizhou opinions seeds/003 item 24). A membership on a single
# site does not change them; the writers of the county (or above) do.
COUNTY_DECIDES = {"change": (Grant(LEDGER_WRITERS, sites=False),)}


class SiteFacility(SiteRecord):
    """Whether a site has a facility of the list (十有) and since when; its floor area or
    capacity; and, where a nearby site's serves it, which site provides it. `present` blank is
    not known."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("site")
    )
    kind = models.ForeignKey(
        FacilityKind, on_delete=models.PROTECT, related_name="records", verbose_name=_("facility")
    )
    present = models.BooleanField(_("present"), null=True, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    provided_by = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities_provided",
        verbose_name=_("provided by the nearby site"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("site facility")
        verbose_name_plural = _("site facilities")
        ordering = ["site_id", "kind__position", "kind_id"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind"], name="sitefacility_once"),
        ]

    def __str__(self):
        return str(self.kind)


class SiteService(SiteRecord):
    """Whether a service of the list (十到位) is in place at a site and since when, and the unit
    responsible for it. `in_place` blank is not known."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="services", verbose_name=_("site")
    )
    kind = models.ForeignKey(
        ServiceKind, on_delete=models.PROTECT, related_name="records", verbose_name=_("service")
    )
    in_place = models.BooleanField(_("in place"), null=True, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("site service")
        verbose_name_plural = _("site services")
        ordering = ["site_id", "kind__position", "kind_id"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind"], name="siteservice_once"),
        ]

    def __str__(self):
        return str(self.kind)


class Cadre(VersionedModel):
    """A cadre who runs or answers for sites: a first secretary, a team member, a 包保 leader, a
    grid role. Not necessarily a relocated resident; linked to the registered person where they
    are one. Kept by the region whose cadre they are (a county, or the prefecture or province
    that sends them); one named at a site for a grid role is also the site's (`site`)."""

    name = models.CharField(_("full name"), max_length=64)
    post = models.CharField(_("post"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    rank = models.CharField(_("rank"), max_length=24, choices=choices.Rank.choices, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadre_records",
        verbose_name=_("registered person"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    # The site a cadre was named for where they hold a grid role there (a site's operator names
    # its 楼栋长): kept by the site's county, and seen and changed by the site's users too.
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named for the site"),
    )

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    scope_region_field = "region__code"
    scope_site_field = "site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["region_id", "name", "id"]

    def __str__(self):
        return f"{self.name}（{self.post}）" if self.post else self.name


class TeamMember(SiteRecord):
    """A cadre on a site's work team (一点一队), as its first secretary or a member, sent by a
    unit, from `start_date` to `end_date` (open: still serving). Yuncheng plan seeds/002
    §三(五)一."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="team_members", verbose_name=_("site")
    )
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="team_memberships", verbose_name=_("cadre")
    )
    role = models.CharField(_("place in the team"), max_length=16, choices=choices.TeamRole.choices)
    sent_by = models.CharField(_("sent by (unit)"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    scope_actions = COUNTY_DECIDES

    class Meta:
        verbose_name = _("work team member")
        verbose_name_plural = _("work team members")
        ordering = ["site_id", "role", "start_date", "id"]

    def __str__(self):
        return f"{self.cadre} · {self.get_role_display()}"


class SiteLeader(SiteRecord):
    """The leader answering for a site (包保) from `start_date` to `end_date` (open: still), with
    the post that decides whether they fit the site's size (Guizhou opinions seeds/003 item 24:
    from 10,000 persons the county's principal Party or government leader, below it a deputy
    county-level leader at least)."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="leaders", verbose_name=_("site")
    )
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="leader_charges", verbose_name=_("cadre")
    )
    position = models.CharField(
        _("leader's post"), max_length=24, choices=choices.LeaderPosition.choices
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    scope_actions = COUNTY_DECIDES

    class Meta:
        verbose_name = _("site leader (包保)")
        verbose_name_plural = _("site leaders (包保)")
        ordering = ["site_id", "start_date", "id"]

    def __str__(self):
        return f"{self.cadre} · {self.get_position_display()}"


class CommunityBody(SiteRecord):
    """A community body of a site: the community, residents' or village committee, or the Party
    branch, named; the site's own (`is_own`) or one of elsewhere the site belongs to or shares.
    Kashgar report seeds/000 §二(四); Guizhou opinions seeds/003 items 6–8."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="community_bodies", verbose_name=_("site")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=choices.BodyKind.choices)
    name = models.CharField(_("name"), max_length=100)
    is_own = models.BooleanField(
        _("the site's own"),
        default=True,
        help_text=_("No: the site belongs to or shares a body of elsewhere."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("community body")
        verbose_name_plural = _("community bodies")
        ordering = ["site_id", "kind", "id"]

    def __str__(self):
        return self.name


class GridRole(SiteRecord):
    """A grid role of a site (安置点长, 片长, 楼栋长; Yuncheng plan seeds/002 §三(五)三): held by a
    registered resident (`person`) or a cadre (`cadre`), for the site, an area of it or a
    building (`area`), with a phone."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="grid_roles", verbose_name=_("site")
    )
    role = models.CharField(_("grid post"), max_length=16, choices=choices.GridRoleKind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_roles",
        verbose_name=_("resident"),
    )
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_roles",
        verbose_name=_("cadre"),
    )
    area = models.CharField(_("area or building"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("grid role")
        verbose_name_plural = _("grid roles")
        ordering = ["site_id", "role", "area", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True, cadre__isnull=False)
                | Q(person__isnull=False, cadre__isnull=True),
                name="gridrole_person_xor_cadre",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} · {self.area}" if self.area else self.get_role_display()

    @property
    def holder_name(self) -> str:
        """The name of whoever holds the role (the resident or the cadre)."""
        holder = self.person if self.person_id else self.cadre
        return holder.name if holder else ""


class ShopAsset(SiteRecord):
    """A commercial asset of a site's collective economy (门面, 商铺 …): its area and number of
    units, and who holds its ownership, operation and management, kept apart (Guizhou opinions
    seeds/003 item 9: 所有权、经营权和管理权分置)."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="shop_assets", verbose_name=_("site")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=choices.ShopKind.choices)
    name = models.CharField(_("name"), max_length=100)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    units = models.PositiveIntegerField(_("units (count)"), null=True, blank=True)
    owner = models.CharField(_("ownership held by"), max_length=100, blank=True)
    operator = models.CharField(_("operation held by"), max_length=100, blank=True)
    manager = models.CharField(_("management held by"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("shop asset")
        verbose_name_plural = _("shop assets")
        ordering = ["site_id", "kind", "name", "id"]

    def __str__(self):
        return self.name


class ShopIncome(VersionedModel):
    """A shop asset's income of a year (元), and how much of it went to the community's running
    and to its collective economy (Guizhou opinions seeds/003 item 9: 收益用于安置社区运转和发展集体
    经济). Each is 0 or more and the two together no more than the income."""

    asset = models.ForeignKey(
        ShopAsset, on_delete=models.PROTECT, related_name="incomes", verbose_name=_("shop asset")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    income = models.DecimalField(_("income (yuan)"), max_digits=12, decimal_places=2)
    to_community_running = models.DecimalField(
        _("to the community's running (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    to_collective_economy = models.DecimalField(
        _("to the collective economy (yuan)"), max_digits=12, decimal_places=2, default=0
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    # Money records are audited: corrections are kept.
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    scope_region_field = "asset__site__region_code"
    scope_site_field = "asset__site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shop income")
        verbose_name_plural = _("shop incomes")
        ordering = ["asset_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "year"], name="shopincome_once_a_year"),
            models.CheckConstraint(
                condition=Q(
                    income__gte=0, to_community_running__gte=0, to_collective_economy__gte=0
                ),
                name="shopincome_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.asset} · {self.year}"


class FarmingWish(HouseholdRecord, VersionedModel):
    """A household willing to farm (the greenhouse ledger, 有意愿发展特色种植的搬迁户台账,
    Yuncheng plan seeds/002 §三(三)二), since a date, until it withdrew (`withdrawn_on`). The
    household's site is its site."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="farming_wishes",
        verbose_name=_("household"),
    )
    since = models.DateField(_("since"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    crop = models.CharField(_("wished industry or crop"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("household willing to farm")
        verbose_name_plural = _("households willing to farm")
        ordering = ["household_id", "id"]

    def __str__(self):
        return str(self.household)


class Greenhouse(HouseholdRecord, VersionedModel):
    """A greenhouse allotted to a household (一户一棚: about 1 mu, one industry; Yuncheng plan
    seeds/002 §三(三)三), of an industry project where it belongs to one, from `allotted_on`
    until `ended_on` (open: still the household's)."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="greenhouses", verbose_name=_("household")
    )
    number = models.CharField(_("greenhouse number"), max_length=32, blank=True)
    area_mu = models.DecimalField(_("area (mu)"), max_digits=6, decimal_places=2)
    crop = models.CharField(_("industry or crop"), max_length=64)
    project = models.ForeignKey(
        IndustryProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="greenhouses",
        verbose_name=_("industry project"),
    )
    allotted_on = models.DateField(_("allotted on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("greenhouse")
        verbose_name_plural = _("greenhouses")
        ordering = ["household_id", "id"]

    def __str__(self):
        return f"{self.household} · {self.crop}" if self.crop else str(self.household)
