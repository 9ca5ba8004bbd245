"""The indicator catalogue and its values over the API."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from governance import drill
from governance.selectors import indicator_values, site_values
from households.models import Region, Site
from resettle.indicators import catalogue
from resettle.scoping import CODE_LENGTHS, Scope, permits


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    definition = serializers.CharField()
    source = serializers.CharField()
    app = serializers.CharField()
    categories = serializers.SerializerMethodField(
        help_text="A breakdown's categories, in order: its values are counts by code"
    )

    @extend_schema_field(CategorySerializer(many=True))
    def get_categories(self, indicator) -> list[dict]:
        return [{"code": code, "name": str(label)} for code, label in indicator.categories]


class IndicatorListView(APIView):
    """The indicator catalogue: every figure reports and dashboards may show."""

    @extend_schema(responses=IndicatorSerializer(many=True))
    def get(self, request):
        return Response(IndicatorSerializer(catalogue.all(), many=True).data)


class IndicatorValuesQuery(serializers.Serializer):
    region = serializers.CharField(required=False)
    site = serializers.IntegerField(required=False, min_value=1)
    as_of = serializers.DateField(required=False)
    by = serializers.ChoiceField(choices=["child", "county", "site"], required=False)
    codes = serializers.CharField(required=False)

    def validate_region(self, value):
        if not value.isdigit() or len(value) not in CODE_LENGTHS:
            raise serializers.ValidationError(
                _("A region code has 2, 4, 6, 9 or 12 digits (e.g. 6531 or 653125); got %(value)s.")
                % {"value": value}
            )
        return value

    def validate_as_of(self, value):
        if value > dt.date.today():
            raise serializers.ValidationError(_("The date cannot be in the future."))
        if value < drill.first_day():
            raise serializers.ValidationError(
                _("Figures begin with %(first)s: choose a later date.")
                % {"first": drill.first_day()}
            )
        return value

    def validate_codes(self, value):
        codes = [c.strip() for c in value.split(",") if c.strip()]
        if not codes:
            raise serializers.ValidationError(_("Name at least one indicator, or leave codes out."))
        known = {i.code for i in catalogue.all()}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown indicators: %(codes)s; see /api/v1/indicators/.")
                % {"codes": ", ".join(unknown)}
            )
        return codes

    def validate(self, attrs):
        if attrs.get("site") and attrs.get("region"):
            raise serializers.ValidationError(_("Ask for a region or for a site, not both."))
        if attrs.get("site") and attrs.get("by"):
            raise serializers.ValidationError({"by": [_("A site has no rows below it.")]})
        return attrs


class IndicatorValuesView(APIView):
    """Values of the catalogue for a region (or a site) as of a date, in total or by child
    region, county or site. A region is answered only to who may see all of it: a user whose
    area is part of a region asks for their part by its own code (`site` for a site), never
    gets it under the whole's name; anything else is 404. With `records`, the address of the
    list of the records each count opens (for users who read records)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, description="Region code, e.g. 6531"),
            OpenApiParameter("site", OpenApiTypes.INT, description="A settlement site's id"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Date, default today"),
            OpenApiParameter("by", OpenApiTypes.STR, enum=["child", "county", "site"]),
            OpenApiParameter("codes", OpenApiTypes.STR, description="Comma-separated indicators"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        query = IndicatorValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        scope = Scope.for_user(request.user)
        as_of = params.get("as_of") or dt.date.today()
        codes = params.get("codes")
        site_id = params.get("site")
        code = params.get("region")
        if not site_id and not code:
            code = scope.home_region()
            if code is None or not permits(request.user, Region, "figures", region_code=code):
                code = None
                if not scope.region_prefixes and len(scope.site_ids) == 1:
                    site_id = next(iter(scope.site_ids))
            if code is None and site_id is None:
                raise ValidationError(
                    {"region": [_("Give the region code, e.g. ?region=6531, or ?site=<id>.")]}
                )
        if site_id:
            site = Site.objects.visible_to(request.user).filter(pk=site_id).first()
            if site is None:
                raise Http404
            values = site_values(site=site, as_of=as_of, codes=codes)
            return Response(_with_records(values, request.user, as_of, site=site.pk))
        region = Region.objects.filter(code=code).first()
        if region is None or not permits(request.user, Region, "figures", region_code=code):
            raise Http404
        by = params.get("by", "total")
        if by == "child" and len(code) == max(CODE_LENGTHS):
            raise ValidationError({"by": [_("A village has no child regions.")]})
        values = indicator_values(scope=scope, region=region, as_of=as_of, by=by, codes=codes)
        return Response(_with_records(values, request.user, as_of, region=region.code))


def _with_records(values: dict, user, as_of: dt.date, **where) -> dict:
    """`values` with `records`: the drill-through address of each count, for the total and
    each row (governance.drill); none for who reads figures only."""
    if not drill.may_open_records(user, **where):
        return values

    def links(row_values: dict, **at) -> dict:
        """A count's address; a breakdown's, one per category."""
        result = {}
        for code in row_values:
            if not drill.opens_records(code):
                continue
            indicator = catalogue.get(code)
            if indicator.kind == "breakdown":
                result[code] = {
                    category: drill.records_url(code, as_of=as_of, category=category, **at)
                    for category, _label in indicator.categories
                }
            else:
                result[code] = drill.records_url(code, as_of=as_of, **at)
        return result

    if "values" in values:
        values["records"] = links(values["values"], **where)
    below = "site" if values.get("by") == "site" else "region"
    for row in values.get("rows", []):
        row["records"] = links(row["values"], **{below: row["id" if below == "site" else "code"]})
    return values
