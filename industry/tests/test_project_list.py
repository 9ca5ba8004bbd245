"""The project list and its export state money in 万元, as the reports, dashboards and workbooks do (it showed
12246500.00 元 beside figures in 万元 everywhere else; issue 18)."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from industry import services
from industry.tests.test_industry import project

pytestmark = pytest.mark.django_db


def test_the_project_list_states_investment_in_ten_thousand_yuan(alice, shache_site):
    crops = project(alice, shache_site, code="P1", kind="crops", sector="primary")
    services.investment_add(
        actor=alice, project=crops, data={"source": "relocation", "amount": Decimal(12_246_500)}
    )
    browser = Client()
    browser.force_login(alice)
    html = browser.get("/industry/projects/").content.decode()
    assert "投资（万元）" in html and ">1,224.65<" in html
    assert "12246500" not in html
    # The export's 总投资（万元） too, on the embedded database as on PostgreSQL.
    export = browser.get("/industry/projects/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("总投资（万元）") + 1).value == pytest.approx(1224.65)
