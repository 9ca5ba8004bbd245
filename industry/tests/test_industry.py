"""Industry support: projects and their money with the rules a county officer is held to, the
workshop rules checked from the labor ledger, the indicators, the dividend workbook."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from conftest import client_for
from households.tests.factories import HouseholdFactory, PersonFactory
from households.tests.workbooks import xlsx
from industry import services
from industry.excel import DIVIDEND_LEDGER, PROJECT_LEDGER
from industry.indicators import workshop_rules
from industry.models import Dividend, IndustryProject
from resettle.excel import run_import
from resettle.indicators import Grouping, catalogue
from resettle.scoping import Scope

TODAY = dt.date.today()


def project(alice, site, status_since=dt.date(2023, 4, 1), **data):
    values = {
        "code": "P001",
        "name": "服装车间",
        "county_id": site.county_id,
        "sector": "secondary",
        "kind": "workshop",
        "operator_type": "enterprise",
        "status": "operating",
        "actual_start": dt.date(2023, 4, 1),
        "jobs_offered": 4,
        **data,
    }
    return services.project_save(
        actor=alice, data=values, served=[(site, 10)], status_since=status_since
    )


def message(exc) -> str:
    return " ".join(exc.value.messages)


@pytest.mark.django_db
def test_bad_projects_and_money_are_refused(alice, shache_site, shufu_site):
    with pytest.raises(ValidationError) as refused:
        project(
            alice,
            shache_site,
            planned_start=dt.date(2024, 5, 1),
            planned_completion=dt.date(2024, 4, 1),
        )
    assert "2024-05-01" in message(refused)
    with pytest.raises(ValidationError) as refused:
        services.project_save(
            actor=alice,
            data={
                "code": "P002",
                "name": "x",
                "county_id": "653125",
                "sector": "primary",
                "kind": "crops",
                "operator_type": "cooperative",
            },
            served=[(shufu_site, 5)],
        )
    assert shufu_site.name in message(refused)
    assert not IndustryProject.objects.exists()
    workshop = project(alice, shache_site)
    with pytest.raises(ValidationError):
        services.investment_add(
            actor=alice, project=workshop, data={"source": "county", "amount": Decimal(-5)}
        )
    assert not workshop.investments.exists()


@pytest.mark.django_db
def test_dividends_need_a_link_and_come_once_a_year(alice, shache_site, shache_household):
    shops = project(alice, shache_site, code="P010", kind="shops", sector="tertiary")
    data = {"year": TODAY.year - 1, "amount": Decimal(600), "paid_on": TODAY}
    with pytest.raises(ValidationError) as refused:
        services.dividend_add(actor=alice, project=shops, household=shache_household, data=data)
    assert "利益联结" in message(refused)
    services.link_add(
        actor=alice,
        project=shops,
        household=shache_household,
        data={"kind": "dividend", "since": dt.date(2024, 1, 1)},
    )
    services.dividend_add(actor=alice, project=shops, household=shache_household, data=data)
    with pytest.raises(ValidationError) as refused:
        services.dividend_add(actor=alice, project=shops, household=shache_household, data=data)
    assert str(TODAY.year - 1) in message(refused)
    assert Dividend.objects.count() == 1


@pytest.mark.django_db
def test_investment_by_sector_and_source_in_ten_thousand_yuan(alice, shache_site):
    crops = project(alice, shache_site, code="P1", kind="crops", sector="primary")
    shops = project(alice, shache_site, code="P2", kind="shops", sector="tertiary")
    services.investment_add(
        actor=alice, project=crops, data={"source": "relocation", "amount": Decimal(4_198_800)}
    )
    services.investment_add(
        actor=alice, project=shops, data={"source": "east_west", "amount": Decimal(3_099_400)}
    )
    grouping = Grouping(region_code="6531", as_of=TODAY, scope=Scope.system(), by="county")
    row = catalogue.values(
        grouping,
        ["investment", "investment_by_sector", "investment_by_source", "projects_by_sector"],
    )["653125"]
    assert row["investment"] == 729.82
    assert row["investment_by_sector"] == {"primary": 419.88, "secondary": 0.0, "tertiary": 309.94}
    assert (
        row["investment_by_source"]["relocation"] == 419.88
        and row["investment_by_source"]["east_west"] == 309.94
    )
    assert row["projects_by_sector"] == {"primary": 1, "secondary": 0, "tertiary": 1}


def dividend_book(rows) -> bytes:
    return xlsx(rows, [c.header for c in DIVIDEND_LEDGER.columns])


@pytest.mark.django_db
def test_the_dividend_workbook_checks_writes_all_or_nothing_and_again_nothing(
    alice, shache_site, shache_household
):
    shops = project(alice, shache_site, code="P010", kind="shops", sector="tertiary")
    other = HouseholdFactory(site=shache_site, household_no="653125001-0002")
    PersonFactory(household=other)
    services.link_add(
        actor=alice,
        project=shops,
        household=shache_household,
        data={"kind": "dividend", "since": dt.date(2024, 1, 1)},
    )
    head = shache_household.members.first()
    year = TODAY.year - 1
    good = [[head.id_number, "", "P010", year, 600, ""]]
    bad = [
        *good,
        ["", "653125001-0002", "P010", year, 600, ""],  # not linked
        ["", shache_household.household_no, "P010", year, 700, ""],  # the same household again
        ["", "653125001-0001", "P999", year, -1, ""],  # a negative amount, refused on reading
        ["", "653125001-0001", "P999", year, 1, ""],  # unknown project
    ]
    result = run_import(DIVIDEND_LEDGER, dividend_book(bad), actor=alice, commit=True)
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "项目编码"),
        (4, "年度"),
        (5, "金额"),
        (6, "项目编码"),
    ]
    assert not Dividend.objects.exists()
    # The check lists the dividend it will record, by household and head, before the import.
    check = run_import(DIVIDEND_LEDGER, dividend_book(good), actor=alice, commit=False)
    [listed] = check.preview.shown(reveal=False)
    assert (listed["action"], listed["label"], listed["detail"]) == (
        "created",
        shache_household.household_no,
        shache_household.head_name,
    )
    assert [(f["header"], f["new"]) for f in listed["fields"]] == [
        ("项目编码", "P010"),
        ("年度", str(year)),
        ("金额", "600.00"),
    ]
    done = run_import(DIVIDEND_LEDGER, dividend_book(good), actor=alice, commit=True)
    assert done.committed and done.created == 1
    assert Dividend.history.get().history_user == alice
    again = run_import(DIVIDEND_LEDGER, dividend_book(good), actor=alice, commit=True)
    assert again.committed and (again.created, again.unchanged) == (0, 1)
    changed = run_import(
        DIVIDEND_LEDGER,
        dividend_book([[head.id_number, "", "P010", year, 650, ""]]),
        actor=alice,
        commit=True,
    )
    assert [e.column for e in changed.errors] == ["金额"] and "600" in changed.errors[0].message
    assert Dividend.objects.get().amount == Decimal(600)


@pytest.mark.django_db
def test_api_and_pages_scoped(alice, bob, charlie, shache_site):
    workshop = project(alice, shache_site)
    assert client_for(charlie).get(f"/api/v1/industry-projects/{workshop.pk}/").status_code == 404
    assert client_for(bob).get("/api/v1/industry-projects/").json()["count"] == 1
    created = client_for(alice).post(
        "/api/v1/investments/",
        {"project": workshop.pk, "source": "county", "amount": "120000"},
        format="json",
    )
    assert created.status_code == 201
    assert (
        client_for(bob)
        .post(
            "/api/v1/investments/",
            {"project": workshop.pk, "source": "county", "amount": "1"},
            format="json",
        )
        .status_code
        == 403
    )
    browser = Client()
    browser.force_login(alice)
    assert "服装车间" in browser.get("/industry/projects/?kind=workshop").content.decode()
    page = browser.get(f"/industry/projects/{workshop.pk}/").content.decode()
    assert ">12.00<" in page  # 120,000 yuan, in 万元
    assert "车间" in browser.get("/industry/workshops/").content.decode()
    export = browser.get("/industry/projects/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert [c.value for c in sheet[2]][:2] == ["P001", "服装车间"] and sheet.cell(2, 17).value == 12
    assert PROJECT_LEDGER.may_import(alice) is False


@pytest.mark.django_db
def test_moving_a_project_to_another_county_keeps_the_site_rule(alice, admin_user, shache_site):
    workshop = project(alice, shache_site)
    with pytest.raises(ValidationError) as refused:
        services.project_save(
            actor=admin_user,
            data={"county_id": "653121"},
            project=workshop,
            version=workshop.version,
        )
    assert shache_site.name in message(refused)
    assert IndustryProject.objects.get().county_id == "653125"


@pytest.mark.django_db
def test_only_operating_workshops_are_checked_and_gaps_are_named(alice, shache_site):
    stopped = project(alice, shache_site, code="P7", status="stopped")
    running = services.project_save(
        actor=alice,
        data={
            "code": "P8",
            "name": "新车间",
            "county_id": "653125",
            "sector": "secondary",
            "kind": "workshop",
            "operator_type": "enterprise",
            "status": "operating",
            "jobs_offered": 0,
        },
        served=[(shache_site, None)],
        status_since=dt.date(2025, 3, 1),
    )
    rows = {w.code: w for w in workshop_rules(IndustryProject.objects.all(), TODAY)}
    assert not rows["P7"].operating and not rows["P7"].breaks_rules and not rows["P7"].missing
    assert rows["P8"].operating and len(rows["P8"].missing) == 2  # travel time, jobs offered
    assert stopped.pk and running.pk


@pytest.mark.django_db
def test_money_entered_by_mistake_is_removed_with_its_reason_kept(
    alice, bob, shache_site, shache_household
):
    shops = project(alice, shache_site, code="P010", kind="shops", sector="tertiary")
    wrong = services.investment_add(
        actor=alice, project=shops, data={"source": "county", "amount": Decimal(1_000_000)}
    )
    link = services.link_add(
        actor=alice,
        project=shops,
        household=shache_household,
        data={"kind": "dividend", "since": dt.date(2024, 1, 1)},
    )
    services.dividend_add(
        actor=alice,
        project=shops,
        household=shache_household,
        data={"year": TODAY.year - 1, "amount": Decimal(600), "paid_on": TODAY},
    )
    api = client_for(alice)
    assert api.delete(f"/api/v1/investments/{wrong.pk}/").status_code == 400  # no reason
    assert client_for(bob).delete(f"/api/v1/investments/{wrong.pk}/?reason=x").status_code == 403
    assert api.delete(f"/api/v1/investments/{wrong.pk}/?reason=多录了一个零").status_code == 204
    removed = wrong.history.latest()
    assert removed.history_type == "-" and removed.history_user == alice
    assert removed.history_change_reason == "多录了一个零"
    # The link that explains a dividend stays until the dividend goes.
    assert api.delete(f"/api/v1/benefit-links/{link.pk}/?reason=x").status_code == 400
    assert (
        api.delete(f"/api/v1/dividends/{Dividend.objects.get().pk}/?reason=录错户").status_code
        == 204
    )
    assert api.delete(f"/api/v1/benefit-links/{link.pk}/?reason=录错户").status_code == 204


@pytest.mark.django_db
def test_a_site_served_twice_or_money_of_a_year_to_come_is_named_and_nothing_changes(
    alice, shache_site
):
    served = [{"site": shache_site.pk, "travel_minutes": 10}] * 2
    body = {
        "code": "P9",
        "name": "种植基地",
        "county": "653125",
        "sector": "primary",
        "kind": "workshop",
        "operator_type": "enterprise",
        "status": "operating",
        "actual_start": "2023-04-01",
        "status_since": "2023-04-01",
        "served": served,
    }
    twice = client_for(alice).post("/api/v1/industry-projects/", body, format="json")
    assert (
        twice.status_code == 400
        and "重复" in str(twice.json())
        and shache_site.name in str(twice.json())
    )
    assert not IndustryProject.objects.filter(code="P9").exists()
    workshop = project(alice, shache_site)
    later = client_for(alice).post(
        "/api/v1/investments/",
        {"project": workshop.pk, "source": "county", "amount": "1000", "year": 3000},
        format="json",
    )
    assert later.status_code == 400 and "3000" in str(later.json()["year"])
    assert workshop.investments.count() == 0
