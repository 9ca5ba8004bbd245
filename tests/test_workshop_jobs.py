"""Jobs in industry projects (Employment.project): the workshop rules counted from the labor
ledger, and a job linked to a project only in the person's own county. Cross-app: industry sits
below employment (pyproject.toml, import-linter's layers), so these live here, not in industry."""

import datetime as dt

import pytest
from django.test import Client

from conftest import client_for
from employment.services import employment_open, labor_profile_save
from households.models import Site
from households.tests.factories import HouseholdFactory, PersonFactory, SiteFactory
from industry import services
from industry.excel import DIVIDEND_LEDGER
from industry.indicators import small_sites_without_workshop, workshop_rules
from industry.models import IndustryProject
from industry.tests.test_industry import dividend_book, project
from resettle.excel import run_import
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

TODAY = dt.date.today()


@pytest.mark.django_db
def test_the_workshop_rules_are_checked_from_the_labor_ledger(alice, shache_site):
    workshop = project(alice, shache_site)  # 4 jobs
    far = SiteFactory(county_id="653125", code="653125009", name="远处安置点")
    services.project_save(
        actor=alice,
        data={},
        served=[(shache_site, 10), (far, 30)],
        project=workshop,
        version=workshop.version,
    )
    household = HouseholdFactory(site=shache_site)
    workers = [PersonFactory(household=household) for _ in range(2)]
    for person in workers:
        labor_profile_save(actor=alice, person=person, data={"capacity": "ordinary"})
        employment_open(
            actor=alice,
            person=person,
            data={
                "channel": "park_workshop",
                "job_type": "wage_work",
                "place": "county",
                "start_date": dt.date(2025, 1, 1),
                "project": workshop,
            },
        )
    [row] = workshop_rules(IndustryProject.objects.all(), TODAY)
    # The project page lists them, their ID numbers masked.
    browser = Client()
    browser.force_login(alice)
    page = browser.get(f"/industry/projects/{workshop.pk}/").content.decode()
    for person in workers:
        assert f'href="/labor/persons/{person.pk}/"' in page and person.id_number not in page
    assert (row.relocated_workers, row.relocated_share, row.share_ok) == (2, 0.5, True)
    assert [s.site for s in row.too_far] == [far] and row.breaks_rules
    # As of 2024 nobody worked there yet: the share figure says so.
    grouping = Grouping(region_code="653125", as_of=dt.date(2024, 6, 1), scope=Scope.system())
    assert (
        catalogue.values(grouping, ["workshop_relocated_share"])[TOTAL]["workshop_relocated_share"]
        == 0.0
    )
    now = catalogue.values(
        Grouping(region_code="653125", as_of=TODAY, scope=Scope.system()),
        ["workshop_relocated_share", "workshops", "workshop_jobs"],
    )[TOTAL]
    assert now == {"workshop_relocated_share": 0.5, "workshops": 1, "workshop_jobs": 4}
    # A small site with no workshop is listed, and so is the far one: a workshop 30 minutes away
    # is not within its living circle.
    PersonFactory(household=HouseholdFactory(site=far))
    lonely = SiteFactory(county_id="653125", code="653125010", name="无车间安置点")
    PersonFactory(household=HouseholdFactory(site=lonely))
    assert list(small_sites_without_workshop(Site.objects.all(), TODAY)) == [far, lonely]


@pytest.mark.django_db
def test_another_county_can_neither_link_jobs_nor_learn_households(
    alice, charlie, shache_site, shache_household, shufu_household
):
    workshop = project(alice, shache_site)
    outsider = shufu_household.members.get()
    labor_profile_save(actor=charlie, person=outsider, data={"capacity": "ordinary"})
    linked = client_for(charlie).post(
        "/api/v1/employments/",
        {
            "person": outsider.pk,
            "channel": "park_workshop",
            "job_type": "wage_work",
            "place": "county",
            "start_date": "2025-01-01",
            "project": workshop.pk,
        },
        format="json",
    )
    assert linked.status_code == 400
    # Shache's member's number, uploaded from Shufu, reads as unknown: no household number told.
    head = shache_household.members.first()
    result = run_import(
        DIVIDEND_LEDGER,
        dividend_book([[head.id_number, "", "P001", TODAY.year - 1, 100, ""]]),
        actor=charlie,
        commit=False,
    )
    assert len(result.errors) == 1 and shache_household.household_no not in result.errors[0].message
