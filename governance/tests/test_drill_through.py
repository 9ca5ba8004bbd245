"""Every count of the catalogue opens the records it counts: for a prefecture, each of its
counties and a site, as of a past month's last day and today, the list's total is the figure
(issue 15, item 7)."""

import datetime as dt

import pytest

from households.models import Site
from resettle.indicators import TOTAL, Area, Grouping, catalogue
from resettle.periods import last_day, last_ended
from resettle.scoping import Scope


def drillable():
    return [i for i in catalogue.all() if i.records is not None]


def lists(indicator, area: Area, figure) -> list[tuple[str | None, object, int]]:
    """(category, figure, the list's total) for the indicator in the area."""
    if indicator.kind == "breakdown":
        return [
            (
                code,
                (figure or {}).get(code, 0),
                catalogue.records_total(
                    indicator,
                    catalogue.records(
                        indicator.code,
                        Area(area.as_of, area.scope, area.region_code, area.site_id, code),
                    ),
                ),
            )
            for code, _label in indicator.categories
        ]
    return [
        (
            None,
            figure or 0,
            catalogue.records_total(indicator, catalogue.records(indicator.code, area)),
        )
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["last month", "today"])
def test_every_count_of_a_prefecture_its_counties_and_a_site_opens_as_many_records(
    small_demo, when
):
    as_of = last_day(last_ended()) if when == "last month" else dt.date.today()
    scope = Scope.system()
    sites = Site.objects.order_by("code")
    prefecture = sites.first().region_code[:4]
    counties = sorted({s.county_id for s in sites if s.county_id.startswith(prefecture)})
    assert len(counties) >= 2
    site = sites.filter(region_code__startswith=counties[0]).first()
    codes = [i.code for i in drillable()]
    checked = 0
    counted = set()
    mismatches = []
    for region in [prefecture, *counties]:
        values = catalogue.values(Grouping(region, as_of, scope), codes).get(TOTAL, {})
        for indicator in drillable():
            area = Area(as_of, scope, region)
            for category, figure, total in lists(indicator, area, values.get(indicator.code)):
                checked += 1
                if figure:
                    counted.add(indicator.code)
                if figure != total:
                    mismatches.append((region, indicator.code, category, figure, total))
    by_site = catalogue.values(Grouping(counties[0], as_of, scope, by="site"), codes)
    values = by_site.get(site.pk, {})
    for indicator in drillable():
        area = Area(as_of, scope, counties[0], site.pk)
        for category, figure, total in lists(indicator, area, values.get(indicator.code)):
            checked += 1
            if figure != total:
                mismatches.append((site.code, indicator.code, category, figure, total))
    assert mismatches == []
    assert checked > 100
    # Most figures count something in the demo: the comparison is not of zeros.
    assert len(counted) >= 0.7 * len(codes), sorted(set(codes) - counted)
