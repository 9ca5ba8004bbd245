"""A labor ledger keyed in late (issue 14, item 1): the monthly report of a past month, made
again, counts what was imported today with that month's dates. Cross-app (the labor ledger in
governance's report), so it lives here rather than in employment/tests (pyproject.toml,
import-linter's layers)."""

import pytest

from employment.tests.test_excel_import import run, working
from employment.tests.test_history import START
from governance.generation import report_generate
from households.models import Region


@pytest.fixture
def head(shache_household):
    return shache_household.members.get(relation="head")


@pytest.mark.django_db
def test_the_report_of_that_month_made_again_shows_them(alice, head):
    period = f"{START:%Y-%m}"
    region = Region.objects.get(code="653125")
    before = report_generate(actor=None, period=period, region=region)
    assert before.values["region"]["values"]["employed"] == 0
    run(alice, [working(head, start_date=START.isoformat())], commit=True)
    again = report_generate(actor=None, period=period, region=region)
    values = again.values["region"]["values"]
    assert (values["labor_force"], values["employed"], values["employment_rate"]) == (1, 1, 1.0)
