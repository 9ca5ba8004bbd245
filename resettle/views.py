"""Base classes of the pages: the same scoping as the API (out of scope → 404)."""

from django.contrib.auth.mixins import LoginRequiredMixin


class ScopedQuerysetMixin(LoginRequiredMixin):
    """For list and detail views: `queryset` narrowed to what the user may see."""

    def get_queryset(self):
        region = self.request.GET.get("region")
        return super().get_queryset().visible_to(self.request.user, region=region)
