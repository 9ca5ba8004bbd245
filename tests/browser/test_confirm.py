"""Issue 18, item 4: a step that cannot be taken back asks first, saying what will happen;
cancelling changes nothing."""

import pytest

from governance.generation import report_generate
from governance.models import DispatchReport, ReportStatus
from households.models import Region
from resettle.periods import last_ended

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username, password="Pw#12345678"):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.login button")
    page.wait_for_url("**/")


def test_submitting_a_report_asks_first_and_cancel_changes_nothing(
    page, screenshot, alice, shache_household
):
    report = report_generate(
        actor=None, period=last_ended(), region=Region.objects.get(code="653125")
    )
    sign_in(page, "alice")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/reports/{report.pk}/")
    asked = []

    def cancel(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.click("button[value=submit]")
    page.wait_for_timeout(300)
    assert "莎车县" in asked[0] and "锁定" in asked[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[value=submit]")
    page.wait_for_selector(".messages li.success")
    screenshot("submitted")
    assert DispatchReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
