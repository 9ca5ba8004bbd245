"""The registry: regions, settlement sites (安置区), relocated households (搬迁户) and their members."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households import choices
from resettle.cleaning import name_initials, name_key
from resettle.models import TimeStampedModel, VersionedModel
from resettle.scoping import (
    ALL_ROLES,
    LEDGER_READERS,
    LEDGER_WRITERS,
    LEVEL_LENGTHS,
    REFERENCE_WRITERS,
    Grant,
    Role,
    Scope,
    ScopedQuerySet,
    ancestors,
)
from resettle.validators import check_bounds, validate_phone

# Relocation for poverty alleviation began with the 2001 pilots (易地扶贫搬迁试点); the 13th
# five-year plan (2016–2020) moved most households. Earlier years are typing mistakes.
FIRST_RELOCATION_YEAR = 2001

# The permission that shows ID numbers and phones in full (each reveal is logged).
REVEAL_PERMISSION = "households.reveal_sensitive"

# Sizes of sites by registered persons at which the policies set extra duties (settings): the
# workshops' (settings.INDUSTRY["WORKSHOP_SITE_PERSONS"], Yuncheng plan seeds/002 §三(二): for
# sites under 800), a community of its own (SITE_SIZES["COMMUNITY_PERSONS"], Kashgar report
# seeds/000 §二(四): 3,000 persons and more) and the county leaders' charge
# (SITE_SIZES["LARGE_PERSONS"], Guizhou opinions seeds/003 §二(七)24: 10,000 persons and more).
LARGE_SITE_THRESHOLDS = (
    settings.INDUSTRY["WORKSHOP_SITE_PERSONS"],
    settings.SITE_SIZES["COMMUNITY_PERSONS"],
    settings.SITE_SIZES["LARGE_PERSONS"],
)
# The levels an origin region code may name: a county, a township or a village.
ORIGIN_CODE_LENGTHS = tuple(LEVEL_LENGTHS[level] for level in ("county", "township", "village"))


class RegionQuerySet(ScopedQuerySet):
    def within(self, scope: Scope, *, writing: bool = False):
        """Regions in the scope's subtrees and, unless `writing`, the regions above them (a
        county cadre sees the name of their prefecture)."""
        if scope.everything or writing:
            return super().within(scope, writing=True)
        above = set()
        for code in scope.region_prefixes | scope.site_region_codes:
            above.update(ancestors(code))
        condition = Q(code__in=sorted(above))
        for prefix in sorted(scope.region_prefixes):
            condition |= Q(code__startswith=prefix)
        return self.filter(condition)


class SiteQuerySet(ScopedQuerySet):
    def households_writable_by(self, user):
        """The sites where `user` may add and change households."""
        return self.where_may(user, Household, "change")


class Region(models.Model):
    """An administrative division, by its national code stored as the significant prefix
    (province 2 digits, prefecture 4, county 6, township 9, village 12)."""

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=choices.RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    scope_region_field = "code"
    scope_site_field = None
    write_roles = REFERENCE_WRITERS
    # A region's figures as a whole (its dashboard, its row of the overview, the indicator API)
    # are for the users whose region memberships hold all of it, whatever their role; a site's
    # users read their site's figures (the site's `view`).
    scope_actions = {"figures": (Grant(ALL_ROLES, sites=False),)}

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        """The region's settlement sites: where a breadcrumb of the region leads."""
        return f"{reverse('site-list')}?{urlencode({'region': self.code})}"

    def clean(self):
        if len(self.code) != LEVEL_LENGTHS.get(self.level) or not self.code.isdigit():
            raise ValidationError({"code": _("The code does not fit the level.")})


class Site(TimeStampedModel):
    """A settlement site (安置区/安置点) in a county, optionally in a township."""

    code = models.CharField(_("site code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="sites",
        limit_choices_to={"level": choices.RegionLevel.COUNTY},
        verbose_name=_("county"),
    )
    township = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="township_sites",
        limit_choices_to={"level": choices.RegionLevel.TOWNSHIP},
        verbose_name=_("township"),
    )
    # The finest region the site lies in (township, else county); what scoping matches on.
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, editable=False)
    placement = models.CharField(
        _("placement"),
        max_length=16,
        choices=choices.Placement.choices,
        default=choices.Placement.CONCENTRATED,
    )
    area_type = models.CharField(
        _("area type"),
        max_length=8,
        choices=choices.AreaType.choices,
        default=choices.AreaType.RURAL,
    )
    build_year = models.PositiveSmallIntegerField(_("build year"), null=True, blank=True)
    planned_households = models.PositiveIntegerField(_("planned households"), default=0)
    planned_persons = models.PositiveIntegerField(_("planned persons"), default=0)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Registered persons, refreshed by the task `site_refresh_population` from the `persons`
    # indicator; the large-site flags derive from it.
    registered_persons = models.PositiveIntegerField(
        _("registered persons"), default=0, editable=False
    )

    scope_region_field = "region_code"
    scope_site_field = "id"
    write_roles = REFERENCE_WRITERS

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("settlement site")
        verbose_name_plural = _("settlement sites")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self) -> str:
        return reverse("site-detail", args=[self.pk])

    @property
    def breadcrumb_parent(self) -> Region:
        """The place above the site in a breadcrumb trail: its county."""
        return self.county

    def save(self, *args, **kwargs):
        self.region_code = self.township_id or self.county_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.township_id and self.county_id and not self.township_id.startswith(self.county_id):
            raise ValidationError({"township": _("The township is not in the site's county.")})

    @property
    def size_flags(self) -> list[int]:
        """The policy thresholds this site reaches, e.g. [800, 3000]."""
        return [t for t in LARGE_SITE_THRESHOLDS if self.registered_persons >= t]


@dataclass(frozen=True)
class DatedStep:
    """A step of the relocation done on a date (旧房拆除, 宅基地复垦, 不动产权证, 户籍迁入): `field`
    says whether it is done (`done` its value then; None or "" is not known), `date_field` since
    when, and `unknown_field` whether that date is only the day the step was entered, nobody
    having recorded the real one."""

    field: str
    date_field: str
    done: object = True

    @property
    def unknown_field(self) -> str:
        return f"{self.date_field}_unknown"

    def is_done(self, value) -> bool:
        return value == self.done

    def is_not_done(self, value) -> bool:
        """Said not to be done (否, 未办理, 办理中), as opposed to not known."""
        return value not in (None, "") and value != self.done


class Household(VersionedModel):
    """A relocated household (搬迁户) living at a site."""

    household_no = models.CharField(_("household number"), max_length=32, unique=True)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="households", verbose_name=_("site")
    )
    dwelling = models.CharField(_("building, unit and room"), max_length=64, blank=True)
    category = models.CharField(
        _("relocation category"),
        max_length=16,
        choices=choices.HouseholdCategory.choices,
        blank=True,
    )
    origin_region_code = models.CharField(_("origin region code"), max_length=12, blank=True)
    origin_address = models.CharField(_("origin address"), max_length=200, blank=True)
    relocation_year = models.PositiveSmallIntegerField(_("relocation year"), null=True, blank=True)
    move_in_date = models.DateField(_("move-in date"), null=True, blank=True)
    # A fact left blank is not known (None, or "" for a code): never a default (DESIGN.md, "A
    # blank is not known"). A step done on a date nobody recorded keeps the day it was entered as
    # its date (it counts from then on) and says so in its `_unknown` flag.
    old_house_demolished = models.BooleanField(_("old house demolished"), null=True, blank=True)
    old_house_demolished_on = models.DateField(_("demolished on"), null=True, blank=True)
    old_house_demolished_on_unknown = models.BooleanField(
        _("demolition date unknown"), default=False
    )
    homestead_reclaimed = models.BooleanField(_("homestead reclaimed"), null=True, blank=True)
    homestead_reclaimed_on = models.DateField(_("reclaimed on"), null=True, blank=True)
    homestead_reclaimed_on_unknown = models.BooleanField(
        _("reclamation date unknown"), default=False
    )
    property_certificate_status = models.CharField(
        _("property certificate"),
        max_length=16,
        choices=choices.CertificateStatus.choices,
        blank=True,
    )
    property_certificate_no = models.CharField(_("certificate number"), max_length=64, blank=True)
    property_certificate_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    property_certificate_on_unknown = models.BooleanField(
        _("certificate date unknown"), default=False
    )
    hukou_transferred = models.BooleanField(
        _("household registration transferred"), null=True, blank=True
    )
    hukou_transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    hukou_transferred_on_unknown = models.BooleanField(_("transfer date unknown"), default=False)
    poverty_status = models.CharField(
        _("poverty status"), max_length=16, choices=choices.PovertyStatus.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    scope_region_field = "site__region_code"
    scope_site_field = "site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("relocated household")
        verbose_name_plural = _("relocated households")
        ordering = ["household_no"]
        permissions = [("reveal_sensitive", _("Can see ID numbers and phones in full"))]

    def __str__(self):
        return self.household_no

    def get_absolute_url(self) -> str:
        return reverse("household-detail", args=[self.pk])

    @property
    def breadcrumb_parent(self) -> Site:
        """The place above the household in a breadcrumb trail: its site."""
        return self.site

    @cached_property
    def head_name(self) -> str:
        """The name of the household's registered head (户主), "" when none is recorded. Reads the
        members prefetched, else one query."""
        cached = getattr(self, "_prefetched_objects_cache", {}).get("members")
        if cached is not None:
            heads = (
                m
                for m in cached
                if m.relation == choices.Relation.HEAD and m.status == choices.PersonStatus.ACTIVE
            )
            return next((m.name for m in heads), "")
        head = self.members.filter(
            relation=choices.Relation.HEAD, status=choices.PersonStatus.ACTIVE
        ).first()
        return head.name if head else ""

    @property
    def title(self) -> str:
        """How a page names the household: "赛买提·玉素甫 家（户编号 653125001-0042）" by its head,
        "户编号 653125001-0042" while no head is recorded."""
        if self.head_name:
            return _("%(head)s's household (no. %(no)s)") % {
                "head": self.head_name,
                "no": self.household_no,
            }
        return _("Household no. %(no)s") % {"no": self.household_no}

    # A relocation year is one of the relocations: from the first pilots to this year
    # (resettle.validators.field_bounds; every path checks it).
    BOUNDS = {"relocation_year": lambda: (FIRST_RELOCATION_YEAR, dt.date.today().year)}

    # Each step done carries the date it was done: the rates are counted as of a date. A step
    # done with no date is dated by households.services.household_steps_apply, every path's rule.
    DATED_STEPS = (
        DatedStep("old_house_demolished", "old_house_demolished_on"),
        DatedStep("homestead_reclaimed", "homestead_reclaimed_on"),
        DatedStep(
            "property_certificate_status",
            "property_certificate_on",
            done=choices.CertificateStatus.ISSUED,
        ),
        DatedStep("hukou_transferred", "hukou_transferred_on"),
    )

    def clean(self):
        errors = {}
        today = dt.date.today()
        for name in ["move_in_date"] + [step.date_field for step in self.DATED_STEPS]:
            value = getattr(self, name)
            if value and value > today:
                errors[name] = _("The date cannot be in the future.")
        try:
            check_bounds(self._meta.get_field("relocation_year"), self.relocation_year)
        except ValidationError as exc:
            errors["relocation_year"] = exc.messages
        code = self.origin_region_code
        if code and (not code.isdigit() or len(code) not in ORIGIN_CODE_LENGTHS):
            errors["origin_region_code"] = _(
                "The origin region code has 6, 9 or 12 digits (county, township or village)."
            )
        if errors:
            raise ValidationError(errors)


# A household's facts kept in the ledger besides its number and site, in the ledger's order:
# the household form's fields and the import's (households.imports.HOUSEHOLD_KEYS, checked
# against the workbook's columns in households.excel).
HOUSEHOLD_FACTS = [
    "dwelling",
    "category",
    "poverty_status",
    "origin_region_code",
    "origin_address",
    "relocation_year",
    "move_in_date",
    "old_house_demolished",
    "old_house_demolished_on",
    "homestead_reclaimed",
    "homestead_reclaimed_on",
    "property_certificate_status",
    "property_certificate_no",
    "property_certificate_on",
    "hukou_transferred",
    "hukou_transferred_on",
    "phone",
]


class Person(VersionedModel):
    """A member of a relocated household. Counts as of a date use `registered_on` and
    `status_changed_on`: a person is registered (在册) on day D when registered_on ≤ D and the
    status has not changed away from 在册 by D."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("household")
    )
    # The household's site, kept equal by the services (households.services) whenever a
    # household or a member moves: counts and scoping of persons join one table, not two.
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        related_name="persons",
        editable=False,
        verbose_name=_("site"),
    )
    # The household's category (建档立卡搬迁户 or 同步搬迁户), kept equal by the services as `site`
    # is: site governance counts the persons of 建档立卡 households per site from one table.
    household_category = models.CharField(
        _("relocation category"),
        max_length=16,
        choices=choices.HouseholdCategory.choices,
        blank=True,
        editable=False,
        default="",
    )
    name = models.CharField(_("full name"), max_length=64)
    # The name as a search compares it (resettle.cleaning.name_key: no middle dots, spaces or
    # case), kept by `save` and by the paths that write many rows at once (the import, the demo):
    # searching 赛买提玉素甫 finds 赛买提·玉素甫. Indexed for prefix searches (migration 0010).
    name_key = models.CharField(
        _("name as searched"), max_length=64, editable=False, default="", db_index=True
    )
    # The initials of the name's pinyin (resettle.cleaning.name_initials: 赛买提·玉素甫 is
    # "smtysf"), kept beside name_key where it is kept: a search of letters finds a name typed
    # as its initials. Indexed for prefix searches (migration 0011).
    name_initials = models.CharField(
        _("initials as searched"), max_length=64, editable=False, default="", db_index=True
    )
    id_number = models.CharField(_("ID number"), max_length=18, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=choices.Gender.choices)
    birth_date = models.DateField(_("birth date"))
    # Given for every member, never presumed (a new member is no head until someone says so).
    relation = models.CharField(
        _("relation to head"), max_length=16, choices=choices.Relation.choices
    )
    # Facts about the person left blank are not known ("" or None), never a default.
    ethnicity = models.CharField(
        _("ethnicity"), max_length=2, choices=choices.Ethnicity.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=16, choices=choices.Education.choices, blank=True
    )
    schooling = models.CharField(
        _("schooling"), max_length=16, choices=choices.Schooling.choices, blank=True
    )
    health = models.CharField(
        _("health"), max_length=16, choices=choices.Health.choices, blank=True
    )
    disability_grade = models.CharField(
        _("disability grade"), max_length=1, choices=choices.DisabilityGrade.choices, blank=True
    )
    medical_insurance = models.BooleanField(_("medical insurance"), null=True, blank=True)
    pension_insurance = models.BooleanField(_("pension insurance"), null=True, blank=True)
    dibao = models.BooleanField(_("minimum living allowance"), null=True, blank=True)
    tekun = models.BooleanField(_("extreme-poverty support"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=choices.PersonStatus.choices,
        default=choices.PersonStatus.ACTIVE,
    )
    registered_on = models.DateField(_("registered on"), default=dt.date.today)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    # A person who left on a day nobody recorded keeps the day it was entered as the date (they
    # count as registered until then) and says so here (households.services.apply_person_status).
    status_changed_on_unknown = models.BooleanField(_("status date unknown"), default=False)

    history = HistoricalRecords(
        excluded_fields=[
            "created",
            "updated",
            "site",
            "household_category",
            "name_key",
            "name_initials",
        ]
    )

    scope_region_field = "site__region_code"
    scope_site_field = "site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(status="active"),
                name="person_unique_active_id_number",
            ),
            # A person who left the register says since when, so counts as of a date hold.
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_changed_on__isnull=False),
                name="person_inactive_has_date",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        self.name_initials = name_initials(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key", "name_initials"}
        super().save(*args, **kwargs)


def registered_on_date(as_of: dt.date, prefix: str = "") -> Q:
    """Persons registered (在册) on `as_of`; `prefix` is the path to the person, e.g. "members__"."""
    return Q(**{f"{prefix}registered_on__lte": as_of}) & (
        Q(**{f"{prefix}status_changed_on__isnull": True})
        | Q(**{f"{prefix}status_changed_on__gt": as_of})
    )


class Membership(models.Model):
    """A user's role over a region's subtree or a single site. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("site")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, site__isnull=True)
                | Q(region__isnull=True, site__isnull=False),
                name="membership_region_xor_site",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"], name="membership_unique_region"
            ),
            models.UniqueConstraint(fields=["user", "role", "site"], name="membership_unique_site"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.region or self.site}"


class HouseholdRecord(models.Model):
    """A record other apps keep about one household (an income check, a benefit link …),
    scoped by the household's site."""

    scope_region_field = "household__site__region_code"
    scope_site_field = "household__site_id"
    read_roles = LEDGER_READERS
    write_roles = LEDGER_WRITERS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
