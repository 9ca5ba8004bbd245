from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from households.api import serializers
from households.excel import LEDGER
from households.filtersets import (
    HouseholdFilterSet,
    PersonFilterSet,
    RegionFilterSet,
    SiteFilterSet,
)
from households.history import household_history
from households.models import REVEAL_PERMISSION, Household, Person, Region, Site
from resettle.api.views import LedgerActionsMixin, ScopedModelViewSet, ScopedReadOnlyViewSet


class RegionViewSet(ScopedReadOnlyViewSet):
    """Administrative regions in and above the user's scope."""

    queryset = Region.objects.all()
    serializer_class = serializers.RegionSerializer
    filterset_class = RegionFilterSet


class SiteViewSet(ScopedModelViewSet):
    """Settlement sites. Administrators create and change them."""

    queryset = Site.objects.select_related("county", "township")
    serializer_class = serializers.SiteSerializer
    filterset_class = SiteFilterSet


class HouseholdViewSet(LedgerActionsMixin, ScopedModelViewSet):
    """Relocated households with their members."""

    queryset = Household.objects.select_related("site").prefetch_related(
        Prefetch("members", queryset=Person.objects.order_by("id"))
    )
    serializer_class = serializers.HouseholdSerializer
    filterset_class = HouseholdFilterSet
    reveal_permission = REVEAL_PERMISSION
    reveal_actions = ("retrieve", "history")
    ledger = LEDGER

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Recorded changes to the household and its members, newest first."""
        household = self.get_object()
        return Response({"results": household_history(household, reveal=self.reveal())})


class PersonViewSet(ScopedModelViewSet):
    """Household members."""

    queryset = Person.objects.select_related("household")
    serializer_class = serializers.PersonSerializer
    filterset_class = PersonFilterSet
    reveal_permission = REVEAL_PERMISSION
