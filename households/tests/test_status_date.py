"""A member's date of moving out or death is the sheet's, never the import day (issue 14, item
2): the 状态变更日期 column dates the change; left blank, the change counts from the day it was
entered, is shown 日期不详, listed on 信息待补录 and replaced by the date entered in the form."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from openpyxl import load_workbook

from conftest import client_for
from households.excel import LEDGER
from households.models import Household, Person
from households.tests.factories import HouseholdFactory, PersonFactory
from households.tests.test_household_form import edit_page
from households.tests.test_unknown import ID_HEAD, ID_WIFE, figures, imported, logged_in
from households.tests.workbooks import HEADERS, person_row, xlsx
from resettle.excel import export_xlsx, run_import

TODAY = dt.date.today()
NO = "653125001-0400"


def family(**wife) -> list[list]:
    """A household that moved in in 2019: the head registered, the wife as `wife` says."""
    return [
        person_row(
            household_no=NO,
            site_code="653125001",
            category="同步搬迁户",
            move_in_date="2019-05-01",
            name="吐尔逊·买买提",
            id_number=ID_HEAD,
            relation="户主",
        ),
        person_row(household_no=NO, name="阿依努尔", id_number=ID_WIFE, relation="配偶", **wife),
    ]


@pytest.mark.django_db
def test_a_member_who_moved_out_on_a_given_date_counts_to_that_date(alice, shache_site):
    household = imported(alice, family(status="迁出", status_changed_on="2024-03-01"))
    wife = household.members.get(id_number=ID_WIFE)
    assert (wife.status, wife.status_changed_on, wife.status_changed_on_unknown) == (
        "moved_out",
        dt.date(2024, 3, 1),
        False,
    )
    assert figures(dt.date(2024, 2, 29), "persons") == {"persons": 2}
    assert figures(dt.date(2024, 3, 31), "persons") == {"persons": 1}
    page = logged_in(alice).get(f"/households/{household.pk}/").content.decode()
    assert "迁出（2024-03-01）" in page and "日期不详" not in page


@pytest.mark.django_db
def test_a_member_who_moved_out_on_an_unknown_date_is_flagged_until_the_form_gives_it(
    alice, shache_site
):
    household = imported(alice, family(status="迁出"))
    wife = household.members.get(id_number=ID_WIFE)
    assert (wife.status_changed_on, wife.status_changed_on_unknown) == (TODAY, True)
    # Registered until the day it was entered, no longer from then on: past months keep her.
    assert figures(TODAY - dt.timedelta(days=1), "persons") == {"persons": 2}
    assert figures(TODAY, "persons") == {"persons": 1}

    client = logged_in(alice)
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert f"迁出（<em>日期不详</em>，自 {TODAY:%Y-%m-%d} 起计）" in page
    assert "迁出或死亡日期不详（1 人）" in client.get("/households/worklist/").content.decode()

    # An export leaves the date blank, as it came in: importing it back changes nothing.
    query = LEDGER.export_query(alice, {})
    with export_xlsx(LEDGER.columns, LEDGER.title, LEDGER.export_rows(query, reveal=True)) as f:
        data = f.read()
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    column = HEADERS.index("状态变更日期") + 1
    assert [sheet.cell(row=r, column=column).value for r in (2, 3)] == [None, None]
    again = run_import(LEDGER, data, actor=alice, commit=True, file_name="导出.xlsx")
    assert (again.updated, again.unchanged) == (0, 2)

    # The form shows the date as not known; saving other changes keeps it so.
    form = edit_page(client, household)
    row = next(
        k[: -len("-name")] for k, v in form.items() if k.endswith("-name") and v == "阿依努尔"
    )
    assert form[f"{row}-status_changed_on"] == ""
    assert "日期不详" in client.get(f"/households/{household.pk}/edit/").content.decode()
    form[f"{row}-name"] = "阿依努尔·吐尔逊"
    assert client.post(f"/households/{household.pk}/edit/", form).status_code == 302
    wife.refresh_from_db()
    assert (wife.name, wife.status_changed_on, wife.status_changed_on_unknown) == (
        "阿依努尔·吐尔逊",
        TODAY,
        True,
    )
    # The real date entered replaces the import day and clears the flag.
    form = edit_page(client, household)
    form[f"{row}-status_changed_on"] = "2023-10-08"
    assert client.post(f"/households/{household.pk}/edit/", form).status_code == 302
    wife.refresh_from_db()
    assert (wife.status_changed_on, wife.status_changed_on_unknown) == (dt.date(2023, 10, 8), False)
    assert "迁出或死亡日期不详" not in client.get("/households/worklist/").content.decode()
    assert figures(dt.date(2023, 10, 31), "persons") == {"persons": 1}


@pytest.mark.django_db
def test_the_import_dates_a_member_already_out_by_the_column_and_keeps_a_date_left_blank(
    alice, shache_site
):
    household = imported(alice, family(status="迁出"))
    imported(alice, family(status_changed_on="2022-07-01"))
    wife = household.members.get(id_number=ID_WIFE)
    assert (wife.status, wife.status_changed_on, wife.status_changed_on_unknown) == (
        "moved_out",
        dt.date(2022, 7, 1),
        False,
    )
    # Died later: she left the register on the first date, which a blank cell does not move.
    imported(alice, family(status="死亡"))
    wife.refresh_from_db()
    assert (wife.status, wife.status_changed_on, wife.status_changed_on_unknown) == (
        "deceased",
        dt.date(2022, 7, 1),
        False,
    )


@pytest.mark.parametrize(
    ("wife", "says"),
    [
        ({"status_changed_on": "2024-03-01"}, "迁出或死亡"),
        ({"status": "在册", "status_changed_on": "2024-03-01"}, "迁出或死亡"),
        (
            {"status": "死亡", "status_changed_on": dt.date.today() + dt.timedelta(days=1)},
            "晚于今天",
        ),
        ({"status": "迁出", "status_changed_on": "2018-01-01"}, "2019-05-01"),
    ],
)
@pytest.mark.django_db
def test_a_status_date_that_cannot_be_is_refused_naming_the_row_and_column(
    alice, shache_site, wife, says
):
    result = run_import(
        LEDGER, xlsx(family(**wife)), actor=alice, commit=True, file_name="台账.xlsx"
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "状态变更日期")]
    assert says in result.errors[0].message
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_the_api_flags_a_status_date_it_was_not_sent(alice, shache_household):
    person = shache_household.members.first()
    url = f"/api/v1/persons/{person.pk}/"
    api = client_for(alice)
    body = api.patch(url, {"status": "moved_out", "version": 1}, format="json").json()
    # Counted from today, but today is not its date: served as null beside the flag.
    assert (body["status_changed_on"], body["status_changed_on_unknown"]) == (None, True)
    person.refresh_from_db()
    assert person.status_changed_on == TODAY
    # Sent back as it was served (a phone changed), the date stays unknown.
    sent = {**body, "phone": "13912345678"}
    body = api.put(url, sent, format="json").json()
    assert (body["status_changed_on"], body["status_changed_on_unknown"]) == (None, True)
    body = api.patch(url, {"status_changed_on": "2024-03-01", "version": 3}, format="json").json()
    assert (body["status_changed_on"], body["status_changed_on_unknown"]) == ("2024-03-01", False)
    body = api.patch(url, {"status": "active", "version": 4}, format="json").json()
    assert (body["status_changed_on"], body["status_changed_on_unknown"]) == (None, False)


@pytest.mark.django_db
def test_the_worklist_of_unknown_status_dates_stays_within_its_queries(
    alice, shache_site, django_assert_max_num_queries
):
    for index in range(55):
        household = HouseholdFactory(site=shache_site, household_no=f"653125001-{index:04d}")
        PersonFactory(household=household)
        PersonFactory(
            household=household,
            relation="child",
            status="deceased",
            status_changed_on=TODAY,
            status_changed_on_unknown=True,
        )
    client = logged_in(alice)
    client.get("/households/worklist/")  # the session and the translations, once
    # as many as households/tests/test_unknown.py's worklist test reads
    with django_assert_max_num_queries(14):
        page = client.get("/households/worklist/").content.decode()
    assert "55 户" in page and page.count("迁出或死亡日期不详（1 人）") == 50


@pytest.mark.django_db
def test_members_recorded_before_keep_their_dates_and_todays_figures(alice, shache_household):
    spouse = shache_household.members.get(relation="spouse")
    Person.objects.filter(pk=spouse.pk).update(
        status="moved_out", status_changed_on=dt.date(2024, 3, 1)
    )
    before = figures(TODAY, "persons", "households")
    imported(alice, family())  # another household, whose members are all registered
    spouse.refresh_from_db()
    assert (spouse.status_changed_on, spouse.status_changed_on_unknown) == (
        dt.date(2024, 3, 1),
        False,
    )
    assert figures(TODAY, "persons", "households") == {
        "persons": before["persons"] + 2,
        "households": before["households"] + 1,
    }
    assert (
        "迁出或死亡日期不详" not in logged_in(alice).get("/households/worklist/").content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_recorded_status_date(regions):
    before = [("households", "0007_facts_not_presumed")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    site = old.get_model("households", "Site").objects.create(
        code="653125001", name="幸福安置区", county_id="653125", region_code="653125"
    )
    household = old.get_model("households", "Household").objects.create(
        household_no="653125001-0001", site=site
    )
    old.get_model("households", "Person").objects.create(
        household=household,
        site=site,
        name="居民",
        id_number=ID_HEAD,
        gender="male",
        birth_date=dt.date(1975, 2, 3),
        relation="head",
        registered_on=dt.date(2019, 6, 1),
        status="moved_out",
        status_changed_on=dt.date(2024, 3, 1),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    person = Person.objects.get()
    assert (person.status_changed_on, person.status_changed_on_unknown) == (
        dt.date(2024, 3, 1),
        False,
    )
    assert figures(dt.date(2024, 2, 29), "persons") == {"persons": 1}
    assert figures(dt.date(2024, 3, 1), "persons") == {"persons": 0}
