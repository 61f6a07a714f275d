"""The demo data `make run` adds: every obligation status is there to look at."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from localcompact.obligations.models import Obligation, Status


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_shows_an_obligation_in_every_status(shipped_compacts):
    call_command("seed_demo", stdout=io.StringIO())
    assert set(Obligation.objects.values_list("status", flat=True)) == set(Status.values)


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_is_added_once_only(shipped_compacts):
    call_command("seed_demo", stdout=io.StringIO())
    obligations = Obligation.objects.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "already there" in out.getvalue()
    assert Obligation.objects.count() == obligations


@pytest.mark.django_db
def test_the_demo_with_its_public_passwords_is_refused_without_debug(shipped_compacts):
    with pytest.raises(CommandError, match="only added with DEBUG on"):
        call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_people_can_sign_in_with_their_e_mail_address(shipped_compacts, client):
    call_command("seed_demo", stdout=io.StringIO())
    response = client.post(
        "/sign-in/", {"login": "olivia@example.org", "password": "demo-compact-passphrase"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
