"""The notices pages as an officer uses them: drafting (errors keep what was typed),
changing, checking and publishing (late needs a reason), withdrawing; and what the
public pages show: the compact's check, formats, terms and the compact's glossary."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from localcompact.notices.models import Notice, Status

from .conftest import DAY, TODAY, client_for, embargoed, notice_made

pytestmark = pytest.mark.django_db


def form_data(**changes):
    action = TODAY + 60 * DAY
    decided = TODAY - 3 * DAY
    values = {
        "compact": "herefordshire",
        "title": "Park cafe tenders",
        "decision": "The council will let the park cafe to a community group.",
        "decided_on-day": decided.day,
        "decided_on-month": decided.month,
        "decided_on-year": decided.year,
        "action_required": "Register an interest with the parks team.",
        "action_by-day": action.day,
        "action_by-month": action.month,
        "action_by-year": action.year,
        "contact": "Parks team, parks@example.org",
        "formats": ["large_print", "braille"],
        "restriction": "public",
        "term_0": "Tender",
        "explanation_0": "A formal offer to run the cafe.",
        "term_1": "Stakeholder",
        "explanation_1": "Anyone with an interest.",
    }
    values.update(changes)
    return values


def test_drafting_with_errors_keeps_what_was_typed(client, world):
    client = client_for(client, world, "officer")
    url = reverse("notices:new", args=[world.council.slug])
    response = client.post(url, form_data(title="", term_2="Covenant", **{"action_by-year": ""}))
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "Enter title" in body
    assert "Date action is needed by must include a year" in body
    assert "Explain what ‘Covenant’ means" in body
    assert "The council will let the park cafe" in body and 'value="Covenant"' in body
    assert "<title>Error:" in body
    assert not Notice.objects.exists()


def test_drafting_then_publishing_on_time(client, world):
    client = client_for(client, world, "officer")
    response = client.post(reverse("notices:new", args=[world.council.slug]), form_data())
    notice = Notice.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "notices:detail", args=[notice.pk]
    )
    assert notice.status == Status.DRAFT and notice.formats == ["large_print", "braille"]
    assert list(notice.terms.values_list("term", flat=True)) == ["Tender", "Stakeholder"]
    page = client.get(reverse("notices:publish", args=[notice.pk])).content.decode()
    assert "On time" in page and "9.2.2" in page
    response = client.post(reverse("notices:publish", args=[notice.pk]), {})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == Status.PUBLISHED


def test_an_embargo_needs_its_date_and_a_valid_time(client, world):
    client = client_for(client, world, "officer")
    url = reverse("notices:new", args=[world.council.slug])
    body = client.post(url, form_data(restriction="embargoed", embargo_time="25:00")).content
    assert b"Enter the time as hours and minutes" in body
    body = client.post(url, form_data(restriction="embargoed")).content.decode()
    assert "Enter the date the embargo lifts" in body
    lifts = TODAY + 5 * DAY
    response = client.post(
        url,
        form_data(
            restriction="embargoed",
            **{"embargo_on-day": lifts.day, "embargo_on-month": lifts.month},
            **{"embargo_on-year": lifts.year},
            embargo_time="09:30",
            shared_with=[world.trust.pk],
            handling="Board only",
        ),
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    local = dt.datetime.combine(lifts, dt.time(9, 30))
    from django.utils import timezone

    assert notice.embargo_until == timezone.make_aware(local)
    assert list(notice.shared_with.all()) == [world.trust]


def test_a_service_refusal_shows_on_its_field(client, world):
    client = client_for(client, world, "officer")
    url = reverse("notices:new", args=[world.council.slug])
    response = client.post(url, form_data(restriction="confidential", handling="Only us"))
    assert response.status_code == 400
    assert (
        "Choose the organisations that may see a confidential notice" in response.content.decode()
    )


def test_publishing_late_asks_why_then_shows_it(client, world):
    notice = notice_made(world, publish=False, action_by=TODAY + 10 * DAY)
    client = client_for(client, world, "officer")
    url = reverse("notices:publish", args=[notice.pk])
    assert "Late: it should have been published by" in client.get(url).content.decode()
    response = client.post(url, {"late_reason": ""})
    assert response.status_code == 400
    assert "Say why it is late" in response.content.decode()
    response = client.post(url, {"late_reason": "Contractor dates came late"})
    assert response.status_code == 302
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "Contractor dates came late" in page and "after" in page


def test_changing_a_notice_keeps_the_terms_and_records_history(client, world):
    notice = notice_made(world)
    client = client_for(client, world, "officer")
    url = reverse("notices:edit", args=[notice.pk])
    page = client.get(url).content.decode()
    assert 'value="Trade waste"' in page and 'value="Bin collections move to Thursdays"' in page
    response = client.post(url, form_data(compact="", title="Bins move to Fridays"))
    assert response.status_code == 302
    history = client.get(reverse("notices:history", args=[notice.pk])).content.decode()
    assert "Changed: title" in history


def test_withdrawing_shows_the_reason(client, world):
    notice = notice_made(world)
    client = client_for(client, world, "officer")
    url = reverse("notices:withdraw", args=[notice.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "Reversed by council"})
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "Withdrawn on" in page and "Reversed by council" in page
    assert "Bin collections" not in client.get(reverse("notices:index")).content.decode()


def test_the_page_explains_terms_and_links_the_compacts_glossary(client, world):
    notice = notice_made(world, decision="Every stakeholder and partner is affected.")
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "Trade waste" in page and "Rubbish from a business." in page
    # "Stakeholder" and "Partner" are in Herefordshire's glossary and the text uses them.
    assert "/compacts/herefordshire/glossary/?q=Stakeholder" in page
    assert "/compacts/herefordshire/glossary/?q=Partner" in page
    assert "Large print" in page
    assert "Information four weeks before action is needed" in page


def test_the_list_searches_filters_and_pages(client, world):
    for i in range(23):
        notice_made(world, title=f"Notice number {i}", area="East" if i == 5 else "North")
    notice_made(world, compact=world.city, title="City notice")
    page1 = client.get(reverse("notices:index")).content.decode()
    assert "24 notices" in page1 and "Next" in page1
    page2 = client.get(reverse("notices:index"), {"page": 2}).content.decode()
    assert "Notice number 0<" in page2
    found = client.get(reverse("notices:index"), {"q": "east"}).content.decode()
    assert "1 notice found" in found and "Notice number 5" in found
    city = client.get(reverse("notices:index"), {"compact": "city-together"}).content.decode()
    assert "1 notice found" in city and "City notice" in city
    bad = client.get(reverse("notices:index"), {"compact": "nowhere"})
    assert bad.status_code == 400 and "Choose a compact from the list" in bad.content.decode()


def test_the_calendar_feed_has_each_public_action_date(client, world):
    notice = notice_made(world)
    embargoed(world)
    feed = Calendar.from_ical(client.get(reverse("notices:feed_ics")).content)
    events = feed.walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart") == notice.action_by


def test_the_feeds_link_to_the_configured_site_whatever_host_asked(client, world, settings):
    settings.SITE_URL = "https://compact.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    notice = notice_made(world)
    link = "https://compact.example.org" + notice.get_absolute_url()
    atom = client.get(reverse("notices:feed_atom"), HTTP_HOST="evil.example").content.decode()
    assert link in atom and "evil.example" not in atom
    ics = client.get(reverse("notices:feed_ics"), HTTP_HOST="evil.example").content
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["url"]) == link
    assert str(event["uid"]) == f"notice-{notice.pk}@compact.example.org"


def test_adding_and_removing_a_document(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    notice = notice_made(world)
    client = client_for(client, world, "officer")
    url = reverse("notices:document_add", args=[notice.pk])
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")
    response = client.post(url, {"title": "Cabinet report", "file": fake})
    assert response.status_code == 400 and "not a real PDF file" in response.content.decode()
    real = SimpleUploadedFile("../../Cabinet report.pdf", b"%PDF-1.4 hello")
    assert client.post(url, {"title": "Cabinet report", "file": real}).status_code == 302
    document = notice.documents.get()
    assert document.original_name == "Cabinet report.pdf"
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "Cabinet report" in page
    remove = reverse("notices:document_remove", args=[notice.pk, document.pk])
    member = client_for(client.__class__(), world, "member")
    assert member.post(remove).status_code == 403
    assert client.post(remove).status_code == 302
    assert not notice.documents.exists()
    kinds = list(notice.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["document_added", "document_removed"]
