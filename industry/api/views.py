from drf_spectacular.utils import OpenApiParameter, extend_schema

from industry import filtersets, services
from industry.api import serializers
from industry.excel import DIVIDEND_LEDGER, PROJECT_LEDGER
from industry.models import BenefitLink, Dividend, IndustryProject, Investment
from resettle.api.views import LedgerActionsMixin, ScopedModelViewSet


class IndustryProjectViewSet(LedgerActionsMixin, ScopedModelViewSet):
    """Industry support projects with the sites they serve; `export/` gives the register as a
    workbook (`import/` is the dividends')."""

    ledger = PROJECT_LEDGER
    queryset = IndustryProject.objects.select_related("county").prefetch_related(
        "served__site", "status_changes"
    )
    serializer_class = serializers.IndustryProjectSerializer
    filterset_class = filtersets.IndustryProjectFilterSet


class RemovableMixin:
    """DELETE removes a record entered by mistake, with `?reason=` (kept in its history)."""

    @extend_schema(parameters=[OpenApiParameter("reason", str, required=True)])
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.record_remove(
            actor=self.request.user,
            record=instance,
            reason=self.request.query_params.get("reason", ""),
        )


class InvestmentViewSet(RemovableMixin, ScopedModelViewSet):
    """Investment in projects by fund source, in yuan."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = Investment.objects.select_related("project")
    serializer_class = serializers.InvestmentSerializer
    filterset_class = filtersets.InvestmentFilterSet


class BenefitLinkViewSet(RemovableMixin, ScopedModelViewSet):
    """How households benefit from projects."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = BenefitLink.objects.select_related("project", "household")
    serializer_class = serializers.BenefitLinkSerializer
    filterset_class = filtersets.BenefitLinkFilterSet


class DividendViewSet(RemovableMixin, LedgerActionsMixin, ScopedModelViewSet):
    """Dividends paid to households; `import/` takes the dividend workbook (dry run first)."""

    ledger = DIVIDEND_LEDGER
    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = Dividend.objects.select_related("project", "household")
    serializer_class = serializers.DividendSerializer
    filterset_class = filtersets.DividendFilterSet
