"""Pages of site governance (安置区治理): a site's page with everything on one screen (its
facilities and services, who runs it, its shops and greenhouses, and what it lacks), the form
pages that record each thing through its service, the county's list of sites with their
governance and the greenhouse ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from governance.sitegov import forms, services
from governance.sitegov.excel import FACILITY_LEDGER, GREENHOUSE_LEDGER, STAFFING_LEDGER
from governance.sitegov.filtersets import FarmingWishFilterSet, SiteGovernanceFilterSet
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
    greenhouses_on,
    site_shortfall_list,
    site_summaries,
    willing_households,
)
from households.models import REVEAL_PERMISSION, Site
from households.selectors import with_head
from resettle.exceptions import VersionConflict
from resettle.reveal import reveal_allowed
from resettle.scoping import READ_ONLY, can_edit, permits, scope_for
from resettle.views import FilteredListView, attach_errors, ledger_tools

LEDGERS = (FACILITY_LEDGER, STAFFING_LEDGER, GREENHOUSE_LEDGER)


def _site(user, pk: int) -> Site:
    """The site `user` sees, else Http404 (missing or outside their area: the same answer)."""
    return get_object_or_404(Site.objects.visible_to(user).select_related("county"), pk=pk)


def _check_reads_records(user, site: Site | None = None) -> None:
    """Refuse (403) who reads figures only, not records (the leading group): the governance
    pages show the records of the sites, as the ledgers do. `site`: of that site."""
    if site is None:
        readable = not scope_for(user, SiteFacility, "view").is_empty
    else:
        readable = permits(
            user, SiteFacility, "view", region_code=site.region_code, site_id=site.pk
        )
    if not readable:
        raise PermissionDenied(_("Your role reads the figures of the sites, not their records."))


def _may_write(user, model, site: Site) -> bool:
    """Whether `user` may record `model`'s records for `site` (a cadre: for its county)."""
    if model is Cadre:
        return permits(user, Cadre, "change", region_code=site.county_id)
    return permits(user, model, "change", region_code=site.region_code, site_id=site.pk)


def _reveal(request, site: Site) -> bool:
    """Whether the page shows phones and ID numbers in full (`?reveal=1`, permitted, logged)."""
    return reveal_allowed(
        request,
        permission=REVEAL_PERMISSION,
        model_label=Site._meta.label_lower,
        object_id=str(site.pk),
    )


# ---- The records a page records, one kind each ---------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """A kind of record of a site's governance as its form page handles it: its form, how the
    records of a site are found (`records(user, site)`), how one is saved through its service
    (`save(actor, site, form, record, version)`), the block of the site's page it is shown in
    and what its page is called when it adds one or changes one."""

    form: type[forms.RecordForm]
    records: Callable[[object, Site], QuerySet]
    save: Callable
    block: str
    add_title: object
    edit_title: object

    @property
    def model(self):
        return self.form.model


def _of_site(model, path: str = "site"):
    def records(user, site):
        return model.objects.visible_to(user).filter(**{path: site})

    return records


def _cadres(user, site):
    return Cadre.objects.visible_to(user)


def _kind_saver(service):
    """Save a facility or a service record: one per site and item (`kind`)."""

    def save(actor, site, form, record, version):
        kind = record.kind if record else form.cleaned_data["kind"]
        return service(
            actor=actor, site=site, kind=kind, data=form.data_for_service(), version=version
        )

    return save


def _site_saver(service, name: str):
    """Save a record of a site through `service`, which takes the record as `name`."""

    def save(actor, site, form, record, version):
        return service(
            actor=actor, site=site, data=form.data_for_service(), version=version, **{name: record}
        )

    return save


def _save_cadre(actor, site, form, record, version):
    return services.cadre_save(
        actor=actor, data=form.data_for_service(), cadre=record, version=version
    )


def _save_grid(actor, site, form, record, version):
    return services.grid_role_save(
        actor=actor,
        site=site,
        data=form.data_for_service(),
        role=record,
        version=version,
        new_cadre=form.new_cadre() if record is None else None,
    )


def _save_income(actor, site, form, record, version):
    asset = record.asset if record else form.cleaned_data["asset"]
    return services.shop_income_save(
        actor=actor, asset=asset, data=form.data_for_service(), income=record, version=version
    )


def _household_saver(service, name: str):
    def save(actor, site, form, record, version):
        household = record.household if record else form.cleaned_data["household"]
        return service(
            actor=actor,
            household=household,
            data=form.data_for_service(),
            version=version,
            **{name: record},
        )

    return save


RECORD_KINDS = {
    "facility": RecordKind(
        forms.FacilityForm,
        _of_site(SiteFacility),
        _kind_saver(services.site_facility_save),
        "facilities",
        _("Record a facility"),
        _("Change the facility's record"),
    ),
    "service": RecordKind(
        forms.ServiceForm,
        _of_site(SiteService),
        _kind_saver(services.site_service_save),
        "services",
        _("Record a service"),
        _("Change the service's record"),
    ),
    "cadre": RecordKind(
        forms.CadreForm,
        _cadres,
        _save_cadre,
        "team",
        _("Add a cadre"),
        _("Change the cadre"),
    ),
    "team": RecordKind(
        forms.TeamMemberForm,
        _of_site(TeamMember),
        _site_saver(services.team_member_save, "member"),
        "team",
        _("Send a cadre to the work team"),
        _("Change the team membership"),
    ),
    "leader": RecordKind(
        forms.LeaderForm,
        _of_site(SiteLeader),
        _site_saver(services.site_leader_save, "leader"),
        "leader",
        _("Name the leader answering for the site"),
        _("Change the leader's record"),
    ),
    "body": RecordKind(
        forms.BodyForm,
        _of_site(CommunityBody),
        _site_saver(services.community_body_save, "body"),
        "bodies",
        _("Record a community body"),
        _("Change the community body"),
    ),
    "grid": RecordKind(
        forms.GridRoleForm,
        _of_site(GridRole),
        _save_grid,
        "grid",
        _("Record a grid role"),
        _("Change the grid role"),
    ),
    "shop": RecordKind(
        forms.ShopAssetForm,
        _of_site(ShopAsset),
        _site_saver(services.shop_asset_save, "asset"),
        "shops",
        _("Record a shop asset"),
        _("Change the shop asset"),
    ),
    "income": RecordKind(
        forms.ShopIncomeForm,
        _of_site(ShopIncome, "asset__site"),
        _save_income,
        "shops",
        _("Record a year's shop income"),
        _("Change the shop income"),
    ),
    "wish": RecordKind(
        forms.FarmingWishForm,
        _of_site(FarmingWish, "household__site"),
        _household_saver(services.farming_wish_save, "wish"),
        "greenhouses",
        _("Put a household on the greenhouse ledger"),
        _("Change the household's entry"),
    ),
    "greenhouse": RecordKind(
        forms.GreenhouseForm,
        _of_site(Greenhouse, "household__site"),
        _household_saver(services.greenhouse_save, "greenhouse"),
        "greenhouses",
        _("Allot a greenhouse"),
        _("Change the greenhouse"),
    ),
}


def _kind(name: str) -> RecordKind:
    spec = RECORD_KINDS.get(name)
    if spec is None:
        raise Http404(_("There is no such form."))
    return spec


def _page_url(site: Site, block: str = "") -> str:
    url = reverse("site-governance", args=[site.pk])
    return f"{url}#{block}" if block else url


def _stale_above(error):
    """A refusal as the form shows it: the page being out of date (the service names the
    record's `version`, a hidden field) above the form, not beside a field nobody sees."""
    if isinstance(error, ValidationError) and "version" in getattr(error, "error_dict", {}):
        fields = dict(error.error_dict)
        stale = fields.pop("version")
        return ValidationError({**fields, NON_FIELD_ERRORS: stale})
    return error


@login_required
def record_edit(request, pk: int, kind: str, record: int | None = None):
    """The form page of one record of a site's governance: a new one (`?kind=` preselects a
    facility or service), or the record `record` changed as read (its version). Saved through
    its service; a refusal is shown on the form and nothing is saved. Out of scope: 404; a
    reader, or a site operator for what the county decides: 403."""
    site = _site(request.user, pk)
    spec = _kind(kind)
    instance = None
    if record is not None:
        instance = get_object_or_404(spec.records(request.user, site), pk=record)
        if not can_edit(request.user, instance):
            raise PermissionDenied(READ_ONLY)
    elif not _may_write(request.user, spec.model, site):
        raise PermissionDenied(READ_ONLY)
    initial = {}
    if instance is None and spec.model in (SiteFacility, SiteService):
        chosen = request.GET.get("kind", "")
        recorded = spec.model.objects.filter(site=site, kind__code=chosen).first()
        if recorded is not None:
            return redirect("site-governance-edit", pk=site.pk, kind=kind, record=recorded.pk)
        kinds = (FacilityKind if spec.model is SiteFacility else ServiceKind).objects
        initial["kind"] = kinds.filter(code=chosen).values_list("pk", flat=True).first()
    if instance is None and spec.model is Cadre:
        initial["region"] = site.county_id
    reveal = _reveal(request, site)
    form = spec.form(
        request.POST or None,
        site=site,
        user=request.user,
        instance=instance,
        reveal=reveal,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            spec.save(request.user, site, form, instance, form.cleaned_data.get("version"))
        except (ValidationError, VersionConflict) as exc:
            attach_errors(form, _stale_above(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect(_page_url(site, spec.block))
    return render(
        request,
        "governance/sitegov/record_form.html",
        {
            "site": site,
            "form": form,
            "kind": kind,
            "record": instance,
            "title": spec.edit_title if instance else spec.add_title,
            "back": _page_url(site, spec.block),
            "remove": forms.RemoveForm() if instance is not None else None,
        },
    )


@login_required
@require_POST
def record_remove(request, pk: int, kind: str, record: int):
    """Remove a record entered by mistake, with the reason (kept in its history), through the
    service; a refusal (a shop asset with incomes, a cadre still named) is shown on the site's
    page and nothing is removed."""
    site = _site(request.user, pk)
    spec = _kind(kind)
    instance = get_object_or_404(spec.records(request.user, site), pk=record)
    form = forms.RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the record is removed."))
        return redirect("site-governance-edit", pk=site.pk, kind=kind, record=instance.pk)
    try:
        services.record_remove(
            actor=request.user, record=instance, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("site-governance-edit", pk=site.pk, kind=kind, record=instance.pk)
    messages.success(request, _("Removed."))
    return redirect(_page_url(site, spec.block))


# ---- A site's page --------------------------------------------------------------------------------


@dataclass
class ItemRow:
    """An item of the site's list (a facility or service) with its record, if any."""

    kind: object
    record: object | None


def _items(kinds_model, records_model, site: Site) -> list[ItemRow]:
    """The items on `site`'s list, in the list's order, each with its record (or None)."""
    records = {
        r.kind_id: r
        for r in records_model.objects.filter(site=site).select_related(
            *(("provided_by",) if records_model is SiteFacility else ())
        )
    }
    kinds = [k for k in kinds_model.objects.select_related("region") if k.applies_to(site)]
    return [ItemRow(kind, records.get(kind.pk)) for kind in kinds]


def _running(records, today: dt.date):
    """The records running on `today` first (by start), then those ended (latest first)."""
    current = [r for r in records if r.end_date is None or r.end_date >= today]
    ended = [r for r in records if r.end_date is not None and r.end_date < today]
    return sorted(current, key=lambda r: r.start_date), sorted(
        ended, key=lambda r: r.end_date, reverse=True
    )


@login_required
def site_governance(request, pk: int):
    """A site's governance on one screen: what it lacks (the shortfall worklist's words), its
    facilities (十有) and services (十到位), its first secretary and work team, the leader
    answering for it (包保), its community bodies and grid roles, its shop assets with the
    latest year's income, and its greenhouse ledger; each block with the form that records it
    for who may. Phones and ID numbers masked unless revealed (permitted, logged)."""
    user = request.user
    site = _site(user, pk)
    _check_reads_records(user, site)
    today = timezone.localdate()
    reveal = _reveal(request, site)
    governance = site_shortfall_list(user=user, as_of=today, site=site, include_all=True)
    team_now, team_ended = _running(
        list(TeamMember.objects.filter(site=site).select_related("cadre")), today
    )
    leaders_now, leaders_ended = _running(
        list(SiteLeader.objects.filter(site=site).select_related("cadre")), today
    )
    assets = list(
        ShopAsset.objects.filter(site=site)
        .prefetch_related(Prefetch("incomes", queryset=ShopIncome.objects.order_by("-year")))
        .order_by("kind", "name")
    )
    for asset in assets:
        incomes = list(asset.incomes.all())
        asset.latest_income = incomes[0] if incomes else None
    willing = willing_households(today).filter(site=site)
    willing_count = willing.count()
    with_greenhouse = willing.filter(has_greenhouse=True).count()
    may = {
        name: _may_write(user, spec.model, site)
        for name, spec in RECORD_KINDS.items()
        if name not in ("income", "greenhouse")
    }
    may["income"] = may["shop"] and bool(assets)
    may["greenhouse"] = may["wish"]
    facility_rows = _items(FacilityKind, SiteFacility, site)
    service_rows = _items(ServiceKind, SiteService, site)
    return render(
        request,
        "governance/sitegov/site.html",
        {
            "site": site,
            "today": today,
            "summary": governance[0] if governance else None,
            "facilities": facility_rows,
            "services": service_rows,
            "team_now": team_now,
            "team_ended": team_ended,
            "leaders_now": leaders_now,
            "leaders_ended": leaders_ended,
            "bodies": CommunityBody.objects.filter(site=site).order_by("kind", "name"),
            "grid_roles": GridRole.objects.filter(site=site).select_related("person", "cadre"),
            "assets": assets,
            "willing": willing_count,
            "with_greenhouse": with_greenhouse,
            "coverage": round(100 * with_greenhouse / willing_count) if willing_count else None,
            "wishes": FarmingWish.objects.filter(household__site=site).count(),
            "greenhouses": greenhouses_on(today).filter(household__site=site).count(),
            "reveal": reveal,
            "may_reveal": user.has_perm(REVEAL_PERMISSION),
            "may": may,
            "forms": _add_forms(site, user, may, facility_rows, service_rows),
            "ledgers": [ledger_tools(user, ledger) for ledger in LEDGERS],
        },
    )


def _add_forms(site, user, may, facility_rows, service_rows) -> dict:
    """The empty forms of the page's blocks, by kind, for what `user` may record: a facility or
    service only among the items not yet recorded (a recorded one is changed on its page)."""
    result = {}
    for name, spec in RECORD_KINDS.items():
        if not may.get(name):
            continue
        if name in ("facility", "service"):
            rows = facility_rows if name == "facility" else service_rows
            if all(row.record is not None for row in rows):
                continue
        result[name] = (spec.add_title, spec.form(site=site, user=user))
    return result


# ---- The lists ---------------------------------------------------------------------------------


class SiteGovernanceListView(FilteredListView):
    """The sites with their governance today (安置区治理): facilities present of their list,
    services in place, the work team (or managed by the county as a whole), the leader
    answering for it and whether their post fits; filters by county, site and a facility or
    service lacking."""

    queryset = Site.objects.select_related("county").order_by("county_id", "code")
    filterset_class = SiteGovernanceFilterSet
    template_name = "governance/sitegov/site_list.html"

    def get(self, request, *args, **kwargs):
        _check_reads_records(request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        page = list(context["page_obj"])
        summaries = site_summaries(page, today)
        context["rows"] = [(site, summaries.get(site.pk)) for site in page]
        context["today"] = today
        context["ledgers"] = [ledger_tools(self.request.user, ledger) for ledger in LEDGERS]
        return context


class GreenhouseLedgerView(FilteredListView):
    """The greenhouse ledger (一户一棚): the households willing to farm, each with the
    greenhouses it holds today; above it, for the filtered area, the willing households, those
    with a greenhouse and the coverage, as the figures count them."""

    queryset = FarmingWish.objects.select_related("household__site").order_by(
        "household__site__code", "household__household_no", "id"
    )
    filterset_class = FarmingWishFilterSet
    template_name = "governance/sitegov/greenhouses.html"

    def get(self, request, *args, **kwargs):
        _check_reads_records(request.user)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        today = timezone.localdate()
        queryset = (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "household__greenhouses",
                    queryset=greenhouses_on(today)
                    .select_related("project")
                    .order_by("number", "id"),
                    to_attr="held",
                ),
            )
        )
        return with_head(queryset, "household_id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        willing = willing_households(today).visible_to(
            self.request.user, region=self.request.GET.get("region") or None
        )
        site = self.filterset.form.cleaned_data.get("site") if self.filterset.is_valid() else None
        if site:
            willing = willing.filter(site_id=site)
        count = willing.count()
        held = willing.filter(has_greenhouse=True).count()
        context.update(
            willing=count,
            with_greenhouse=held,
            coverage=round(100 * held / count) if count else None,
            ledgers=[ledger_tools(self.request.user, GREENHOUSE_LEDGER)],
            today=today,
        )
        return context
