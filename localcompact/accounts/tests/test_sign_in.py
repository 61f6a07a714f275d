"""Signing up, in and out with allauth, in GOV.UK markup."""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from .conftest import PASSWORD

SIGN_IN = reverse("core:login")
SIGN_OUT = reverse("core:logout")
SIGN_UP = reverse("account_signup")


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"login": email, "password": password}, **extra)


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/\S+/)", message.body).group(1)


def test_the_sign_in_page_asks_for_an_email_address_and_password(client, db):
    page = client.get(SIGN_IN).content.decode()
    assert '<label class="govuk-label govuk-label--s" for="login">' in page
    assert 'type="email"' in page and 'class="govuk-input' in page
    assert 'type="password"' in page and 'autocomplete="current-password"' in page
    assert "Username" not in page and "User name" not in page
    assert "<title>Sign In – LocalCompact</title>" in page
    assert 'class="govuk-heading-xl"' in page and 'class="govuk-button"' in page


def test_a_wrong_password_shows_an_error_summary(client, make_account):
    make_account("alex")
    response = sign_in(client, "alex@example.org", "not the passphrase at all")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "govuk-error-summary" in page
    assert '<a href="#login">' in page
    assert "<title>Error: Sign In" in page
    assert "_auth_user_id" not in client.session


def test_sign_up_verify_then_sign_in(client, db):
    response = client.post(
        SIGN_UP,
        {"email": "newcomer@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newcomer@example.org"]
    assert message.subject.startswith("[LocalCompact] ")

    # Not yet verified: signing in sends another link instead.
    response = sign_in(client, "newcomer@example.org")
    assert "_auth_user_id" not in client.session

    confirm = link_in(message)
    page = client.get(confirm).content.decode()
    assert "govuk-button" in page
    client.post(confirm)
    assert EmailAddress.objects.get(email="newcomer@example.org").verified

    response = sign_in(client, "newcomer@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("obligations:dashboard")
    assert client.session["_auth_user_id"] == str(
        get_user_model().objects.get(email="newcomer@example.org").pk
    )


def test_an_unverified_user_cannot_sign_in(client, db):
    user = get_user_model().objects.create_user(
        "unverified", email="unverified@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = sign_in(client, "unverified@example.org")
    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox and mail.outbox[-1].to == ["unverified@example.org"]


def test_short_and_common_passwords_are_refused_and_passphrases_accepted(client, db):
    def sign_up(email, password):
        return client.post(SIGN_UP, {"email": email, "password1": password, "password2": password})

    page = sign_up("a@example.org", "fourteen-chars").content.decode()
    assert "at least 15 characters" in page and "govuk-error-summary" in page
    page = sign_up("b@example.org", "1q2w3e4r5t6y7u8i9o0p").content.decode()
    assert "too common" in page
    long_passphrase = "the quick brown fox jumps over the lazy dog " * 3
    assert sign_up("c@example.org", long_passphrase).status_code == 302
    assert get_user_model().objects.filter(email="c@example.org").exists()


def test_the_session_key_changes_at_sign_in(client, make_account):
    make_account("alex")
    client.get(SIGN_IN)
    client.session["probe"] = 1
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.session.session_key
    sign_in(client, "alex@example.org")
    assert client.session.session_key != before
    assert "_auth_user_id" in client.session


def test_signing_out_is_a_post(client, make_account):
    user = make_account("alex")
    client.force_login(user)
    page = client.get(SIGN_OUT).content.decode()
    assert "_auth_user_id" in client.session
    assert f'action="{SIGN_OUT}"' in page or 'method="post"' in page
    response = client.post(SIGN_OUT)
    assert response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session


def test_the_navigation_offers_sign_in_or_sign_out(client, make_account):
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{SIGN_IN}"' in page
    client.force_login(make_account("alex"))
    page = client.get(reverse("core:home")).content.decode()
    assert f'<form method="post" action="{SIGN_OUT}"' in page


def test_signing_in_goes_where_you_were_going_but_not_to_another_site(client, make_account):
    make_account("alex")
    target = reverse("account_email")
    response = sign_in(client, "alex@example.org", **{})
    client.post(SIGN_OUT)
    response = client.post(
        SIGN_IN, {"login": "alex@example.org", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target
    client.post(SIGN_OUT)
    response = client.post(
        SIGN_IN,
        {"login": "alex@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("obligations:dashboard")


def test_password_reset(client, make_account):
    make_account("alex")
    client.post(reverse("account_reset_password"), {"email": "alex@example.org"})
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    response = client.get(link)
    # allauth moves the key into the session, then shows the form.
    form_url = response["Location"] if response.status_code == 302 else link
    new = "an entirely different long passphrase"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "alex@example.org", new).status_code == 302
    assert "_auth_user_id" in client.session


def test_changing_the_email_address_needs_verification(client, make_account):
    user = make_account("alex")
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "alex2@example.org"})
    assert mail.outbox and mail.outbox[-1].to == ["alex2@example.org"]
    user.refresh_from_db()
    assert user.email == "alex@example.org"
    new = EmailAddress.objects.get(email="alex2@example.org")
    assert not new.verified
    client.post(link_in(mail.outbox[-1]))
    user.refresh_from_db()
    assert user.email == "alex2@example.org"


def test_account_pages_render_in_govuk_markup(client, make_account):
    client.force_login(make_account("alex"))
    for name in ("account_email", "account_change_password", "mfa_index", "account_delete"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "govuk-template" in page and 'class="govuk-heading-xl"' in page, name
    client.logout()
    for name in ("account_signup", "account_reset_password", "account_login"):
        page = client.get(reverse(name)).content.decode()
        assert 'class="govuk-heading-xl"' in page and "govuk-form-group" in page, name
