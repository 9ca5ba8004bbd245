"""Reads that compose the indicator catalogue for a region: the one place reports, dashboards and
the API get their figures from."""

import datetime as dt

from django.utils.translation import gettext as _

from households.models import Region, Site
from resettle.indicators import TOTAL, By, Grouping, catalogue
from resettle.scoping import LEVEL_LENGTHS, Scope


def indicator_values(
    *,
    scope: Scope,
    region: Region,
    as_of: dt.date,
    by: By = "total",
    codes: list[str] | None = None,
) -> dict:
    """The catalogue's values for `region` as of `as_of`, in total or as rows per child region,
    county or site; restricted to `scope`. Regions and sites with no records get zeros."""
    grouping = Grouping(region_code=region.code, as_of=as_of, scope=scope, by=by)
    values = catalogue.values(grouping, codes)
    empty = catalogue.empty_row(codes)
    result = {"region": region.code, "name": region.name, "as_of": as_of.isoformat()}
    if by == "total":
        result["values"] = {**empty, **values.get(TOTAL, {})}
        return result
    result["by"] = by
    if by == "site":
        sites = Site.objects.within(scope).filter(region_code__startswith=region.code)
        result["rows"] = [
            {
                "id": s.pk,
                "code": s.code,
                "name": s.name,
                "county": s.county_id,
                "values": {**empty, **values.get(s.pk, {})},
            }
            for s in sites.only("id", "code", "name", "county_id").order_by("code")
        ]
        return result
    length = grouping.key_length()
    children = Region.objects.within(scope).filter(code__startswith=region.code)
    names = dict(children.filter(code__regex=rf"^\d{{{length}}}$").values_list("code", "name"))
    if by == "county":
        names = {c: n for c, n in names.items() if len(c) == LEVEL_LENGTHS["county"]}
    keys = sorted(set(names) | {k for k in values if isinstance(k, str)})
    # Sites recorded without a township are keyed by their county: say so.
    names.setdefault(region.code, _("No township recorded"))
    result["rows"] = [
        {"code": key, "name": names.get(key, key), "values": {**empty, **values.get(key, {})}}
        for key in keys
    ]
    return result
