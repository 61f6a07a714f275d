"""The pages: who may use each, the form, and constant query counts.

Who may do what (`rules.py`): the council's officers and administrators proof its
drafts; its members list and read its reports; the support team of the compact a report
was checked against reads it (not another compact's team); staff read and list
everything; an outsider is told a report does not exist.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.proofing.models import ProofingReport

from .factories import consultation, report

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "member",
    "officer",
    "administrator",
    "trust_officer",
    "support",
    "hereford_support",
    "staff",
]


def client_for(client, world, role):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def outcome(response) -> object:
    if response.status_code == 302 and "/sign-in/" in response["Location"]:
        return "login"
    return response.status_code


def expect(**outcomes):
    return [(role, outcomes[role]) for role in ROLES]


@pytest.mark.parametrize(
    "role, expected",
    expect(
        anonymous="login",
        outsider=200,
        member=200,
        officer=200,
        administrator=200,
        trust_officer=200,
        support=200,
        hereford_support=200,
        staff=200,
    ),
)
def test_the_index_is_for_anyone_signed_in(client, world, role, expected):
    response = client_for(client, world, role).get(reverse("proofing:index"))
    assert outcome(response) == expected


def test_the_index_offers_to_check_drafts_only_where_the_person_acts(client, world):
    client.force_login(world.user("member"))
    page = client.get(reverse("proofing:index")).content.decode()
    assert "Testshire Council" in page and "check a draft" not in page
    client.force_login(world.user("officer"))
    page = client.get(reverse("proofing:index")).content.decode()
    assert reverse("proofing:new", args=["testshire-council"]) in page


@pytest.mark.parametrize(
    "role, expected",
    expect(
        anonymous="login",
        outsider=403,
        member=200,
        officer=200,
        administrator=200,
        trust_officer=403,
        support=403,
        hereford_support=403,
        staff=200,
    ),
)
def test_the_list_is_for_the_organisations_members_and_staff(client, world, role, expected):
    report(world, title="Private draft title")
    response = client_for(client, world, role).get(
        reverse("proofing:list", args=[world.council.slug])
    )
    assert outcome(response) == expected
    assert ("Private draft title" in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize(
    "role, expected",
    expect(
        anonymous="login",
        outsider=403,
        member=403,
        officer=200,
        administrator=200,
        trust_officer=403,
        support=403,
        hereford_support=403,
        staff=403,
    ),
)
def test_only_the_organisations_officers_may_check_a_draft(client, world, role, expected):
    url = reverse("proofing:new", args=[world.council.slug])
    client = client_for(client, world, role)
    assert outcome(client.get(url)) == expected
    post = client.post(url, {})
    assert outcome(post) == (400 if expected == 200 else expected)
    assert not ProofingReport.objects.exists()


def test_a_charitys_officer_checks_drafts_for_the_charity(client, world):
    client.force_login(world.user("trust_officer"))
    response = client.post(
        reverse("proofing:new", args=[world.trust.slug]),
        {
            "title": "Annual report",
            "compact": str(world.leicester.pk),
            "kind": "other",
            "text": "We work to the Leicester Compact.",
        },
    )
    made = ProofingReport.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.organisation == world.trust and made.passes


@pytest.mark.parametrize(
    "role, expected",
    expect(
        anonymous="login",
        outsider=404,
        member=200,
        officer=200,
        administrator=200,
        trust_officer=404,
        support=200,
        hereford_support=404,
        staff=200,
    ),
)
def test_a_report_is_seen_by_members_its_compacts_support_team_and_staff(
    client, world, role, expected
):
    made = report(world, title="Private draft title")
    response = client_for(client, world, role).get(made.get_absolute_url())
    assert outcome(response) == expected
    assert ("Private draft title" in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize(
    "role, expected",
    expect(
        anonymous="login",
        outsider=404,
        member=200,
        officer=200,
        administrator=200,
        trust_officer=404,
        support=200,
        hereford_support=404,
        staff=200,
    ),
)
def test_the_uploaded_file_is_served_only_to_those_who_may_see_the_report(
    client, world, role, expected
):
    client.force_login(world.user("officer"))
    client.post(
        reverse("proofing:new", args=[world.council.slug]),
        {
            "title": "Parks",
            "compact": str(world.leicester.pk),
            "kind": "consultation",
            "document": SimpleUploadedFile("parks.txt", consultation(weeks=6).encode()),
        },
    )
    made = ProofingReport.objects.get()
    client.logout()
    response = client_for(client, world, role).get(reverse("proofing:document", args=[made.pk]))
    assert outcome(response) == expected
    if expected == 200:
        assert response["Content-Disposition"].startswith('attachment; filename="parks.txt"')
        assert b"library service" in b"".join(response.streaming_content)


def test_a_report_made_from_pasted_text_has_no_file(client, world):
    made = report(world)
    client.force_login(world.user("member"))
    assert client.get(reverse("proofing:document", args=[made.pk])).status_code == 404


def test_a_failing_report_says_what_to_fix_and_shows_no_mark(client, world):
    made = report(world, kind="consultation", text=consultation(weeks=6))
    client.force_login(world.user("member"))
    page = client.get(made.get_absolute_url()).content.decode()
    assert "1 thing must be fixed" in page
    assert "Too short: Twelve weeks" in page
    assert "004_2de5eed66f52019d.txt 4.d.8" in page
    assert "Compact-proofed against" not in page


def test_a_passing_report_shows_the_compact_mark(client, world):
    made = report(world)
    client.force_login(world.user("member"))
    page = client.get(made.get_absolute_url()).content.decode()
    assert made.passes
    assert (
        "Compact-proofed against the Leicester Compact: Working Better Together, 4 March 2026"
        in page
    )


def test_a_form_with_errors_keeps_what_was_typed_and_lists_the_errors(client, world):
    client.force_login(world.user("officer"))
    response = client.post(
        reverse("proofing:new", args=[world.council.slug]),
        {"title": "My draft", "kind": "consultation", "compact": ""},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Choose the compact" in page
    assert "Paste the text of the draft or upload it as a file" in page
    assert 'value="My draft"' in page
    assert "<title>Error:" in page


def test_a_file_that_is_not_plain_text_is_refused_on_the_form(client, world):
    client.force_login(world.user("officer"))
    response = client.post(
        reverse("proofing:new", args=[world.council.slug]),
        {
            "title": "My draft",
            "kind": "other",
            "compact": str(world.leicester.pk),
            "document": SimpleUploadedFile("draft.pdf", b"%PDF-1.4 hello"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "must be a Word document (.docx) or a plain text (.txt) file" in page


def test_pasting_and_uploading_together_is_refused(client, world):
    client.force_login(world.user("officer"))
    response = client.post(
        reverse("proofing:new", args=[world.council.slug]),
        {
            "title": "My draft",
            "kind": "other",
            "compact": str(world.leicester.pk),
            "text": "Some text",
            "document": SimpleUploadedFile("draft.txt", b"Other text"),
        },
    )
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_the_list_is_empty_with_a_message_at_first(client, world):
    client.force_login(world.user("member"))
    page = client.get(reverse("proofing:list", args=[world.council.slug])).content.decode()
    assert "No drafts have been checked for Testshire Council yet" in page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_makes_the_same_number_of_queries_whatever_its_length(client, world):
    client.force_login(world.user("member"))
    url = reverse("proofing:list", args=[world.council.slug])
    report(world)
    small = _count(client, url)
    for number in range(6):
        report(world, title=f"Draft {number}", by=world.user("administrator"))
    assert _count(client, url) == small


def test_a_report_page_makes_the_same_number_of_queries_whatever_it_found(client, world):
    client.force_login(world.user("member"))
    few = report(world)
    many = report(
        world,
        kind="consultation",
        text=consultation(weeks=2)
        + " Going forward, stakeholders will leverage synergy and co-production holistically. "
        + " ".join(["Words"] * 40)
        + ". It was agreed.",
    )
    assert len(many.findings) > len(few.findings) + 3
    assert _count(client, many.get_absolute_url()) == _count(client, few.get_absolute_url())
