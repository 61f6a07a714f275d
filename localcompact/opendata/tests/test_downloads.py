"""The downloads: every column written is a documented field and every documented field
is written; the records are the public ones, with outcomes only once published; nothing
personal or confidential leaks into any download, feed or calendar; and a download
issues the same number of queries at two sizes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from icalendar import Calendar

from localcompact.consultations.models import Consultation
from localcompact.disputes.models import Case, CaseParty
from localcompact.governance.models import Decision, Meeting

from ..datasets import DATASETS, FEED_KINDS
from .conftest import SECRETS

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://open.example.org"


def fetch(client, dataset, fmt, **query):
    response = client.get(reverse("opendata:download", args=[dataset, fmt]), query)
    assert response.status_code == 200, response
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def by_title(rows, key="title"):
    return {row[key]: row for row in rows}


def test_every_download_writes_exactly_its_documented_fields(client, published):
    for dataset in DATASETS.values():
        text = fetch(client, dataset.slug, "csv")
        header = next(csv.reader(io.StringIO(text)))
        assert header == dataset.names, dataset.slug
        data = json.loads(fetch(client, dataset.slug, "json"))
        assert data["dataset"] == dataset.slug
        assert data["licence"]["name"] == "Open Government Licence v3.0"
        assert "Personal data are excluded" in data["licence"]["personal_data"]
        assert data["generated_at"]
        assert [f["name"] for f in data["fields"]] == dataset.names
        assert all(f["type"] and f["meaning"] and f["example"] for f in data["fields"])
        assert data["records"], f"{dataset.slug} has no records"
        for record in data["records"]:
            assert list(record) == dataset.names
        assert len(data["records"]) == len(csv_rows(text))


def test_consultations_carry_outcomes_only_once_feedback_is_published(client, published):
    rows = by_title(csv_rows(fetch(client, "consultations", "csv")))
    done, planned = rows["Youth services review"], rows["Parks strategy"]
    assert done["status"] == "feedback"
    assert done["decision"] == "Youth centres open on Saturdays."
    assert done["what_you_told_us"] == "You wanted weekend opening."
    assert done["responses_received"] == "2"
    assert done["url"].endswith(f"/consultations/{published.fed_back.pk}/")
    assert planned["status"] == "planned"
    for name in ("decision", "what_you_told_us", "responses_received", "feedback_published_on"):
        assert planned[name] == ""
    records = json.loads(fetch(client, "consultations", "json"))["records"]
    assert {r["title"]: r["responses_received"] for r in records} == {
        "Youth services review": 2,
        "Parks strategy": None,
    }
    assert {r["title"]: r["anonymous_allowed"] for r in records}["Parks strategy"] is True


def test_meetings_show_agenda_and_minutes_only_once_published(client, published):
    rows = by_title(csv_rows(fetch(client, "meetings", "csv")))
    annual, steering = rows["Annual meeting 2026"], rows["Steering group"]
    assert annual["agenda"] == "Compliance with the standards"
    assert annual["minutes"] == "The meeting agreed the plan."
    assert annual["decisions"] == "The action plan is agreed."
    assert annual["held"] == "true"
    assert steering["agenda"] == "" and steering["minutes"] == ""
    assert "Board meeting" not in rows  # partnership groups' meetings are not open data


def test_findings_are_the_published_ones_with_their_public_records(client, published):
    rows = csv_rows(fetch(client, "findings", "csv"))
    assert [r["reference"] for r in rows] == [published.finding.reference]
    row = rows[0]
    assert row["finding"] == "Breach"
    assert row["organisations"] == "Northfield Community Action; Northfield Council"
    assert "Whether the council consulted the voluntary sector" in row["statement"]
    assert row["url"].endswith(f"/disagreements/findings/{published.finding.reference}/")


def test_compliance_counts_obligations_by_compact_year_and_standard(client, published):
    rows = csv_rows(fetch(client, "compliance", "csv"))
    assert rows and {r["compact"] for r in rows} == {"leicester"}
    for row in rows:
        counts = [int(row[k]) for k in ("met", "met_late", "missed", "excused", "open")]
        assert sum(counts) == int(row["total"]) > 0
        assert row["standard_title"] and row["clause_document"] and row["clause"]
    assert {r["year"] for r in rows} >= {"2025"}


def test_one_compact_can_be_asked_for_and_an_unknown_one_is_refused(client, published):
    assert len(csv_rows(fetch(client, "consultations", "csv", compact="leicester"))) == 2
    assert csv_rows(fetch(client, "consultations", "csv", compact="herefordshire")) == []
    data = json.loads(fetch(client, "findings", "json", compact="herefordshire"))
    assert data["compact"] == "herefordshire" and data["records"] == []
    url = reverse("opendata:download", args=["meetings", "csv"])
    refused = client.get(url, {"compact": "atlantis"})
    assert refused.status_code == 400
    assert "There is no compact 'atlantis'" in refused.content.decode()
    refused = client.get(url.replace(".csv", ".json"), {"compact": "atlantis"})
    assert refused.status_code == 400 and "compact" in refused.json()["errors"]
    assert client.get("/open-data/nothing.csv").status_code == 404


def everything_served(client) -> str:
    """Every download, feed and calendar the open data serves, for all compacts and each."""
    texts = []
    for dataset in DATASETS:
        for fmt in ("csv", "json"):
            texts.append(fetch(client, dataset, fmt))
            texts.append(fetch(client, dataset, fmt, compact="leicester"))
    for kind in FEED_KINDS:
        for query in ({}, {"compact": "leicester"}):
            texts.append(client.get(reverse("opendata:feed", args=[kind]), query).content.decode())
    texts.append(client.get(reverse("opendata:calendar", args=["leicester"])).content.decode())
    texts.append(client.get(reverse("opendata:index")).content.decode())
    return "\n".join(texts)


def test_nothing_personal_or_confidential_is_in_any_download_feed_or_calendar(client, published):
    served = everything_served(client)
    # Sanity: the public side of the same records is there.
    for public in ("Youth services review", "You wanted weekend opening.", "Annual meeting 2026"):
        assert public in served
    assert published.finding.reference in served
    for name, secret in SECRETS.items():
        assert secret not in served, f"the {name} leaked"
    assert published.open_case.reference not in served
    assert "@example.org" not in served  # no one's e-mail address


@override_settings(SITE_URL=SITE)
def test_the_feeds_list_the_public_entries_with_links_on_the_site_address(client, published):
    def entries(kind, **query):
        response = client.get(reverse("opendata:feed", args=[kind]), query)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
        for link in root.iter(f"{ATOM}link"):
            assert link.get("href").startswith(SITE + "/"), link.get("href")
        return {e.find(f"{ATOM}title").text: e for e in root.iter(f"{ATOM}entry")}

    new = entries("consultations")
    assert set(new) == {"Youth services review", "Parks strategy"}
    outcomes = entries("outcomes")
    assert set(outcomes) == {"Outcome: Youth services review"}
    link = outcomes["Outcome: Youth services review"].find(f"{ATOM}link").get("href")
    assert link == f"{SITE}/consultations/{published.fed_back.pk}/feedback/"
    findings = entries("findings")
    assert set(findings) == {f"Finding {published.finding.reference}: Breach"}
    assert entries("findings", compact="herefordshire") == {}
    assert set(entries("consultations", compact="leicester")) == set(new)
    refused = client.get(reverse("opendata:feed", args=["outcomes"]), {"compact": "x"})
    assert refused.status_code == 400
    assert client.get("/open-data/feeds/gossip.atom").status_code == 404


@override_settings(SITE_URL=SITE)
def test_a_compacts_calendar_has_its_consultations_meetings_and_public_deadlines(
    client, published, monkeypatch
):
    from .. import views
    from .conftest import TODAY

    monkeypatch.setattr(views, "today", lambda: TODAY)
    response = client.get(reverse("opendata:calendar", args=["leicester"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    kinds = {}
    for event in events:
        kinds.setdefault(str(event.get("categories").cats[0]), []).append(event)
        assert str(event.get("url")).startswith(SITE + "/")
        assert event.decoded("dtend") > event.decoded("dtstart")
    titles = {str(e.get("summary")) for e in events}
    assert "Meeting: Annual meeting 2026" in titles
    assert "Meeting: Steering group" in titles
    assert any(t.startswith("Consultation: Parks strategy") for t in titles)
    parks = next(e for e in kinds["consultation"] if "Parks strategy" in str(e.get("summary")))
    assert parks.decoded("dtstart") == published.planned.opens_on
    # Deadlines come only from records public on their own pages (here, the
    # consultations); the cases' own deadlines (confidential) are not there.
    assert kinds["deadline"]
    for event in kinds["deadline"]:
        assert "/consultations/" in str(event.get("url")) or "/governance/" in str(event.get("url"))
    assert published.finding.reference not in response.content.decode()
    assert client.get(reverse("opendata:calendar", args=["atlantis"])).status_code == 404


def _grow(published, n):
    """n more of every record, copied in bulk (the query count must not follow)."""
    for i in range(n):
        c = Consultation.objects.get(pk=published.fed_back.pk)
        c.pk = None
        c.title = f"Copy {i}"
        c.save()
        c.tags.set(published.fed_back.tags.all())
        m = Meeting.objects.get(pk=published.annual.pk)
        m.pk = None
        m.save()
        Decision.objects.create(meeting=m, text=f"Decision {i}")
        case = Case.objects.get(pk=published.finding.pk)
        parties = list(CaseParty.objects.filter(case=published.finding))
        case.pk = None
        case.reference = f"{case.reference}-{i}"
        case.save()
        for party in parties:
            party.pk = None
            party.case = case
            party.save()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_issues_the_same_queries_at_two_sizes(client, published, fmt):
    def count(dataset):
        with CaptureQueriesContext(connection) as queries:
            fetch(client, dataset, fmt)
        return len(queries)

    few = {d: count(d) for d in DATASETS}
    _grow(published, 6)
    many = {d: count(d) for d in DATASETS}
    assert many == few
    assert len(csv_rows(fetch(client, "findings", "csv"))) == 7
