"""Writes with a token go through the apps' services: what the web forms refuse, the API
refuses, naming the value to fix (422); what the object's state does not allow is 409;
and the records made are the same as the web pages make."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from localcompact.consultations.models import Consultation, Response
from localcompact.funding.models import Award, Payment
from localcompact.governance.models import Meeting
from localcompact.obligations.models import Obligation

from .conftest import ApiClient, days, token_for
from .test_permissions import _award_body, _consultation_body, _response_body

C, R, M, F = "consultations:write", "responses:write", "meetings:write", "funding:write"


def fields(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"]
    return {e["field"]: e["message"] for e in body["errors"]}


@pytest.mark.django_db
class TestConsultations:
    def test_an_officer_plans_one_with_its_obligations(self, scene):
        client = ApiClient(token=token_for(scene.officer, C))
        response = client.post(
            f"/api/organisations/{scene.council.slug}/consultations", _consultation_body(scene)
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        made = Consultation.objects.get(pk=body["id"])
        assert made.lead == scene.council and made.created_by == scene.officer
        assert body["status"] == "planned" and body["tags"] == [
            {"kind": "topic", "name": "Transport"}
        ]
        assert Obligation.objects.filter(
            source_id=made.pk, source_type__model="consultation"
        ).exists()
        assert body["overlapping"] == []

    def test_a_period_shorter_than_the_compact_s_minimum_is_refused(self, scene):
        body = {**_consultation_body(scene), "closes_on": days(14 + 14).isoformat()}
        response = ApiClient(token=token_for(scene.officer, C)).post(
            f"/api/organisations/{scene.council.slug}/consultations", body
        )
        found = fields(response)
        assert "body.closes_on" in found and "week" in found["body.closes_on"]
        assert not Consultation.objects.filter(title="Street lighting").exists()

    def test_missing_and_blank_answers_are_named(self, scene):
        response = ApiClient(token=token_for(scene.officer, C)).post(
            f"/api/organisations/{scene.council.slug}/consultations",
            {"compact": "leicester", "title": "", "opens_on": "soon"},
        )
        found = fields(response)
        assert {"body.title", "body.summary", "body.opens_on", "body.closes_on"} <= set(found)

    def test_dates_too_far_away_to_count_deadlines_from_are_refused(self, scene):
        body = {
            **_consultation_body(scene),
            "opens_on": "9999-12-01",
            "closes_on": "9999-12-30",
            "feedback_by": None,
        }
        response = ApiClient(token=token_for(scene.officer, C)).post(
            f"/api/organisations/{scene.council.slug}/consultations", body
        )
        assert response.status_code == 422
        assert response.json()["detail"].startswith("The request was refused.")
        assert not Consultation.objects.filter(title="Street lighting").exists()

    def test_a_charity_that_has_not_the_sector_to_lead_is_refused_naming_the_lead(self, scene):
        from localcompact.organisations.models import Role
        from localcompact.organisations.tests.test_register_fixtures import (
            member_made,
            organisation_made,
        )

        firm = organisation_made("Acme Ltd", sector="private")
        boss = member_made("bo", firm, Role.OFFICER)
        response = ApiClient(token=token_for(boss, C)).post(
            f"/api/organisations/{firm.slug}/consultations", _consultation_body(scene)
        )
        assert "path.slug" in fields(response)

    def test_moves_the_lifecycle_does_not_allow_are_conflicts(self, scene):
        client = ApiClient(token=token_for(scene.officer, C))
        response = client.post(f"/api/consultations/{scene.open.pk}/status", {"to": "closed"})
        assert response.status_code == 409
        assert "cannot be closed early" in response.json()["detail"]
        response = client.post(f"/api/consultations/{scene.open.pk}/status", {"to": "analysis"})
        assert response.status_code == 409
        response = client.post(
            f"/api/consultations/{scene.planned.pk}/decision",
            {"decision": "x", "reasons": "y", "effect": "z"},
        )
        assert response.status_code == 409 and "cannot move" in response.json()["detail"]
        response = client.post(f"/api/consultations/{scene.open.pk}/status", {"to": "decided"})
        assert "body.to" in fields(response)
        scene.open.refresh_from_db()
        assert scene.open.status == "open"

    def test_from_analysis_to_published_feedback(self, scene):
        client = ApiClient(token=token_for(scene.officer, C))
        url = f"/api/consultations/{scene.analysed.pk}"
        decided = client.post(
            f"{url}/decision",
            {"decision": "Later buses.", "reasons": "Asked for.", "effect": "Added one."},
        )
        assert decided.status_code == 200 and decided.json()["decision"] == "Later buses."
        fed_back = client.post(f"{url}/feedback", {"what_you_told_us": "Later buses."})
        assert fed_back.status_code == 200
        assert fed_back.json()["status"] == "feedback"
        assert ApiClient().get(url).json()["what_you_told_us"] == "Later buses."
        assert client.post(f"{url}/feedback", {"what_you_told_us": "Again"}).status_code == 409

    def test_an_unknown_consultation_is_not_found(self, scene):
        client = ApiClient(token=token_for(scene.officer, C))
        response = client.post("/api/consultations/999999/status", {"to": "open"})
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no consultation 999999", "errors": []}


@pytest.mark.django_db
class TestResponses:
    def url(self, consultation):
        return f"/api/consultations/{consultation.pk}/responses"

    def test_an_officer_sends_one_for_their_organisation_and_it_is_acknowledged(
        self, scene, django_capture_on_commit_callbacks
    ):
        scene.trust_officer.email = "tess@example.org"
        scene.trust_officer.save()
        client = ApiClient(token=token_for(scene.trust_officer, R))
        # the acknowledgement leaves once the write is committed
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url(scene.open), _response_body(scene))
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["state"] == "submitted" and body["organisation"] == scene.charity.slug
        assert body["acknowledged_on"] == timezone.localdate().isoformat()
        saved = Response.objects.get(pk=body["id"])
        assert saved.user == scene.trust_officer
        assert [m.to for m in mail.outbox] == [["tess@example.org"]]

    def test_anyone_with_the_scope_responds_as_an_individual(self, scene):
        client = ApiClient(token=token_for(scene.trust_member, R))
        response = client.post(
            self.url(scene.open),
            {"kind": "individual", "respondent_name": "Tom", "answer": "Yes", "send": True},
        )
        assert response.status_code == 201 and response.json()["organisation"] is None

    def test_what_the_form_requires_to_send_is_named(self, scene):
        client = ApiClient(token=token_for(scene.trust_officer, R))
        body = {**_response_body(scene), "views_gathered": ""}
        assert "body.views_gathered" in fields(client.post(self.url(scene.open), body))
        body = {**_response_body(scene), "organisation": "nobody"}
        assert "body.organisation" in fields(client.post(self.url(scene.open), body))
        body = {**_response_body(scene), "kind": "anonymous"}
        assert "body.kind" in fields(client.post(self.url(scene.open), body))

    def test_a_consultation_that_is_not_open_takes_none(self, scene):
        client = ApiClient(token=token_for(scene.trust_officer, R))
        for closed in (scene.planned, scene.analysed):
            response = client.post(self.url(closed), _response_body(scene))
            assert response.status_code == 409
            assert response.json()["detail"] == "This consultation is not open for responses"

    def test_a_draft_is_changed_then_sent(self, scene):
        client = ApiClient(token=token_for(scene.trust_officer, R))
        url = f"{self.url(scene.open)}/{scene.response.pk}"
        kept = client.put(url, {**_response_body(scene), "answer": "Changed", "send": False})
        assert kept.status_code == 200 and kept.json()["state"] == "draft"
        assert kept.json()["answer"] == "Changed"
        sent = client.put(url, {**_response_body(scene), "send": True})
        assert sent.json()["state"] == "submitted"
        # once sent it stays sent
        again = client.put(url, {**_response_body(scene), "answer": "Third", "send": False})
        assert again.json()["state"] == "submitted" and again.json()["answer"] == "Third"

    def test_someone_else_s_response_is_not_found_and_a_closed_one_is_a_conflict(self, scene):
        url = f"{self.url(scene.open)}/{scene.response.pk}"
        response = ApiClient(token=token_for(scene.officer, R)).put(url, _response_body(scene))
        assert response.status_code == 404
        assert response.json()["detail"] == (
            f"You have no response {scene.response.pk} to consultation {scene.open.pk}"
        )
        # under another consultation's address it is not found either
        other = f"{self.url(scene.planned)}/{scene.response.pk}"
        client = ApiClient(token=token_for(scene.trust_officer, R))
        assert client.put(other, _response_body(scene)).status_code == 404
        Consultation.objects.filter(pk=scene.open.pk).update(closes_on=days(-1))
        assert client.put(url, _response_body(scene)).status_code == 409


@pytest.mark.django_db
class TestMeetings:
    def test_the_support_team_sets_one_up_and_it_is_public(self, scene):
        client = ApiClient(token=token_for(scene.support, M))
        response = client.post(
            "/api/compacts/leicester/meetings",
            {"title": "Board", "on": days(50).isoformat(), "place": "Library", "kind": "body"},
        )
        assert response.status_code == 201, response.json()
        made = Meeting.objects.get(pk=response.json()["id"])
        assert made.created_by == scene.support and made.kind == "body"
        listed = ApiClient().get("/api/meetings", {"compact": "leicester"}).json()
        assert made.pk in [m["id"] for m in listed["items"]]

    def test_blank_and_malformed_values_are_named(self, scene):
        client = ApiClient(token=token_for(scene.support, M))
        found = fields(
            client.post("/api/compacts/leicester/meetings", {"title": "", "on": "2026-13-45"})
        )
        assert {"body.title", "body.on"} <= set(found)

    def test_agenda_invitations_decisions_and_minutes(self, scene):
        client = ApiClient(token=token_for(scene.support, M))
        url = f"/api/meetings/{scene.meeting.pk}"
        assert client.post(f"{url}/agenda/publish").status_code == 409  # none made yet
        items = client.post(f"{url}/agenda").json()
        assert items and items[0]["position"] == 1
        assert ApiClient().get(url).json()["agenda"] == []  # not public until published
        assert client.post(f"{url}/agenda/publish").status_code == 200
        assert ApiClient().get(url).json()["agenda"] == items
        assert client.post(f"{url}/agenda").status_code == 409  # kept as published
        invited = client.post(f"{url}/invitations").json()
        assert invited["invited"] == 2 and invited["meeting"]["invitations_sent_on"]
        decided = client.post(f"{url}/decisions", {"text": "The plan is agreed."})
        assert decided.status_code == 201 and decided.json()["decisions"] == ["The plan is agreed."]
        # not before its date
        early = client.post(f"{url}/held", {"minutes": "Met."})
        assert early.status_code == 409 and "before its date" in early.json()["detail"]
        held = client.post(f"/api/meetings/{scene.past_meeting.pk}/held", {"minutes": "Met."})
        assert held.status_code == 200 and held.json()["minutes"] == "Met."
        again = client.post(f"/api/meetings/{scene.past_meeting.pk}/invitations")
        assert again.status_code == 409

    def test_an_unknown_compact_or_meeting_is_not_found(self, scene):
        client = ApiClient(token=token_for(scene.support, M))
        body = {"title": "Board", "on": days(50).isoformat()}
        assert client.post("/api/compacts/atlantis/meetings", body).status_code == 404
        assert client.post("/api/meetings/999999/agenda").status_code == 404


@pytest.mark.django_db
class TestAwards:
    def test_an_officer_of_the_funder_records_one_with_its_payments(self, scene):
        client = ApiClient(token=token_for(scene.officer, F))
        response = client.post(
            f"/api/organisations/{scene.council.slug}/awards", _award_body(scene)
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        award = Award.objects.get(pk=body["id"])
        assert award.recorded_by == scene.officer and award.amount == Decimal("12000")
        assert body["overheads"] == "1000.50" and body["payments"] == []
        payment = client.post(
            f"/api/awards/{award.pk}/payments",
            {
                "amount": "12000",
                "due_on": days(50).isoformat(),
                "expenditure_starts_on": days(60).isoformat(),
                "note": "All at once",
            },
        )
        assert payment.status_code == 201 and payment.json()["amount"] == "12000.00"
        over = client.post(
            f"/api/awards/{award.pk}/payments",
            {
                "amount": "0.01",
                "due_on": days(50).isoformat(),
                "expenditure_starts_on": days(60).isoformat(),
            },
        )
        assert "£0.00 is left" in fields(over)["body.amount"]

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"overheads": "20000"}, "body.overheads"),
            ({"ends_on": days(1).isoformat()}, "body.ends_on"),
            ({"recipient": "nobody"}, "body.recipient"),
            ({"amount": "0"}, "body.amount"),
            ({"amount": "12.345"}, "body.amount"),
            ({"kind": "gift"}, "body.kind"),
        ],
    )
    def test_values_the_form_refuses_are_named(self, scene, change, field):
        response = ApiClient(token=token_for(scene.officer, F)).post(
            f"/api/organisations/{scene.council.slug}/awards", {**_award_body(scene), **change}
        )
        assert field in fields(response)
        assert Award.objects.count() == 1

    def test_an_organisation_cannot_fund_itself(self, scene):
        body = {**_award_body(scene), "recipient": scene.council.slug}
        response = ApiClient(token=token_for(scene.officer, F)).post(
            f"/api/organisations/{scene.council.slug}/awards", body
        )
        assert fields(response) == {"body.recipient": "An organisation cannot fund itself"}

    def test_a_payment_is_paid_once_and_not_in_the_future(self, scene):
        client = ApiClient(token=token_for(scene.officer, F))
        url = f"/api/awards/{scene.award.pk}/payments/{scene.payment.pk}/paid"
        assert "body.paid_on" in fields(client.post(url, {"paid_on": days(3).isoformat()}))
        paid = client.post(url, {"paid_on": days(0).isoformat()})
        assert paid.status_code == 200 and paid.json()["paid_on"] == days(0).isoformat()
        again = client.post(url, {"paid_on": days(0).isoformat()})
        assert again.status_code == 409 and "already" in again.json()["detail"]
        assert Payment.objects.get(pk=scene.payment.pk).paid_on == days(0)

    def test_a_payment_of_another_award_is_not_found(self, scene):
        from localcompact.funding.services import award_create

        other = award_create(
            funder=scene.council,
            recipient=scene.charity,
            version=scene.leicester.current_version,
            by=scene.officer,
            today=timezone.localdate(),
            kind="grant",
            title="Another",
            description="Another award.",
            amount=Decimal("100"),
            overheads=Decimal("0"),
            award_date=days(-1),
            agreed_on=days(-1),
            starts_on=days(1),
            ends_on=days(100),
            length_reason="",
        )
        client = ApiClient(token=token_for(scene.officer, F))
        url = f"/api/awards/{other.pk}/payments/{scene.payment.pk}/paid"
        assert client.post(url, {"paid_on": days(0).isoformat()}).status_code == 404

    def test_confirmation(self, scene):
        client = ApiClient(token=token_for(scene.officer, F))
        url = f"/api/awards/{scene.award.pk}/confirmation"
        assert "body.confirmed_on" in fields(client.post(url, {"confirmed_on": "tomorrow"}))
        future = client.post(url, {"confirmed_on": days(5).isoformat()})
        assert "body.confirmed_on" in fields(future)
        done = client.post(url, {"confirmed_on": days(0).isoformat()})
        assert done.status_code == 200 and done.json()["confirmed_on"] == days(0).isoformat()
        assert [p["id"] for p in done.json()["payments"]] == [scene.payment.pk]


@pytest.mark.django_db
class TestPublicReads:
    def test_consultations_filtered_by_compact_lead_status_and_date(self, scene):
        client = ApiClient()
        body = client.get("/api/consultations").json()
        assert body["count"] == 3
        assert {c["status"] for c in body["items"]} == {"planned", "open", "analysis"}
        assert client.get("/api/consultations", {"status": "open"}).json()["count"] == 1
        assert client.get("/api/consultations", {"lead": scene.charity.slug}).json()["count"] == 0
        assert client.get("/api/consultations", {"compact": "herefordshire"}).json()["count"] == 0
        recent = client.get("/api/consultations", {"opens_from": days(-20).isoformat()}).json()
        assert {c["id"] for c in recent["items"]} == {scene.planned.pk, scene.open.pk}
        assert client.get("/api/consultations", {"compact": "atlantis"}).status_code == 404
        assert client.get("/api/consultations", {"status": "secret"}).status_code == 422

    @pytest.mark.parametrize(
        ("path", "start", "end"),
        [
            ("/api/consultations", "opens_from", "opens_to"),
            ("/api/meetings", "date_from", "date_to"),
            ("/api/awards", "decided_from", "decided_to"),
            ("/api/compacts/leicester/compliance", "date_from", "date_to"),
        ],
    )
    def test_a_period_that_ends_before_it_starts_is_refused_alike(
        self, shipped_compacts, path, start, end
    ):
        wrong_way = {start: days(1).isoformat(), end: days(0).isoformat()}
        response = ApiClient().get(path, wrong_way)
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": f"query.{start}", "message": f"{start} must be the same as or before {end}"}
        ]

    def test_a_consultation_shows_no_responses_and_no_decision_before_it_is_taken(self, scene):
        Consultation.objects.filter(pk=scene.open.pk).update(decision="Not yet public")
        body = ApiClient().get(f"/api/consultations/{scene.open.pk}").json()
        assert body["decision"] == "" and "responses" not in body
        assert "Keep the evening hours" not in str(body)

    def test_an_award_shows_its_headline_facts_only(self, scene):
        body = ApiClient().get(f"/api/awards/{scene.award.pk}").json()
        assert body["amount"] == "30000.00" and body["recipient"] == scene.charity.slug
        assert "payments" not in body and "confirmed_on" not in body
        listed = ApiClient().get("/api/awards", {"funder": scene.council.slug}).json()
        assert [a["id"] for a in listed["items"]] == [scene.award.pk]
        assert (
            ApiClient().get("/api/awards", {"recipient": scene.council.slug}).json()["count"] == 0
        )
        assert ApiClient().get("/api/awards/999999").status_code == 404

    def test_meetings_by_date(self, scene):
        client = ApiClient()
        body = client.get("/api/meetings", {"date_to": days(0).isoformat()}).json()
        assert [m["id"] for m in body["items"]] == [scene.past_meeting.pk]
        detail = client.get(f"/api/meetings/{scene.meeting.pk}").json()
        assert detail["minutes"] == "" and detail["agenda"] == []
        assert client.get("/api/meetings/0").status_code == 422
