"""Base classes of the pages: the same scoping as the API (out of scope → 404, read-only → 403)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from resettle.scoping import can_edit


class ScopedQuerysetMixin(LoginRequiredMixin):
    """For list and detail views: `queryset` narrowed to what the user may see."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class ScopedEditMixin(ScopedQuerysetMixin):
    """For edit views: the object must be visible (else 404) and editable (else 403)."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can_edit(self.request.user, obj):
            raise PermissionDenied(_("You can read this record but your role may not change it."))
        return obj
