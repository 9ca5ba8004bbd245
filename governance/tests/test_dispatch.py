"""Monthly dispatch reports: a frozen snapshot per region and month, submitted by the county,
approved by the prefecture, locked once approved."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from conftest import client_for, make_user
from governance.generation import report_generate
from governance.models import DispatchReport
from governance.selectors import board
from governance.services import report_approve, report_request, report_return, report_submit, to_do
from governance.workbook import build
from households.models import Region
from households.tests.factories import PersonFactory
from resettle.indicators import catalogue
from resettle.periods import last_day, last_ended

PERIOD = last_ended()


def make(region_code, actor=None):
    return report_generate(actor=actor, period=PERIOD, region=Region.objects.get(code=region_code))


@pytest.mark.django_db
def test_a_county_and_its_prefecture_report_the_same_numbers(shache_household, shufu_household):
    county = make("653125")
    prefecture = make("6531")
    assert county.values["region"]["values"]["households"] == 1
    [shache] = [row for row in prefecture.values["children"] if row["code"] == "653125"]
    assert shache["values"] == county.values["region"]["values"]
    assert prefecture.values["region"]["values"]["households"] == 2
    assert [s["code"] for s in county.values["sites"]] == ["653125001"]
    # Every indicator of the catalogue is there.
    assert set(county.values["region"]["values"]) == {i.code for i in catalogue.all()}


@pytest.mark.django_db
def test_counties_submit_the_prefecture_approves_and_the_lock_holds(
    alice, bob, charlie, shache_household
):
    county = make("653125")
    prefecture = make("6531")
    with pytest.raises(PermissionDenied):
        report_submit(actor=charlie, report=county, version=county.version)  # another county
    with pytest.raises(ValidationError) as refused:
        report_approve(actor=bob, report=county, version=county.version)  # not submitted
    assert "上报" in " ".join(refused.value.messages)
    county = report_submit(actor=alice, report=county, version=county.version)
    with pytest.raises(ValidationError) as refused:
        report_approve(actor=bob, report=prefecture, version=prefecture.version)
    assert "莎车县" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):
        report_approve(actor=alice, report=county, version=county.version)  # her own county
    county = report_approve(actor=bob, report=county, version=county.version)
    assert county.status == "approved" and county.approved_by == bob
    prefecture = report_approve(actor=bob, report=prefecture, version=prefecture.version)

    # The ledger changes after approval: the approved reports do not.
    before = county.values
    PersonFactory(household=shache_household)
    county.refresh_from_db()
    assert county.values == before
    with pytest.raises(ValidationError) as refused:
        make("653125")
    assert "bob" in " ".join(refused.value.messages)

    # Un-approving: the prefecture's first, with a reason, recorded.
    with pytest.raises(ValidationError):
        report_return(actor=bob, report=county, version=county.version, reason="人数有误")
    with pytest.raises(ValidationError):
        report_return(actor=bob, report=prefecture, version=prefecture.version, reason=" ")
    report_return(actor=bob, report=prefecture, version=prefecture.version, reason="莎车县人数有误")
    county = report_return(actor=bob, report=county, version=county.version, reason="人数有误")
    assert county.status == "returned"
    assert list(county.events.values_list("action", "reason")) == [
        ("generated", ""),
        ("submitted", ""),
        ("approved", ""),
        ("unapproved", "人数有误"),
    ]
    again = make("653125", actor=alice)
    assert again.values["region"]["values"]["persons"] == before["region"]["values"]["persons"] + 1


@pytest.mark.django_db
def test_a_month_not_ended_or_badly_written_is_refused(shache_household):
    region = Region.objects.get(code="653125")
    for period in (f"{dt.date.today():%Y-%m}", "2026-13", "26-10"):
        with pytest.raises(ValidationError):
            report_generate(actor=None, period=period, region=region)
    assert not DispatchReport.objects.exists()


@pytest.mark.django_db
def test_the_api_and_the_command(alice, bob, charlie, shache_household, capsys):
    call_command("dispatch_report", "--period", PERIOD)
    assert "3 made" in capsys.readouterr().out  # the county, its prefecture, its province
    county_report = DispatchReport.objects.get(period=PERIOD, region_id="653125")
    prefecture_report = DispatchReport.objects.get(period=PERIOD, region_id="6531")
    [row] = [r for r in prefecture_report.values["children"] if r["code"] == "653125"]
    assert county_report.values["region"]["values"] == row["values"]
    assert [s["code"] for s in county_report.values["sites"]] == ["653125001"]
    api = client_for(alice)
    [county] = api.get(f"/api/v1/dispatch-reports/?period={PERIOD}&region=653125").json()["results"]
    assert client_for(charlie).get(f"/api/v1/dispatch-reports/{county['id']}/").status_code == 404
    submitted = api.post(
        f"/api/v1/dispatch-reports/{county['id']}/submit/",
        {"version": county["version"]},
        format="json",
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    refused = api.post(
        "/api/v1/dispatch-reports/generate/", {"period": PERIOD, "region": "653125"}, format="json"
    )
    assert refused.status_code == 400
    approved = client_for(bob).post(
        f"/api/v1/dispatch-reports/{county['id']}/approve/",
        {"version": submitted.json()["version"]},
        format="json",
    )
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"] == "bob"
    values = api.get(f"/api/v1/dispatch-reports/{county['id']}/values/").json()
    assert values["region"]["values"]["households"] == 1
    call_command("dispatch_report", "--period", PERIOD)
    assert "2 made, 1 kept" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_workbook_is_the_snapshot_printed_the_same_every_time(
    alice, bob, shache_household, shufu_household
):
    for code in ("653125", "653121"):
        make(code)
    prefecture = make("6531")
    data = build(prefecture)
    assert build(prefecture) == data  # byte for byte
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "汇总",
        "就业情况",
        "监测帮扶",
        "产业项目",
        "安置区治理",
        "安置区明细",
        "指标说明",
    ]
    summary = book["汇总"]
    year, month = (int(p) for p in PERIOD.split("-"))
    assert summary["A1"].value == f"喀什地区易地扶贫搬迁后续扶持工作月调度表（{year}年{month}月）"
    assert "填报单位：喀什地区" in summary["A2"].value and "状态：草稿" in summary["A2"].value
    assert summary.freeze_panes == "B5"
    assert summary.page_setup.orientation == "landscape"
    # A header whose unit does not fit on its line prints it on the next: 投资\n（万元）.
    headers = [(c.value or "").replace("\n", "") for c in summary[4]]
    rows = [[c.value for c in r] for r in summary.iter_rows(min_row=5)]
    names = [r[0] for r in rows]
    assert names[-1] == "合计" and {"莎车县", "疏附县"} <= set(names)
    persons = headers.index("搬迁人数")
    assert rows[-1][persons] == sum(r[persons] for r in rows[:-1]) == 3
    # A column is as wide as its largest figure as printed (no ### on paper).
    big = prefecture.values["children"][0]["values"]
    big["investment"] = 987654321.25  # in memory only: a province-sized total
    wide = load_workbook(io.BytesIO(build(prefecture)))["汇总"]
    column = get_column_letter(headers.index("投资（万元）") + 1)
    assert wide.column_dimensions[column].width >= len("987,654,321.25")
    assert summary.column_dimensions[column].width < len("987,654,321.25")
    prefecture.refresh_from_db()
    # No report last month: the change columns say so rather than stay blank.
    assert {r[headers.index("就业较上月")] for r in rows} == {"—"}
    # 指标说明 names every indicator of the catalogue in Chinese (its English code nowhere).
    names = [c.value.replace("\n", "") for c in book["指标说明"]["A"][3:]]
    with translation.override("zh-hans"):
        assert names == [str(i.name) for i in catalogue.all()]
    # Approved, then the ledger changes: the workbook does not.
    county = DispatchReport.objects.get(region_id="653125")
    county = report_submit(actor=alice, report=county, version=county.version)
    county = report_approve(actor=bob, report=county, version=county.version)
    before = build(county)
    line = load_workbook(io.BytesIO(before))["汇总"]["A2"].value
    assert "状态：已审核" in line and "填报人：alice" in line and "审核人：bob" in line
    PersonFactory(household=shache_household)
    county.refresh_from_db()
    assert build(county) == before
    response = client_for(bob).get(f"/api/v1/dispatch-reports/{county.pk}/workbook/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == before


@pytest.mark.django_db
def test_the_reports_page_previews_and_acts_by_role(alice, bob, shache_household, client):
    county = make("653125")
    client.force_login(alice)
    page = client.get("/reports/").content.decode()
    assert "莎车县" in page and "草稿" in page
    board = client.get(f"/reports/?period={PERIOD}").content.decode()
    late = dt.date.today() > DispatchReport.due_on(PERIOD)
    assert ("逾期未报" if late else "尚未上报") in board and "莎车县" in board
    assert "待办" in board and "待上报" in board  # alice's to-do list
    detail = client.get(f"/reports/{county.pk}/").content.decode()
    assert "合计" in detail and "搬迁人数" in detail
    client.force_login(bob)  # a draft county report: nothing to approve yet
    assert 'value="approve"' not in client.get(f"/reports/{county.pk}/").content.decode()
    client.force_login(alice)
    garbled = client.post(f"/reports/{county.pk}/", {"action": "submit", "version": "x"})
    assert garbled.status_code == 302  # told on the page, not a server error
    county.refresh_from_db()
    assert county.status == "draft"
    client.post(f"/reports/{county.pk}/", {"action": "submit", "version": county.version})
    county.refresh_from_db()
    assert county.status == "submitted"
    client.post(f"/reports/{county.pk}/", {"action": "approve", "version": county.version})
    county.refresh_from_db()
    assert county.status == "submitted"  # a county operator does not approve
    client.force_login(bob)
    assert 'value="approve"' in client.get(f"/reports/{county.pk}/").content.decode()
    client.post(f"/reports/{county.pk}/", {"action": "approve", "version": county.version})
    county.refresh_from_db()
    assert county.status == "approved"
    # The steps read in words, by whom: nothing of the codes ("submitted") shows.
    steps = client.get(f"/reports/{county.pk}/").content.decode()
    assert "· 上报 · alice" in steps and "· 审核通过 · bob" in steps
    assert "submitted" not in steps.split("办理环节")[-1]
    download = client.get(f"/reports/{county.pk}/?download=1")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_asking_from_the_web_runs_the_task_and_the_page_follows(
    alice, shache_household, client, django_capture_on_commit_callbacks, regions
):
    county = make("653125")
    leader = make_user("lead", "leader_viewer", "6531")
    client.force_login(leader)  # the leading group reads, and asks for nothing
    client.post(f"/reports/{county.pk}/", {"action": "generate", "version": county.version})
    county.refresh_from_db()
    assert county.version == 1 and not county.generating
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(f"/reports/{county.pk}/", {"action": "generate", "version": county.version})
    assert len(queued) == 1  # the work went to a task
    county.refresh_from_db()
    # Celery runs in-process in the unit tests: the task has run by now.
    assert not county.generating and county.progress == 100 and county.version == 2
    # While a task runs, the page says so and reloads itself.
    DispatchReport.objects.filter(pk=county.pk).update(generating=True, progress=10)
    page = client.get(f"/reports/{county.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page


@pytest.mark.django_db
def test_a_prefecture_is_approved_only_with_its_counties_approved_figures(
    alice, bob, shache_household
):
    county = make("653125")
    prefecture = make("6531")
    county = report_submit(actor=alice, report=county, version=county.version)
    county = report_approve(actor=bob, report=county, version=county.version)
    prefecture = report_approve(actor=bob, report=prefecture, version=prefecture.version)
    prefecture = report_return(
        actor=bob, report=prefecture, version=prefecture.version, reason="复核"
    )
    county = report_return(actor=bob, report=county, version=county.version, reason="人数有误")
    PersonFactory(household=shache_household)  # the county's figures change
    county = make("653125", actor=alice)
    county = report_submit(actor=alice, report=county, version=county.version)
    county = report_approve(actor=bob, report=county, version=county.version)
    prefecture.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        report_approve(actor=bob, report=prefecture, version=prefecture.version)
    assert "莎车县" in " ".join(refused.value.messages)
    # Made again, the prefecture's report carries the county's approved figures.
    prefecture = make("6531")
    [row] = [r for r in prefecture.values["children"] if r["code"] == "653125"]
    assert row["values"] == county.values["region"]["values"]
    assert (
        report_approve(actor=bob, report=prefecture, version=prefecture.version).status
        == "approved"
    )


@pytest.mark.django_db
def test_the_change_on_last_month_is_frozen_into_the_report(shache_household):
    year, month = (int(p) for p in PERIOD.split("-"))
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    earlier = f"{year:04d}-{month:02d}"
    region = Region.objects.get(code="653125")
    report_generate(actor=None, period=earlier, region=region)
    current = make("653125")
    assert current.values["previous"]["total"] == {"employed": 0, "monitored_households": 0}
    data = build(current)
    PersonFactory(household=shache_household)
    report_generate(actor=None, period=earlier, region=region)  # last month's made again
    current.refresh_from_db()
    assert build(current) == data


@pytest.mark.django_db
def test_who_submits_does_not_approve(admin_user, bob, shache_household):
    county = make("653125")
    county = report_submit(actor=admin_user, report=county, version=county.version)
    with pytest.raises(PermissionDenied):
        report_approve(actor=admin_user, report=county, version=county.version)
    with pytest.raises(ValidationError) as refused:
        make("653125")
    assert "admin" in " ".join(refused.value.messages)  # who submitted it, and when
    assert report_approve(actor=bob, report=county, version=county.version).status == "approved"


@pytest.mark.django_db
def test_the_board_and_the_to_do_lists_follow_the_due_day(
    alice, bob, charlie, shache_household, shufu_household
):
    county, other = make("653125"), make("653121")
    prefecture = make("6531")
    due = DispatchReport.due_on(PERIOD)
    assert due.day == 5 and due > last_day(PERIOD)
    reports = list(DispatchReport.objects.filter(period=PERIOD).select_related("region"))
    before, after = due, due + dt.timedelta(days=1)
    assert board(reports, PERIOD, today=before)["late"] is False
    late = board(reports, PERIOD, today=after)
    assert late["late"] is True and set(late["waiting"]) == {"莎车县", "疏附县"}
    # Alice submits her county only; Bob has nothing to review yet.
    [item] = to_do(alice, today=after)
    assert item["report"] == county and item["action"] == "submit" and item["late"]
    assert to_do(alice, today=before)[0]["late"] is False
    assert to_do(bob) == []
    county = report_submit(actor=alice, report=county, version=county.version)
    assert to_do(alice) == [] and [i["report"] for i in to_do(bob)] == [county]
    report_approve(actor=bob, report=county, version=county.version)
    other = report_submit(actor=charlie, report=other, version=other.version)
    report_approve(actor=bob, report=other, version=other.version)
    # Every county approved: the prefecture's report is Bob's to approve.
    assert [i["report"] for i in to_do(bob)] == [prefecture]


@pytest.mark.django_db
def test_an_operator_above_the_county_does_not_submit_its_report(shache_household):
    above = make_user("wide", "county_operator", "6531")
    county = make("653125")
    with pytest.raises(PermissionDenied):
        report_submit(actor=above, report=county, version=county.version)


@pytest.mark.django_db
def test_a_month_before_relocation_reporting_began_is_refused(shache_household):
    with pytest.raises(ValidationError) as refused:
        report_generate(actor=None, period="2015-12", region=Region.objects.get(code="653125"))
    assert "2016-01" in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_the_demo_has_six_months_of_reports_the_last_one_still_open(regions):
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    periods = sorted(set(DispatchReport.objects.values_list("period", flat=True)))
    assert len(periods) == 6 and periods[-1] <= last_ended()
    older = DispatchReport.objects.filter(period__in=periods[:-1])
    # The prefecture and its counties approved; above it, the province's report waits for a
    # reviewer of the province (the demo has none).
    assert set(older.exclude(region__level="province").values_list("status", flat=True)) == {
        "approved"
    }
    assert set(older.filter(region__level="province").values_list("status", flat=True)) == {"draft"}
    last = list(DispatchReport.objects.filter(period=periods[-1]).select_related("region"))
    assert {r.status for r in last} == {"draft", "submitted"}
    assert board(last, periods[-1])["waiting"]

    reviewer = get_user_model().objects.get(username="reviewer")
    assert [i["action"] for i in to_do(reviewer)] == ["review"]


@pytest.mark.django_db
def test_a_report_is_asked_for_from_the_reports_page(
    alice, charlie, shache_household, client, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    page = client.get("/reports/").content.decode()
    assert "生成报表" in page and 'value="653125"' in page and 'value="653121"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/", {"period": PERIOD, "region": "653125"})
    report = DispatchReport.objects.get(period=PERIOD, region_id="653125")
    assert response.url == f"/reports/{report.pk}/"
    assert report.values["region"]["values"]["households"] == 1  # made (Celery eager here)
    # Another county's, or a month not ended: refused with the reason, nothing made.
    refused = client.post("/reports/", {"period": PERIOD, "region": "653121"}, follow=True)
    assert "生成本地区的报表" in refused.content.decode()
    refused = client.post("/reports/", {"period": "2099-01", "region": "653125"}, follow=True)
    assert "2099-01 尚未结束" in refused.content.decode()
    assert not DispatchReport.objects.filter(region_id="653121").exists()


@pytest.mark.django_db
def test_the_province_report_waits_for_its_prefectures(admin_user, bob, alice, shache_household):
    province_reviewer = make_user("xj", "prefecture_reviewer", "65")
    county, prefecture, province = make("653125"), make("6531"), make("65")
    assert "6531" in [r["code"] for r in province.values["children"]]
    assert province.values["region"]["values"] == prefecture.values["region"]["values"]
    county = report_submit(actor=alice, report=county, version=county.version)
    county = report_approve(actor=bob, report=county, version=county.version)
    with pytest.raises(ValidationError) as refused:
        report_approve(actor=province_reviewer, report=province, version=province.version)
    assert "喀什地区" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):  # a prefecture's reviewer is not above the province
        report_approve(actor=bob, report=province, version=province.version)
    prefecture = report_approve(actor=bob, report=prefecture, version=prefecture.version)
    province = report_approve(actor=province_reviewer, report=province, version=province.version)
    assert province.status == "approved"
    with pytest.raises(ValidationError) as refused:  # the province's first
        report_return(actor=bob, report=prefecture, version=prefecture.version, reason="有误")
    assert "新疆" in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_a_corrected_county_flows_up_to_the_province(
    admin_user, alice, bob, shache_household, django_capture_on_commit_callbacks
):
    """A county returned and corrected: the prefecture and then the province are made again
    from the web and approved with its new figures."""
    province_reviewer = make_user("xj", "prefecture_reviewer", "65")
    county, prefecture = make("653125"), make("6531")
    make("65")
    county = report_submit(actor=alice, report=county, version=county.version)
    county = report_return(actor=bob, report=county, version=county.version, reason="人数有误")
    PersonFactory(household=shache_household)
    county = make("653125", actor=alice)
    county = report_submit(actor=alice, report=county, version=county.version)
    county = report_approve(actor=bob, report=county, version=county.version)
    with pytest.raises(ValidationError):  # made before the correction
        report_approve(actor=bob, report=prefecture, version=prefecture.version)

    for code, who in (("6531", bob), ("65", province_reviewer)):
        with django_capture_on_commit_callbacks(execute=True):
            report_request(actor=who, period=PERIOD, region=Region.objects.get(code=code))
        again = DispatchReport.objects.get(period=PERIOD, region_id=code)
        again = report_approve(actor=who, report=again, version=again.version)
        assert again.values["region"]["values"]["persons"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize("period", ["0000-01", "0000-12", "9999-12"])
def test_a_far_period_is_refused_in_words(alice, shache_household, period):
    with pytest.raises(ValidationError):
        report_generate(actor=alice, period=period, region=Region.objects.get(code="653125"))
    response = client_for(alice).post(
        "/api/v1/dispatch-reports/generate/", {"period": period, "region": "653125"}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_report_whose_task_was_lost_can_be_asked_for_again(
    alice, shache_household, client, django_capture_on_commit_callbacks
):
    region = Region.objects.get(code="653125")
    with django_capture_on_commit_callbacks(execute=False) as queued:  # the worker dies
        report = report_request(actor=alice, period=PERIOD, region=region)
    assert len(queued) == 1 and report.generating
    with django_capture_on_commit_callbacks(execute=False) as queued:
        report_request(actor=alice, period=PERIOD, region=region)
    assert queued == []  # asked already: one task makes it
    client.force_login(alice)
    assert "丢失" not in client.get(f"/reports/{report.pk}/").content.decode()
    DispatchReport.objects.filter(pk=report.pk).update(
        asked_at=timezone.now() - dt.timedelta(hours=2)
    )
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "丢失" in page and 'value="generate"' in page
    with django_capture_on_commit_callbacks(execute=True):
        report_request(actor=alice, period=PERIOD, region=region)
    report.refresh_from_db()
    assert not report.generating and report.values["region"]["values"]["households"] == 1
