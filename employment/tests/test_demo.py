"""The labor ledger's part of the demo (employment.demo): profiles, jobs and visits in the
proportions of the seeds, with work left for the worklists."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from employment import selectors
from employment.models import Employment, FollowUpVisit, LaborProfile
from resettle import demo as registry
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope


@pytest.fixture
def reference_regions(db):
    call_command("loaddata", "fixtures/regions.json", verbosity=0)


def test_the_demo_has_a_labor_ledger_with_work_for_the_worklists(reference_regions):
    call_command("seed_demo", "--scale", "prefecture", stdout=io.StringIO())
    today = min(registry.AS_OF, dt.date.today())
    profiles, jobs = LaborProfile.objects.count(), Employment.objects.count()
    assert profiles > 10_000 and jobs > 0.7 * profiles
    assert FollowUpVisit.objects.count() < jobs
    # employment.demo.link_workshop_jobs: the workshops employ some of the relocated laborers.
    assert Employment.objects.filter(project__kind="workshop").exists()
    figures = catalogue.values(
        Grouping(region_code="6531", as_of=today, scope=Scope.system()),
        ["employment_rate", "zero_employment_households", "five_clears_rate"],
    )[TOTAL]
    assert 0.85 < figures["employment_rate"] < 1
    assert figures["zero_employment_households"] > 0
    assert 0.8 < figures["five_clears_rate"] < 1
    for worklist in (
        "awaiting_job_match",
        "awaiting_follow_up",
        "five_clears_incomplete",
        "unprofiled",
    ):
        assert getattr(selectors, worklist)(today).exists(), worklist
