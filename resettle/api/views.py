"""Base classes of every API viewset: the queryset restricted to the user's scope (out of scope
→ 404), writes checked with the same rule (read-only in scope → 403), sensitive fields revealed
only on request by a permitted user and logged."""

from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import SAFE_METHODS

from resettle.reveal import reveal_allowed
from resettle.scoping import can_edit


class ScopedViewSetMixin:
    # Permission (app_label.codename) that lets a user see sensitive fields in full; None when
    # the model has none.
    reveal_permission: str | None = None

    def get_queryset(self):
        region = self.request.query_params.get("region")
        return super().get_queryset().visible_to(self.request.user, region=region)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in SAFE_METHODS and not can_edit(request.user, obj):
            raise PermissionDenied(_("You can read this record but your role may not change it."))

    # Detail actions on which `?reveal=1` shows sensitive fields in full.
    reveal_actions: tuple[str, ...] = ("retrieve",)

    def reveal(self) -> bool:
        """Whether this request shows sensitive fields in full (`?reveal=1` on a detail action
        by a permitted user; logged)."""
        if self.reveal_permission is None or self.action not in self.reveal_actions:
            return False
        return reveal_allowed(
            self.request._request,
            permission=self.reveal_permission,
            model_label=self.queryset.model._meta.label_lower,
            object_id=str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")),
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "reveal": self.reveal()}


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class FileDownloadNegotiation(DefaultContentNegotiation):
    """For actions answering a file: `?format=` names the file's format (xlsx, csv), not one of
    the API's renderers; errors are still JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
