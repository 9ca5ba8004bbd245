from industry import filtersets, services
from industry.api import serializers
from industry.excel import DIVIDEND_LEDGER, PROJECT_LEDGER
from industry.models import BenefitLink, Dividend, IndustryProject, Investment
from resettle.api.views import LedgerActionsMixin, RemovableMixin, ScopedModelViewSet


class IndustryProjectViewSet(LedgerActionsMixin, ScopedModelViewSet):
    """Industry support projects with the sites they serve; `export/` gives the register as a
    workbook (`import/` is the dividends')."""

    ledger = PROJECT_LEDGER
    queryset = IndustryProject.objects.select_related("county").prefetch_related(
        "served__site", "status_changes"
    )
    serializer_class = serializers.IndustryProjectSerializer
    filterset_class = filtersets.IndustryProjectFilterSet


class ProjectRecordRemoval(RemovableMixin):
    """DELETE of an investment, a benefit link or a dividend (industry.services.record_remove)."""

    remove_record = staticmethod(services.record_remove)


class InvestmentViewSet(ProjectRecordRemoval, ScopedModelViewSet):
    """Investment in projects by fund source, in yuan."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = Investment.objects.select_related("project")
    serializer_class = serializers.InvestmentSerializer
    filterset_class = filtersets.InvestmentFilterSet


class BenefitLinkViewSet(ProjectRecordRemoval, ScopedModelViewSet):
    """How households benefit from projects."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = BenefitLink.objects.select_related("project", "household")
    serializer_class = serializers.BenefitLinkSerializer
    filterset_class = filtersets.BenefitLinkFilterSet


class DividendViewSet(ProjectRecordRemoval, LedgerActionsMixin, ScopedModelViewSet):
    """Dividends paid to households; `import/` takes the dividend workbook (dry run first)."""

    ledger = DIVIDEND_LEDGER
    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = Dividend.objects.select_related("project", "household")
    serializer_class = serializers.DividendSerializer
    filterset_class = filtersets.DividendFilterSet
