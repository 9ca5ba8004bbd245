"""Worklists a cadre can act on (issue 18, item 1): each row says why it is there, whom to call
and offers the form, which returns to the list; the counts in the menu and on 概况 are the
catalogue's, the dashboard's figure for the same area and date; 概况 names late reports and
overdue home visits; the case list and the alert inbox name the head of household."""

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from conftest import make_user
from employment.services import employment_open, labor_profile_save
from governance import views as governance_views
from governance.generation import live_figures_refresh
from governance.models import DispatchReport
from governance.selectors import live_figures
from governance.templatetags import worklists as worklist_tags
from households.tests.factories import HouseholdFactory, PersonFactory
from monitoring.models import Alert, MonitoringCase
from resettle import worklists

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def row_of(page: str, marker: str) -> str:
    """The table row of `page` holding `marker`."""
    start = page.rindex("<tr", 0, page.index(marker))
    return page[start : page.index("</tr>", start)]


def listed(page: str) -> int:
    """The entries a list page says it holds ("共 12 条", "共 3 户", "共 5 条预警"…)."""
    return int(re.search(r"共 ([\d,]+) ", page).group(1).replace(",", ""))


@pytest.fixture
def family(alice, shache_site):
    """A household of 莎车县 (head 赛买提·玉素甫, phone 13812341234, 3栋2单元501) with a
    laborer who wants work but holds none (his last job ended on 2025-03-31) and lacks a
    training intention, and his wife, employed and never visited."""
    household = HouseholdFactory(
        site=shache_site, household_no="653125001-0042", phone="13812341234", dwelling="3栋2单元501"
    )
    head = PersonFactory(household=household, name="赛买提·玉素甫", education="junior")
    wife = PersonFactory(
        household=household,
        name="再乃甫·吾买尔",
        gender="female",
        relation="spouse",
        education="primary",
    )
    labor_profile_save(
        actor=alice, person=head, data={"capacity": "ordinary", "willingness": "away"}
    )
    labor_profile_save(
        actor=alice,
        person=wife,
        data={"capacity": "ordinary", "willingness": "local", "training_intention": "no"},
    )
    job = {
        "channel": "local_temporary",
        "job_type": "wage_work",
        "place": "county",
        "monthly_income": Decimal("1500"),
        "employer": "园区服装厂",
    }
    employment_open(
        actor=alice,
        person=head,
        data={**job, "start_date": dt.date(2024, 5, 1), "end_date": dt.date(2025, 3, 31)},
    )
    employment_open(actor=alice, person=wife, data={**job, "start_date": dt.date(2024, 6, 1)})
    return {"household": household, "head": head, "wife": wife}


def test_a_five_clears_row_names_what_is_missing_and_whom_to_call(alice, family):
    page = html(client_of(alice), "/labor/worklists/five-clears/")
    row = row_of(page, "赛买提·玉素甫</a>")
    assert "缺：就业状态、培训意向" in row
    assert "莎车县幸福安置区" in row and "3栋2单元501" in row and "653125001-0042" in row
    assert "138****1234" in row and "13812341234" not in row
    assert "完善档案" in row


def test_a_job_seekers_row_says_since_when_he_has_no_job(alice, family):
    row = row_of(html(client_of(alice), "/labor/worklists/job-matching/"), "赛买提·玉素甫</a>")
    assert "2025-03-31 起无工作；从未岗位对接" in row
    assert "登记岗位对接" in row


def test_a_follow_up_row_names_the_job_and_the_last_visit(alice, family):
    row = row_of(html(client_of(alice), "/labor/worklists/follow-up/"), "再乃甫·吾买尔</a>")
    assert "2024-06-01 起在岗：园区服装厂" in row and "从未" in row


def test_recording_the_visit_from_the_list_returns_to_it_and_takes_the_person_off(alice, family):
    client = client_of(alice)
    page = html(client, "/labor/worklists/follow-up/?page=1")
    action = re.search(r'href="(/labor/persons/\d+/\?open=visit[^"]*)"', page).group(1)
    action = action.replace("&amp;", "&")
    back = parse_qs(urlsplit(action).query)["next"][0]
    assert back == "/labor/worklists/follow-up/?page=1"
    card = html(client, action)
    assert '<details class="record" id="visit" open>' in card
    assert f'name="next" value="{back}"' in card
    response = client.post(
        urlsplit(action).path, {"form": "visit", "visited_on": TODAY.isoformat(), "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    after = client.get(back)
    assert "已保存" in after.content.decode() and "再乃甫·吾买尔</a>" not in after.content.decode()


def test_a_next_address_off_the_site_is_not_followed(alice, family):
    response = client_of(alice).post(
        f"/labor/persons/{family['wife'].pk}/",
        {"form": "visit", "visited_on": TODAY.isoformat(), "next": "https://evil.example/x"},
    )
    assert response["Location"] == f"/labor/persons/{family['wife'].pk}/"


def test_a_zero_employment_household_offers_a_job_match_for_each_laborer(alice, shache_site):
    household = HouseholdFactory(
        site=shache_site, household_no="653125001-0077", phone="13912345678"
    )
    for name, relation in (("阿依古丽·托乎提", "head"), ("买买提·托乎提", "child")):
        person = PersonFactory(household=household, name=name, relation=relation)
        labor_profile_save(
            actor=alice, person=person, data={"capacity": "ordinary", "willingness": "local"}
        )
    row = row_of(html(client_of(alice), "/labor/worklists/zero-employment/"), "653125001-0077")
    assert "阿依古丽·托乎提" in row and "139****5678" in row
    assert "劳动力 2 人，均未就业；未登记过就业" in row
    assert row.count("?open=match") == 2
    response = client_of(alice).get("/labor/worklists/zero-employment/", {"format": "csv"})
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "653125001-0077,阿依古丽·托乎提,莎车县幸福安置区,,139****5678,2," in csv


def test_phones_show_in_full_only_to_who_may_and_asks(alice, bob, family):
    url = "/labor/worklists/five-clears/"
    assert "13812341234" in html(client_of(alice), url + "?reveal=1")
    assert client_of(bob).get(url + "?reveal=1").status_code == 403
    reviewer = html(client_of(bob), url)
    assert "138****1234" in row_of(reviewer, "赛买提·玉素甫</a>")
    assert "完善档案" not in reviewer  # a reviewer reads the card, records nothing


def test_completing_a_household_from_its_list_returns_to_the_list(alice, shache_site):
    household = HouseholdFactory(site=shache_site, household_no="653125001-0099", move_in_date=None)
    PersonFactory(household=household, name="艾力·吾买尔")
    client = client_of(alice)
    page = html(client, "/households/worklist/")
    row = row_of(page, "653125001-0099")
    assert "艾力·吾买尔" in row and "缺：入住日期" in row
    edit = re.search(r'href="(/households/\d+/edit/\?next=[^"]*)"', row).group(1)
    assert parse_qs(urlsplit(edit.replace("&amp;", "&")).query)["next"] == ["/households/worklist/"]
    assert 'name="next" value="/households/worklist/"' in html(client, edit.replace("&amp;", "&"))


def test_the_case_list_and_the_alert_inbox_name_the_head(alice, family):
    case = MonitoringCase.objects.create(
        household=family["household"],
        category="marginal",
        risks="illness",
        found_through="cadre",
        opened_on=dt.date(2025, 3, 1),
        identified_on=dt.date(2025, 3, 1),
        status="monitored",
    )
    Alert.objects.create(household=family["household"], rule="zero_employment", raised_on=TODAY)
    client = client_of(alice)
    assert "赛买提·玉素甫" in row_of(
        html(client, "/monitoring/cases/"), f"/monitoring/cases/{case.pk}/"
    )
    assert "赛买提·玉素甫" in row_of(html(client, "/monitoring/alerts/"), "653125001-0042")


def test_each_worklist_counts_what_the_dashboard_shows_for_the_same_area_and_day(
    alice, bob, family, shache_site
):
    """Every registered worklist lists as many entries as its figure on the county's dashboard
    (the stored live figures of today), and the menu and 概况 show that figure."""
    household = HouseholdFactory(site=shache_site, move_in_date=None)
    PersonFactory(household=household)
    MonitoringCase.objects.create(
        household=household,
        category="marginal",
        risks="illness",
        found_through="cadre",
        opened_on=dt.date(2025, 1, 2),
    )
    Alert.objects.create(household=household, rule="zero_employment", raised_on=TODAY)
    client = client_of(alice)
    assert 'class="count"' not in html(client, "/households/")  # nothing stored yet
    live_figures_refresh(region="65", today=TODAY)
    dashboard = live_figures("653125", ("region",))["region"]["values"]
    home = html(client, "/")
    for worklist in worklists.registered():
        figure = dashboard[worklist.code]
        assert listed(html(client, worklist.url())) == figure, worklist.code
        assert (
            f'<a href="{worklist.url()}"><strong>{figure}</strong></a>'.replace("&", "&amp;")
            in home
            or figure == 0
        ), worklist.code
    assert {w.code for w in worklists.registered() if dashboard[w.code]} >= {
        "households_to_complete",
        "awaiting_job_match",
        "awaiting_follow_up",
        "five_clears_incomplete",
        "open_alerts",
        "overdue_verifications",
    }
    labor = sum(dashboard[w.code] for w in worklists.registered("labor"))
    page = html(client, "/households/")
    assert '就业台账 <small class="count"' in page
    menu = page[page.index("<nav>") : page.index("</nav>")]
    for worklist in worklists.registered():  # each worklist under its entry, with its own count
        figure = dashboard[worklist.code]
        entry = f'<a href="{worklist.url()}">{worklist.title} <small class="count">{figure}</small>'
        assert (entry.replace("&", "&amp;") in menu) == bool(figure), worklist.code
    assert re.search(rf'就业台账 <small class="count" title="[^"]*"[^>]*>{labor}</small>', home)


def test_a_reviewers_overview_names_the_late_county_reports(bob, alice, shache_site):
    late = DispatchReport.objects.create(
        period="2025-01",
        region_id="653125",
        as_of=dt.date(2025, 1, 31),
        generated_at=timezone.now(),
        status="draft",
    )
    DispatchReport.objects.create(
        period="2025-01",
        region_id="653121",
        as_of=dt.date(2025, 1, 31),
        generated_at=timezone.now(),
        status="submitted",
    )
    page = html(client_of(bob), "/")
    section = page[page.index("逾期未报") :]
    assert "1 份县级报表逾期未上报。" in section
    assert f'href="/reports/{late.pk}/">莎车县 · 2025-01</a>' in section
    assert "疏附县 · 2025-01" not in section


def test_the_overview_lists_the_overdue_home_visits(alice, family):
    MonitoringCase.objects.create(
        household=family["household"],
        category="marginal",
        risks="illness",
        found_through="cadre",
        opened_on=TODAY - dt.timedelta(days=60),
    )
    page = html(client_of(alice), "/")
    section = page[page.index("<h2>入户核实超期</h2>") :]
    assert "653125001-0042" in section and "赛买提·玉素甫" in section
    assert 'href="/monitoring/cases/?state=all&amp;overdue=true"' in section


def test_a_site_cadre_counts_and_lists_only_their_site(regions, alice, family, shache_site):
    site_cadre = make_user("sam", "site_operator", str(shache_site.code))
    live_figures_refresh(region="65", today=TODAY)
    page = html(client_of(site_cadre), "/labor/worklists/five-clears/")
    assert "赛买提·玉素甫</a>" in page and listed(page) == 1
    assert re.search(r'就业台账 <small class="count" title="[^"]*"[^>]*>\d+</small>', page)


def test_a_worklists_csv_carries_the_reasons_and_masked_phones(alice, family):
    client = client_of(alice)
    for name, expected in (
        ("five-clears", "缺：就业状态、培训意向"),
        ("job-matching", "2025-03-31 起无工作；从未岗位对接"),
    ):
        response = client.get(f"/labor/worklists/{name}/", {"format": "csv", "reveal": "1"})
        csv = b"".join(response.streaming_content).decode("utf-8-sig")
        header, *rows = csv.splitlines()
        assert header.split(",")[-2:] == ["原因", "上次回访"]
        row = next(r for r in rows if "赛买提·玉素甫" in r)
        assert expected in row and "138****1234" in row and "13812341234" not in row


def test_a_superuser_before_any_site_sees_the_overview_without_counts(regions):
    root = make_user("root", "admin", "6531")
    root.is_superuser = root.is_staff = True
    root.save()
    page = html(client_of(root), "/")
    assert 'class="count"' not in page and "<h2>工作清单" not in page


def test_worklist_counts_read_with_thousands_separators(alice, family, monkeypatch):
    """A prefecture's 待跟踪回访 read 3213 in 概况 and on the labor ledger while the menu and the
    dashboards print 3,213."""
    stored = {"counts": {w.code: 3213 for w in worklists.registered()}}
    stored.update(as_of=TODAY, computed_at=timezone.now(), stored=True)
    monkeypatch.setattr(governance_views.selectors, "worklist_counts", lambda user, **kw: stored)
    monkeypatch.setattr(worklist_tags, "worklist_counts", lambda user, **kw: stored)
    client = client_of(alice)
    follow_up = worklists.url_of("awaiting_follow_up")
    assert f'<a href="{follow_up}"><strong>3,213</strong></a>' in html(client, "/")
    assert "待跟踪回访 (3,213)" in html(client, "/labor/")
