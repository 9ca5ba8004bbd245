"""The certificate and transfer rates keep their definition (done ÷ all households) and say how
many households of unknown status they count as not done (issue 14, item 2)."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from governance.generation import report_generate
from governance.workbook import build
from households.models import Region
from households.tests.factories import HouseholdFactory, PersonFactory
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.periods import last_ended
from resettle.scoping import Scope

CODES = (
    "households",
    "households_with_certificate",
    "households_certificate_status_unknown",
    "property_certificate_rate",
    "households_hukou_transferred",
    "households_hukou_unknown",
    "hukou_transfer_rate",
)


def households(site):
    """Four households: certificate issued / blank / blank / not applied; registration
    transferred / blank / not transferred / not transferred."""
    for index, (certificate, hukou) in enumerate(
        (("issued", True), ("", None), ("", False), ("none", False))
    ):
        household = HouseholdFactory(
            site=site,
            household_no=f"653125001-06{index:02d}",
            property_certificate_status=certificate,
            property_certificate_on=dt.date(2021, 1, 1) if certificate == "issued" else None,
            hukou_transferred=hukou,
            hukou_transferred_on=dt.date(2021, 1, 1) if hukou else None,
        )
        PersonFactory(household=household)


@pytest.mark.django_db
def test_households_of_unknown_status_are_counted_and_the_rates_keep_their_figures(shache_site):
    households(shache_site)
    values = catalogue.values(Grouping("653125", dt.date.today(), Scope.system()), codes=CODES)
    counts = {code: values[TOTAL][code] for code in CODES if not code.endswith("_rate")}
    assert counts == {
        "households": 4,
        "households_with_certificate": 1,
        "households_certificate_status_unknown": 2,
        "households_hukou_transferred": 1,
        "households_hukou_unknown": 1,
    }
    # A blank status is not done: the rates are what they were, 1 household of 4.
    assert values[TOTAL]["property_certificate_rate"] == values[TOTAL]["hukou_transfer_rate"]
    assert values[TOTAL]["hukou_transfer_rate"] == 0.25


@pytest.mark.django_db
def test_the_monthly_workbook_says_how_many_households_of_unknown_status_a_rate_counts(
    shache_site,
):
    households(shache_site)
    report = report_generate(
        actor=None, period=last_ended(), region=Region.objects.get(code="653125")
    )
    stored = report.values["region"]["values"]
    assert stored["households_certificate_status_unknown"] == 2
    assert stored["households_hukou_unknown"] == 1
    notes = load_workbook(io.BytesIO(build(report)))["指标说明"]
    # By the indicator's name, its definition as printed (wrapped in lines within the page).
    definitions = {
        name.replace("\n", ""): text.replace("\n", "")
        for name, _unit, text, *_rest in notes.iter_rows(min_row=4, values_only=True)
    }
    for name in ("不动产权证办证率", "已办不动产权证户数"):
        assert "（含状态不详 2 户，按未办理计）" in definitions[name]
    for name in ("户籍迁移率", "户籍已迁入户数"):
        assert "（含状态不详 1 户，按未迁入计）" in definitions[name]
    assert "状态不详" not in definitions["搬迁户数"]
    assert definitions["户籍迁入情况不详户数"].startswith("在册户中未记录户籍是否迁入")
