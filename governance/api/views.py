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

from governance.selectors import indicator_values
from households.models import Region
from resettle.indicators import catalogue
from resettle.scoping import CODE_LENGTHS, Scope


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


class IndicatorValuesView(APIView):
    """Values of the catalogue for a region as of a date, in total or by child region, county or
    site. Only what the user may see is counted."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, description="Region code, e.g. 6531"),
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
        code = params.get("region") or scope.home_region()
        if code is None:
            raise ValidationError({"region": [_("Give the region code, e.g. ?region=6531.")]})
        region = Region.objects.within(scope).filter(code=code).first()
        if region is None or not scope.touches_region(code):
            raise Http404
        by = params.get("by", "total")
        if by == "child" and len(code) == max(CODE_LENGTHS):
            raise ValidationError({"by": [_("A village has no child regions.")]})
        return Response(
            indicator_values(
                scope=scope,
                region=region,
                as_of=params.get("as_of") or dt.date.today(),
                by=by,
                codes=params.get("codes"),
            )
        )
