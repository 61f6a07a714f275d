"""Small, unconstituted community groups register with their name, area and a contact who
has confirmed their e-mail address, and no identifier (Redcar & Cleveland,
002_41c5fa4d4a1baeb0.txt, Community groups and neighbourhoods code); the register marks
them as such."""

import json

import pytest
from django.urls import reverse

from localcompact.accounts.testing import verified_email
from localcompact.organisations import services
from localcompact.organisations.models import Kind, Membership, Organisation, Role, Sector

from .test_manage_views import error_summary, text
from .test_services import make_user

pytestmark = pytest.mark.django_db

NEW = reverse("organisations:community_group_new")
GROUP = {
    "name": "Marsh Lane Neighbours",
    "area": "Marsh Lane and the Brook Street estate",
    "public_email": "neighbours@example.org",
    "public_phone": "",
}


@pytest.fixture
def resident():
    person = make_user("resident")
    verified_email(person)
    return person


def test_a_verified_person_registers_a_group_with_its_name_and_area_only(client, resident):
    client.force_login(resident)
    page = client.get(NEW)
    assert page.status_code == 200
    assert "You will be the group's contact" in text(page) and "resident@example.org" in text(page)
    sent = client.post(NEW, GROUP)
    group = Organisation.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "organisations:created", args=[group.slug]
    )
    assert (group.sector, group.kind, group.unconstituted) == (
        Sector.VCS,
        Kind.COMMUNITY_GROUP,
        True,
    )
    assert group.area_served == GROUP["area"] and not group.identifiers.exists()
    assert group.is_community_group
    assert Membership.objects.get(organisation=group).role == Role.ADMINISTRATOR
    created = text(client.get(sent["Location"]))
    assert "Unconstituted community group" in created and "None needed" in created


def test_someone_without_a_confirmed_address_is_told_to_confirm_it_first(client):
    person = make_user("unconfirmed")
    client.force_login(person)
    assert "confirm your e-mail address before you can register" in text(client.get(NEW))
    refused = client.post(NEW, GROUP)
    assert refused.status_code == 400
    assert error_summary(refused) == [
        "Confirm your e-mail address before you register a group: you will be its contact"
    ]
    assert not Organisation.objects.exists()


def test_the_name_and_area_are_needed(client, resident):
    client.force_login(resident)
    refused = client.post(NEW, {"name": " ", "area": ""})
    assert refused.status_code == 400
    assert error_summary(refused) == [
        "Enter the group's name",
        "Enter the neighbourhood or area the group works in",
    ]


def test_signing_in_is_needed(client):
    assert client.get(NEW)["Location"].startswith(reverse("core:login"))


def test_an_unconstituted_group_has_no_identifier_and_is_a_vcs_community_group(resident):
    with pytest.raises(services.Refused, match="no registration number"):
        services.organisation_create(
            name="Group",
            sector="vcs",
            kind="community_group",
            identifiers=[("GB-CHC", "1234567")],
            created_by=resident,
            unconstituted=True,
        )
    with pytest.raises(services.Refused, match="Only a voluntary and community sector"):
        services.organisation_create(
            name="Group", sector="public", kind="council", created_by=resident, unconstituted=True
        )


def test_the_register_marks_the_group_as_unconstituted(client, resident):
    group = services.community_group_register(
        name="Marsh Lane Neighbours", area="Marsh Lane", created_by=resident
    )
    listed = text(client.get(reverse("organisations:register")))
    assert "Marsh Lane Neighbours" in listed and "Unconstituted community group" in listed
    detail = text(client.get(group.get_absolute_url()))
    assert "Unconstituted community group" in detail
    assert "None: an unconstituted group has no registration" in detail
    download = json.loads(
        b"".join(client.get(reverse("organisations:register-json")).streaming_content)
    )
    assert download["organisations"][0]["unconstituted"] is True
    assert "unconstituted" in download["fields"]


def test_the_downloads_link_to_the_site_address_not_the_request_host(client, resident, settings):
    settings.SITE_URL = "https://compact.example.org"
    group = services.community_group_register(name="Group", area="Here", created_by=resident)
    rows = b"".join(
        client.get(reverse("organisations:register-csv"), HTTP_HOST="localhost").streaming_content
    ).decode()
    assert f"https://compact.example.org{group.get_absolute_url()}" in rows
    assert "localhost" not in rows
