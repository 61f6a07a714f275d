"""Two-factor authentication required for some, throttled sign-ins, time-outs, and
requests to delete an account."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from localcompact.accounts import middleware
from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.testing import totp_code
from localcompact.obligations.tests.page_factories import load_testshire
from localcompact.organisations.models import CompactRole

from .conftest import PASSWORD

SIGN_IN = reverse("core:login")
SIGN_OUT = reverse("core:logout")
ACTIVATE = reverse("mfa_activate_totp")
DASHBOARD = reverse("obligations:dashboard")


def sign_in(client, email, password=PASSWORD, address="127.0.0.1"):
    return client.post(SIGN_IN, {"login": email, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def support_member(make_account, tmp_path):
    user = make_account("sam")
    version = load_testshire(tmp_path / "compact")
    CompactRole.objects.create(compact=version.compact, user=user, kind="support_team")
    return user


def confirm_password(client) -> None:
    """allauth asks for the password again before two-factor settings change."""
    response = client.get(ACTIVATE)
    if response.status_code == 302 and "reauthenticate" in response["Location"]:
        page = client.get(response["Location"]).content.decode()
        assert "govuk-input" in page
        client.post(response["Location"], {"password": PASSWORD})


def set_up_totp(client) -> str:
    confirm_password(client)
    page = client.get(ACTIVATE).content.decode()
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', page).group(1)
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


@pytest.mark.parametrize("who", ["support_member", "staff"])
def test_support_team_and_staff_must_set_up_totp_then_use_it(client, who, request, make_account):
    user = (
        request.getfixturevalue("support_member")
        if who == "support_member"
        else (make_account("stella", staff=True))
    )
    response = sign_in(client, user.email)
    assert "_auth_user_id" in client.session
    for page in (DASHBOARD, reverse("core:home"), "/admin/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == ACTIVATE, page
    page = client.get(ACTIVATE, follow=True).content.decode()
    assert "You must set up two-factor authentication" in page
    confirm_password(client)
    page = client.get(ACTIVATE).content.decode()
    assert '<img class="lc-qr-code" src="data:image/svg+xml' in page
    # The secret as text too, for people who cannot scan the code.
    assert re.search(r'id="authenticator_secret" value="[A-Z2-7]{16,}"', page)
    # The account pages, signing out and the health check stay open.
    assert client.get(reverse("account_email")).status_code == 200
    assert client.get(reverse("core:healthz")).status_code == 200

    secret = set_up_totp(client)
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert client.get(reverse("core:home")).status_code == 200

    # Next time: the password, then a code from the app.
    client.post(SIGN_OUT)
    cache.clear()  # the code just used may not be used twice
    response = sign_in(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "govuk-input" in page
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get(reverse("core:home")).status_code == 200


def test_a_normal_user_is_not_forced(client, make_account):
    user = make_account("alex")
    sign_in(client, user.email)
    assert client.get(reverse("core:home")).status_code == 200
    assert "two-factor" in client.get(reverse("mfa_index")).content.decode().lower()


def test_a_role_granted_after_sign_in_is_caught_at_the_next_check(
    client, make_account, tmp_path, monkeypatch
):
    user = make_account("alex")
    client.force_login(user)
    assert client.get(reverse("core:home")).status_code == 200
    version = load_testshire(tmp_path / "compact")
    CompactRole.objects.create(compact=version.compact, user=user, kind="subgroup_member")
    later = time.time() + middleware.MFA_RECHECK_EVERY + 1
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    assert client.get(reverse("core:home"))["Location"] == ACTIVATE


def test_five_failures_lock_that_name_out_from_that_address_only(client, make_account):
    user = make_account("alex")
    for _ in range(5):
        response = sign_in(client, user.email, "a wrong but long passphrase", "203.0.113.9")
        assert "_auth_user_id" not in client.session
    response = sign_in(client, user.email, PASSWORD, "203.0.113.9")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The real user, elsewhere, is not locked out.
    response = sign_in(client, user.email, PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_idle_sessions_are_signed_out(client, make_account, monkeypatch):
    client.force_login(make_account("alex"))
    assert client.get(reverse("account_email")).status_code == 200
    later = time.time() + 31 * 60
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN + "?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "signed out because you had not done anything for 30 minutes" in page


def test_sessions_end_at_the_absolute_limit_even_when_busy(client, make_account, monkeypatch):
    client.force_login(make_account("alex"))
    start = time.time()
    for minutes in range(0, 12 * 60 + 60, 20):
        now = start + minutes * 60
        monkeypatch.setattr(middleware.time, "time", lambda now=now: now)
        response = client.get(reverse("account_email"))
        if response.status_code == 302:
            break
    assert minutes > 12 * 60 - 20
    assert "_auth_user_id" not in client.session


def test_a_deletion_request_is_recorded_and_confirmed(client, make_account):
    user = make_account("alex")
    client.force_login(user)
    url = reverse("account_delete")
    page = client.get(url).content.decode()
    assert "must keep" in page and "are kept" in page
    assert "not deleted straight away" in page
    response = client.post(url, {"reason": "Moving away"})
    assert response.status_code == 400
    assert "Confirm that you understand" in response.content.decode()
    assert not DeletionRequest.objects.exists()
    response = client.post(url, {"reason": "Moving away", "confirm": "on"})
    assert response.status_code == 200
    assert "We have your request" in response.content.decode()
    deletion = DeletionRequest.objects.get()
    assert deletion.user == user and deletion.reason == "Moving away"
    assert mail.outbox[-1].to == ["alex@example.org"]
    assert "erase your personal data" in mail.outbox[-1].body


def test_the_deletion_page_is_for_signed_in_users(client, db):
    response = client.get(reverse("account_delete"))
    assert response["Location"].startswith(SIGN_IN)
