"""The month's reports are cut out of one computation per province (`Catalogue.rollup`): every
level of it must equal the catalogue computed for each region, site by site, the slow way."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from governance.generation import report_generate
from governance.models import DispatchReport
from governance.selectors import rollup
from governance.tasks import dispatch_reports_task
from households.models import Region, Site
from households.tests.factories import HouseholdFactory, PersonFactory, RegionFactory, SiteFactory
from monitoring.choices import Category, Status
from monitoring.models import MonitoringCase
from resettle.indicators import TOTAL, Grouping, Mean, catalogue
from resettle.periods import last_day, last_ended
from resettle.scoping import Scope


@pytest.fixture
def demo(db):
    """The small demo, and a site recorded in a township with two monitored households: the
    demo's sites lie in counties only."""
    call_command("loaddata", "fixtures/regions.json", verbosity=0)
    call_command("seed_demo", "--scale", "small", "--seed", "3", stdout=io.StringIO())
    township = RegionFactory(code="653125100", name="恰热克镇")
    site = SiteFactory(county=township.parent, township=township, code="653125100001")
    for category in (Category.UNSTABLE, Category.MARGINAL):
        person = PersonFactory(household=HouseholdFactory(site=site))
        MonitoringCase.objects.create(
            household=person.household,
            category=category,
            risks="illness",
            found_through="self_report",
            status=Status.ASSISTING,
            opened_on=dt.date(2024, 1, 5),
            identified_on=dt.date(2024, 2, 1),
            assisted_from=dt.date(2024, 2, 1),
        )


def direct(code: str, as_of: dt.date, by: str = "total") -> dict:
    return catalogue.values(Grouping(code, as_of, Scope.system(), by=by))


def filled(row: dict) -> dict:
    """A row as every reader shows it: zeros where nothing was counted."""
    return {**catalogue.empty_row(), **row}


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [dt.date(2024, 6, 30), None])
def test_every_level_of_the_rollup_is_the_catalogue_of_that_region(demo, as_of):
    as_of = as_of or last_day(last_ended())
    codes = set(Site.objects.values_list("region_code", flat=True))
    province = sorted(codes)[0][:2]
    levels = rollup(province, as_of, lengths=[2, 4, 6, 9])
    by_site = direct(province, as_of, by="site")
    assert set(levels["site"]) == set(by_site)
    for site, row in by_site.items():
        assert filled(levels["site"][site]) == filled(row), site
    checked = 0
    for n, parent in ((2, None), (4, 2), (6, 4), (9, 6)):
        expected = {}
        if parent is None:
            expected[province] = direct(province, as_of)[TOTAL]
        else:  # each region of the level above, by child region
            for code in sorted({c[:parent] for c in codes}):
                expected.update(direct(code, as_of, by="child"))
        assert set(levels[n]) == set(expected), n
        for code, row in expected.items():
            assert filled(levels[n][code]) == filled(row), (n, code)
            checked += 1
    assert checked > 4 and "653125100" in levels[9]
    # The demo has employment, monitoring and industry figures to compare, not just zeros.
    assert levels[2][province]["employed"] > 0
    assert levels[2][province]["monitored_households"] > 0
    assert levels[2][province]["projects"] > 0


@pytest.mark.django_db
def test_the_months_run_and_a_report_made_alone_agree(demo):
    period = last_ended()
    result = dispatch_reports_task(period=period)
    assert result["failed"] == [] and len(result["made"]) >= 2
    county = DispatchReport.objects.filter(period=period, region__level="county").first()
    from_run = county.values
    DispatchReport.objects.filter(pk=county.pk).delete()
    alone = report_generate(
        actor=None, period=period, region=Region.objects.get(pk=county.region_id)
    )
    assert alone.values == from_run


def test_an_average_rolled_up_from_sites_is_the_average_of_their_records():
    """The average wage of a county is added up from its sites' sums and counts (`Mean`), to the
    cent and rounded half up as it is computed over the county's records directly."""
    sites = [Mean(Decimal("1000.01"), 1), Mean(Decimal("3000.02"), 1)]
    county = sites[0] + sites[1]
    assert county.value == Mean(Decimal("4000.03"), 2).value == 2000.02
    assert Mean(Decimal("0.005"), 1).value == 0.01 and Mean(Decimal("2.675"), 1).value == 2.68
    assert Mean(Decimal(0), 0).value == 0
    assert not catalogue.additive("avg_monthly_wage")  # its figure is no sum of the sites'
