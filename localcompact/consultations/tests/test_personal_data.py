"""A person's consultation records in their personal data file, and what erasing their
account does to them (localcompact/consultations/personal_data.py).

The council's officer plans and runs a consultation (adding a document); the charity's
officer follows a topic, responds as an individual (sent), starts an individual draft
and a petition draft, and responds for the charity (sent) and starts a draft for it.
Someone else responds anonymously. Then the charity's officer asks to be erased.
"""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.personal_data import account_erase, personal_data_collect
from localcompact.obligations.models import Obligation

from .. import services
from ..models import Response, ResponseKind, Subscription
from .conftest import user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def story(world):
    w = world
    w.topic = services.tags_from_text("topic", "Libraries")[0]
    w.c = w.opened(topics=[w.topic])
    day = w.c.opens_on
    w.document = services.document_add(
        consultation=w.c,
        title="The proposal",
        uploaded=SimpleUploadedFile("proposal.pdf", b"%PDF-1.4 test", "application/pdf"),
        by=w.officer,
        today=day,
    )
    person = w.charity_officer
    services.subscriptions_set(user=person, tags=[w.topic])

    def save(kind, submit, **fields):
        return services.response_save(
            consultation=w.c, kind=kind, by=person, today=day, submit=submit, **fields
        )[0]

    w.individual = save(
        ResponseKind.INDIVIDUAL,
        True,
        respondent_name="Carol Charity",
        answer="Open on Sundays, please.",
        consent_to_publish=True,
    )
    w.individual_draft = save(ResponseKind.INDIVIDUAL, False, answer="Half-written thought")
    w.petition_draft = save(
        ResponseKind.PETITION, False, petition_organiser="Carol Charity", answer="Petition"
    )
    w.for_charity = save(
        ResponseKind.ORGANISATION,
        True,
        organisation=w.charity,
        represents="Our members.",
        views_gathered="A meeting.",
        answer="Keep the evening hours.",
    )
    w.charity_draft = save(
        ResponseKind.ORGANISATION, False, organisation=w.big_charity, answer="Draft for Big"
    )
    w.anonymous, _ = services.response_save(
        consultation=w.c,
        kind=ResponseKind.ANONYMOUS,
        by=None,
        today=day,
        submit=True,
        answer="Carol Charity thinks so too",
    )
    return w


def erase(w, person):
    deletion = DeletionRequest.objects.create(user=person, reason="Please")
    return account_erase(deletion=deletion, by=w.staff, now=NOW)


class TestDownload:
    def test_the_responses_they_wrote_are_in_their_file(self, story):
        data = personal_data_collect(story.charity_officer, now=NOW)
        rows = data["consultation_responses"]
        answers = {r["answer"] for r in rows}
        assert answers == {
            "Open on Sundays, please.",
            "Half-written thought",
            "Petition",
            "Keep the evening hours.",
            "Draft for Big",
        }
        sent = next(r for r in rows if r["answer"] == "Open on Sundays, please.")
        assert sent["name_given"] == "Carol Charity"
        assert sent["sent"] == story.c.opens_on.isoformat()
        assert sent["consultation"] == "Library opening hours"
        charity = next(r for r in rows if r["answer"] == "Keep the evening hours.")
        assert charity["organisation"] == "Small Charity"
        assert charity["represents"] == "Our members."
        json.dumps(data)  # all of it serialisable

    def test_an_anonymous_response_is_in_no_ones_file(self, story):
        for person in (story.charity_officer, story.officer, story.member, story.staff):
            text = json.dumps(personal_data_collect(person, now=NOW), default=str)
            assert "Carol Charity thinks so too" not in text

    def test_the_topics_they_follow_are_in_their_file(self, story):
        data = personal_data_collect(story.charity_officer, now=NOW)
        assert [(t["kind"], t["name"]) for t in data["consultation_topics_followed"]] == [
            ("Topic", "Libraries")
        ]

    def test_what_a_lead_bodys_officer_did_is_in_their_file(self, story):
        data = personal_data_collect(story.officer, now=NOW)
        assert [c["title"] for c in data["consultations_planned"]] == ["Library opening hours"]
        assert [(e["change"], e["to"]) for e in data["consultation_changes_made"]] == [
            ("planned", "planned"),
            ("opened", "open"),
            ("document", ""),
        ]
        assert [d["file_name"] for d in data["consultation_documents_added"]] == ["proposal.pdf"]
        assert data["consultation_responses"] == []

    def test_nothing_of_anyone_else_is_in_a_file(self, story):
        data = personal_data_collect(story.outsider, now=NOW)
        for section in (
            "consultation_responses",
            "consultation_topics_followed",
            "consultations_planned",
            "consultation_changes_made",
            "consultation_documents_added",
        ):
            assert data[section] == []

    def test_the_download_page_carries_it(self, client, story):
        client.force_login(story.charity_officer)
        response = client.get(reverse("account_personal_data_download"))
        assert response.status_code == 200
        data = json.loads(response.content)
        assert "Keep the evening hours." in {r["answer"] for r in data["consultation_responses"]}


class TestErase:
    def test_they_follow_nothing_and_their_own_drafts_go(self, story):
        counts = erase(story, story.charity_officer)
        assert counts["consultation topics unfollowed"] == 1
        assert counts["consultation drafts removed"] == 2
        assert not Subscription.objects.filter(user=story.charity_officer).exists()
        gone = {story.individual_draft.pk, story.petition_draft.pk}
        assert not Response.objects.filter(pk__in=gone).exists()

    def test_an_organisations_draft_stays_for_its_other_officers(self, story):
        erase(story, story.charity_officer)
        draft = Response.objects.get(pk=story.charity_draft.pk)
        assert draft.answer == "Draft for Big" and draft.organisation == story.big_charity

    def test_sent_responses_are_kept_without_the_name_they_gave(self, story):
        obligations = Obligation.objects.count()
        counts = erase(story, story.charity_officer)
        assert counts["consultation response names cleared"] == 1
        individual = Response.objects.get(pk=story.individual.pk)
        assert individual.respondent_name == ""
        assert individual.answer == "Open on Sundays, please."
        assert individual.user_id == story.charity_officer.pk  # the anonymised account
        assert individual.state == Response.State.SUBMITTED
        charity = Response.objects.get(pk=story.for_charity.pk)
        assert charity.represents == "Our members." and charity.organisation == story.charity
        assert Obligation.objects.count() == obligations

    def test_the_anonymous_response_is_untouched(self, story):
        erase(story, story.charity_officer)
        anonymous = Response.objects.get(pk=story.anonymous.pk)
        assert (anonymous.user_id, anonymous.answer) == (None, "Carol Charity thinks so too")

    def test_a_lead_bodys_officer_leaves_the_consultation_naming_a_former_user(self, client, story):
        erase(story, story.officer)
        story.c.refresh_from_db()
        assert story.c.created_by_id == story.officer.pk
        assert story.c.events.filter(by=story.officer).exists()
        assert story.c.documents.get().uploaded_by_id == story.officer.pk
        page = client.get(story.c.get_absolute_url())
        assert page.status_code == 200

    def test_an_erased_respondent_gets_no_feedback_email(self, story, mailoutbox):
        erase(story, story.charity_officer)
        sent = services.feedback_email(consultation=story.c, url="https://example.org/")
        addresses = {a for m in mailoutbox for a in m.to}
        assert "charity_officer@example.org" not in addresses
        assert sent == len(mailoutbox)


def test_someone_with_no_consultation_records_is_erased_with_zero_counts(world):
    person = user("nobody")
    counts = account_erase(
        deletion=DeletionRequest.objects.create(user=person), by=world.staff, now=NOW
    )
    assert counts["consultation topics unfollowed"] == 0
    assert counts["consultation drafts removed"] == 0
    assert counts["consultation response names cleared"] == 0
