"""Pages of the registry: the household ledger and the settlement sites."""

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from households.choices import PersonStatus, Relation
from households.filtersets import HouseholdFilterSet, SiteFilterSet
from households.history import household_history
from households.models import Household, Person, Region, Site
from resettle.reveal import reveal_allowed
from resettle.views import ScopedQuerysetMixin

REVEAL = "households.reveal_sensitive"


class FilteredListView(ScopedQuerysetMixin, ListView):
    """A scoped list filtered by the model's FilterSet (the same one as the API)."""

    filterset_class: type
    paginate_by = 50

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET, queryset=super().get_queryset())
        self.adapt_form(self.filterset.form)
        return self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()

    def adapt_form(self, form) -> None:
        """Page-only presentation of the FilterSet's fields (before the form is validated)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)


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

    def adapt_form(self, form) -> None:
        # The region and site filters offer what the user may see, as drop-downs.
        counties = Region.objects.visible_to(self.request.user).filter(level="county")
        form.fields["region"].widget = forms.Select(
            choices=[("", _("All counties"))] + [(c.code, c.name) for c in counties]
        )
        form.fields["region"].label = _("County")
        sites = Site.objects.visible_to(self.request.user, region=self.request.GET.get("region"))
        form.fields["site"].widget = forms.Select(
            choices=[("", _("All sites"))] + [(s.pk, s.name) for s in sites.only("id", "name")]
        )
        form.fields["hukou_transferred"].widget = forms.Select(
            choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for household in context["page_obj"]:
            members = household.members.all()
            household.registered_count = sum(m.status == PersonStatus.ACTIVE for m in members)
            household.head_name = next((m.name for m in members if m.relation == Relation.HEAD), "")
        return context


class HouseholdDetailView(ScopedQuerysetMixin, DetailView):
    """One household: relocation details, members and the change history."""

    queryset = Household.objects.select_related("site", "site__county")
    template_name = "households/household_detail.html"

    def get_context_data(self, **kwargs):
        household = self.object
        reveal = reveal_allowed(
            self.request,
            permission=REVEAL,
            model_label=Household._meta.label_lower,
            object_id=str(household.pk),
        )
        return super().get_context_data(
            reveal=reveal,
            may_reveal=self.request.user.has_perm(REVEAL),
            members=household.members.order_by("status", "id"),
            history=household_history(household, reveal=reveal, limit=100),
            **kwargs,
        )
