"""A blank date in the monthly report (issue 14: a blank is "not known"): the workbook says how
many dates a figure does not know. Cross-app (the registry's blanks in governance's workbook),
so it lives here rather than in households/tests (pyproject.toml, import-linter's layers)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from governance.generation import report_generate
from governance.workbook import build
from households.models import Region
from households.tests.factories import HouseholdFactory, PersonFactory
from resettle.periods import last_ended


@pytest.mark.django_db
def test_the_monthly_workbook_says_how_many_dates_a_figure_does_not_know(shache_site):
    long_ago = dt.date(2021, 1, 1)
    for index, unknown in enumerate((True, True, False)):
        household = HouseholdFactory(
            site=shache_site,
            household_no=f"653125001-05{index:02d}",
            hukou_transferred=True,
            hukou_transferred_on=long_ago,
            hukou_transferred_on_unknown=unknown,
        )
        PersonFactory(household=household)
    report = report_generate(
        actor=None, period=last_ended(), region=Region.objects.get(code="653125")
    )
    assert report.values["region"]["values"]["households_hukou_transferred_date_unknown"] == 2
    notes = load_workbook(io.BytesIO(build(report)))["指标说明"]
    # By the indicator's name, its definition as printed (wrapped in lines within the page).
    definitions = {
        name.replace("\n", ""): text.replace("\n", "")
        for name, _unit, text, *_rest in notes.iter_rows(min_row=4, values_only=True)
    }
    assert "本期含日期不详 2 户" in definitions["户籍迁移率"]
    assert "本期含日期不详 2 户" in definitions["户籍已迁入户数"]
    assert "日期不详" not in definitions["不动产权证办证率"]
