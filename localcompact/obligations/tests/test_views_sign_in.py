"""Signing in and out (Django's views, GOV.UK markup): one message for every failed
sign-in, so the page never says whether an account exists; signing out is a POST."""

from django.urls import reverse

from .page_factories import PASSWORD, sign_in, world_fixture  # noqa: F401

SIGN_IN = reverse("core:login")
SIGN_OUT = reverse("core:logout")
MESSAGE = "Enter a correct user name and password. Both are case-sensitive."


def test_the_page_asks_for_a_user_name_and_password(client, db):
    page = client.get(SIGN_IN).content.decode()
    assert '<label class="govuk-label govuk-label--s" for="username">User name</label>' in page
    assert 'autocomplete="username"' in page
    assert 'type="password"' in page and 'autocomplete="current-password"' in page
    assert "<title>Sign in – LocalCompact</title>" in page
    assert 'class="govuk-generic-header__homepage-link">LocalCompact</a>' in page


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client, world):
    officer = world.user("officer")
    wrong = client.post(SIGN_IN, {"username": officer.get_username(), "password": "nope" * 5})
    unknown = client.post(SIGN_IN, {"username": "nobody-at-all", "password": "nope" * 5})
    for response in (wrong, unknown):
        assert response.status_code == 200
        page = response.content.decode()
        assert "There is a problem" in page
        assert f'<a href="#username">{MESSAGE}</a>' in page
        assert "<title>Error: Sign in" in page
        assert "_auth_user_id" not in client.session


def test_an_inactive_account_gets_the_same_answer_too(client, world):
    officer = world.user("officer")
    officer.is_active = False
    officer.save()
    response = client.post(SIGN_IN, {"username": officer.get_username(), "password": PASSWORD})
    assert MESSAGE in response.content.decode()


def test_blank_fields_are_named(client, db):
    page = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert '<a href="#username">Enter your user name</a>' in page
    assert '<a href="#password">Enter your password</a>' in page


def test_signing_in_goes_to_your_obligations_or_where_you_were_going(client, world):
    officer = world.user("officer")
    response = client.post(SIGN_IN, {"username": officer.get_username(), "password": PASSWORD})
    assert response["Location"] == reverse("obligations:dashboard")
    client.logout()
    target = reverse("obligations:calendar", kwargs={"slug": "testshire-council"})
    response = client.get(target)
    assert response["Location"] == f"{SIGN_IN}?next={target}"
    response = client.post(
        f"{SIGN_IN}?next={target}",
        {"username": officer.get_username(), "password": PASSWORD, "next": target},
    )
    assert response["Location"] == target


def test_it_will_not_send_you_to_another_site(client, world):
    officer = world.user("officer")
    response = client.post(
        SIGN_IN,
        {"username": officer.get_username(), "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("obligations:dashboard")


def test_the_navigation_offers_sign_in_or_sign_out(client, world):
    page = client.get(reverse("core:home")).content.decode()
    assert f'href="{SIGN_IN}"' in page and "Your obligations" not in page
    sign_in(client, world, "member")
    page = client.get(reverse("core:home")).content.decode()
    assert f'<form method="post" action="{SIGN_OUT}"' in page
    assert "csrfmiddlewaretoken" in page
    assert "Your obligations" in page


def test_signing_out_is_a_post(client, world):
    sign_in(client, world, "member")
    assert client.get(SIGN_OUT).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(SIGN_OUT)
    assert response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session
