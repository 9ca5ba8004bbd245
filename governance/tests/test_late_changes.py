"""Changes dated into an approved month (issue 15, item 8): the ledger takes them, whoever makes
one is told which approved report it leaves behind, the report's page lists them, and a reviewer
returns the report to be made again with them."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for, make_user
from employment.excel import LEDGER
from employment.models import Employment
from employment.services import employment_open, labor_profile_save
from employment.tests.test_excel_import import labor_row
from governance.generation import report_generate
from governance.models import DispatchReport, LateChange, ReportEvent
from governance.services import report_approve, report_submit
from households.models import Region
from households.services import household_update, person_update
from households.tests.test_excel_import import family
from households.tests.workbooks import xlsx
from industry import services as industry
from monitoring.services import case_open
from resettle.jobs import import_start
from resettle.periods import last_ended

PERIOD = last_ended()  # the last month that has ended: its report can be approved
YEAR, MONTH = (int(p) for p in PERIOD.split("-"))
INSIDE = dt.date(YEAR, MONTH, 15)  # a day inside the approved month
SHOWN = f"{YEAR}年{MONTH}月"  # how the messages name the month


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def approve(alice, bob, code: str) -> DispatchReport:
    report = report_generate(actor=None, period=PERIOD, region=Region.objects.get(code=code))
    if len(code) == 6:
        report = report_submit(actor=alice, report=report, version=report.version)
    return report_approve(actor=bob, report=report, version=report.version)


@pytest.fixture
def head(shache_household):
    return shache_household.members.get(relation="head")


@pytest.fixture
def job(alice, head):
    """The head has worked since before the month; held at its end, as the reports count it."""
    labor_profile_save(
        actor=alice,
        person=head,
        data={"capacity": "ordinary", "willingness": "local", "recorded_on": dt.date(2025, 1, 1)},
    )
    return employment_open(
        actor=alice,
        person=head,
        data={
            "channel": "public_welfare",
            "job_type": "forest_ranger",
            "place": "county",
            "start_date": INSIDE.replace(day=1) - dt.timedelta(days=40),
            "is_main": True,
        },
    )


@pytest.fixture
def approved(alice, bob, job):
    """The county's and the prefecture's reports of the month, approved with the job held."""
    county = approve(alice, bob, "653125")
    prefecture = approve(alice, bob, "6531")
    assert county.values["region"]["values"]["employed"] == 1
    return county, prefecture


def end_on_card(client, job, day: dt.date):
    return client.post(
        reverse("labor-card", args=[job.person_id]),
        {"form": "end", "spell": job.pk, "version": job.version, "end_date": day.isoformat()},
        follow=True,
    )


@pytest.mark.django_db
def test_a_job_ended_inside_an_approved_month_is_taken_and_its_reports_are_named(
    alice, bob, job, approved
):
    county, prefecture = approved
    page = end_on_card(browser(alice), job, INSIDE).content.decode()
    # The ledger is right: the job ended on its own date.
    assert Employment.objects.get(pk=job.pk).end_date == INSIDE
    # Whoever entered it is told which approved reports it leaves behind: the county's and the
    # prefecture's, once each.
    assert page.count(f"已审核通过的莎车县 {SHOWN} 月调度表") == 1
    assert page.count(f"已审核通过的喀什地区 {SHOWN} 月调度表") == 1
    assert "该表数字保持不变" in page
    # The approved reports keep their figures.
    county.refresh_from_db()
    assert county.status == "approved" and county.values["region"]["values"]["employed"] == 1
    # Their pages show the later change: what, dated when, which record, who.
    for report in (county, prefecture):
        shown = browser(bob).get(reverse("report-detail", args=[report.pk])).content.decode()
        assert "1 条后续修改涉及本月" in shown
        assert INSIDE.isoformat() in shown and "就业结束" in shown
        assert "653125001-0001" in shown and "alice" in shown
        assert "阿卜杜拉" not in shown  # no name, no ID number


@pytest.mark.django_db
def test_a_change_dated_in_an_open_month_says_nothing(alice, job, approved):
    answer = client_for(alice).patch(
        f"/api/v1/employments/{job.pk}/",
        {"end_date": dt.date.today().isoformat(), "version": job.version},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert "warnings" not in answer.json()
    assert not LateChange.objects.exists()
    page = browser(alice).get(reverse("report-detail", args=[approved[0].pk])).content.decode()
    assert "条后续修改涉及本月" not in page


@pytest.mark.django_db
def test_the_api_answers_which_approved_reports_a_change_leaves_behind(alice, job, approved):
    answer = client_for(alice).patch(
        f"/api/v1/employments/{job.pk}/",
        {"end_date": INSIDE.isoformat(), "version": job.version},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["end_date"] == INSIDE.isoformat()
    warnings = answer.json()["warnings"]
    assert len(warnings) == 2
    assert f"莎车县 {SHOWN}" in warnings[0] and f"喀什地区 {SHOWN}" in warnings[1]


@pytest.mark.django_db
def test_an_import_names_each_approved_report_once_however_many_rows(alice, bob, approved):
    # A household that moved in inside the approved month: its three members count from then.
    data = xlsx(family(move_in_date=INSIDE.isoformat()))
    job = import_start(user=alice, ledger="households", file_name="台账.xlsx", data=data)
    # The check writes nothing, and has nothing of it to tell.
    assert not [w for w in job.result["warnings"] if "月调度表" in w]
    page = browser(alice).post(reverse("excel-job-commit", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.result["committed"]
    late = [w for w in job.result["warnings"] if "月调度表" in w]
    assert len(late) == 2
    assert f"3 项修改（最早日期 {INSIDE.isoformat()}）涉及已审核通过的莎车县 {SHOWN}" in late[0]
    assert f"喀什地区 {SHOWN}" in late[1]
    assert page.content.decode().count(f"已审核通过的莎车县 {SHOWN} 月调度表") == 1
    assert LateChange.objects.count() == 3
    county = browser(bob).get(reverse("report-detail", args=[approved[0].pk])).content.decode()
    assert "3 条后续修改涉及本月" in county


@pytest.mark.django_db
def test_a_reviewer_returns_the_approved_report_with_a_reason_and_it_is_made_again(
    alice, bob, charlie, job, approved, django_capture_on_commit_callbacks
):
    county, prefecture = approved
    end_on_card(browser(alice), job, INSIDE)
    reopen = reverse("report-reopen", args=[county.pk])
    # Only a reviewer of the report is offered it; an outsider does not see the report.
    county_page = browser(alice).get(reverse("report-detail", args=[county.pk])).content.decode()
    assert "1 条后续修改涉及本月" in county_page and reopen not in county_page
    assert browser(alice).get(reopen).status_code == 403
    assert browser(charlie).get(reopen).status_code == 404
    reviewer = browser(bob)
    assert reopen in reviewer.get(reverse("report-detail", args=[county.pk])).content.decode()
    # The confirmation names the prefecture's approved report, returned with it.
    confirm = reviewer.get(reopen).content.decode()
    assert "喀什地区" in confirm and "1 条后续修改涉及本月" in confirm
    # Without a reason nothing changes.
    refused = reviewer.post(reopen, {"version": county.version, "reason": " "})
    assert refused.status_code == 400 and "请填写退回的理由" in refused.content.decode()
    county.refresh_from_db()
    assert county.status == "approved"

    with django_capture_on_commit_callbacks(execute=True):
        done = reviewer.post(reopen, {"version": county.version, "reason": "10月有补录的离岗"})
    assert done.status_code == 302
    county.refresh_from_db()
    prefecture.refresh_from_db()
    # Returned with the reason, and made again: the new figures count the job as ended.
    assert (county.status, prefecture.status) == ("draft", "draft")
    assert county.values["region"]["values"]["employed"] == 0
    assert prefecture.values["region"]["values"]["employed"] == 0
    reasons = dict(
        ReportEvent.objects.filter(action=ReportEvent.Action.UNAPPROVED).values_list(
            "report_id", "reason"
        )
    )
    assert reasons[county.pk] == "10月有补录的离岗"
    assert reasons[prefecture.pk].startswith("10月有补录的离岗")
    # Made again, the report has taken the change in: its page lists none.
    page = reviewer.get(reverse("report-detail", args=[county.pk])).content.decode()
    assert "条后续修改涉及本月" not in page
    # The county submits it again and the prefecture approves it as before.
    county = report_submit(actor=alice, report=county, version=county.version)
    county = report_approve(actor=bob, report=county, version=county.version)
    assert county.status == "approved"


@pytest.mark.django_db
def test_the_leading_group_reads_the_later_changes_without_the_household(alice, job, approved):
    leader = make_user("leader", "leader_viewer", "6531")
    end_on_card(browser(alice), job, INSIDE)
    page = browser(leader).get(reverse("report-detail", args=[approved[1].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 条后续修改涉及本月" in text and "就业结束" in text
    assert "653125001-0001" not in text


@pytest.mark.django_db
def test_each_kind_of_dated_write_is_listed_on_the_approved_report(
    alice, bob, shache_household, shache_site, approved
):
    spouse = shache_household.members.get(relation="spouse")
    person_update(
        actor=alice,
        person=spouse,
        data={"status": "moved_out", "status_changed_on": INSIDE},
        version=spouse.version,
    )
    shache_household.refresh_from_db()
    household_update(
        actor=alice,
        household=shache_household,
        data={"property_certificate_status": "issued", "property_certificate_on": INSIDE},
        version=shache_household.version,
    )
    case_open(
        actor=alice,
        household=shache_household,
        data={
            "category": "marginal",
            "risks": ["illness"],
            "found_through": "cadre",
            "opened_on": INSIDE,
        },
    )
    project = industry.project_save(
        actor=alice,
        data={
            "code": "P001",
            "name": "服装车间",
            "county_id": "653125",
            "sector": "secondary",
            "kind": "workshop",
            "operator_type": "enterprise",
            "status": "operating",
            "actual_start": INSIDE,
            "jobs_offered": 4,
        },
        served=[(shache_site, 10)],
        status_since=INSIDE,
    )
    industry.investment_add(
        actor=alice, project=project, data={"source": "central", "amount": 100000, "year": YEAR}
    )
    industry.link_add(
        actor=alice,
        project=project,
        household=shache_household,
        data={"kind": "dividend", "since": INSIDE},
    )
    industry.dividend_add(
        actor=alice,
        project=project,
        household=shache_household,
        data={"year": YEAR, "amount": 600, "paid_on": INSIDE},
    )
    page = browser(bob).get(reverse("report-detail", args=[approved[0].pk])).content.decode()
    assert "7 条后续修改涉及本月" in page
    for what in (
        "成员迁出、死亡或返回在册",
        "不动产权证办证",
        "预警",
        "项目状态变更",
        "投资登记",
        "利益联结登记",
        "分红发放",
    ):
        assert f"<td>{what}</td>" in page, what
    assert "P001" in page


@pytest.mark.django_db
def test_the_labor_import_names_the_approved_reports_a_job_s_end_leaves_behind(
    alice, job, approved
):
    head = job.person
    row = labor_row(id_number=head.id_number, status="未就业", end_date=INSIDE.isoformat())
    data = xlsx([row], [c.header for c in LEDGER.columns])
    done = import_start(
        user=alice, ledger="labor", file_name="就业台账.xlsx", data=data, commit=True
    )
    assert done.result["committed"], done.result["errors"]
    assert Employment.objects.get(pk=job.pk).end_date == INSIDE
    late = [w for w in done.result["warnings"] if "月调度表" in w]
    assert len(late) == 2 and f"此修改（日期 {INSIDE.isoformat()}）" in late[0]
