"""The partnership pages: what they show, what they hide, their forms and query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from localcompact.core.uploads import document_store
from localcompact.partnerships import services
from localcompact.partnerships.models import Meeting, PaperDocument

from .factories import TODAY, at, held, meeting, sign_in  # noqa: F401

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def restricted_meeting(cast):
    """A held meeting with a commercially sensitive item, a paper on it, a declaration
    and a decision on it, and an ordinary item."""
    m = held(cast, meeting(cast, days=0))
    secret = services.item_add(
        meeting=m,
        title="Provider prices for advice",
        description="Bids from three providers",
        sensitivity="commercial",
        embargo_until=None,
        by=cast.officer,
        today=TODAY,
    )
    services.item_add(
        meeting=m,
        title="Open item",
        description="",
        sensitivity="",
        embargo_until=None,
        by=cast.officer,
        today=TODAY,
    )
    services.paper_add(
        meeting=m,
        title="Price comparison",
        item=secret,
        sent_on=TODAY - 2 * DAY,
        tabled=False,
        tabled_reason="",
        sensitivity="",
        embargo_until=None,
        by=cast.officer,
        today=TODAY,
    )
    services.declaration_record(
        item=secret,
        member=cast.members["trust"],
        interest="The trust bid for the contract",
        participation="left_room",
        by=cast.officer,
        today=TODAY,
    )
    services.decision_record(
        meeting=m,
        item=secret,
        text="Award the advice contract to Bidder B",
        method="consensus",
        votes_for=None,
        votes_against=None,
        abstentions=None,
        by=cast.officer,
        today=TODAY,
    )
    return m


SECRETS = ("Provider prices", "Bids from three", "Price comparison", "The trust bid", "Bidder B")


@pytest.mark.parametrize(
    "role,sees", [("partner_member", True), ("officer", True), ("support", False), ("staff", False)]
)
def test_restricted_items_are_seen_only_by_participants(client, cast, role, sees):
    m = restricted_meeting(cast)
    sign_in(client, cast, role)
    pages = [
        reverse("partnerships:meeting", kwargs={"slug": cast.group.slug, "pk": m.pk}),
        reverse(
            "partnerships:interests",
            kwargs={"slug": cast.group.slug, "pk": cast.members["trust"].pk},
        ),
        reverse("partnerships:group", kwargs={"slug": cast.group.slug}),
        reverse("partnerships:feed", kwargs={"slug": cast.group.slug}),
        reverse("partnerships:index") + "?q=Provider",
        reverse("partnerships:history", kwargs={"slug": cast.group.slug}),
    ]
    text = "".join(client.get(url).content.decode() for url in pages)
    assert "Open item" in text
    for secret in SECRETS[:1] + SECRETS[2:]:
        assert (secret in text) is sees, secret


def _withheld(cast):
    """The trust reports information the council withheld from it."""
    return services.withheld_report(
        compact=cast.compact,
        group=None,
        reported_by=cast.trust,
        about=cast.council,
        information="The closure date",
        risk="Contracts",
        by=cast.user("partner"),
        today=TODAY,
    )


def test_the_steering_group_sees_withheld_information_reports(client, cast):
    from localcompact.organisations.models import CompactRole, CompactRoleKind

    report = _withheld(cast)
    outsider = cast.user("outsider")
    sign_in(client, cast, "outsider")
    detail = reverse("partnerships:withheld", kwargs={"pk": report.pk})
    listing = reverse("partnerships:withheld_list", kwargs={"slug": cast.compact.slug})
    assert client.get(detail).status_code == 403
    CompactRole.objects.create(
        compact=cast.compact, user=outsider, kind=CompactRoleKind.STEERING_GROUP
    )
    assert client.get(detail).status_code == 200
    assert (
        "The closure date" in client.get(listing).content.decode()
        or client.get(listing).status_code == 200
    )
    # the steering group sees it but does not record what the support team did
    assert client.post(detail, {"outcome": "Done"}).status_code == 403


def test_an_embargo_lifts_on_its_date(client, cast, monkeypatch):
    m = meeting(cast, days=0)
    services.item_add(
        meeting=m,
        title="Annual report figures",
        description="",
        sensitivity="embargoed",
        embargo_until=TODAY + 2 * DAY,
        by=cast.officer,
        today=TODAY,
    )
    sign_in(client, cast, "support")
    url = reverse("partnerships:meeting", kwargs={"slug": cast.group.slug, "pk": m.pk})
    assert "Annual report figures" not in client.get(url).content.decode()
    from localcompact.partnerships import views

    monkeypatch.setattr(views, "today", lambda: TODAY + 2 * DAY)
    assert "Annual report figures" in client.get(url).content.decode()


def test_the_public_see_the_terms_members_and_published_dates_only(client, cast):
    calendar = services.calendar_create(
        group=cast.group, year_kind="calendar", year=2026, by=cast.officer, today=TODAY
    )
    meeting(cast, days=30, title="Published meeting")
    page = client.get(
        reverse("partnerships:group", kwargs={"slug": cast.group.slug})
    ).content.decode()
    assert "Plan and review local health services" in page and "Trust Person" in page
    assert "Published meeting" not in page  # not yet published
    assert "History" not in page and "Electronic access" not in page
    services.calendar_publish(calendar=calendar, by=cast.officer, today=TODAY)
    page = client.get(
        reverse("partnerships:group", kwargs={"slug": cast.group.slug})
    ).content.decode()
    assert "Published meeting" in page


def test_the_calendar_feed_has_the_published_meetings(client, cast):
    calendar = services.calendar_create(
        group=cast.group, year_kind="calendar", year=2026, by=cast.officer, today=TODAY
    )
    published = meeting(cast, days=30, title="Spring meeting")
    cancelled = meeting(cast, days=60, title="Summer meeting")
    services.meeting_cancel(meeting=cancelled, by=cast.officer, today=TODAY)
    services.calendar_publish(calendar=calendar, by=cast.officer, today=TODAY)
    meeting(cast, days=400, title="Next year's meeting")  # outside any published year
    response = client.get(reverse("partnerships:feed", kwargs={"slug": cast.group.slug}))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Testshire Partnership Board: Spring meeting"]
    assert str(events[0]["uid"]) == f"partnership-meeting-{published.pk}@localcompact"
    assert events[0]["dtstart"].dt == at(TODAY + 30 * DAY)


def test_the_calendar_feed_links_to_the_configured_site(client, cast, settings):
    settings.SITE_URL = "https://compact.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    calendar = services.calendar_create(
        group=cast.group, year_kind="calendar", year=2026, by=cast.officer, today=TODAY
    )
    meeting(cast, days=30, title="Spring meeting")
    services.calendar_publish(calendar=calendar, by=cast.officer, today=TODAY)
    url = reverse("partnerships:feed", kwargs={"slug": cast.group.slug})
    body = client.get(url, HTTP_HOST="evil.example").content.decode()
    assert "https://compact.example.org/" in body and "evil.example" not in body


def test_a_meeting_at_three_weeks_notice_shows_as_short(client, cast):
    m = meeting(cast, days=21)
    sign_in(client, cast, "officer")
    url = reverse("partnerships:notice", kwargs={"slug": cast.group.slug, "pk": m.pk})
    response = client.post(
        url, {"given_on-day": TODAY.day, "given_on-month": TODAY.month, "given_on-year": TODAY.year}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "record the reason for the short notice" in page
    assert 'value="4"' in page  # the date typed is kept
    response = client.post(
        url,
        {
            "given_on-day": TODAY.day,
            "given_on-month": TODAY.month,
            "given_on-year": TODAY.year,
            "short_reason": "The budget timetable moved.",
        },
    )
    assert response.status_code == 302
    page = client.get(
        reverse("partnerships:meeting", kwargs={"slug": cast.group.slug, "pk": m.pk})
    ).content.decode()
    assert "Short notice" in page and "The budget timetable moved." in page and "11.2.1" in page
    group_page = client.get(cast.group.get_absolute_url()).content.decode()
    assert "Short notice" in group_page


def test_a_request_at_five_days_is_refused_on_the_form_unless_an_emergency(client, cast):
    sign_in(client, cast, "officer")
    url = reverse("partnerships:request_new", kwargs={"slug": cast.council.slug})
    due = TODAY + 5 * DAY
    data = {
        "to_organisation": cast.trust.pk,
        "compact": cast.compact.pk,
        "title": "Open the hall",
        "details": "Please",
        "received_on-day": TODAY.day,
        "received_on-month": TODAY.month,
        "received_on-year": TODAY.year,
        "action_due_on-day": due.day,
        "action_due_on-month": due.month,
        "action_due_on-year": due.year,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Too little time to act" in response.content.decode()
    response = client.post(url, {**data, "emergency": "on", "emergency_reason": "Flood"})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Emergency: Flood" in detail and "Act on the request: Open the hall" in detail


def test_the_electronic_decision_form_names_who_has_not_confirmed(client, cast):
    sign_in(client, cast, "officer")
    url = reverse("partnerships:decision_electronic", kwargs={"slug": cast.group.slug})
    response = client.post(
        url,
        {
            "text": "Agree the newsletter",
            "means": "email",
            "method": "consensus",
            "decided_on-day": TODAY.day,
            "decided_on-month": TODAY.month,
            "decided_on-year": TODAY.year,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not every partner has confirmed access" in page and "Agree the newsletter" in page
    group_page = client.get(cast.group.get_absolute_url()).content.decode()
    assert "Refused for want of access" in group_page


def test_the_meeting_page_counts_tabled_papers_and_shows_quorum(client, cast):
    m = held(cast, meeting(cast, days=0), present=("chair", "adviser"))
    services.paper_add(
        meeting=m,
        title="Late figures",
        item=None,
        sent_on=None,
        tabled=True,
        tabled_reason="Arrived that morning",
        sensitivity="",
        embargo_until=None,
        by=cast.officer,
        today=TODAY,
    )
    sign_in(client, cast, "member")
    page = client.get(m.get_absolute_url()).content.decode()
    assert "1 paper, 1 tabled at the meeting" in page
    assert "Inquorate" in page and "cannot record decisions" in page
    assert "Record a decision" not in page  # a member changes nothing
    group_page = client.get(cast.group.get_absolute_url()).content.decode()
    assert '<td class="govuk-table__cell">1</td>' in group_page  # its tabled papers, counted


class TestPaperFiles:
    def url(self, cast, m, paper):
        return reverse(
            "partnerships:paper_document",
            kwargs={"slug": cast.group.slug, "pk": m.pk, "paper": paper.pk},
        )

    def test_a_paper_is_added_with_its_file_and_downloaded_as_an_attachment(self, client, cast):
        m = meeting(cast, days=30)
        sign_in(client, cast, "officer")
        response = client.post(
            reverse("partnerships:paper_new", kwargs={"slug": cast.group.slug, "pk": m.pk}),
            {
                "title": "Budget paper",
                "file": SimpleUploadedFile("Budget 2027.pdf", b"%PDF-1.4\n% budget\n"),
            },
        )
        assert response.status_code == 302
        paper = m.papers.get()
        assert paper.document.original_name == "Budget 2027.pdf"
        page = client.get(m.get_absolute_url()).content.decode()
        assert self.url(cast, m, paper) in page
        download = client.get(self.url(cast, m, paper))
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")

    def test_a_file_that_is_not_what_it_says_is_refused_and_the_title_kept(self, client, cast):
        m = meeting(cast, days=30)
        sign_in(client, cast, "officer")
        response = client.post(
            reverse("partnerships:paper_new", kwargs={"slug": cast.group.slug, "pk": m.pk}),
            {"title": "Budget paper", "file": SimpleUploadedFile("budget.pdf", b"MZ\x90\x00")},
        )
        text = response.content.decode()
        assert response.status_code == 400
        assert "There is a problem" in text and 'value="Budget paper"' in text
        assert not m.papers.exists()

    @pytest.mark.parametrize("role,status", [("officer", 200), ("support", 404), ("staff", 404)])
    def test_a_restricted_papers_file_is_for_participants_only(self, client, cast, role, status):
        m = restricted_meeting(cast)
        paper = m.papers.get()
        document_store(
            PaperDocument(paper=paper),
            SimpleUploadedFile("prices.pdf", b"%PDF-1.4\n% prices\n"),
            by=cast.officer,
        )
        sign_in(client, cast, role)
        assert client.get(self.url(cast, m, paper)).status_code == status
        page = client.get(m.get_absolute_url()).content.decode()
        assert ("prices.pdf" in page) is (status == 200)


# Query counts ----------------------------------------------------------------------------------


def grow(cast, n: int) -> Meeting:
    """A meeting with `n` items, papers, declarations and decisions, and `n` more members
    and meetings in the group."""
    for i in range(n):
        services.member_add(
            group=cast.group,
            organisation=cast.trust,
            name=f"Extra {i}",
            role="advisory",
            voting=False,
            represents="own_organisation",
            constituency="",
            joined_on=TODAY - 90 * DAY,
            by=cast.officer,
            today=TODAY,
        )
        meeting(cast, days=10 + i, title=f"Later {i}")
    m = held(cast, meeting(cast, days=0, title="Big meeting"))
    for i in range(n):
        item = services.item_add(
            meeting=m,
            title=f"Item {i}",
            description="",
            sensitivity="commercial" if i % 2 else "",
            embargo_until=None,
            by=cast.officer,
            today=TODAY,
        )
        services.paper_add(
            meeting=m,
            title=f"Paper {i}",
            item=item,
            sent_on=TODAY,
            tabled=False,
            tabled_reason="",
            sensitivity="",
            embargo_until=None,
            by=cast.officer,
            today=TODAY,
        )
        services.declaration_record(
            item=item,
            member=cast.members["trust"],
            interest=f"Interest {i}",
            participation="took_part",
            by=cast.officer,
            today=TODAY,
        )
        decision = services.decision_record(
            meeting=m,
            item=item,
            text=f"Decision {i}",
            method="consensus",
            votes_for=None,
            votes_against=None,
            abstentions=None,
            by=cast.officer,
            today=TODAY,
        )
        services.objection_record(
            decision=decision,
            member=cast.members["trust"],
            objection="No",
            how_represented="Said so",
            by=cast.officer,
            today=TODAY,
        )
    return m


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["officer", "support"])
def test_pages_make_the_same_number_of_queries_whatever_the_size(client, cast, role):
    sign_in(client, cast, role)
    small = grow(cast, 1)
    urls = lambda m: [  # noqa: E731
        m.get_absolute_url(),
        cast.group.get_absolute_url(),
        reverse("partnerships:index"),
        reverse("partnerships:feed", kwargs={"slug": cast.group.slug}),
        reverse(
            "partnerships:interests",
            kwargs={"slug": cast.group.slug, "pk": cast.members["trust"].pk},
        ),
        reverse("partnerships:history", kwargs={"slug": cast.group.slug}),
    ]
    for url in urls(small):  # warm the content-type and session caches
        client.get(url)
    before = [count(client, url) for url in urls(small)]
    big = grow(cast, 6)
    after = [count(client, url) for url in urls(big)]
    assert before == after


def test_a_report_considered_a_moment_before_is_refused_with_a_message(client, cast, monkeypatch):
    # two people of the support team send the form at once: the second is told, not given a 500
    report = _withheld(cast)

    def considered_already(**kwargs):
        raise services.Refused("This report has already been considered")

    monkeypatch.setattr(services, "withheld_consider", considered_already)
    sign_in(client, cast, "support")
    response = client.post(
        reverse("partnerships:withheld", kwargs={"pk": report.pk}), {"outcome": "Done"}
    )
    assert response.status_code == 400
    assert "This report has already been considered" in response.content.decode()
