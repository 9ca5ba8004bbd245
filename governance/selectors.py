"""Reads that compose the indicator catalogue for a region: the one place reports, dashboards and
the API get their figures from."""

import datetime as dt

from django.utils.translation import gettext as _

from households.models import Region, Site
from resettle.indicators import TOTAL, By, Grouping, Values, catalogue
from resettle.scoping import LEVEL_LENGTHS, Scope, child_length


def indicator_values(
    *,
    scope: Scope,
    region: Region,
    as_of: dt.date,
    by: By = "total",
    codes: list[str] | None = None,
    computed: Values | None = None,
) -> dict:
    """The catalogue's values for `region` as of `as_of`, in total or as rows per child region,
    county or site; restricted to `scope`. Regions and sites with no records get zeros.
    `computed`: the values already, keyed as the grouping keys them (cut out of a rollup)."""
    grouping = Grouping(region_code=region.code, as_of=as_of, scope=scope, by=by)
    values = catalogue.values(grouping, codes) if computed is None else computed
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


def site_values(*, site: Site, as_of: dt.date, codes: list[str] | None = None) -> dict:
    """The catalogue's values for one site as of `as_of` (counted as the site's rows of its
    county are: a project serving it counts), under the site's own name; zeros where nothing
    is counted."""
    grouping = Grouping(region_code=site.region_code, as_of=as_of, scope=Scope.system(), by="site")
    values = catalogue.values(grouping, codes)
    return {
        "site": site.pk,
        "code": site.code,
        "name": site.name,
        "as_of": as_of.isoformat(),
        "values": {**catalogue.empty_row(codes), **values.get(site.pk, {})},
    }


def report_lengths(code: str) -> list[int]:
    """The levels a region's report shows: its own and its children's."""
    if len(code) < LEVEL_LENGTHS["village"]:
        return [len(code), child_length(code)]
    return [len(code)]


def rollup(code: str, as_of: dt.date, lengths=None, progress=None) -> dict:
    """The catalogue for every site and every region of the subtree of `code` as of the date,
    over all records, in one pass (`Catalogue.rollup`), at the code lengths given (by default
    the region's own and its children's). `cut` makes any region's report figures of it."""
    sites = Site.objects.filter(region_code__startswith=code)
    return catalogue.rollup(
        code,
        as_of,
        Scope.system(),
        site_regions=dict(sites.values_list("id", "region_code")),
        lengths=report_lengths(code) if lengths is None else lengths,
        progress=progress,
    )


def cut(levels: dict, region: Region, as_of: dt.date) -> dict:
    """A region's own values, its child regions' and its sites', out of a rollup that holds
    its level and its children's (the same rows `indicator_values` gives)."""
    scope = Scope.system()
    own = levels[len(region.code)].get(region.code, {})
    total = indicator_values(
        scope=scope, region=region, as_of=as_of, by="total", computed={TOTAL: own}
    )
    sites = indicator_values(
        scope=scope, region=region, as_of=as_of, by="site", computed=levels["site"]
    )
    children = []
    if len(region.code) < LEVEL_LENGTHS["village"]:
        below = levels[child_length(region.code)]
        children = indicator_values(
            scope=scope,
            region=region,
            as_of=as_of,
            by="child",
            computed={k: v for k, v in below.items() if k.startswith(region.code)},
        )["rows"]
    return {"values": total["values"], "children": children, "sites": sites["rows"]}
