"""An organisation's public page: what it is, how to reach it, and its pledges.

Anyone may read it. Only the compact support team (and staff) see the link to its
history; everyone else, its own members included, sees the same public page.
"""

import datetime as dt

import pytest
from django.urls import resolve, reverse

from localcompact.organisations.models import IncomeBand, Kind, Role

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
def bank(db):
    testshire = compact_made()
    otherton = compact_made("otherton", "Otherton Compact")
    organisation = organisation_made(
        "Aylestone Food Bank",
        kind=Kind.REGISTERED_CHARITY,
        identifiers=("GB-CHC-1234567", "GB-COH-01234567"),
        area_served="Aylestone and Saffron",
        website="https://aylestone-food.example.org",
        public_email="hello@aylestone-food.example.org",
        public_phone="0116 496 0000",
        income_band=IncomeBand.FROM_10K,
        bme_led=True,
        receives_public_funding=True,
        verified_on=D(2025, 6, 30),
    )
    signed(organisation, testshire, D(2022, 3, 1), withdrawn_on=D(2023, 1, 31), reason="Paused")
    signed(organisation, testshire, D(2024, 3, 1), position="Chair of trustees", name="Pat Example")
    signed(organisation, otherton, D(2023, 5, 2), withdrawn_on=D(2024, 1, 31), reason="")
    return organisation


@pytest.mark.django_db
class TestThePage:
    def test_anyone_sees_what_the_organisation_is(self, client, bank):
        page = client.get(bank.get_absolute_url()).content.decode()
        assert "<title>Aylestone Food Bank – " in page
        for text in (
            "Voluntary and community sector",
            "Registered charity",
            "GB-CHC-1234567",
            "(Charity Commission for England and Wales)",
            "GB-COH-01234567",
            "Led by and for black and minority ethnic communities",
            "Receives public funding",
            "Aylestone and Saffron",
            "£10,000 to £100,000",
            "0116 496 0000",
            'href="mailto:hello@aylestone-food.example.org"',
            'href="https://aylestone-food.example.org" rel="nofollow noopener noreferrer"',
            "checked these details on 30 June 2025",
        ):
            assert text in page, text

    def test_an_unverified_organisation_says_so(self, client, db):
        organisation = organisation_made("New Group")
        page = client.get(organisation.get_absolute_url()).content.decode()
        assert "Not verified" in page
        assert "has not signed a compact on this site" in page

    def test_signatures_withdrawals_and_signing_again_are_shown_with_dates(self, client, bank):
        page = client.get(bank.get_absolute_url()).content.decode()
        assert "Signed online on 1 March 2022 by its Chair of trustees." in page
        assert "Withdrew on 31 January 2023, saying: ‘Paused’" in page
        assert "Signed again online on 1 March 2024 by its Chair of trustees" in page
        assert "Withdrew on 31 January 2024." in page
        # compacts by name: Otherton is withdrawn; Testshire stands (signed again)
        otherton = page[page.index("Otherton Compact</a>") : page.index("Testshire Compact</a>")]
        testshire = page[page.index("Testshire Compact</a>") :]
        assert "Withdrawn</strong>" in otherton and "Signed</strong>" not in otherton
        assert "Signed</strong>" in testshire.split("</ul>")[0]

    def test_the_signatory_s_name_is_not_shown(self, client, bank):
        assert "Pat Example" not in client.get(bank.get_absolute_url()).content.decode()

    def test_an_unknown_organisation_is_not_found(self, client, db):
        assert client.get("/organisations/nobody-at-all/").status_code == 404

    def test_the_page_for_creating_an_organisation_is_not_taken_for_one(self, db):
        assert resolve("/organisations/new/").url_name == "new"
        assert resolve("/organisations/newham-trust/").url_name == "detail"


@pytest.mark.django_db
class TestHistoryLink:
    def history_link_shown(self, client, bank, user=None) -> bool:
        if user is not None:
            client.force_login(user)
        page = client.get(bank.get_absolute_url()).content.decode()
        return reverse("organisations:history", kwargs={"slug": bank.slug}) in page

    def test_the_support_team_sees_a_link_to_the_history(self, client, bank):
        from localcompact.compacts.models import Compact

        user = support_team_made("support", Compact.objects.get(slug="otherton"))
        assert self.history_link_shown(client, bank, user)

    def test_staff_see_it(self, client, bank):
        assert self.history_link_shown(client, bank, person_made("staff", staff=True))

    def test_no_one_else_sees_it(self, client, bank):
        assert not self.history_link_shown(client, bank)
        assert not self.history_link_shown(
            client, bank, member_made("admin", bank, Role.ADMINISTRATOR)
        )
