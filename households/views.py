"""Pages of the registry: the household ledger and the settlement sites."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from households.choices import PersonStatus, Relation
from households.excel import LEDGER
from households.filtersets import HouseholdFilterSet, SiteFilterSet
from households.forms import HouseholdForm, MemberFormSet
from households.history import household_history
from households.models import REVEAL_PERMISSION, Household, Person, Region, Site
from households.selectors import household_gaps, household_worklist
from households.services import LedgerErrors, MemberChange, household_save
from resettle.exceptions import VersionConflict
from resettle.reveal import reveal_allowed
from resettle.scoping import can_edit, get_for
from resettle.views import (
    FilteredListView,
    PageNumberMixin,
    ScopedQuerysetMixin,
    attach_errors,
    ledger_tools,
    safe_next,
)


def county_choices(request) -> list[tuple[str, str]]:
    """The counties `request.user` may see, as (code, name): the region filter's drop-down."""
    counties = Region.objects.visible_to(request.user).filter(level="county")
    return [(c.code, c.name) for c in counties]


def site_choices(request) -> list[tuple[int, str]]:
    """The sites `request.user` may see (within the county `?region=` names), as (id, name): the
    site filter's drop-down."""
    sites = Site.objects.visible_to(request.user, region=request.GET.get("region"))
    return [(s.pk, s.name) for s in sites.only("id", "name")]


class SiteListView(FilteredListView):
    queryset = Site.objects.select_related("county")
    filterset_class = SiteFilterSet
    template_name = "households/site_list.html"


class SiteDetailView(ScopedQuerysetMixin, DetailView):
    queryset = Site.objects.select_related("county", "township")
    template_name = "households/site_detail.html"


class HouseholdListView(FilteredListView):
    """The household ledger (搬迁户台账): filters, search, sortable columns, the total."""

    queryset = Household.objects.select_related("site").prefetch_related(
        Prefetch("members", queryset=Person.objects.order_by("id"))
    )
    filterset_class = HouseholdFilterSet
    template_name = "households/household_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(ledger_tools(self.request.user, LEDGER))
        context["may_add"] = context["may_import"]
        for household in context["page_obj"]:
            members = household.members.all()
            household.registered_count = sum(m.status == PersonStatus.ACTIVE for m in members)
            household.head_name = next((m.name for m in members if m.relation == Relation.HEAD), "")
        return context


class HouseholdWorklistView(PageNumberMixin, LoginRequiredMixin, ListView):
    """信息待补录: the households the user sees of which a fact some figure needs is not known
    (the `households_to_complete` figure's records), each with what is missing
    (households.selectors), its head, site, building and phone (masked unless revealed), and
    its edit form, which returns to the list."""

    template_name = "households/household_worklist.html"
    paginate_by = 50

    def get_queryset(self):
        return household_worklist(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["page_obj"])
        gaps = household_gaps(page)
        here = urlencode({"next": self.request.get_full_path()})
        context["rows"] = [
            (
                household,
                gaps[household.pk],
                f"{reverse('household-edit', args=[household.pk])}?{here}",
            )
            for household in page
        ]
        context["reveal"] = reveal_allowed(
            self.request,
            permission=REVEAL_PERMISSION,
            model_label=Household._meta.label_lower,
            object_id="",
        )
        context["may_reveal"] = self.request.user.has_perm(REVEAL_PERMISSION)
        context["may_edit"] = Site.objects.households_writable_by(self.request.user).exists()
        return context


# Sections other apps add to the household page: functions (request, household) → HTML. The
# registry does not know the apps built on it; they register here (employment: its summary).
HOUSEHOLD_PANELS: list = []


class HouseholdDetailView(ScopedQuerysetMixin, DetailView):
    """One household: relocation details, members and the change history."""

    queryset = Household.objects.select_related("site", "site__county")
    template_name = "households/household_detail.html"

    def get_context_data(self, **kwargs):
        household = self.object
        reveal = reveal_allowed(
            self.request,
            permission=REVEAL_PERMISSION,
            model_label=Household._meta.label_lower,
            object_id=str(household.pk),
        )
        return super().get_context_data(
            reveal=reveal,
            may_reveal=self.request.user.has_perm(REVEAL_PERMISSION),
            may_edit=can_edit(self.request.user, household),
            members=household.members.order_by("status", "id"),
            history=household_history(household, reveal=reveal, limit=100),
            panels=[panel(self.request, household) for panel in HOUSEHOLD_PANELS],
            **kwargs,
        )


@login_required
def household_edit(request, pk: int | None = None):
    """Create or change a household and its members in one form; nothing is saved on error."""
    household = None
    if pk is not None:
        household = get_for(request.user, Household.objects, "change", pk=pk)
    elif not Site.objects.households_writable_by(request.user).exists():
        raise PermissionDenied(_("Your role may not add households."))
    reveal = household is not None and reveal_allowed(
        request,
        permission=REVEAL_PERMISSION,
        model_label=Household._meta.label_lower,
        object_id=str(pk),
    )
    members = household.members.order_by("id") if household else Person.objects.none()
    # A worklist's action comes with the list to return to.
    back = safe_next(request)
    form_args = {"data": request.POST} if request.method == "POST" else {}
    form = HouseholdForm(**form_args, instance=household, user=request.user, reveal=reveal)
    formset = MemberFormSet(
        **form_args,
        instance=household or Household(),
        queryset=members,
        prefix="members",
        form_kwargs={"reveal": reveal},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f for f in formset.forms if f.has_changed()]
        changes = [
            MemberChange(
                person=f.instance if f.instance.pk else None,
                data={
                    k: v
                    for k, v in f.cleaned_data.items()
                    if k not in ("version", "id", "household")
                },
                version=f.cleaned_data.get("version"),
            )
            for f in rows
        ]
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            saved = household_save(
                actor=request.user,
                household=household,
                data=data,
                version=form.cleaned_data.get("version"),
                members=changes,
            )
        except LedgerErrors as exc:
            if exc.household is not None:
                attach_errors(form, exc.household)
            for index, error in exc.members.items():
                attach_errors(rows[index], error)
        except VersionConflict as exc:
            # Keep what the user typed, now against the current version: once they have read
            # the other changes, saving again goes through.
            data = request.POST.copy()
            if exc.model == Household._meta.label_lower:
                data["version"] = exc.current_version
            for member in formset.forms:
                if exc.model == Person._meta.label_lower and member.instance.pk == exc.pk:
                    data[member.add_prefix("version")] = exc.current_version
            form = HouseholdForm(data=data, instance=household, user=request.user, reveal=reveal)
            formset = MemberFormSet(
                data=data,
                instance=household or Household(),
                queryset=members,
                prefix="members",
                form_kwargs={"reveal": reveal},
            )
            formset.is_valid()
            form.is_valid()
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved household %(no)s.") % {"no": saved.household_no})
            return redirect(back or reverse("household-detail", args=[saved.pk]))
    return render(
        request,
        "households/household_form.html",
        {"form": form, "formset": formset, "household": household, "reveal": reveal, "back": back},
    )
