"""Confidentiality: who sees a case, its records and documents, in every place it could
show (the case page, its steps, its documents, the list, search and its count), and that
published findings are public. The cast is described in conftest.py."""

import pytest
from django.urls import reverse

from localcompact.disputes.models import CaseDocument

from .conftest import pdf, raise_leicester, step, to_appeal

SEES = ["council_officer", "charity_admin", "chair", "member_one", "member_two"]
DOES_NOT_SEE = [
    None,  # anonymous
    "outsider",
    "charity_member",  # a member, not an officer, of a party
    "trust_officer",  # an officer of a signatory not in this case
    "club_officer",
    "conflicted",  # on the subgroup, but a member of a party
    "support",
    "working_group",
    "staff",
    "mediator",  # not appointed to this case
]


@pytest.fixture
def submitted(cast):
    case = raise_leicester(cast)
    return step(case, "submit-in-writing", cast.charity_admin, documents={"statement": pdf()})


def sign_in(client, cast, name):
    if name is not None:
        client.force_login(cast.users[name])


def listing(client):
    return client.get(reverse("disputes:index")).content.decode()


@pytest.mark.parametrize("name", SEES)
def test_the_people_involved_see_the_case_everywhere(client, cast, submitted, name):
    sign_in(client, cast, name)
    page = client.get(submitted.get_absolute_url())
    assert page.status_code == 200
    assert "Two meetings with the service manager." in page.content.decode()
    assert submitted.reference in listing(client)
    found = client.get(reverse("disputes:index"), {"q": "youth services"}).content.decode()
    assert submitted.reference in found and "1 case" in found
    document = CaseDocument.objects.get()
    download = client.get(document.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("name", DOES_NOT_SEE)
def test_nobody_else_sees_the_case_anywhere(client, cast, submitted, name):
    sign_in(client, cast, name)
    page = client.get(submitted.get_absolute_url())
    assert page.status_code in (302, 404)  # anonymous is sent to sign in
    step_page = client.get(
        reverse("disputes:step", args=[submitted.reference, "chair-proposes-mediation"])
    )
    assert step_page.status_code in (302, 404)
    download = client.get(CaseDocument.objects.get().get_absolute_url())
    assert download.status_code in (302, 404)
    text = listing(client)
    assert submitted.reference not in text and submitted.title not in text
    found = client.get(reverse("disputes:index"), {"q": "youth services"}).content.decode()
    assert submitted.reference not in found and "1 case" not in found
    findings = client.get(reverse("disputes:findings")).content.decode()
    assert submitted.reference not in findings


def test_the_other_side_does_not_see_a_herefordshire_breach_until_it_is_raised(client, cast):
    from localcompact.disputes import services

    case = services.case_raise(
        compact=cast.herefordshire,
        organisation=cast.charity,
        others=[cast.council],
        about="compact",
        title="Preparing a complaint",
        opening={"code-not-followed": "11.2.1"},
        by=cast.charity_admin,
        today=cast.leicester.created_at.date(),
    )
    client.force_login(cast.council_officer)
    assert client.get(case.get_absolute_url()).status_code == 404
    client.force_login(cast.working_group)
    assert client.get(case.get_absolute_url()).status_code == 404
    client.force_login(cast.charity_admin)
    assert client.get(case.get_absolute_url()).status_code == 200


def test_a_party_officer_may_not_take_the_chairs_step(client, cast, submitted):
    client.force_login(cast.council_officer)
    url = reverse("disputes:step", args=[submitted.reference, "chair-proposes-mediation"])
    page = client.post(url, {"revision": submitted.revision, "guidance": "x"})
    assert page.status_code == 400
    assert "can be done only by" in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


@pytest.fixture
def in_mediation(cast):
    case = raise_leicester(cast)
    for move, by in [
        ("submit-in-writing", cast.charity_admin),
        ("chair-proposes-mediation", cast.chair),
        ("agree-mediation", cast.charity_admin),
        ("agree-mediation", cast.council_officer),
        ("start-mediation", cast.council_officer),
    ]:
        case = step(case, move, by)
    return step(case, "mediation-succeeds", cast.mediator)


@pytest.mark.parametrize("name", ["council_officer", "charity_admin", "mediator"])
def test_mediation_records_are_seen_by_the_sides_and_the_mediator(client, cast, in_mediation, name):
    client.force_login(cast.users[name])
    text = client.get(in_mediation.get_absolute_url()).content.decode()
    assert "The consultation reopens in May." in text
    assert "Shared equally." in text
    agreement = CaseDocument.objects.get(record="agreement")
    assert client.get(agreement.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("name", ["chair", "member_one"])
def test_mediation_records_are_hidden_from_the_subgroup(client, cast, in_mediation, name):
    client.force_login(cast.users[name])
    page = client.get(in_mediation.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert "Mediation succeeds" in text  # the step itself is known
    assert "The consultation reopens in May." not in text
    assert "Shared equally." not in text
    assert "agreement.pdf" not in text
    agreement = CaseDocument.objects.get(record="agreement")
    assert client.get(agreement.get_absolute_url()).status_code == 404


def test_the_mediator_of_another_case_sees_nothing_of_this_one(client, cast, in_mediation):
    other = raise_leicester(cast, others=[cast.trust])
    client.force_login(cast.mediator)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert other.reference not in listing(client)


@pytest.mark.parametrize("name", [None, "outsider", "trust_officer", "staff"])
def test_a_published_finding_is_public_and_shows_only_its_public_records(client, cast, name):
    case = to_appeal(cast, raise_leicester(cast))
    sign_in(client, cast, name)
    page = client.get(reverse("disputes:finding", args=[case.reference]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "An organisation has acted outside" not in text  # the finding's title is shown
    assert "Breach" in text
    assert "Whether the council consulted the voluntary sector for long enough." in text
    assert "The consultation ran for three weeks, not twelve." not in text  # the reasons
    assert "Two meetings with the service manager." not in text
    assert case.title not in text
    listed = client.get(reverse("disputes:findings")).content.decode()
    assert case.reference in listed


def test_an_unpublished_case_has_no_public_finding_page(client, cast, submitted):
    page = client.get(reverse("disputes:finding", args=[submitted.reference]))
    assert page.status_code == 404


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("support", 200),
        ("working_group", 200),
        ("staff", 200),
        ("charity_admin", 403),
        ("outsider", 403),
        ("chair", 403),
    ],
)
def test_the_annual_figures_are_for_those_who_prepare_the_annual_meeting(
    client, cast, submitted, name, status
):
    client.force_login(cast.users[name])
    page = client.get(reverse("disputes:figures"), {"compact": "leicester"})
    assert page.status_code == status
    if status == 200:
        text = page.content.decode()
        assert submitted.reference not in text and submitted.title not in text


def test_the_figures_ask_anonymous_visitors_to_sign_in(client, cast):
    assert client.get(reverse("disputes:figures")).status_code == 302


@pytest.mark.parametrize(
    ("name", "status"), [("charity_admin", 200), ("charity_member", 403), ("outsider", 403)]
)
def test_only_officers_may_raise(client, cast, name, status):
    client.force_login(cast.users[name])
    assert client.get(reverse("disputes:raise")).status_code == status
