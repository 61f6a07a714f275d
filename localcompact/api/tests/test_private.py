"""With a personal token: the scope, then the person's own role, decide; writes refuse what
the web form refuses."""

import datetime as dt

import pytest
from django.utils import timezone

from localcompact.api.models import ApiToken
from localcompact.compacts.models import Compact, Standard
from localcompact.obligations.models import Activity, Obligation
from localcompact.organisations.models import Role
from localcompact.organisations.tests.test_register_fixtures import member_made, person_made

from .conftest import ApiClient, token_for

READ, WRITE = "obligations:read", "activities:write"


def record_notice(organisation, *, start_on=None):
    """An obligation for `organisation`, through the same service the web form uses."""
    from localcompact.obligations.services import activity_record

    standard = Standard.objects.get(
        version__compact__slug="herefordshire",
        version__compact__current_version__isnull=False,
        ident="meeting-notice",
    )
    return activity_record(
        organisation=organisation,
        standard=standard,
        title="Partnership board",
        description="",
        start_on=start_on or timezone.localdate() + dt.timedelta(days=60),
        end_on=None,
        agreed_due_on=None,
        owed_to=[],
        owed_to_label="",
        by=None,
        today=timezone.localdate(),
    )


@pytest.mark.django_db
class TestMe:
    def test_it_says_who_the_token_acts_for(self, officer, council):
        body = ApiClient(token=token_for(officer, READ)).get("/api/me").json()
        assert body["username"] == "olivia" and body["scopes"] == [READ]
        assert body["memberships"] == [
            {"organisation": council.slug, "name": council.name, "role": "officer"}
        ]

    def test_without_a_token_it_is_refused(self, db):
        assert ApiClient().get("/api/me").status_code == 401


@pytest.mark.django_db
class TestObligations:
    def url(self, organisation):
        return f"/api/organisations/{organisation.slug}/obligations"

    def test_members_read_their_organisation_s_obligations(self, shipped_compacts, council):
        record_notice(council)
        member = member_made("mo", council, Role.MEMBER)
        body = ApiClient(token=token_for(member, READ)).get(self.url(council)).json()
        [item] = body["items"]
        assert item["standard"] == "meeting-notice" and item["owed_by"] == council.slug

    def test_a_token_without_the_scope_is_refused(self, shipped_compacts, officer, council):
        response = ApiClient(token=token_for(officer)).get(self.url(council))
        assert response.status_code == 403
        assert "obligations:read" in response.json()["detail"]

    def test_another_organisation_s_obligations_are_refused(
        self, shipped_compacts, officer, charity
    ):
        record_notice(charity)
        response = ApiClient(token=token_for(officer, READ)).get(self.url(charity))
        assert response.status_code == 403
        assert "Only members of Riverside Youth Trust" in response.json()["detail"]

    def test_filters(self, shipped_compacts, officer, council):
        soon = timezone.localdate() + dt.timedelta(days=40)
        record_notice(council, start_on=soon)
        record_notice(council, start_on=soon + dt.timedelta(days=200))
        client = ApiClient(token=token_for(officer, READ))
        due_to = (soon + dt.timedelta(days=30)).isoformat()
        assert client.get(self.url(council), {"due_to": due_to}).json()["count"] == 1
        assert client.get(self.url(council), {"status": "missed"}).json()["count"] == 0
        assert client.get(self.url(council), {"direction": "owed"}).json()["count"] == 0
        assert client.get(self.url(council), {"direction": "up"}).status_code == 422


@pytest.mark.django_db
class TestRecordingAnActivity:
    def url(self, organisation):
        return f"/api/organisations/{organisation.slug}/activities"

    def body(self, **changes):
        start = timezone.localdate() + dt.timedelta(days=7)
        return {
            "compact": "leicester",
            "standard": "consultation-minimum-period",
            "title": "Library opening hours",
            "start_on": start.isoformat(),
            "end_on": (start + dt.timedelta(weeks=13)).isoformat(),
            **changes,
        }

    def test_an_officer_records_it_and_gets_its_obligation(
        self, shipped_compacts, officer, council
    ):
        client = ApiClient(token=token_for(officer, WRITE))
        response = client.post(self.url(council), self.body())
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["owed_by"] == council.slug
        [obligation] = body["obligations"]
        assert obligation["standard"] == "consultation-minimum-period"
        assert Activity.objects.get().recorded_by == officer

    def test_a_period_too_short_is_refused_as_the_form_refuses_it(
        self, shipped_compacts, officer, council
    ):
        start = timezone.localdate() + dt.timedelta(days=7)
        response = ApiClient(token=token_for(officer, WRITE)).post(
            self.url(council),
            self.body(end_on=(start + dt.timedelta(weeks=6)).isoformat()),
        )
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == "body.end_on" and "12 weeks" in error["message"]
        assert not Activity.objects.exists()

    def test_with_the_exception_recorded_it_is_accepted_and_excused(
        self, shipped_compacts, officer, council
    ):
        start = timezone.localdate() + dt.timedelta(days=7)
        response = ApiClient(token=token_for(officer, WRITE)).post(
            self.url(council),
            self.body(
                end_on=(start + dt.timedelta(weeks=6)).isoformat(),
                exception_reason="The regulations set a six-week window",
            ),
        )
        assert response.status_code == 201, response.json()
        assert Obligation.objects.get().status == "excused"

    @pytest.mark.parametrize("role", [Role.MEMBER, None])
    def test_members_and_outsiders_are_refused(self, shipped_compacts, council, role):
        user = member_made("mo", council, role) if role else person_made("olly")
        response = ApiClient(token=token_for(user, WRITE)).post(self.url(council), self.body())
        assert response.status_code == 403
        assert not Activity.objects.exists()

    def test_without_the_scope_it_is_refused(self, shipped_compacts, officer, council):
        response = ApiClient(token=token_for(officer, READ)).post(self.url(council), self.body())
        assert response.status_code == 403

    def test_a_revoked_token_is_refused(self, shipped_compacts, officer, council):
        text = token_for(officer, WRITE)
        ApiToken.objects.update(revoked_at=timezone.now())
        assert ApiClient(token=text).post(self.url(council), self.body()).status_code == 401

    def test_an_unknown_standard_or_organisation_is_named(self, shipped_compacts, officer, council):
        client = ApiClient(token=token_for(officer, WRITE))
        response = client.post(self.url(council), self.body(standard="no-such-thing"))
        assert response.status_code == 404 and "no-such-thing" in response.json()["detail"]
        response = client.post(self.url(council), self.body(owed_to=["nobody"]))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.owed_to"

    def test_missing_and_malformed_values_are_listed(self, shipped_compacts, officer, council):
        response = ApiClient(token=token_for(officer, WRITE)).post(
            self.url(council), {"compact": "leicester", "start_on": "soon"}
        )
        assert response.status_code == 422
        fields = {e["field"] for e in response.json()["errors"]}
        assert {"body.standard", "body.title", "body.start_on"} <= fields
        assert Compact.objects.exists()
