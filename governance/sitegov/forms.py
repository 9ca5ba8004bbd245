"""Forms of a site's governance page (安置区治理): each records one thing of one site through its
service (governance.sitegov.services), which holds the rules. A form offers only what the user
may choose: the items on the site's list, the cadres of its county and the regions above it,
the sites and projects of its county, the households of the site."""

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from governance.sitegov import rules
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
from governance.sitegov.selectors import willing_households, wishes_on
from households.choices import RegionLevel
from households.forms import DATE
from households.models import Household, Person, Region, Site
from households.selectors import registered_households, with_head
from industry.models import IndustryProject
from resettle.idcard import normalise as normalise_id
from resettle.masking import mask_id_number, mask_phone, unmask
from resettle.scoping import ancestors
from resettle.validators import bounded_formfield


def _formfield(field, **kwargs):
    """The form field of a model field, bounded as the API and the imports bound it; dates as
    the browser's date picker."""
    if field.get_internal_type() == "DateField":
        kwargs.setdefault("widget", DATE)
    return bounded_formfield(field, **kwargs)


class RecordForm(forms.Form):
    """A form of one record of `model`: its fields `names` (as the model declares them), and the
    record's `version` when it changes one (`instance`). `site` is the site the page is about,
    `user` who fills it in; `narrow` limits the choices to theirs. `data()` is the service's
    `data`, without `version` and the fields the view passes apart (`apart`)."""

    model: type
    names: list[str]
    # The fields the service takes as arguments of their own, not in `data` (a facility's kind).
    apart: tuple[str, ...] = ()
    # Fields fixed once the record exists (a facility's kind, a wish's household).
    fixed: tuple[str, ...] = ()

    def __init__(self, *args, site: Site, user, instance=None, reveal: bool = False, **kwargs):
        self.site, self.user, self.instance, self.reveal = site, user, instance, reveal
        if instance is not None:
            initial = forms.model_to_dict(instance, fields=self.names)
            initial["version"] = instance.version
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        built = forms.fields_for_model(self.model, fields=self.names, formfield_callback=_formfield)
        declared = dict(self.fields)
        self.fields = {
            **{name: declared.pop(name, None) or built[name] for name in self.names},
            **declared,
            "version": forms.IntegerField(widget=forms.HiddenInput, required=False),
        }
        self.narrow()
        if instance is not None:
            for name in self.fixed:
                self.fields[name].disabled = True

    def narrow(self) -> None:
        """Limit the choices to what `user` may choose for `site`."""

    def data_for_service(self) -> dict:
        """The cleaned values the service takes as `data`."""
        skip = {"version", *self.apart}
        if self.instance is not None:
            skip |= set(self.fixed)
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


def _kinds_of(model, site: Site):
    """The items of a reference list (`model`) on `site`'s list: the documents' own and those
    of a region holding the site."""
    prefixes = ancestors(site.region_code)
    return model.objects.filter(Q(region__isnull=True) | Q(region_id__in=prefixes))


def _cadres_for(user, site: Site):
    """The cadres the user sees kept by the site's county or a region above it (a prefecture
    or province sends some)."""
    return (
        Cadre.objects.visible_to(user)
        .filter(region_id__in=ancestors(site.county_id))
        .order_by("name", "id")
    )


def _narrow_kinds(form: RecordForm, kinds_model) -> None:
    """The items a facility or service form offers: those of the site's list, and for a new
    record those not recorded yet (a recorded one is changed on its own page)."""
    kinds = _kinds_of(kinds_model, form.site)
    if form.instance is None:
        kinds = kinds.exclude(records__site=form.site)
    form.fields["kind"].queryset = kinds
    form.fields["kind"].empty_label = None


class FacilityForm(RecordForm):
    """Whether the site has a facility of the list (十有), since when, its size, and the nearby
    site that provides it where it is shared."""

    model = SiteFacility
    names = ["kind", "present", "since", "area_m2", "capacity", "provided_by", "note"]
    apart = ("kind",)
    fixed = ("kind",)

    def narrow(self):
        _narrow_kinds(self, FacilityKind)
        self.fields["provided_by"].queryset = (
            Site.objects.visible_to(self.user)
            .filter(county_id=self.site.county_id)
            .exclude(pk=self.site.pk)
            .order_by("code")
        )
        self.fields["since"].help_text = _(
            "The day it opened (or, when absent, closed); blank when not known."
        )


class ServiceForm(RecordForm):
    """Whether a service of the list (十到位) is in place, since when, and who is responsible."""

    model = SiteService
    names = ["kind", "in_place", "since", "responsible_unit", "note"]
    apart = ("kind",)
    fixed = ("kind",)

    def narrow(self):
        _narrow_kinds(self, ServiceKind)


class PersonIdField(forms.CharField):
    """A registered person by their ID number, among the persons the user sees; a masked number
    sent back unchanged keeps the person already chosen (`stored`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)
        self.user = None
        self.stored: Person | None = None

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        if "*" in value:
            stored = self.stored.id_number if self.stored else ""
            unmask(value, stored=stored, mask=mask_id_number)
            return self.stored
        number = normalise_id(value)
        person = Person.objects.visible_to(self.user).filter(id_number=number).first()
        if person is None:
            raise forms.ValidationError(
                _("No registered person with the ID number %(number)s in your area.")
                % {"number": number}
            )
        return person


class PhoneMixin:
    """A phone shown masked unless the page reveals it; a masked phone sent back unchanged keeps
    the stored one."""

    def mask_phone_field(self):
        if self.instance is not None and self.instance.phone and not self.reveal:
            self.initial["phone"] = mask_phone(self.instance.phone)

    def clean_phone(self):
        value = self.cleaned_data.get("phone") or ""
        stored = self.instance.phone if self.instance is not None else ""
        return unmask(value, stored=stored, mask=mask_phone)


def _person_field(form: RecordForm, label, help_text) -> None:
    """Set up the form's `person` field (a PersonIdField) for its user and record."""
    field = form.fields["person"]
    field.label, field.help_text = label, help_text
    field.user = form.user
    if form.instance is not None and form.instance.person_id:
        field.stored = form.instance.person
        form.initial["person"] = (
            form.instance.person.id_number
            if form.reveal
            else mask_id_number(form.instance.person.id_number)
        )


class CadreForm(PhoneMixin, RecordForm):
    """A cadre (not necessarily a resident): name, post, unit, phone, rank, the region keeping
    the record, and the registered person they are, if one."""

    model = Cadre
    names = ["name", "post", "unit", "phone", "rank", "region", "person"]
    person = PersonIdField(required=False)

    def narrow(self):
        regions = (
            Region.objects.where_may(self.user, Cadre)
            .filter(
                code__in=ancestors(self.site.county_id),
                level__in=[RegionLevel.PROVINCE, RegionLevel.PREFECTURE, RegionLevel.COUNTY],
            )
            .order_by("-code")
        )
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = None
        self.fields["region"].help_text = _("The region keeping the cadre's record.")
        _person_field(
            self,
            _("ID number, if a registered resident"),
            _("Only for a cadre who is also a relocated resident."),
        )
        self.mask_phone_field()


class TeamMemberForm(RecordForm):
    """A cadre sent to the site's work team (一点一队) as its first secretary or a member."""

    model = TeamMember
    names = ["cadre", "role", "sent_by", "start_date", "end_date", "note"]

    def narrow(self):
        self.fields["cadre"].queryset = _cadres_for(self.user, self.site)
        self.fields["end_date"].help_text = _("Blank while the cadre still serves.")


class LeaderForm(RecordForm):
    """The leader answering for the site (包保) and their post."""

    model = SiteLeader
    names = ["cadre", "position", "start_date", "end_date", "note"]

    def narrow(self):
        self.fields["cadre"].queryset = _cadres_for(self.user, self.site)
        self.fields["end_date"].help_text = _("Blank while the leader still answers for the site.")


class BodyForm(RecordForm):
    """A community body of the site (community, residents' or village committee, Party branch)."""

    model = CommunityBody
    names = ["kind", "name", "is_own", "established_on", "note"]


class GridRoleForm(PhoneMixin, RecordForm):
    """A grid role (安置点长, 片长, 楼栋长) held by a resident of the site (by ID number), a cadre
    on record, or a cadre named here (`cadre_name`, `cadre_post`, `cadre_unit`: added for the
    site by the service, so that a site's operator names one too)."""

    model = GridRole
    names = ["role", "area", "person", "cadre", "cadre_name", "cadre_post", "cadre_unit"]
    names += ["phone", "note"]
    person = PersonIdField(required=False)
    cadre_name = forms.CharField(label=_("or a new cadre's name"), max_length=64, required=False)
    cadre_post = forms.CharField(label=_("the new cadre's post"), max_length=100, required=False)
    cadre_unit = forms.CharField(label=_("the new cadre's unit"), max_length=100, required=False)
    apart = ("cadre_name", "cadre_post", "cadre_unit")

    def narrow(self):
        _person_field(
            self,
            _("resident's ID number"),
            _("A resident of the site, or a cadre on record, or a new cadre's name below."),
        )
        self.fields["cadre"].queryset = _cadres_for(self.user, self.site)
        self.fields["cadre"].required = False
        self.fields["cadre_name"].help_text = _(
            "A cadre not on record (a community worker …): added for the site with this phone."
        )
        self.fields["area"].help_text = _("Blank for the site head.")
        self.mask_phone_field()
        if self.instance is not None:
            for name in self.apart:
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        named = [
            bool(cleaned.get("person")),
            bool(cleaned.get("cadre")),
            bool(cleaned.get("cadre_name", "").strip()),
        ]
        if sum(named) != 1:
            raise forms.ValidationError(
                _("Name one holder of the role: a registered resident or a cadre.")
            )
        return cleaned

    def new_cadre(self) -> dict | None:
        """The cadre named on the form to add for the site (the service's `new_cadre`), if one."""
        name = self.cleaned_data.get("cadre_name", "").strip()
        if not name:
            return None
        return {
            "name": name,
            "post": self.cleaned_data.get("cadre_post", "").strip(),
            "unit": self.cleaned_data.get("cadre_unit", "").strip(),
        }


class ShopAssetForm(RecordForm):
    """A storefront or shop of the site's collective economy, with who holds its ownership,
    operation and management."""

    model = ShopAsset
    names = ["kind", "name", "area_m2", "units", "owner", "operator", "manager", "note"]


class ShopIncomeForm(RecordForm):
    """A shop asset's income of a year and what went to the community's running and its
    collective economy."""

    model = ShopIncome
    names = [
        "asset",
        "year",
        "income",
        "to_community_running",
        "to_collective_economy",
        "note",
    ]
    apart = ("asset",)
    fixed = ("asset",)

    def narrow(self):
        assets = ShopAsset.objects.filter(site=self.site).order_by("name")
        self.fields["asset"].queryset = assets
        if len(assets) == 1:
            self.fields["asset"].empty_label = None  # the site's only asset, chosen
        for name in ("to_community_running", "to_collective_economy"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Blank: 0.")


class HouseholdChoiceField(forms.ModelChoiceField):
    """A household of the site chosen from a list (a select, which a phone shows as its own
    picker), each by its number and its head's name."""

    def label_from_instance(self, obj):
        return f"{obj.household_no} {obj.head_name or ''}".strip()


class HouseholdRecordForm(RecordForm):
    """A record of a household of the site (its wish to farm, its greenhouse): the household
    chosen among those `offered` (a record changed keeps its own), preselected when it is the
    only one, the help saying which they are (`offered_help`) or what to do first when none is
    (`none_help`)."""

    household = HouseholdChoiceField(queryset=Household.objects.none(), label=_("household"))
    apart = ("household",)
    fixed = ("household",)
    offered_help = ""
    none_help = ""

    def offered(self, today: dt.date):
        """The households (any site) a new record may be of on `today`."""
        raise NotImplementedError

    def narrow(self):
        if self.instance is not None:  # fixed: its own household
            households = Household.objects.filter(pk=self.instance.household_id)
        else:
            households = self.offered(dt.date.today())
        households = with_head(
            households.visible_to(self.user).filter(site=self.site).order_by("household_no")
        )
        field = self.fields["household"]
        field.queryset = households
        offered = households.count()
        if offered == 1:
            field.empty_label = None  # the only one, chosen
        if self.instance is None:
            field.help_text = self.offered_help if offered else self.none_help


class FarmingWishForm(HouseholdRecordForm):
    """A household on the ledger of households willing to farm: chosen among the site's
    registered households with no wish standing today (a withdrawn one may wish again)."""

    model = FarmingWish
    names = ["household", "since", "withdrawn_on", "crop", "note"]
    offered_help = _("The site's registered households not on the ledger today.")
    none_help = _(
        "Every registered household of the site is on the ledger today: change its entry "
        "from the ledger."
    )

    def offered(self, today):
        return registered_households(today).exclude(
            Exists(wishes_on(today).filter(household=OuterRef("pk")))
        )


class GreenhouseForm(HouseholdRecordForm):
    """A greenhouse allotted to a household (一户一棚): the household chosen among the site's
    households willing to farm today that hold no greenhouse yet (a greenhouse changed keeps
    its own), the project among the planting projects of the site's county
    (`rules.GREENHOUSE_PROJECT_KINDS`)."""

    model = Greenhouse
    names = ["household", "number", "area_mu", "crop", "project", "allotted_on", "ended_on", "note"]
    offered_help = _("The site's households willing to farm without a greenhouse.")
    none_help = _(
        "No household of the site willing to farm is without a greenhouse: put the "
        "household on the ledger of households willing to farm first."
    )

    def offered(self, today):
        return willing_households(today).filter(has_greenhouse=False)

    def narrow(self):
        super().narrow()
        self.fields["project"].queryset = (
            IndustryProject.objects.visible_to(self.user)
            .filter(county_id=self.site.county_id, kind__in=rules.GREENHOUSE_PROJECT_KINDS)
            .order_by("code")
        )
        self.fields["project"].help_text = _(
            "A planting project of the county (greenhouses and facility farming, specialty crops)."
        )
        self.fields["area_mu"].help_text = _("About 1 mu.")


class RemoveForm(forms.Form):
    """Why a record entered by mistake is removed (kept in its history)."""

    reason = forms.CharField(label=_("Why remove it"), max_length=100)
