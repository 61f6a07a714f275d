"""An organisation's history: every change to it, its identifiers and its signatures.

Who may see it: the support team of any compact, and staff (it names the people who
made each change). Everyone else is refused: anonymous visitors are sent to sign in;
an outsider, and the organisation's own member, officer and administrator, get 403.
"""

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from localcompact.organisations.models import CompactRole, Identifier, Role

from .test_register_fixtures import (
    compact_made,
    member_made,
    organisation_made,
    person_made,
    signed,
    support_team_made,
)

D = dt.date


@pytest.fixture
def testshire(db):
    return compact_made()


@pytest.fixture
def bank(testshire):
    return organisation_made("Aylestone Food Bank", identifiers=("GB-CHC-1234567",))


def url(organisation) -> str:
    return reverse("organisations:history", kwargs={"slug": organisation.slug})


@pytest.mark.django_db
class TestWhoMaySee:
    def test_the_support_team_of_a_compact_sees_it(self, client, testshire, bank):
        client.force_login(support_team_made("support", testshire))
        response = client.get(url(bank))
        assert response.status_code == 200
        assert "History of changes" in response.content.decode()

    def test_staff_see_it(self, client, bank):
        client.force_login(person_made("staff", staff=True))
        assert client.get(url(bank)).status_code == 200

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, bank):
        response = client.get(url(bank))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login") + "?next=")

    @pytest.mark.parametrize("who", ["outsider", Role.MEMBER, Role.OFFICER, Role.ADMINISTRATOR])
    def test_everyone_else_is_refused(self, client, bank, who):
        user = person_made(who) if who == "outsider" else member_made(who, bank, who)
        client.force_login(user)
        response = client.get(url(bank))
        assert response.status_code == 403
        page = html.unescape(response.content.decode())
        assert "Only a compact's support team can see the history" in page
        assert "Aylestone Food Bank" in page

    def test_a_support_team_role_once_revoked_no_longer_gives_it(self, client, testshire, bank):
        user = support_team_made("support", testshire)
        CompactRole.objects.filter(user=user).update(revoked_at=timezone.now())
        client.force_login(user)
        assert client.get(url(bank)).status_code == 403

    def test_an_unknown_organisation_is_not_found(self, client, db):
        client.force_login(person_made("staff", staff=True))
        assert client.get("/organisations/nobody/history/").status_code == 404


@pytest.mark.django_db
class TestWhatItShows:
    def test_each_change_is_shown_newest_first_with_who_and_what(self, client, testshire, bank):
        editor = person_made("editor")
        bank.name = "Aylestone Community Food Bank"
        bank.area_served = "Aylestone"
        bank._history_user = editor
        bank.save()
        signature = signed(bank, testshire, D(2024, 3, 1), position="Chair of trustees")
        signature.withdrawn_on = D(2025, 1, 31)
        signature.withdrawal_reason = "Closing down"
        signature._history_user = editor
        signature.save()

        client.force_login(person_made("staff", staff=True))
        response = client.get(url(bank))
        entries = response.context["entries"]
        assert [e.what for e in entries] == [
            "Signature of Testshire Compact changed",
            "Signature of Testshire Compact recorded",
            "Organisation changed",
            "Identifier GB-CHC-1234567 added",
            "Organisation created",
        ]
        withdrawal = {c.field: (c.old, c.new) for c in entries[0].changes}
        assert withdrawal == {
            "Withdrawn on": ("(empty)", "31 January 2025"),
            "Withdrawal reason": ("(empty)", "Closing down"),
        }
        assert entries[0].who == "editor"
        renamed = {c.field: (c.old, c.new) for c in entries[2].changes}
        assert renamed == {
            "Name": ("Aylestone Food Bank", "Aylestone Community Food Bank"),
            "Area served": ("(empty)", "Aylestone"),
        }
        created = {c.field: c.new for c in entries[4].changes}
        assert created["Name"] == "Aylestone Food Bank"
        assert created["Sector"] == "Voluntary and community sector"
        page = response.content.decode()
        assert "Closing down" in page
        assert "by editor" in page

    def test_the_signatory_s_name_is_in_the_history_for_the_support_team(
        self, client, testshire, bank
    ):
        signed(bank, testshire, D(2024, 3, 1), name="Pat Example")
        client.force_login(person_made("staff", staff=True))
        assert "Pat Example" in client.get(url(bank)).content.decode()

    def test_an_identifier_removed_is_shown(self, client, bank):
        Identifier.objects.filter(organisation=bank).delete()
        client.force_login(person_made("staff", staff=True))
        entries = client.get(url(bank)).context["entries"]
        assert entries[0].what == "Identifier GB-CHC-1234567 deleted"

    def test_queries_do_not_grow_with_the_history(self, client, testshire, bank):
        client.force_login(person_made("staff", staff=True))

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(bank)).status_code == 200
            return len(queries)

        count()  # the first request also checks the user's two-factor set-up
        few = count()
        for year in range(2015, 2025):
            bank.area_served = f"Area {year}"
            bank.save()
            signed(bank, testshire, D(year, 1, 1), withdrawn_on=D(year, 6, 1))
            Identifier.objects.create(organisation=bank, scheme="GB-COH", value=f"0{year}0000")
        assert count() == few
