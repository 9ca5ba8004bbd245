"""Base classes of every API viewset: the queryset restricted to the user's scope (out of scope
→ 404), writes checked with the same rule (read-only in scope → 403), sensitive fields revealed
only on request by a permitted user and logged."""

from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS

from resettle.models import AccessLog
from resettle.scoping import can_edit


class ScopedViewSetMixin:
    # Permission (app_label.codename) that lets a user see sensitive fields in full; None when
    # the model has none.
    reveal_permission: str | None = None

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in SAFE_METHODS and not can_edit(request.user, obj):
            raise PermissionDenied(_("You can read this record but your role may not change it."))

    def wants_reveal(self) -> bool:
        return (
            self.reveal_permission is not None
            and self.action == "retrieve"
            and self.request.query_params.get("reveal") == "1"
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["reveal"] = False
        if self.wants_reveal():
            if not self.request.user.has_perm(self.reveal_permission):
                raise PermissionDenied(
                    _("You do not hold the permission to see ID numbers and phones in full.")
                )
            context["reveal"] = True
        return context

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if self.wants_reveal():
            AccessLog.objects.create(
                user=request.user,
                action=AccessLog.Action.REVEAL,
                model=self.queryset.model._meta.label_lower,
                object_id=str(kwargs.get(self.lookup_url_kwarg or self.lookup_field)),
                detail=request.get_full_path()[:255],
            )
        return response


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
