"""The workbooks of site governance (issue 19, item 8): a county's own sheet, typed as people type
(a title above the header, full-width digits, 2023.5.1 and 2023年5月1日, 有/无/是/否, the aliases
of the code lists), is checked without writing, then imported through the services; importing
it again, or importing an export, changes nothing; a row a rule refuses is named by row and
column and nothing of the file is written."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import Workbook

from conftest import make_user
from governance.sitegov.excel import FACILITY_LEDGER, GREENHOUSE_LEDGER, STAFFING_LEDGER
from governance.sitegov.models import (
    Cadre,
    FarmingWish,
    Greenhouse,
    GridRole,
    SiteFacility,
    SiteLeader,
    SiteService,
    TeamMember,
)
from households.tests.factories import HouseholdFactory, PersonFactory
from industry.models import IndustryProject
from resettle.excel import run_import
from resettle.testing import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sheet(title: str, headers: list[str], rows: list[list]) -> bytes:
    """A county's sheet: a title row above the header, then the rows."""
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def exported(user, ledger, **params) -> bytes:
    """The ledger's export as `user` downloads it from the page (masked)."""
    response = page_client(user).get(reverse(f"{ledger.url_name}-export"), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def unchanged(ledger, data: bytes, actor) -> bool:
    """Importing `data` again writes nothing: every row is unchanged."""
    result = run_import(ledger, data, actor=actor, commit=True)
    assert not result.errors, result.errors
    return result.created == result.updated == 0 and result.unchanged == result.rows


FACILITY_HEADERS = [
    "安置区编码",
    "安置区名称",
    "项目",
    "是否具备（到位）",
    "起始日期",
    "面积（平方米）",
    "容量",
    "责任单位",
]


def test_facilities_and_services_from_a_countys_sheet(alice, shache_site):
    rows = [
        ["６５３１２５００１", "幸福安置区", "卫生室", "有", "2020.5.1", "８０", None, None],
        ["653125001", "幸福安置区", "幼儿园", "有", "2021年9月1日", None, "３６０", None],
        ["653125001", "幸福安置区", "警务室", "无", None, None, None, None],
        ["653125001", "幸福安置区", "党员服务", "是", "2023年5月1日", None, None, "县委组织部"],
        ["653125001", "幸福安置区", "工作经费", "否", None, None, None, None],
    ]
    data = sheet("莎车县安置区十有十到位情况表", FACILITY_HEADERS, rows)
    checked = run_import(FACILITY_LEDGER, data, actor=alice, commit=False)
    assert not checked.errors, checked.errors
    assert (checked.rows, checked.created) == (5, 5)
    assert not SiteFacility.objects.exists() and not SiteService.objects.exists()
    done = run_import(FACILITY_LEDGER, data, actor=alice, commit=True)
    assert done.committed and done.created == 5
    clinic = SiteFacility.objects.get(site=shache_site, kind__code="clinic")
    assert (clinic.present, clinic.since, clinic.area_m2) == (True, dt.date(2020, 5, 1), 80)
    kindergarten = SiteFacility.objects.get(kind__code="kindergarten")
    assert (kindergarten.since, kindergarten.capacity) == (dt.date(2021, 9, 1), 360)
    assert SiteFacility.objects.get(kind__code="police_room").present is False
    party = SiteService.objects.get(kind__code="party_member_service")
    assert (party.in_place, party.since, party.responsible_unit) == (
        True,
        dt.date(2023, 5, 1),
        "县委组织部",
    )
    assert SiteService.objects.get(kind__code="working_funds").in_place is False
    assert unchanged(FACILITY_LEDGER, data, alice)
    # The export lists every item of the site's list, recorded or not, and imports as it is.
    export = exported(alice, FACILITY_LEDGER)
    assert unchanged(FACILITY_LEDGER, export, alice)
    assert SiteFacility.objects.count() == 3 and SiteService.objects.count() == 2


def test_a_refused_row_is_named_and_nothing_of_the_file_is_written(alice, shache_site):
    rows = [
        ["653125001", "", "卫生室", "有", "2020.5.1", "80", None, None],
        ["653125001", "", "警务室", "无", None, "40", None, None],
        ["653125001", "", "图书室", "有", None, None, None, None],
        ["653125001", "", "党员服务", "是", None, "30", None, None],
        ["653121001", "", "卫生室", "有", None, None, None, None],
    ]
    data = sheet("", FACILITY_HEADERS, rows)
    result = run_import(FACILITY_LEDGER, data, actor=alice, commit=True)
    assert not result.committed
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert errors[(4, "面积（平方米）")] == "“警务室”未登记为具备：请清空此项，或改为具备。"
    assert errors[(5, "项目")].startswith("「图书室」不是莎车县幸福安置区的十有十到位项目")
    assert errors[(6, "面积（平方米）")] == "服务不填「面积（平方米）」，请留空。"
    assert errors[(7, "安置区编码")] == "您的辖区内没有编码为 653121001 的安置区。"
    assert len(errors) == 4
    assert not SiteFacility.objects.exists()


STAFFING_HEADERS = [
    "安置区编码",
    "角色",
    "姓名",
    "身份证号",
    "职务",
    "职级",
    "工作单位",
    "联系电话",
    "派出单位",
    "包保领导岗位",
    "片区或楼栋",
    "开始日期",
    "结束日期",
]


def staffing_rows(resident_id: str) -> list[list]:
    return [
        ["653125001", "第一书记", "王建国", None, "副局长", "正科", "县发改局", "１３９１２３４５６７８", "县发改局", None, None, "2023.5.1", None],
        ["653125001", "队员", "李强", None, "科员", "一般干部", "县农业农村局", "13800000001", "县农业农村局", None, None, "2023年5月1日", None],
        ["653125001", "工作队员", "马丽", None, None, None, "县人社局", None, "县人社局", None, None, "2023-05-01", "2024.4.30"],
        ["653125001", "包保领导", "张红梅", None, "副县长", "副县", None, "13912348479", None, "副县长", None, "2024.10.1", None],
        ["653125001", "楼栋长", "热依拉·阿不都", resident_id, None, None, None, "13800001111", None, None, "3号楼", None, None],
        ["653125001", "片长", "李强", None, None, None, None, "13800000001", None, None, "东片区", None, None],
    ]  # fmt: skip


@pytest.fixture
def resident(shache_site):
    home = HouseholdFactory(site=shache_site, household_no="653125001-0009")
    return PersonFactory(household=home, name="热依拉·阿不都")


def test_staffing_from_a_countys_sheet(alice, shache_site, resident):
    data = sheet("莎车县安置区工作力量台账", STAFFING_HEADERS, staffing_rows(resident.id_number))
    checked = run_import(STAFFING_LEDGER, data, actor=alice, commit=False)
    assert not checked.errors, checked.errors
    assert checked.created == 6
    assert not Cadre.objects.exists() and not TeamMember.objects.exists()
    done = run_import(STAFFING_LEDGER, data, actor=alice, commit=True)
    assert done.committed
    secretary = TeamMember.objects.get(role="first_secretary")
    assert (secretary.cadre.name, secretary.cadre.rank, secretary.cadre.phone) == (
        "王建国",
        "section_principal",
        "13912345678",
    )
    assert secretary.start_date == dt.date(2023, 5, 1)
    assert TeamMember.objects.get(cadre__name="马丽").end_date == dt.date(2024, 4, 30)
    leader = SiteLeader.objects.get()
    assert (leader.cadre.name, leader.position, leader.cadre.rank) == (
        "张红梅",
        "deputy",
        "county_deputy",
    )
    # One cadre for 李强, a team member and an area head.
    assert Cadre.objects.filter(name="李强").count() == 1
    assert GridRole.objects.get(role="area_head").cadre.name == "李强"
    building = GridRole.objects.get(role="building_head")
    assert (building.person, building.area, building.phone) == (resident, "3号楼", "13800001111")
    assert unchanged(STAFFING_LEDGER, data, alice)
    # The export (phones and ID numbers masked) imports as it is.
    assert unchanged(STAFFING_LEDGER, exported(alice, STAFFING_LEDGER), alice)
    assert Cadre.objects.count() == 4 and TeamMember.objects.count() == 3


def test_a_site_operator_imports_the_grid_roles_naming_new_cadres(shache_site, resident):
    """The site's operator records its grid roles by sheet: a resident by ID number, and a
    cadre not on record, added for the site (and found again when the file is imported twice)."""
    sam = make_user("sam", "site_operator", shache_site.code)
    rows = staffing_rows(resident.id_number)[4:]
    data = sheet("幸福安置区网格员", STAFFING_HEADERS, rows)
    done = run_import(STAFFING_LEDGER, data, actor=sam, commit=True)
    assert not done.errors, done.errors
    cadre = GridRole.objects.get(role="area_head").cadre
    assert (cadre.name, cadre.region_id, cadre.site) == ("李强", "653125", shache_site)
    assert GridRole.objects.get(role="building_head").person == resident
    assert unchanged(STAFFING_LEDGER, data, sam)
    assert Cadre.objects.count() == 1


def test_a_sheet_finds_a_cadre_on_record_as_the_form_does(alice, shache_site):
    """A row means a cadre on record by name unless both phones are known and differ (another
    person); a site's operator naming the county's own cadre, whom they do not see, is refused
    by a message naming nobody, and no second cadre is added."""
    county = Cadre.objects.create(
        name="王建国", post="副局长", phone="13912345678", region_id="653125"
    )
    sam = make_user("sam", "site_operator", shache_site.code)
    grid = ["653125001", "片长", "王建国", None, None, None, None, None, None, None, "东片区", None, None]  # fmt: skip
    for phone in (None, "13912345678"):
        result = run_import(
            STAFFING_LEDGER,
            sheet("", STAFFING_HEADERS, [[*grid[:7], phone, *grid[8:]]]),
            actor=sam,
            commit=True,
        )
        assert [(e.row, e.column) for e in result.errors] == [(3, "姓名")]
        message = result.errors[0].message
        assert message.startswith("县里已登记同名干部：请联系县级主管部门指定")
        assert "副局长" not in message and "5678" not in message
    assert Cadre.objects.count() == 1 and not GridRole.objects.exists()
    # Another phone: another person of the name, added for the site.
    other = [*grid[:7], "13700000002", *grid[8:]]
    done = run_import(STAFFING_LEDGER, sheet("", STAFFING_HEADERS, [other]), actor=sam, commit=True)
    assert not done.errors, done.errors
    added = GridRole.objects.get().cadre
    assert added != county and (added.site, added.phone) == (shache_site, "13700000002")
    # The county's sheet: its cadre by the same phone; another phone is another person (the
    # cadre on record keeps theirs).
    member = ["653125001", "队员", "王建国", None, None, None, None, None, None, None, None, "2023.5.1", None]  # fmt: skip
    same = [*member[:7], "13912345678", *member[8:]]
    assert run_import(
        STAFFING_LEDGER, sheet("", STAFFING_HEADERS, [same]), actor=alice, commit=True
    ).committed
    assert TeamMember.objects.get().cadre == county
    differs = [*member[:7], "13600000003", *member[8:11], "2024.1.1", None]
    assert run_import(
        STAFFING_LEDGER, sheet("", STAFFING_HEADERS, [differs]), actor=alice, commit=True
    ).committed
    county.refresh_from_db()
    assert county.phone == "13912345678"
    assert Cadre.objects.filter(name="王建国").count() == 3
    # Two on record and no phone: which one is asked.
    result = run_import(
        STAFFING_LEDGER, sheet("", STAFFING_HEADERS, [member]), actor=alice, commit=True
    )
    assert result.errors[0].message.startswith("有多名干部名为王建国")


def test_a_second_first_secretary_at_once_is_refused_by_row(alice, shache_site, resident):
    rows = [
        staffing_rows(resident.id_number)[0],
        ["653125001", "第一书记", "赵刚", None, None, None, None, None, None, None, None, "2024.1.1", None],
        ["653125001", "包保领导", "孙伟", None, None, "正科", None, None, None, None, None, "2024.1.1", None],
    ]  # fmt: skip
    result = run_import(
        STAFFING_LEDGER, sheet("", STAFFING_HEADERS, rows), actor=alice, commit=True
    )
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert errors[(4, "角色")].startswith("本安置区已有第一书记 王建国（2023-05-01 至 今）")
    assert (5, "包保领导岗位") in errors
    assert not result.committed
    assert not TeamMember.objects.exists() and not Cadre.objects.exists()


GREENHOUSE_HEADERS = [
    "户编号",
    "户主姓名",
    "有意愿日期",
    "意愿产业",
    "大棚编号",
    "大棚面积（亩）",
    "种植产业",
    "项目编码",
    "分配日期",
]


def test_the_greenhouse_ledger_from_a_countys_sheet(alice, shache_site):
    homes = []
    for number in ("0001", "0002"):
        home = HouseholdFactory(site=shache_site, household_no=f"653125001-{number}")
        PersonFactory(household=home, name=f"户主{number}")
        homes.append(home)
    IndustryProject.objects.create(
        code="P653125009",
        name="设施农业大棚",
        county_id="653125",
        sector="primary",
        kind="crops",
        operator_type="cooperative",
        status="operating",
    )
    rows = [
        ["653125001-０００１", "户主0001", "2023年3月1日", "设施蔬菜", "A-01", "1", "西红柿", "P653125009", "2023.4.1"],
        ["653125001-0001", "户主0001", "2023年3月1日", "设施蔬菜", "A-02", "0.8", "辣椒", None, "2023.4.1"],
        ["653125001-0002", "户主0002", "2023.6.1", "食用菌", None, None, None, None, None],
    ]  # fmt: skip
    data = sheet("一户一棚台账", GREENHOUSE_HEADERS, rows)
    checked = run_import(GREENHOUSE_LEDGER, data, actor=alice, commit=False)
    assert not checked.errors, checked.errors
    assert not FarmingWish.objects.exists()
    assert run_import(GREENHOUSE_LEDGER, data, actor=alice, commit=True).committed
    assert FarmingWish.objects.count() == 2
    wish = FarmingWish.objects.get(household=homes[0])
    assert (wish.since, wish.crop) == (dt.date(2023, 3, 1), "设施蔬菜")
    tomato = Greenhouse.objects.get(number="A-01")
    assert (tomato.area_mu, tomato.crop, tomato.project.code) == (
        Decimal("1"),
        "西红柿",
        "P653125009",
    )
    assert Greenhouse.objects.get(number="A-02").allotted_on == dt.date(2023, 4, 1)
    assert unchanged(GREENHOUSE_LEDGER, data, alice)
    assert unchanged(GREENHOUSE_LEDGER, exported(alice, GREENHOUSE_LEDGER), alice)
    assert Greenhouse.objects.count() == 2


def test_a_greenhouse_of_a_workshop_project_is_refused_as_the_form_refuses_it(alice, shache_site):
    home = HouseholdFactory(site=shache_site, household_no="653125001-0004")
    PersonFactory(household=home, name="户主")
    IndustryProject.objects.create(
        code="P653125010",
        name="扶贫车间",
        county_id="653125",
        sector="secondary",
        kind="workshop",
        operator_type="enterprise",
        status="operating",
    )
    rows = [["653125001-0004", "户主", "2023.3.1", None, "C-01", "1", "西红柿", "P653125010", None]]
    result = run_import(
        GREENHOUSE_LEDGER, sheet("", GREENHOUSE_HEADERS, rows), actor=alice, commit=True
    )
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (
            3,
            "项目编码",
            "该项目属于「车间工坊」类：大棚只能归属种植类项目（特色种植、设施农业），请另选项目。",
        )
    ]
    assert not FarmingWish.objects.exists() and not Greenhouse.objects.exists()


def test_a_wish_dated_in_the_future_is_refused_with_its_greenhouse(alice, shache_site):
    home = HouseholdFactory(site=shache_site, household_no="653125001-0003")
    PersonFactory(household=home, name="户主")
    rows = [["653125001-0003", "户主", "2099.1.1", None, "B-01", "1", "西红柿", None, None]]
    result = run_import(
        GREENHOUSE_LEDGER, sheet("", GREENHOUSE_HEADERS, rows), actor=alice, commit=True
    )
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "有意愿日期", "日期不能晚于今天。")
    ]
    assert not FarmingWish.objects.exists() and not Greenhouse.objects.exists()


def test_the_templates_and_who_may_import(alice, bob, shache_site):
    for ledger in (FACILITY_LEDGER, STAFFING_LEDGER, GREENHOUSE_LEDGER):
        response = page_client(alice).get(reverse(f"{ledger.url_name}-template"))
        assert response.status_code == 200
        assert page_client(bob).get(reverse(f"{ledger.url_name}-import")).status_code == 403
        assert page_client(alice).get(reverse(f"{ledger.url_name}-import")).status_code == 200


def test_a_worker_knows_the_workbooks_without_loading_the_urls():
    """A Celery worker sets Django up and never loads the URLs: the workbooks of an upload it
    checks are registered when the apps are ready, as every ledger's."""
    code = (
        "import json, django; django.setup(); "
        "from resettle.excel import LEDGERS; print(json.dumps(sorted(LEDGERS)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "resettle.settings"}
    answer = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert {"site_facilities", "site_staffing", "greenhouses"} <= set(json.loads(answer.stdout))
