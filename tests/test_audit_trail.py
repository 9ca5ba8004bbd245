"""The security audit trail (GB/T 22239-2019 level 3, §8.1.4.3) as its events happen: each is
recorded by doing what a user does, with who, the outcome and the source address; the trail
cannot be changed, in the application, the admin or (on PostgreSQL) the database; it is pruned
only past its retention."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.generation import report_generate
from governance.models import DispatchReport
from households.models import Membership, Region
from households.tests.test_excel_import import family
from households.tests.workbooks import xlsx
from resettle import audit
from resettle.audit import check_retention
from resettle.celery import app
from resettle.models import AccessLog, AuditTrailIsAppendOnly
from resettle.periods import last_ended

pytestmark = pytest.mark.django_db

PASSWORD = "Pw#12345678"
OFFICE = "10.20.30.40"


def rows(action: str):
    return AccessLog.objects.filter(action=action).order_by("pk")


def only(action: str) -> AccessLog:
    [row] = rows(action)
    return row


def signed_in(user, address: str = OFFICE) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


@pytest.fixture
def root(regions):
    return User.objects.create_superuser("root", password=PASSWORD)


# --- Signing in and out ---------------------------------------------------------------------


def test_sign_in_wrong_then_right_then_out(alice):
    client = Client(REMOTE_ADDR=OFFICE)
    client.post("/login/", {"username": "alice", "password": "wrong"})
    client.post("/login/", {"username": "nobody", "password": "wrong"})
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    client.post("/logout/")

    wrong, unknown = rows("sign_in_failed")
    assert (wrong.user, wrong.username, wrong.outcome, wrong.address) == (
        alice,
        "alice",
        "failure",
        OFFICE,
    )
    # A name no account has is kept as typed, with no account.
    assert (unknown.user, unknown.username, unknown.outcome) == (None, "nobody", "failure")
    sign_in = only("sign_in")
    assert (sign_in.user, sign_in.outcome, sign_in.address) == (alice, "success", OFFICE)
    assert (only("sign_out").user, only("sign_out").address) == (alice, OFFICE)


def test_a_failed_api_sign_in_is_recorded_too(alice):
    Client(REMOTE_ADDR=OFFICE).post(
        "/api/v1/auth/token/", {"username": "alice", "password": "wrong"}
    )
    row = only("sign_in_failed")
    assert (row.user, row.outcome, row.address, row.detail) == (
        alice,
        "failure",
        OFFICE,
        "/api/v1/auth/token/",
    )


def test_a_failed_sign_in_is_nobodys_even_from_a_signed_in_browser(alice):
    signed_in(alice).post("/login/", {"username": "nobody", "password": "x"})
    row = only("sign_in_failed")
    assert (row.user, row.username, row.address) == (None, "nobody", OFFICE)


def test_a_typed_name_is_cut_to_the_column(regions):
    Client().post("/login/", {"username": "x" * 200, "password": "wrong"})
    assert only("sign_in_failed").username == "x" * 150


def test_the_lockout_is_recorded_once_and_attempts_while_locked_are_refused(alice, settings):
    client = Client(REMOTE_ADDR=OFFICE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "alice", "password": "wrong"})
    # Locked now: even the right password is refused, from anywhere.
    assert Client().post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 429
    Client().post("/login/", {"username": "alice", "password": "wrong"})

    lockout = only("locked_out")
    assert (lockout.user, lockout.outcome, lockout.address) == (alice, "success", OFFICE)
    # In the order they happened: the failures, the lockout, the attempts refused.
    events = AccessLog.objects.filter(action__in=["sign_in_failed", "locked_out"]).order_by("pk")
    assert list(events.values_list("action", "outcome")) == [
        ("sign_in_failed", "failure")
    ] * settings.AXES_FAILURE_LIMIT + [
        ("locked_out", "success"),
        ("sign_in_failed", "refused"),
        ("sign_in_failed", "refused"),
    ]
    assert not rows("sign_in").exists()


def test_forwarded_addresses_count_only_from_a_trusted_proxy(alice, settings):
    forged = {"HTTP_X_FORWARDED_FOR": "6.6.6.6"}
    Client(REMOTE_ADDR="203.0.113.9", **forged).post(
        "/login/", {"username": "alice", "password": "x"}
    )
    settings.AUDIT_TRUSTED_PROXIES = ["10.0.0.0/24"]
    # The client wrote 6.6.6.6 itself; our proxy appended who it saw: 198.51.100.7.
    Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7").post(
        "/login/", {"username": "alice", "password": "x"}
    )
    direct, proxied = rows("sign_in_failed")
    assert direct.address == "203.0.113.9"
    assert proxied.address == "198.51.100.7"


# --- Reading and moving personal data -----------------------------------------------------------


def test_a_reveal_and_a_refused_one(alice, bob, shache_household):
    url = f"/households/{shache_household.pk}/?reveal=1"
    assert signed_in(alice).get(url).status_code == 200
    assert signed_in(bob, "10.9.9.9").get(url).status_code == 403
    allowed, refused = rows("reveal")
    assert (allowed.user, allowed.outcome, allowed.address) == (alice, "success", OFFICE)
    assert (allowed.model, allowed.object_id) == ("households.household", str(shache_household.pk))
    assert (refused.user, refused.outcome, refused.address) == (bob, "refused", "10.9.9.9")


def test_a_full_export_is_recorded_with_its_rows_and_address(alice, shache_household):
    response = signed_in(alice).get(reverse("household-export") + "?format=csv&reveal=1")
    b"".join(response.streaming_content)
    row = only("export")
    assert (row.user, row.rows, row.address, row.model) == (alice, 2, OFFICE, "households")


def test_an_import_commit_is_recorded(alice, shache_site):
    client = signed_in(alice)
    client.post(
        reverse("household-import"), {"file": SimpleUploadedFile("台账.xlsx", xlsx(family()))}
    )
    assert not rows("import_committed").exists()  # a check writes nothing
    job = alice.exceljob_set.get()
    client.post(reverse("excel-job-commit", args=[job.pk]))
    row = only("import_committed")
    assert (row.user, row.outcome, row.address, row.rows) == (alice, "success", OFFICE, 3)
    assert row.detail == "households: 台账.xlsx"


# --- The monthly reports ------------------------------------------------------------------------


def test_report_submitted_approved_and_returned(alice, bob, shache_household):
    period = last_ended()
    county = report_generate(actor=None, period=period, region=Region.objects.get(code="653125"))
    page = f"/reports/{county.pk}/"

    def act(client, action, **extra):
        county.refresh_from_db()
        client.post(page, {"action": action, "version": county.version, **extra})

    act(signed_in(alice), "submit")
    act(signed_in(bob, "10.0.8.8"), "approve")
    act(signed_in(bob, "10.0.8.8"), "return", reason="数字有误")
    county.refresh_from_db()
    assert county.status == "returned"

    submitted = only("report_submitted")
    assert (submitted.user, submitted.address, submitted.object_id) == (
        alice,
        OFFICE,
        str(county.pk),
    )
    assert submitted.detail == f"653125 {period}"
    assert (only("report_approved").user, only("report_approved").address) == (bob, "10.0.8.8")
    # Un-approving an approved report is its own event, with the reason.
    reopened = only("report_reopened")
    assert (reopened.user, reopened.detail) == (bob, f"653125 {period}: 数字有误")


def test_a_submitted_report_returned_is_a_return(alice, bob, shache_household):
    county = report_generate(
        actor=None, period=last_ended(), region=Region.objects.get(code="653125")
    )
    signed_in(alice).post(f"/reports/{county.pk}/", {"action": "submit", "version": 1})
    county.refresh_from_db()
    signed_in(bob).post(
        f"/reports/{county.pk}/", {"action": "return", "version": county.version, "reason": "缺数"}
    )
    assert DispatchReport.objects.get(pk=county.pk).status == "returned"
    assert only("report_returned").user == bob


# --- Accounts, memberships and permissions ------------------------------------------------------


def test_a_membership_granted_and_revoked_in_the_admin(root, alice):
    client = signed_in(root)
    added = client.post(
        "/admin/households/membership/add/",
        {"user": alice.pk, "role": "county_operator", "region": "653121", "site": ""},
    )
    assert added.status_code == 302
    membership = Membership.objects.get(user=alice, region_id="653121")
    client.post(f"/admin/households/membership/{membership.pk}/delete/", {"post": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()

    granted = rows("membership_granted").get(object_id=str(membership.pk))
    assert (granted.user, granted.address) == (root, OFFICE)
    assert granted.detail == "alice: county_operator @ 653121"
    revoked = only("membership_revoked")
    assert (revoked.user, revoked.detail) == (root, "alice: county_operator @ 653121")


def test_account_switches_and_permissions_changed_in_the_admin(root, bob):
    reveal = Permission.objects.get(codename="reveal_sensitive")
    form = {
        "username": "bob",
        "is_active": "on",
        "is_staff": "on",
        "user_permissions": [reveal.pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    response = signed_in(root).post(f"/admin/auth/user/{bob.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=bob.pk).has_perm("households.reveal_sensitive")

    account = rows("account_changed").get(object_id=str(bob.pk), user=root)
    assert account.detail == "bob: is_staff False → True"
    assert account.address == OFFICE
    granted = rows("permission_changed").get(user=root)
    assert granted.detail == "bob: + households.reveal_sensitive"


def test_a_password_changed_in_the_admin(root, bob):
    response = signed_in(root).post(
        f"/admin/auth/user/{bob.pk}/password/",
        {
            "password1": "Neu#Passwort2026",
            "password2": "Neu#Passwort2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    row = only("password_changed")
    assert (row.user, row.detail, row.address) == (root, "bob", OFFICE)


def test_a_membership_granted_from_the_command_line(regions, alice):
    call_command(
        "add_member",
        "wang",
        "--role",
        "county_operator",
        "--scope",
        "653125",
        "--password",
        "Wang#2026pass",
        stdout=io.StringIO(),
    )
    row = rows("membership_granted").last()
    # No one signed in did it: no user, no address.
    assert (row.user, row.address, row.detail) == (None, None, "wang: county_operator @ 653125")


def test_signing_in_records_no_account_change(alice):
    """Signing in saves the account (last login, a password hash upgrade): not a change."""
    before = rows("account_changed").count()
    Client().post("/login/", {"username": "alice", "password": PASSWORD})
    assert rows("account_changed").count() == before
    assert not rows("password_changed").exists()


# --- Append-only ------------------------------------------------------------------------------


def test_a_row_is_never_changed_or_deleted(alice):
    row = audit.record(audit.Action.TOKEN_CREATED, user=alice, detail="script")
    row.detail = "nothing happened"
    with pytest.raises(AuditTrailIsAppendOnly):
        row.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        row.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AccessLog.objects.filter(pk=row.pk).update(detail="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=row.pk).detail == "script"


def test_the_admin_lists_filters_and_changes_nothing(root, alice):
    Client(REMOTE_ADDR=OFFICE).post("/login/", {"username": "alice", "password": "wrong"})
    failed = only("sign_in_failed")
    client = signed_in(root)
    listing = client.get("/admin/resettle/accesslog/?outcome__exact=failure")
    page = listing.content.decode()
    assert listing.status_code == 200 and "登录失败" in page and OFFICE in page
    assert "/admin/resettle/accesslog/add/" not in page
    assert 'value="delete_selected"' not in page
    searched = client.get(f"/admin/resettle/accesslog/?q={OFFICE}").content.decode()
    assert "alice" in searched
    detail = client.get(f"/admin/resettle/accesslog/{failed.pk}/change/").content.decode()
    assert failed.detail in detail and 'name="_save"' not in detail and "/delete/" not in detail
    # No add, change or delete, for a superuser too.
    assert client.get("/admin/resettle/accesslog/add/").status_code == 403
    assert (
        client.post(f"/admin/resettle/accesslog/{failed.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/admin/resettle/accesslog/{failed.pk}/change/", {"detail": "nothing"}
        ).status_code
        == 403
    )
    client.post(
        "/admin/resettle/accesslog/",
        {"action": "delete_selected", "_selected_action": [failed.pk], "post": "yes"},
    )
    assert AccessLog.objects.get(pk=failed.pk).detail == failed.detail


def test_the_admin_exports_the_filtered_rows_and_records_it(root, alice):
    Client(REMOTE_ADDR=OFFICE).post("/login/", {"username": "=HYPERLINK(1)", "password": "x"})
    Client(REMOTE_ADDR=OFFICE).post("/login/", {"username": "alice", "password": PASSWORD})
    response = signed_in(root).get("/admin/resettle/accesslog/export/?action__exact=sign_in_failed")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0][:5] == ["时间", "用户名", "事件", "结果", "来源地址"]
    # Only the failed sign-in; a name typed as a formula stays text.
    assert [r[1:5] for r in table[1:]] == [["'=HYPERLINK(1)", "登录失败", "失败", OFFICE]]
    exported = only("audit_exported")
    assert (exported.user, exported.rows, exported.detail) == (
        root,
        1,
        "action__exact=sign_in_failed",
    )


def test_who_may_not_read_the_trail_gets_no_export(alice):
    assert signed_in(alice).get("/admin/resettle/accesslog/export/").status_code == 302
    assert not rows("audit_exported").exists()


# --- Retention ----------------------------------------------------------------------------------


def old_row(days: int) -> AccessLog:
    return AccessLog.objects.create(
        action="sign_in", username="old", at=timezone.now() - dt.timedelta(days=days)
    )


def test_pruning_deletes_only_rows_past_the_retention(settings, regions):
    settings.AUDIT_RETENTION_DAYS = 200
    kept, gone = old_row(199), old_row(201)
    call_command("prune_audit_trail", stdout=io.StringIO())
    assert AccessLog.objects.filter(pk=kept.pk).exists()
    assert not AccessLog.objects.filter(pk=gone.pk).exists()
    assert only("audit_pruned").rows == 1


def test_a_retention_below_six_months_is_refused(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    [error] = check_retention()
    assert error.id == "resettle.E001"
    # And pruning never goes below 180 days whatever the setting.
    young = old_row(100)
    assert audit.prune_audit_trail() == 0
    assert AccessLog.objects.filter(pk=young.pk).exists()


def test_the_prune_task_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["audit-trail-prune-nightly"]
    assert entry["task"] == "resettle.prune_audit_trail"

    app.loader.import_default_modules()
    assert "resettle.prune_audit_trail" in app.tasks


# --- On PostgreSQL the database itself refuses ------------------------------------------------


@pytest.mark.integration
def test_postgresql_refuses_raw_updates_and_deletes_of_recent_rows(regions):
    if connection.vendor != "postgresql":
        pytest.fail("the integration tests need DATABASE_URL=postgres://… (make test-integration)")
    recent = audit.record(audit.Action.SIGN_IN, username="alice")
    old = old_row(400)
    for sql in (
        "UPDATE resettle_accesslog SET detail = 'rewritten' WHERE id = %s",
        "DELETE FROM resettle_accesslog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [recent.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE resettle_accesslog SET detail = 'x' WHERE id = %s", [old.pk])
    assert AccessLog.objects.get(pk=recent.pk).detail == ""
    # Past the retention, pruning deletes.
    assert audit.prune_audit_trail() == 1
    assert not AccessLog.objects.filter(pk=old.pk).exists()
