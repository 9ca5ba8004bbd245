"""Issue 18, item 3: the words a cadre reads. A user is named by their 姓名, not their login;
one English word with two meanings reads right in each place; the data API is offered only to
those who use it, on a page that says what it is."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from employment.filtersets import EmploymentFilterSet
from governance.generation import report_generate
from governance.services import report_approve, report_submit
from governance.workbook import status_line
from households.models import Region
from resettle.periods import last_ended

User = get_user_model()


@pytest.mark.django_db
def test_add_member_records_the_name_shown_for_the_user(regions):
    call_command(
        "add_member",
        "wang",
        role="county_operator",
        scope="653125",
        password="Wang#2026ab",
        name=" 王建国 ",
    )
    assert User.objects.get(username="wang").first_name == "王建国"
    with pytest.raises(Exception, match="--name"):
        call_command("add_member", "wang", role="county_operator", scope="653125", name="  ")
    assert User.objects.get(username="wang").first_name == "王建国"  # a blank changed nothing


@pytest.mark.django_db
def test_the_report_names_who_submitted_and_approved_it(alice, bob, shache_household, client):
    User.objects.filter(pk=alice.pk).update(first_name="阿依古丽")
    User.objects.filter(pk=bob.pk).update(first_name="建华", last_name="李")
    alice.refresh_from_db()
    bob.refresh_from_db()
    report = report_generate(
        actor=None, period=last_ended(), region=Region.objects.get(code="653125")
    )
    report = report_submit(actor=alice, report=report, version=report.version)
    report = report_approve(actor=bob, report=report, version=report.version)
    with translation.override("zh-hans"):
        line = status_line(report)
    assert "填报人：阿依古丽" in line and "审核人：李建华" in line
    assert "alice" not in line and "bob" not in line

    client.force_login(bob)
    page = client.get(
        reverse("report-detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "李建华" in page and "阿依古丽" in page
    assert "系统" in page  # the generation step, taken by the system
    for login in ("alice", "bob"):
        assert f"· {login}" not in page and f"{login} ·" not in page


@pytest.mark.django_db
def test_still_open_reads_as_a_case_or_as_a_job(alice, client):
    """One English label, two meanings: a case not yet closed is 未结束, a job still held is
    仍在岗 (the case list once offered 仍在岗, "still employed", as its filter)."""
    client.force_login(alice)
    cases = client.get(reverse("case-list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "未结束" in cases and "仍在岗" not in cases
    with translation.override("zh-hans"):
        assert str(EmploymentFilterSet.base_filters["open"].label) == "仍在岗"


@pytest.mark.django_db
def test_the_data_api_is_offered_to_administrators_on_a_page_in_chinese(alice, admin_user, client):
    client.force_login(alice)
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert reverse("api-guide") not in home and reverse("api-docs") not in home
    assert reverse("api-tokens") not in home

    client.force_login(admin_user)
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert reverse("api-guide") in home and "数据接口" in home
    guide = client.get(reverse("api-guide"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "数据接口" in guide and reverse("api-docs") in guide and reverse("api-tokens") in guide
    docs = client.get(reverse("api-docs"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert reverse("api-guide") in docs and "返回" in docs


@pytest.mark.django_db
def test_the_administration_pages_carry_the_sites_name_not_djangos(admin_user, client):
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "易地扶贫搬迁后续扶持 · 系统管理" in html and "Django" not in html
