"""A restricted notice must not leak: not in the list, a search, a count, the feeds,
its page, its history, another organisation's notices page or dashboards, nor an
obligation's summary. Named organisations' members and the issuing body's members see
it; everyone else (the signed-out, outsiders, other signatories, staff and the support
team) sees a 404 or nothing, until an embargo lifts; a confidential notice never lifts.
"""

import pytest
from django.urls import reverse

from localcompact.notices import views
from localcompact.obligations.models import Obligation

from .conftest import DAY, NOW, ROLES, TODAY, client_for, confidential, embargoed, notice_made

pytestmark = pytest.mark.django_db

SEE = ("member", "officer", "administrator", "trust_member")
NOT = tuple(r for r in ROLES if r not in SEE)


@pytest.fixture
def notices(world):
    return {
        "public": notice_made(world, title="Open bins notice"),
        "embargoed": embargoed(world, title="Zebra grants embargoed"),
        "confidential": confidential(world, title="Zebra restructure confidential"),
        "draft": notice_made(world, publish=False, title="Zebra draft notice"),
    }


def get(client, world, role, url):
    return client_for(client, world, role).get(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["embargoed", "confidential"])
def test_a_restricted_notices_page_is_seen_only_by_the_named_and_the_issuer(
    client, world, notices, role, kind
):
    response = get(client, world, role, reverse("notices:detail", args=[notices[kind].pk]))
    assert response.status_code == (200 if role in SEE else 404)


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_only_by_the_issuing_body(client, world, notices, role):
    response = get(client, world, role, reverse("notices:detail", args=[notices["draft"].pk]))
    issuer = role in ("member", "officer", "administrator")
    assert response.status_code == (200 if issuer else 404)


@pytest.mark.parametrize("role", ROLES)
def test_the_list_search_and_count_leave_restricted_notices_out(client, world, notices, role):
    client = client_for(client, world, role)
    listed = client.get(reverse("notices:index")).content.decode()
    searched = client.get(reverse("notices:index"), {"q": "Zebra"}).content.decode()
    assert "Open bins notice" in listed
    assert "Zebra draft" not in listed + searched  # drafts are never listed
    if role in SEE:
        assert "Zebra grants embargoed" in searched and "Zebra restructure" in searched
        assert "2 notices found" in searched
    else:
        for text in (listed, searched):
            assert "Zebra grants" not in text and "Zebra restructure" not in text
        assert "1 notice<" in listed and "0 notices found" in searched


@pytest.mark.parametrize("role", ROLES)
def test_the_feeds_are_public_whoever_asks(client, world, notices, role):
    client = client_for(client, world, role)
    for name in ("notices:feed_atom", "notices:feed_ics"):
        body = client.get(reverse(name)).content.decode()
        assert "Open bins notice" in body
        assert "Zebra" not in body


@pytest.mark.parametrize("role", NOT)
def test_history_of_a_restricted_notice_is_not_found(client, world, notices, role):
    response = get(client, world, role, reverse("notices:history", args=[notices["embargoed"].pk]))
    assert response.status_code in (302, 404)  # anonymous: sign in first


def test_the_named_member_sees_it_but_not_its_history(client, world, notices):
    response = get(
        client, world, "trust_member", reverse("notices:history", args=[notices["embargoed"].pk])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ("club_officer", "other_officer", "outsider", "support"))
def test_other_organisations_pages_do_not_show_it(client, world, notices, role):
    client = client_for(client, world, role)
    for org in (world.club, world.other):
        body = client.get(reverse("notices:organisation", args=[org.slug])).content.decode()
        assert "Zebra" not in body


def test_the_named_organisation_page_lists_it_for_its_members(client, world, notices):
    client = client_for(client, world, "trust_member")
    body = client.get(reverse("notices:organisation", args=[world.trust.slug])).content.decode()
    assert "Zebra grants embargoed" in body and "Zebra restructure confidential" in body
    assert "Zebra draft" not in body


@pytest.mark.parametrize("role", ("club_officer", "other_officer", "outsider", "support"))
def test_dashboards_and_obligations_do_not_show_its_title(client, world, notices, role):
    client = client_for(client, world, role)
    for org in (world.club, world.other):
        body = client.get(reverse("obligations:owed", args=[org.slug])).content.decode()
        assert "Zebra" not in body
        body = client.get(reverse("obligations:owing", args=[org.slug])).content.decode()
        assert "Zebra" not in body
    for obligation in Obligation.objects.all():
        body = client.get(reverse("obligations:obligation", args=[obligation.pk])).content
        assert b"Zebra" not in body or obligation.source.title == "Zebra draft notice"


def test_no_obligation_summary_names_a_restricted_notice(world, notices):
    summaries = " ".join(Obligation.objects.values_list("summary", flat=True))
    assert "Zebra grants" not in summaries and "Zebra restructure" not in summaries


@pytest.mark.parametrize("role", NOT)
def test_an_embargo_lifts_at_its_moment_and_a_confidential_notice_never(
    client, world, notices, role, monkeypatch
):
    embargoed_url = reverse("notices:detail", args=[notices["embargoed"].pk])
    confidential_url = reverse("notices:detail", args=[notices["confidential"].pk])
    client = client_for(client, world, role)
    lifts = notices["embargoed"].embargo_until
    monkeypatch.setattr(views, "now", lambda: lifts - dt_second())
    assert client.get(embargoed_url).status_code == 404
    monkeypatch.setattr(views, "now", lambda: lifts)
    assert client.get(embargoed_url).status_code == 200
    assert "Zebra grants embargoed" in client.get(reverse("notices:index")).content.decode()
    assert "Zebra grants" in client.get(reverse("notices:feed_atom")).content.decode()
    monkeypatch.setattr(views, "now", lambda: NOW + 400 * DAY)
    assert client.get(confidential_url).status_code == 404


def dt_second():
    import datetime as dt

    return dt.timedelta(seconds=1)


def test_withdrawn_restricted_notices_stay_restricted(client, world, notices):
    from localcompact.notices.services import notice_withdraw

    notice_withdraw(
        notice=notices["confidential"], reason="Reversed", by=world.user("officer"), today=TODAY
    )
    url = reverse("notices:detail", args=[notices["confidential"].pk])
    assert client_for(client, world, "outsider").get(url).status_code == 404
    client.logout()
    assert client_for(client, world, "trust_member").get(url).status_code == 200


def pdf(name="report.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 test document", content_type="application/pdf")


@pytest.mark.parametrize("role", ROLES)
def test_a_restricted_notices_documents_download_only_for_those_who_see_it(
    client, world, notices, role
):
    from localcompact.notices.services import notice_document_add

    document = notice_document_add(
        notice=notices["embargoed"],
        title="Zebra grants report",
        uploaded=pdf(),
        by=world.user("officer"),
        today=TODAY,
    )
    public_doc = notice_document_add(
        notice=notices["public"],
        title="Open report",
        uploaded=pdf(),
        by=world.user("officer"),
        today=TODAY,
    )
    client = client_for(client, world, role)
    url = reverse("notices:document", args=[notices["embargoed"].pk, document.pk])
    response = client.get(url)
    assert response.status_code == (200 if role in SEE else 404)
    if role in SEE:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # A document cannot be fetched through another notice's address.
    wrong = reverse("notices:document", args=[notices["public"].pk, document.pk])
    assert client.get(wrong).status_code == 404
    ok = reverse("notices:document", args=[notices["public"].pk, public_doc.pk])
    assert client.get(ok).status_code == 200
