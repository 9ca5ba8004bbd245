"""Pages of the registry. The household ledger pages come with the ledger issue; the sites are
listed here so that a user sees what their scope holds."""

from django.views.generic import DetailView, ListView

from households.filtersets import SiteFilterSet
from households.models import Site
from resettle.views import ScopedQuerysetMixin


class SiteListView(ScopedQuerysetMixin, ListView):
    queryset = Site.objects.select_related("county")
    paginate_by = 50
    template_name = "households/site_list.html"

    def get_queryset(self):
        self.filterset = SiteFilterSet(self.request.GET, queryset=super().get_queryset())
        return self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)


class SiteDetailView(ScopedQuerysetMixin, DetailView):
    queryset = Site.objects.select_related("county", "township")
    template_name = "households/site_detail.html"
