"""`restrict(user, action)`, the one permission mechanism (resettle.scoping): who may do what to
which report, from where in the region tree, the same in a list (`restrict`), for one region
(`permits`) and through the API (404 outside the area, 403 inside it without the right)."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import client_for, make_user
from governance.models import DispatchReport, ReportStatus
from households.models import Region
from resettle.scoping import Grant, Reach, Scope, permits

pytestmark = pytest.mark.django_db


def report(code: str, status=ReportStatus.SUBMITTED) -> DispatchReport:
    return DispatchReport.objects.create(
        period="2026-09",
        region_id=code,
        status=status,
        as_of=dt.date(2026, 9, 30),
        generated_at=timezone.now(),
        values={"region": {"persons": 1}},
    )


@pytest.fixture
def reports(regions):
    """Shache's and Shufu's county reports and the prefecture's (Kashgar, 6531)."""
    return {code: report(code) for code in ("653125", "653121", "6531")}


@pytest.fixture
def dave(regions):
    """A county operator holding the whole prefecture."""
    return make_user("dave", "county_operator", "6531")


EXPECTED = {
    # Shache's operator: asks for and submits Shache's report only.
    "alice": {"generate": {"653125"}, "submit": {"653125"}, "review": set()},
    # A prefecture reviewer: reviews the counties' reports from above, and the prefecture's.
    "bob": {
        "generate": {"653125", "653121", "6531"},
        "submit": set(),
        "review": {"653125", "653121", "6531"},
    },
    # A county operator over the prefecture submits none of its counties' reports (not the
    # county itself), but may ask for them.
    "dave": {"generate": {"653125", "653121", "6531"}, "submit": set(), "review": set()},
    # An administrator over the prefecture does all of it.
    "admin": {
        "generate": {"653125", "653121", "6531"},
        "submit": {"653125", "653121"},
        "review": {"653125", "653121", "6531"},
    },
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
@pytest.mark.parametrize("action", ["generate", "submit", "review"])
def test_each_role_may_do_what_the_report_declares_and_the_list_agrees_with_one_region(
    request, reports, dave, who, action
):
    user = request.getfixturevalue("admin_user" if who == "admin" else who)
    listed = set(DispatchReport.objects.restrict(user, action).values_list("region_id", flat=True))
    one_by_one = {
        code for code in reports if permits(user, DispatchReport, action, region_code=code)
    }
    assert listed == one_by_one == EXPECTED[who][action]


def test_an_admin_of_the_county_itself_submits_but_does_not_review_its_report(reports):
    county_admin = make_user("cadmin", "admin", "653125")
    assert permits(county_admin, DispatchReport, "submit", region_code="653125")
    assert not permits(county_admin, DispatchReport, "review", region_code="653125")


def test_an_action_a_model_does_not_declare_is_an_error_not_nobody(alice):
    with pytest.raises(LookupError):
        DispatchReport.objects.restrict(alice, "approve")


def test_a_region_s_figures_are_for_who_holds_all_of_it(alice, bob, shache_site):
    site_user = make_user("sam", "site_operator", shache_site.code)
    assert permits(bob, Region, "figures", region_code="6531")
    assert not permits(alice, Region, "figures", region_code="6531")
    assert permits(alice, Region, "figures", region_code="653125")
    # A site's operator sees the site's figures, not the county's.
    assert not permits(site_user, Region, "figures", region_code="653125")
    assert set(Region.objects.restrict(alice, "figures").values_list("code", flat=True)) >= {
        "653125"
    }
    assert "6531" not in set(
        Region.objects.restrict(alice, "figures").values_list("code", flat=True)
    )


def test_grants_from_above_and_from_the_region_itself():
    scope = Scope(region_prefixes=frozenset({"6531"}))
    above = Grant({"admin"}, reach=Reach.ABOVE)
    itself = Grant({"admin"}, reach=Reach.ITSELF)
    assert above.covers(scope, "653125", None) and not above.covers(scope, "6531", None)
    assert itself.covers(scope, "6531", None) and not itself.covers(scope, "653125", None)
    # A national record (no region) is reached only from everywhere.
    assert not Grant({"admin"}).covers(scope, None, None)
    assert Grant({"admin"}).covers(Scope.system(), None, None)


def test_the_api_refuses_outside_the_area_with_404_and_inside_without_the_right_with_403(
    reports, alice, bob, charlie
):
    shache = reports["653125"]
    shache.status = ReportStatus.DRAFT
    shache.save()
    body = {"version": shache.version}
    # Charlie (Shufu) does not see Shache's report at all.
    answer = client_for(charlie).post(
        f"/api/v1/dispatch-reports/{shache.pk}/submit/", body, format="json"
    )
    assert answer.status_code == 404
    # Bob sees it but reviews, does not submit.
    answer = client_for(bob).post(
        f"/api/v1/dispatch-reports/{shache.pk}/submit/", body, format="json"
    )
    assert answer.status_code == 403
    # Alice submits it but may not approve it.
    answer = client_for(alice).post(
        f"/api/v1/dispatch-reports/{shache.pk}/submit/", body, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "submitted"
    body = {"version": answer.json()["version"]}
    answer = client_for(alice).post(
        f"/api/v1/dispatch-reports/{shache.pk}/approve/", body, format="json"
    )
    assert answer.status_code == 403
    answer = client_for(bob).post(
        f"/api/v1/dispatch-reports/{shache.pk}/approve/", body, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "approved"


def test_a_list_narrowed_to_a_region_keeps_from_where_the_right_comes(reports, bob, dave):
    """Asking for one county's reports does not make its reviewer's prefecture the county, nor
    a prefecture's county operator an operator of the county itself."""
    assert list(
        DispatchReport.objects.restrict(bob, "review", region="653125").values_list(
            "region_id", flat=True
        )
    ) == ["653125"]
    assert not DispatchReport.objects.restrict(dave, "submit", region="653125").exists()
    assert not permits(dave, DispatchReport, "submit", region_code="653125")


def test_the_report_steps_over_the_api_answer_with_the_step_s_own_reason(reports, bob):
    """A prefecture's report is not submitted (400, whoever asks); a reviewer is told who
    submits a county's report (403)."""
    admin = make_user("padmin", "admin", "6531")
    prefecture = reports["6531"]
    prefecture.status = ReportStatus.DRAFT
    prefecture.save()
    answer = client_for(admin).post(
        f"/api/v1/dispatch-reports/{prefecture.pk}/submit/",
        {"version": prefecture.version},
        format="json",
    )
    assert answer.status_code == 400
    shache = reports["653125"]
    shache.status = ReportStatus.DRAFT
    shache.save()
    answer = client_for(bob).post(
        f"/api/v1/dispatch-reports/{shache.pk}/submit/", {"version": shache.version}, format="json"
    )
    assert answer.status_code == 403
    assert "县" in answer.json()["detail"]
