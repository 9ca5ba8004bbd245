"""A blank is not known (issue 14, item 2): nothing a ledger does not say is filled in, a step
done on an unknown date counts from the day it was entered and says so, and the worklist
信息待补录 lists what each household still lacks."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from openpyxl import load_workbook

from conftest import client_for
from households.excel import LEDGER
from households.models import Household, Person
from households.tests.factories import HouseholdFactory, PersonFactory, make_id_number
from households.tests.test_household_form import edit_page
from households.tests.workbooks import HEADERS, person_row, xlsx
from resettle.excel import export_xlsx, run_import
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

ID_HEAD = make_id_number("653125", dt.date(1975, 2, 3), 41, "male")
ID_WIFE = make_id_number("653125", dt.date(1978, 6, 9), 42, "female")
TODAY = dt.date.today()


def household_rows(no="653125001-0200", **household) -> list[list]:
    """A household as a county sheet has it: only what the county wrote, the rest blank."""
    common = {"household_no": no, "site_code": "653125001", "category": "同步搬迁户", **household}
    return [
        person_row(**common, name="吐尔逊·买买提", id_number=ID_HEAD, relation="户主"),
        person_row(household_no=no, name="阿依努尔", id_number=ID_WIFE, relation="配偶"),
    ]


def imported(user, rows) -> Household:
    result = run_import(LEDGER, xlsx(rows), actor=user, commit=True, file_name="台账.xlsx")
    assert result.committed, [f"{e.row}|{e.column}|{e.message}" for e in result.errors]
    return Household.objects.get(household_no=rows[0][HEADERS.index("户编号")])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def figures(as_of: dt.date, *codes: str) -> dict:
    values = catalogue.values(Grouping("653125", as_of, Scope.system()), codes=codes)
    return {code: values.get(TOTAL, {}).get(code, 0) for code in codes}


@pytest.mark.django_db
def test_blank_cells_are_stored_as_not_known_and_shown_as_such(alice, shache_site):
    household = imported(alice, household_rows())
    # Nothing the sheet does not say: no step done, no status, no 汉族, no insurance.
    assert (
        household.old_house_demolished,
        household.homestead_reclaimed,
        household.hukou_transferred,
        household.property_certificate_status,
        household.poverty_status,
    ) == (None, None, None, "", "")
    assert (
        household.old_house_demolished_on,
        household.hukou_transferred_on,
        household.property_certificate_on,
    ) == (None, None, None)
    for person in household.members.all():
        assert (person.ethnicity, person.health, person.schooling) == ("", "", "")
        assert (person.medical_insurance, person.pension_insurance) == (None, None)
        assert (person.dibao, person.tekun) == (None, None)
    # Unknown is not done: the rates do not count the household.
    assert figures(TODAY, "households", "households_hukou_transferred") == {
        "households": 1,
        "households_hukou_transferred": 0,
    }
    html = logged_in(alice).get(f"/households/{household.pk}/").content.decode()
    assert html.count("<td>未知</td>") == 6  # each member's 民族, 文化程度 and 健康状况
    assert "<dd>未知</dd>" in html  # 脱贫状态, the steps
    assert "汉族" not in html and "脱贫户" not in html


@pytest.mark.django_db
def test_a_step_marked_done_without_a_date_counts_from_the_import_and_is_to_complete(
    alice, shache_site
):
    household = imported(
        alice,
        household_rows(hukou_transferred="是", poverty_status="一般户", move_in_date="2019-05-01"),
    )
    assert household.poverty_status == "not_poor"
    assert (household.hukou_transferred, household.hukou_transferred_on) == (True, TODAY)
    assert household.hukou_transferred_on_unknown
    yesterday = TODAY - dt.timedelta(days=1)
    assert figures(yesterday, "households_hukou_transferred")["households_hukou_transferred"] == 0
    assert figures(
        TODAY, "households_hukou_transferred", "households_hukou_transferred_date_unknown"
    ) == {
        "households_hukou_transferred": 1,
        "households_hukou_transferred_date_unknown": 1,
    }

    client = logged_in(alice)
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert f"是（<em>日期不详</em>，自 {TODAY:%Y-%m-%d} 起计）" in page
    worklist = client.get("/households/worklist/").content.decode()
    assert "653125001-0200" in worklist and "户籍迁入日期不详" in worklist
    assert "民族（2 人）" in worklist and "入住日期" not in worklist
    assert 'href="/households/worklist/"' in client.get("/households/").content.decode()

    # An export leaves the date blank, as it came in: importing it back changes nothing.
    query = LEDGER.export_query(alice, {})
    with export_xlsx(LEDGER.columns, LEDGER.title, LEDGER.export_rows(query, reveal=True)) as f:
        data = f.read()
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    column = HEADERS.index("户籍迁入日期") + 1
    assert [sheet.cell(row=r, column=column).value for r in (2, 3)] == [None, None]
    again = run_import(LEDGER, data, actor=alice, commit=True, file_name="导出.xlsx")
    assert (again.updated, again.unchanged) == (0, 2)

    # The real date entered in the form replaces the import day and clears the flag.
    form = edit_page(client, household)
    assert form["hukou_transferred_on"] == ""
    form["hukou_transferred_on"] = "2020-03-15"
    assert client.post(f"/households/{household.pk}/edit/", form).status_code == 302
    household.refresh_from_db()
    assert household.hukou_transferred_on == dt.date(2020, 3, 15)
    assert not household.hukou_transferred_on_unknown
    assert "户籍迁入日期不详" not in client.get("/households/worklist/").content.decode()
    assert figures(dt.date(2020, 3, 31), "households_hukou_transferred") == {
        "households_hukou_transferred": 1
    }


@pytest.mark.django_db
def test_a_saved_form_keeps_an_unknown_date_unknown(alice, shache_site):
    household = imported(alice, household_rows(property_certificate_status="已办证"))
    client = logged_in(alice)
    form = edit_page(client, household)
    form["dwelling"] = "5栋1单元302"
    assert client.post(f"/households/{household.pk}/edit/", form).status_code == 302
    household.refresh_from_db()
    assert household.dwelling == "5栋1单元302"
    assert (household.property_certificate_on, household.property_certificate_on_unknown) == (
        TODAY,
        True,
    )


@pytest.mark.django_db
def test_the_date_columns_give_each_step_its_own_date(alice, shache_site):
    household = imported(
        alice,
        household_rows(
            move_in_date="2019-05-01",
            old_house_demolished_on="2019-08-20",
            homestead_reclaimed="否",
            property_certificate_no="新(2021)莎车县不动产权第0000123号",
            property_certificate_on="2021-06-10",
            hukou_transferred="是",
            hukou_transferred_on="2020-03-15",
        ),
    )
    assert (household.old_house_demolished, household.old_house_demolished_on) == (
        True,
        dt.date(2019, 8, 20),
    )
    assert household.homestead_reclaimed is False and household.homestead_reclaimed_on is None
    assert (household.property_certificate_status, household.property_certificate_on) == (
        "issued",
        dt.date(2021, 6, 10),
    )
    assert household.property_certificate_no == "新(2021)莎车县不动产权第0000123号"
    assert not (household.property_certificate_on_unknown or household.hukou_transferred_on_unknown)
    codes = ("households_with_certificate", "households_hukou_transferred")
    assert figures(dt.date(2020, 2, 29), *codes) == {
        "households_with_certificate": 0,
        "households_hukou_transferred": 0,
    }
    assert figures(dt.date(2020, 3, 31), *codes) == {
        "households_with_certificate": 0,
        "households_hukou_transferred": 1,
    }
    assert figures(dt.date(2021, 6, 30), *codes) == {
        "households_with_certificate": 1,
        "households_hukou_transferred": 1,
    }
    page = logged_in(alice).get(f"/households/{household.pk}/").content.decode()
    assert "（2020-03-15）" in page and "日期不详" not in page


@pytest.mark.django_db
def test_a_date_given_to_a_step_marked_not_done_names_the_row_and_column(alice, shache_site):
    rows = household_rows(hukou_transferred="否", hukou_transferred_on="2020-03-15")
    result = run_import(LEDGER, xlsx(rows), actor=alice, commit=True, file_name="台账.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(2, "户籍迁入日期")]
    assert "标为未完成（否）" in result.errors[0].message
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_the_api_leaves_blank_what_it_is_not_sent_and_flags_a_date_it_does_not_have(
    alice, shache_site
):
    api = client_for(alice)
    response = api.post(
        "/api/v1/households/",
        {"household_no": "653125001-0300", "site": shache_site.pk, "category": "concurrent"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["poverty_status"], body["hukou_transferred"]) == ("", None)
    untyped = {"household_no": "653125001-0301", "site": shache_site.pk}
    assert api.post("/api/v1/households/", untyped, format="json").json()["category"] == ""
    url = f"/api/v1/households/{body['id']}/"
    body = api.patch(url, {"hukou_transferred": True, "version": 1}, format="json").json()
    # Counted from today, but today is not its date: served as null beside the flag.
    assert (body["hukou_transferred_on"], body["hukou_transferred_on_unknown"]) == (None, True)
    assert Household.objects.get(pk=body["id"]).hukou_transferred_on == TODAY
    # A client that sends the record back as it got it (a phone changed) keeps it unknown.
    sent = {k: v for k, v in body.items() if k not in {"members", "created", "updated"}}
    body = api.put(url, {**sent, "phone": "13912345678"}, format="json").json()
    assert (body["hukou_transferred_on"], body["hukou_transferred_on_unknown"]) == (None, True)
    body = api.patch(
        url, {"hukou_transferred_on": "2021-04-01", "version": body["version"]}, format="json"
    )
    assert body.json()["hukou_transferred_on_unknown"] is False


@pytest.mark.django_db
def test_a_new_member_row_preselects_no_fact_about_the_person(alice, shache_household):
    response = logged_in(alice).get(f"/households/{shache_household.pk}/edit/")
    empty = response.context["formset"].forms[-1]
    assert not empty.instance.pk
    for name in ("ethnicity", "health", "schooling"):
        assert empty[name].value() in (None, ""), name
    for name in ("medical_insurance", "pension_insurance", "dibao", "tekun"):
        assert empty[name].value() is None, name
        assert 'value="unknown" selected' in str(empty[name])
    assert '<option value="01" selected>' not in str(empty["ethnicity"])


@pytest.mark.django_db
def test_the_worklist_shows_the_users_area_page_by_page_in_a_few_queries(
    alice, charlie, shache_site, shufu_site, django_assert_max_num_queries
):
    for index in range(55):
        household = HouseholdFactory(
            site=shache_site, household_no=f"653125001-{index:04d}", poverty_status=""
        )
        PersonFactory(household=household, health="")
    complete = HouseholdFactory(site=shache_site, household_no="653125001-9999")
    PersonFactory(household=complete)
    HouseholdFactory(site=shufu_site, household_no="653121001-0001", move_in_date=None, category="")
    client = logged_in(alice)
    client.get("/households/worklist/")  # the session and the translations, once
    # 3 of them the list, 3 whether the user may reveal phones and edit households; the rest
    # every page (the menu's worklist counts among them)
    with django_assert_max_num_queries(14):
        page = client.get("/households/worklist/").content.decode()
    assert "55 户" in page and "第 1 页，共 2 页" in page
    assert "653125001-0000" in page and "脱贫状态、健康状况（1 人）" in page
    assert "653125001-9999" not in page and "653121001-0001" not in page
    second = client.get("/households/worklist/?page=2").content.decode()
    assert "653125001-0054" in second and "653125001-9999" not in second
    # charlie sees his own county's household, not alice's.
    theirs = logged_in(charlie).get("/households/worklist/").content.decode()
    assert "653121001-0001" in theirs and "入住日期、搬迁类别" in theirs
    assert "653125001" not in theirs


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_recorded_value(regions):
    before = [("households", "0005_phone_validator")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    site = old.get_model("households", "Site").objects.create(
        code="653125001", name="幸福安置区", county_id="653125", region_code="653125"
    )
    household = old.get_model("households", "Household").objects.create(
        household_no="653125001-0001",
        site=site,
        old_house_demolished=True,
        old_house_demolished_on=dt.date(2019, 8, 1),
        hukou_transferred=False,
        poverty_status="lifted",
        property_certificate_status="in_progress",
    )
    old.get_model("households", "Person").objects.create(
        household=household,
        site=site,
        name="居民",
        id_number=ID_HEAD,
        gender="male",
        birth_date=dt.date(1975, 2, 3),
        ethnicity="01",
        health="healthy",
        medical_insurance=True,
        dibao=False,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    household = Household.objects.get()
    assert (
        household.old_house_demolished,
        household.old_house_demolished_on,
        household.old_house_demolished_on_unknown,
        household.hukou_transferred,
        household.poverty_status,
        household.property_certificate_status,
    ) == (True, dt.date(2019, 8, 1), False, False, "lifted", "in_progress")
    person = Person.objects.get()
    assert (person.ethnicity, person.health, person.medical_insurance, person.dibao) == (
        "01",
        "healthy",
        True,
        False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_blank_disability_grade_is_not_known_and_the_old_blank_none_stays_none(regions):
    before = [("households", "0008_person_status_date_unknown")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    site = old.get_model("households", "Site").objects.create(
        code="653125001", name="幸福安置区", county_id="653125", region_code="653125"
    )
    household = old.get_model("households", "Household").objects.create(
        household_no="653125001-0001", site=site
    )
    people = old.get_model("households", "Person").objects
    for seq, health in enumerate(["healthy", "disabled"], start=1):
        people.create(
            household=household,
            site=site,
            name=f"居民{seq}",
            id_number=make_id_number("653125", dt.date(1975, 2, 3), seq, "male"),
            gender="male",
            birth_date=dt.date(1975, 2, 3),
            relation="head" if seq == 1 else "child",
            health=health,
            disability_grade="",
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # 无 shown before stays 无; a disabled person's blank grade was never 无: not known.
    assert dict(Person.objects.values_list("health", "disability_grade")) == {
        "healthy": "0",
        "disabled": "",
    }
