"""Pages of industry support: the project list, a project's page with its money, jobs, linked
households and dividends, its form, and the workshops page with the policy's flags."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from households.models import Region, Site
from industry import forms, indicators, services
from industry.excel import DIVIDEND_LEDGER, PROJECT_LEDGER
from industry.filtersets import IndustryProjectFilterSet
from industry.models import (
    BenefitLink,
    Dividend,
    IndustryProject,
    ProjectSite,
    ProjectStatusChange,
)
from resettle.exceptions import VersionConflict
from resettle.masking import mask_id_number
from resettle.models import running_on
from resettle.scoping import READ_ONLY, can_edit, get_for
from resettle.views import FilteredListView, attach_errors, ledger_tools, posted_id


def _counties(user):
    """The counties where `user` may enter projects (a county role or above)."""
    return Region.objects.where_may(user, IndustryProject).filter(level="county")


def _may_write(user) -> bool:
    return _counties(user).exists()


class ProjectListView(FilteredListView):
    """The projects (产业项目台账): filters by county, site, sector, kind, status, fund source."""

    queryset = indicators.with_investment(
        IndustryProject.objects.select_related("county").order_by("county_id", "code")
    )
    filterset_class = IndustryProjectFilterSet
    template_name = "industry/project_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            **ledger_tools(self.request.user, PROJECT_LEDGER), **kwargs
        )
        context["may_add"] = _may_write(self.request.user)
        context["dividends"] = ledger_tools(self.request.user, DIVIDEND_LEDGER)
        return context


@login_required
def project_edit(request, pk: int | None = None):
    project = None
    if pk is not None:
        project = get_for(request.user, IndustryProject.objects, "change", pk=pk)
    elif not _may_write(request.user):
        raise PermissionDenied(_("Your role may not add projects."))
    initial = {"version": project.version} if project else {}
    form = forms.ProjectForm(
        request.POST or None, instance=project, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "status_since")}
        try:
            saved = services.project_save(
                actor=request.user,
                data=data,
                served=None if project else [],
                project=project,
                version=form.cleaned_data.get("version"),
                status_since=form.cleaned_data.get("status_since"),
            )
        except (ValidationError, VersionConflict) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("project-detail", pk=saved.pk)
    return render(request, "industry/project_form.html", {"form": form, "project": project})


@login_required
def project_detail(request, pk: int):
    project = get_object_or_404(
        IndustryProject.objects.visible_to(request.user).select_related("county"), pk=pk
    )
    may_edit = can_edit(request.user, project)
    user = request.user
    bound = {}
    county_sites = (
        Site.objects.visible_to(user).filter(county_id=project.county_id).order_by("code")
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(READ_ONLY)
        which = request.POST.get("form")
        handle = _PROJECT_FORMS.get(which)
        if handle is None:
            raise PermissionDenied(_("There is no such form."))
        try:
            handle(request, project, bound, county_sites)
        except _Invalid:
            pass
        except (ValidationError, VersionConflict) as exc:
            if which in bound:
                attach_errors(bound[which], exc)
            else:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
                return redirect("project-detail", pk=project.pk)
        else:
            messages.success(request, _("Saved."))
            return redirect("project-detail", pk=project.pk)
    today = dt.date.today()
    workers = (
        # The project's jobs of the labor ledger, through Employment.project (industry sits
        # below employment and does not import it).
        project.employments.visible_to(user)
        .filter(running_on(today))
        .select_related("person__household")
        .order_by("person__household__household_no", "person_id")
    )
    served = {s.site_id: s for s in ProjectSite.objects.filter(project=project)}
    minutes = settings.INDUSTRY["WORKSHOP_MAX_MINUTES"]
    rules = indicators.workshop_rules(IndustryProject.objects.filter(pk=project.pk), today)
    return render(
        request,
        "industry/project_detail.html",
        {
            "project": project,
            "may_edit": may_edit,
            "investments": project.investments.order_by("source"),
            "status_history": project.status_changes.alias(since=ProjectStatusChange.counted_from())
            .select_related("by")
            .order_by("-since", "-id"),
            "total": indicators.with_investment(IndustryProject.objects.filter(pk=project.pk))
            .get()
            .investment,
            "workers": [(w, mask_id_number(w.person.id_number)) for w in workers],
            "links": BenefitLink.objects.visible_to(user)
            .filter(project=project)
            .select_related("household")
            .order_by("household__household_no"),
            "dividends": Dividend.objects.visible_to(user)
            .filter(project=project)
            .select_related("household")
            .order_by("-year", "household__household_no"),
            "sites": [(site, served.get(site.pk)) for site in county_sites],
            "minutes": minutes,
            "forms": {
                "investment": bound.get("investment")
                or forms.InvestmentForm(initial={"year": today.year}),
                "link": bound.get("link") or forms.LinkForm(user=user),
                "dividend": bound.get("dividend") or forms.DividendForm(user=user),
            },
            # The workshop rules (indicators.workshop_rules), for a workshop.
            "workshop": rules[0] if rules else None,
        },
    )


class _Invalid(Exception):
    """A form that did not validate: shown again with its errors."""


# The forms of a project's page, one handler each: `handler(request, project, bound,
# county_sites)` saves through the service, puts a bound form that did not validate in `bound`
# under its name and raises _Invalid; a service's ValidationError or VersionConflict goes to
# the page.


def _remove_record(request, project, bound, county_sites) -> None:
    records = {
        "investment": project.investments,
        "link": project.links,
        "dividend": project.dividends,
    }.get(request.POST.get("kind"))
    if records is None:
        raise PermissionDenied(_("There is no such form."))
    record = get_object_or_404(records, pk=posted_id(request, "record"))
    services.record_remove(actor=request.user, record=record, reason=request.POST.get("reason", ""))


def _save_sites(request, project, bound, county_sites) -> None:
    served = []
    for site in county_sites:
        if request.POST.get(f"site-{site.pk}"):
            raw = request.POST.get(f"minutes-{site.pk}", "").strip()
            if raw and not raw.isdigit():
                raise ValidationError(
                    _("Write the travel time from %(site)s as whole minutes.") % {"site": site.name}
                )
            served.append((site, int(raw) if raw else None))
    services.project_save(
        actor=request.user, data={}, served=served, project=project, version=project.version
    )


def _add_investment(request, project, bound, county_sites) -> None:
    form = bound["investment"] = forms.InvestmentForm(request.POST)
    if not form.is_valid():
        raise _Invalid
    services.investment_add(actor=request.user, project=project, data=form.cleaned_data)


def _household_record_adder(name: str, form_class, add):
    """The handler of a form that adds a household's record to the project (`add`, a service
    taking actor, project, household and data)."""

    def handle(request, project, bound, county_sites) -> None:
        form = bound[name] = form_class(request.POST, user=request.user)
        if not form.is_valid():
            raise _Invalid
        data = dict(form.cleaned_data)
        household = data.pop("household")
        add(actor=request.user, project=project, household=household, data=data)

    return handle


_PROJECT_FORMS = {
    "remove": _remove_record,
    "sites": _save_sites,
    "investment": _add_investment,
    "link": _household_record_adder("link", forms.LinkForm, services.link_add),
    "dividend": _household_record_adder("dividend", forms.DividendForm, services.dividend_add),
}


@login_required
def workshops(request):
    """The workshops with the Yuncheng plan's rules checked, and the small sites without one."""
    today = dt.date.today()
    region = request.GET.get("region") or None
    projects = IndustryProject.objects.visible_to(request.user, region=region)
    rows = indicators.workshop_rules(projects, today)
    sites = Site.objects.visible_to(request.user, region=region)
    return render(
        request,
        "industry/workshops.html",
        {
            "workshops": rows,
            "breaking": indicators.breaking(rows),
            "small_sites": indicators.small_sites_without_workshop(sites, today).select_related(
                "county"
            ),
            "rules": settings.INDUSTRY,
            "share_percent": round(settings.INDUSTRY["WORKSHOP_RELOCATED_SHARE"] * 100),
        },
    )
