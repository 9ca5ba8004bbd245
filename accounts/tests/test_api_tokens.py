"""API tokens as a script and its cadre meet them: named, listed with their last use, expiring
when idle and with age, refused while the account is locked, revoked with the password, by an
administrator and by their user; another user's token is not found."""

import datetime as dt

import pytest
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from resettle.models import AccessLog

pytestmark = pytest.mark.django_db

PASSWORD = "Pw#12345678"
REFUSED = "令牌无效、已过期或已被撤销"


def issue(username="alice", name=None, password=PASSWORD):
    data = {"username": username, "password": password}
    if name is not None:
        data["name"] = name
    return APIClient().post("/api/v1/auth/token/", data, format="json")


def client_with(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def works(secret: str) -> bool:
    response = client_with(secret).get("/api/v1/households/")
    assert response.status_code in (200, 401, 403), response.content
    return response.status_code == 200


def test_a_named_token_is_issued_once_and_works_with_the_token_header(alice, shache_household):
    response = issue(name="月报导出脚本")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "月报导出脚本" and body["last_used"] is None
    assert len(body["token"]) == 64 and body["prefix"] == body["token"][:8]
    issued = dt.datetime.fromisoformat(body["created"])
    assert dt.datetime.fromisoformat(body["expires"]) - issued == dt.timedelta(days=7)
    listed = client_with(body["token"]).get("/api/v1/households/")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    # Only its hash is kept.
    assert not ApiToken.objects.filter(digest=body["token"]).exists()
    assert not ApiToken.objects.filter(token_key=body["token"]).exists()


def test_several_named_tokens_are_listed_with_last_use_and_never_their_secret(alice):
    script = issue(name="script").json()["token"]
    platform = issue(name="county platform").json()["token"]
    assert issue(name="").json()["name"] == "API"
    ApiToken.objects.filter(name="script").update(last_used=timezone.now() - dt.timedelta(hours=2))
    assert works(script)
    response = client_with(platform).get("/api/v1/auth/tokens/")
    rows = {row["name"]: row for row in response.json()["results"]}
    assert set(rows) == {"script", "county platform", "API"}
    assert timezone.now() - dt.datetime.fromisoformat(rows["script"]["last_used"]) < (
        dt.timedelta(seconds=10)
    )
    assert rows["county platform"]["last_used"] is not None  # this very request
    assert rows["API"]["last_used"] is None
    text = response.content.decode()
    for secret in (script, platform):
        assert secret not in text and secret[:9] not in text
    for token in ApiToken.objects.all():
        assert token.digest not in text
    assert set(rows["script"]) == {"id", "name", "prefix", "created", "last_used", "expires"}


def test_asking_again_with_a_name_replaces_that_token(alice):
    first = issue(name="script").json()["token"]
    second = issue(name="script").json()["token"]
    assert not works(first) and works(second)
    assert ApiToken.objects.filter(user=alice, name="script").count() == 1


def test_a_token_idle_too_long_is_refused_and_no_longer_listed(alice):
    secret = issue(name="script").json()["token"]
    other = issue(name="other").json()["token"]
    ApiToken.objects.filter(name="script").update(
        last_used=timezone.now() - dt.timedelta(days=7, minutes=1),
        expiry=timezone.now() - dt.timedelta(minutes=1),
    )
    response = client_with(secret).get("/api/v1/households/")
    assert response.status_code == 401 and REFUSED in response.json()["detail"]
    names = [r["name"] for r in client_with(other).get("/api/v1/auth/tokens/").json()["results"]]
    assert names == ["other"]


def test_idle_expiry_applies_a_shortened_setting_to_tokens_already_issued(alice, settings):
    secret = issue(name="script").json()["token"]
    ApiToken.objects.update(last_used=timezone.now() - dt.timedelta(days=2))
    settings.API_TOKEN_IDLE = dt.timedelta(days=1)
    assert not works(secret)


def test_a_token_is_refused_after_its_maximum_age_however_often_used(alice):
    secret = issue(name="script").json()["token"]
    token = ApiToken.objects.get()
    ApiToken.objects.filter(pk=token.pk).update(
        created=timezone.now() - dt.timedelta(days=89, hours=23),
        last_used=timezone.now() - dt.timedelta(hours=1),
    )
    assert works(secret)
    token.refresh_from_db()
    # Its expiry is capped at 90 days from issue, not a week from this use.
    assert token.expiry == token.created + dt.timedelta(days=90)
    ApiToken.objects.filter(pk=token.pk).update(
        created=timezone.now() - dt.timedelta(days=90, minutes=1),
        last_used=timezone.now() - dt.timedelta(minutes=5),
        expiry=timezone.now() + dt.timedelta(days=6),
    )
    response = client_with(secret).get("/api/v1/households/")
    assert response.status_code == 401 and REFUSED in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_a_locked_account_s_tokens_are_refused_until_it_is_unlocked(alice):
    secret = issue(name="script").json()["token"]
    for _ in range(5):
        issue(password="wrong")
    refused = client_with(secret).get("/api/v1/households/")
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert "已被锁定" in detail and "30 分钟" in detail and "管理员解锁" in detail
    call_command("axes_reset_username", "alice", verbosity=0)
    assert works(secret)


def test_an_inactive_account_s_tokens_are_refused(alice):
    secret = issue(name="script").json()["token"]
    User.objects.filter(pk=alice.pk).update(is_active=False)  # as a bulk update would
    refused = client_with(secret).get("/api/v1/households/")
    assert refused.status_code == 401 and "已停用" in refused.json()["detail"]


def test_deactivating_a_user_revokes_their_tokens(alice):
    secret = issue(name="script").json()["token"]
    alice.is_active = False
    alice.save()
    assert not ApiToken.objects.exists()
    alice.is_active = True
    alice.save()
    assert not works(secret)


def test_a_password_change_revokes_every_token(alice):
    secrets = [issue(name=name).json()["token"] for name in ("a", "b")]
    bob_token = issue_for_bob()
    form = PasswordChangeForm(
        alice,
        {
            "old_password": PASSWORD,
            "new_password1": "Xinjiang#2027",
            "new_password2": "Xinjiang#2027",
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    assert not any(works(secret) for secret in secrets)
    assert works(bob_token)
    assert issue(password="Xinjiang#2027").status_code == 200


def issue_for_bob() -> str:
    User.objects.create_user("bobby", password=PASSWORD)
    return issue("bobby", name="x").json()["token"]


def test_the_changepassword_command_revokes_the_tokens(alice, monkeypatch):
    secret = issue(name="script").json()["token"]
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Xinjiang#2027")
    call_command("changepassword", "alice", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not works(secret)


def test_an_administrator_setting_a_password_revokes_the_tokens(alice):
    secret = issue(name="script").json()["token"]
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    response = client.post(
        f"/admin/auth/user/{alice.pk}/password/",
        {"password1": "Xinjiang#2027", "password2": "Xinjiang#2027", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert not works(secret)


def test_signing_in_keeps_the_tokens_even_when_the_password_hash_is_upgraded(alice):
    secret = issue(name="script").json()["token"]
    old_hash = PBKDF2PasswordHasher().encode(PASSWORD, "saltsalt", iterations=1000)
    User.objects.filter(pk=alice.pk).update(password=old_hash)
    response = Client().post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).password != old_hash  # Django re-hashed it
    assert works(secret)


def test_an_administrator_revokes_tokens_in_the_admin(alice):
    secret = issue(name="script").json()["token"]
    kept = issue(name="kept").json()["token"]
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200
    assert "script" in listing.content.decode() and secret[:8] in listing.content.decode()
    assert secret not in listing.content.decode()
    token = ApiToken.objects.get(name="script")
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "已撤销 1 个 API 令牌" in response.content.decode()
    assert not works(secret) and works(kept)


def test_a_user_revokes_a_token_and_another_user_s_is_not_found(alice, charlie):
    alice_script = issue(name="script").json()["token"]
    alice_other = issue(name="other").json()["token"]
    charlie_token = issue("charlie", name="script").json()["token"]
    alice_id = ApiToken.objects.get(user=alice, name="script").pk
    charlie_client = client_with(charlie_token)
    assert charlie_client.get(f"/api/v1/auth/tokens/{alice_id}/").status_code == 404
    assert charlie_client.delete(f"/api/v1/auth/tokens/{alice_id}/").status_code == 404
    assert works(alice_script)
    assert client_with(alice_other).delete(f"/api/v1/auth/tokens/{alice_id}/").status_code == 204
    assert not works(alice_script) and works(alice_other)


def test_sign_out_of_one_token_or_of_all(alice):
    first, second, third = (issue(name=n).json()["token"] for n in ("a", "b", "c"))
    assert client_with(first).post("/api/v1/auth/logout/").status_code == 204
    assert not works(first) and works(second)
    response = client_with(second).post("/api/v1/auth/logout-all/")
    assert response.json() == {"revoked": 2}
    assert not works(second) and not works(third)


def test_no_more_tokens_than_the_limit(alice, settings):
    settings.API_TOKEN_LIMIT = 2
    issue(name="a")
    issue(name="b")
    refused = issue(name="c")
    assert refused.status_code == 400
    assert "最多" in refused.json()["name"][0] and "撤销" in refused.json()["name"][0]
    assert ApiToken.objects.count() == 2
    assert issue(name="a").status_code == 200  # replacing one is fine


@pytest.mark.parametrize(
    "header",
    [b"Token zz-not-a-token", b"Token \xff\xfe", "Token abc\u0000def", b"Token 1234abcd"],
)
def test_a_token_that_is_none_of_ours_is_refused_in_words(alice, header):
    response = APIClient().get("/api/v1/households/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and REFUSED in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [[], ["alice"], {"username": ["alice"], "password": PASSWORD}, {"username": "alice"}],
)
def test_a_malformed_token_request_is_refused_with_400(alice, body):
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_wrong_password_says_what_to_do(alice):
    response = issue(password="wrong")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.json()["non_field_errors"][0]


def test_every_issue_and_revocation_is_in_the_audit_trail(alice):
    def trail():
        return list(
            AccessLog.objects.filter(model="accounts.apitoken")
            .order_by("pk")
            .values_list("action", "username", "outcome", "address", "detail")
        )

    secret = issue(name="script").json()["token"]
    issue(name="script")  # replaces the first
    issue(name="platform")
    token = ApiToken.objects.get(name="platform")
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    alice.set_password("Xinjiang#2027")
    alice.save()
    rows = trail()
    assert [(action, who) for action, who, *_ in rows] == [
        ("token_created", "alice"),
        ("token_revoked", "alice"),
        ("token_created", "alice"),
        ("token_created", "alice"),
        ("token_revoked", "root"),
        ("token_revoked", "alice"),
    ]
    assert all(
        outcome == "success" and address == "127.0.0.1" for _, _, outcome, address, _ in rows[:5]
    )
    assert "replaced" in rows[1][4] and "“script”" in rows[1][4]
    assert "administrator" in rows[4][4] and "“platform”" in rows[4][4]
    assert "password changed" in rows[5][4]
    assert all(secret not in row[4] for row in rows)
