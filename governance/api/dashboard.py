"""The dashboards' JSON (issue: dashboards, item 6): a region's or a site's figures, live or as
of a month's report, scoped to the user. Every figure is the catalogue's (governance.dashboard);
the page's script only draws it."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from governance import dashboard, drill
from resettle.periods import is_period

PERIOD_PARAMETER = OpenApiParameter(
    "period",
    str,
    description="live (default), or a month YYYY-MM: the figures of that month's report",
)


def _period(request) -> str:
    period = request.query_params.get("period") or dashboard.LIVE
    if period != dashboard.LIVE and not is_period(period):
        raise ValidationError({"period": _("Write the month as YYYY-MM, e.g. 2026-10.")})
    return period


def _respond(request, build, subject, period):
    try:
        data = build(subject, period)
    except dashboard.NotFound:
        raise NotFound(_("There is no report of %(period)s here.") % {"period": period}) from None
    if data["up"] and not dashboard.may_see_region(request.user, data["up"]["code"]):
        data["up"] = None  # the region above is not the user's to see
    return Response(drill.link_dashboard(data, request.user))


class DashboardHomeView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "DashboardHome",
            {"kind": serializers.CharField(), "key": serializers.CharField()},
        )
    )
    def get(self, request):
        """Where the user's dashboard opens: their region, or their site."""
        home = dashboard.home_of(request.user)
        if home is None:
            raise Http404(_("Your account has no region or site to show."))
        return Response({"kind": home[0], "key": str(home[1])})


class RegionDashboardView(APIView):
    @extend_schema(parameters=[PERIOD_PARAMETER], responses=OpenApiTypes.OBJECT)
    def get(self, request, code: str):
        """A region's dashboard: headline cards with the change on last month, its counties
        (or sites) with red / amber / green against the rules, the charts' data and trend."""
        region = dashboard.visible_region(request.user, code)
        return _respond(request, dashboard.region_payload, region, _period(request))


class SiteDashboardView(APIView):
    @extend_schema(parameters=[PERIOD_PARAMETER], responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        """A site's dashboard: its households' figures, with the change on last month."""
        site = dashboard.visible_site(request.user, pk)
        return _respond(request, dashboard.site_payload, site, _period(request))
