"""FilterSets of industry support, for the API and the pages alike."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from households.filtersets import IdFilter, RegionFilter
from industry import choices
from industry.models import BenefitLink, Dividend, IndustryProject, Investment, ProjectSite


class ServedSiteFilter(IdFilter):
    """Projects serving the site."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(Exists(ProjectSite.objects.filter(project=OuterRef("pk"), site_id=value)))


class FundSourceFilter(django_filters.ChoiceFilter):
    """Projects with money from the source."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(Exists(Investment.objects.filter(project=OuterRef("pk"), source=value)))


class SearchFilter(django_filters.CharFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(operator__icontains=value)
        )


class IndustryProjectFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    site = ServedSiteFilter(label=_("Site"))
    sector = django_filters.ChoiceFilter(choices=choices.Sector.choices)
    kind = django_filters.ChoiceFilter(choices=choices.Kind.choices)
    status = django_filters.ChoiceFilter(choices=choices.ProjectStatus.choices)
    fund_source = FundSourceFilter(choices=choices.FundSource.choices, label=_("fund source"))
    q = SearchFilter(label=_("Search"))

    class Meta:
        model = IndustryProject
        fields = ["region", "site", "sector", "kind", "status", "fund_source", "q"]


class InvestmentFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    project = IdFilter(field_name="project_id", label=_("Project"))
    source = django_filters.ChoiceFilter(choices=choices.FundSource.choices)

    class Meta:
        model = Investment
        fields = ["region", "project", "source"]


class HouseholdProjectFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    project = IdFilter(field_name="project_id", label=_("Project"))
    household = IdFilter(field_name="household_id", label=_("Household"))


class BenefitLinkFilterSet(HouseholdProjectFilterSet):
    kind = django_filters.ChoiceFilter(choices=choices.LinkKind.choices)

    class Meta:
        model = BenefitLink
        fields = ["region", "project", "household", "kind"]


class DividendFilterSet(HouseholdProjectFilterSet):
    year = django_filters.NumberFilter()

    class Meta:
        model = Dividend
        fields = ["region", "project", "household", "year"]
