"""The public register page: search, filters, statuses, sorting, pages, and its queries.

Anyone may read the register, signed in or not; it shows no members and no
signatories' names, so there is no one it must hide anything from.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.organisations.models import Kind, Organisation, Sector

from .test_register_fixtures import compact_made, organisation_made, person_made, signed

URL = reverse("organisations:register")
D = dt.date


def names(response) -> list[str]:
    return [row.organisation.name for row in response.context["rows"]]


@pytest.fixture
def testshire(db):
    return compact_made()


@pytest.fixture
def otherton(db):
    return compact_made("otherton", "Otherton Compact")


@pytest.mark.django_db
class TestWhoMaySee:
    def test_anyone_without_an_account_can_read_it(self, client):
        organisation_made("Aylestone Food Bank")
        response = client.get(URL)
        assert response.status_code == 200
        assert names(response) == ["Aylestone Food Bank"]

    def test_a_signed_in_user_sees_the_same_register(self, client):
        organisation_made("Aylestone Food Bank")
        anonymous = names(client.get(URL))
        client.force_login(person_made("someone"))
        assert names(client.get(URL)) == anonymous

    def test_it_only_answers_reads(self, client, db):
        assert client.post(URL).status_code == 405


@pytest.mark.django_db
class TestSearch:
    @pytest.fixture(autouse=True)
    def organisations(self, db):
        organisation_made("Aylestone Food Bank", identifiers=("GB-CHC-1234567",))
        organisation_made("Belgrave Foodshare", identifiers=("GB-COH-01234567",))
        organisation_made("Leicester Tenants Forum", identifiers=("GB-CHC-7654321-1",))
        organisation_made("Braunstone Good Food Club", identifiers=("GB-SC-SC012345",))

    def search(self, client, q: str) -> list[str]:
        return names(client.get(URL, {"q": q}))

    def test_a_word_s_start_finds_the_names_with_a_word_starting_so(self, client):
        assert self.search(client, "food") == [
            "Aylestone Food Bank",
            "Belgrave Foodshare",
            "Braunstone Good Food Club",
        ]

    def test_the_search_ignores_case(self, client):
        assert self.search(client, "FOODS") == ["Belgrave Foodshare"]

    def test_the_middle_of_a_word_does_not_match(self, client):
        assert self.search(client, "oodshare") == []

    def test_every_word_searched_must_start_a_word_of_the_name(self, client):
        assert self.search(client, "food ayl") == ["Aylestone Food Bank"]
        assert self.search(client, "food tenants") == []

    def test_the_whole_name_finds_the_organisation(self, client):
        assert self.search(client, "Leicester Tenants Forum") == ["Leicester Tenants Forum"]

    def test_punctuation_is_ignored_as_the_index_ignores_it(self, client):
        assert self.search(client, "good-food!") == ["Braunstone Good Food Club"]

    def test_an_org_id_finds_its_organisation(self, client):
        assert self.search(client, "GB-CHC-1234567") == ["Aylestone Food Bank"]

    def test_an_org_id_is_read_without_regard_to_case_or_spaces(self, client):
        assert self.search(client, " gb-chc-1234567 ") == ["Aylestone Food Bank"]

    def test_a_linked_charity_s_org_id_finds_it(self, client):
        assert self.search(client, "GB-CHC-7654321-1") == ["Leicester Tenants Forum"]

    def test_an_org_id_in_another_scheme_does_not_match_the_same_number(self, client):
        assert self.search(client, "GB-COH-1234567") == []

    def test_a_bare_number_finds_the_identifier_in_any_scheme(self, client):
        assert self.search(client, "01234567") == ["Belgrave Foodshare"]
        assert self.search(client, "sc012345") == ["Braunstone Good Food Club"]

    def test_a_search_with_no_words_finds_nothing_and_says_so(self, client):
        response = client.get(URL, {"q": "!!!"})
        assert response.status_code == 200
        assert names(response) == []
        page = response.content.decode()
        assert "No organisation on the register matches your search and filters" in page
        assert "check the spelling" in page

    def test_a_renamed_organisation_is_found_by_its_new_name_only(self, client):
        organisation = Organisation.objects.get(name="Belgrave Foodshare")
        organisation.name = "Belgrave Community Pantry"
        organisation.save()
        assert self.search(client, "pantry") == ["Belgrave Community Pantry"]
        assert self.search(client, "foodshare") == []

    def test_a_deleted_organisation_is_no_longer_found(self, client):
        Organisation.objects.filter(name="Belgrave Foodshare").delete()
        assert self.search(client, "belgrave") == []

    def test_a_search_longer_than_100_characters_is_refused(self, client):
        response = client.get(URL, {"q": "a" * 101})
        assert response.status_code == 400
        assert "Search must be 100 characters or fewer" in response.content.decode()


@pytest.mark.django_db
class TestFilters:
    def test_sector_kind_and_flags_narrow_the_list(self, client):
        organisation_made("Council of Testshire", sector=Sector.PUBLIC, kind=Kind.COUNCIL)
        organisation_made("Testshire Faith Forum", kind=Kind.FAITH_GROUP, bme_led=True)
        organisation_made(
            "Testshire Equality Network",
            kind=Kind.INFRASTRUCTURE,
            bme_led=True,
            equality_and_diversity=True,
        )
        assert names(client.get(URL, {"sector": "public"})) == ["Council of Testshire"]
        assert names(client.get(URL, {"kind": "faith_group"})) == ["Testshire Faith Forum"]
        assert names(client.get(URL, {"flags": "bme_led"})) == [
            "Testshire Equality Network",
            "Testshire Faith Forum",
        ]
        both = client.get(URL + "?flags=bme_led&flags=equality_and_diversity")
        assert names(both) == ["Testshire Equality Network"]

    @pytest.mark.parametrize(
        "query,message",
        [
            ({"sector": "pirates"}, "Choose a sector from the list"),
            ({"kind": "dragon"}, "Choose a kind of organisation from the list"),
            ({"flags": "famous"}, "Choose from the list of descriptions"),
            ({"status": "maybe"}, "Choose a pledge status from the list"),
            ({"compact": "nowhere"}, "Choose a compact from the list"),
            ({"sort": "size"}, "Choose how to sort from the list"),
        ],
    )
    def test_a_value_not_offered_is_refused_with_an_error_summary(self, client, query, message):
        organisation_made("Aylestone Food Bank")
        response = client.get(URL, query)
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert message in page
        assert "<title>Error: " in page
        # the bad filter is left out, the rest of the page still works
        assert names(response) == ["Aylestone Food Bank"]


@pytest.mark.django_db
class TestStatuses:
    @pytest.fixture(autouse=True)
    def story(self, testshire, otherton):
        # Signed Testshire and stayed.
        signed(organisation_made("Steady Trust"), testshire, D(2024, 3, 1))
        # Signed Testshire, withdrew.
        left = organisation_made("Leaver Group")
        signed(left, testshire, D(2024, 1, 5), withdrawn_on=D(2025, 2, 1), reason="Closing")
        # Signed Testshire, withdrew, signed again.
        back = organisation_made("Returner Club")
        signed(back, testshire, D(2023, 6, 1), withdrawn_on=D(2023, 9, 1))
        signed(back, testshire, D(2025, 4, 1))
        # Withdrew from Otherton, still signed to Testshire.
        both = organisation_made("Two Compacts Forum")
        signed(both, testshire, D(2024, 5, 1))
        signed(both, otherton, D(2024, 5, 2), withdrawn_on=D(2025, 1, 1))
        organisation_made("Never Signed Society")

    def status(self, client, **query) -> list[str]:
        return names(client.get(URL, query))

    def test_signed_lists_those_whose_signature_stands(self, client):
        assert self.status(client, status="signed") == [
            "Returner Club",
            "Steady Trust",
            "Two Compacts Forum",
        ]

    def test_withdrawn_lists_those_who_withdrew_and_did_not_sign_again(self, client):
        assert self.status(client, status="withdrawn") == ["Leaver Group", "Two Compacts Forum"]

    def test_never_lists_those_who_have_not_signed(self, client):
        assert self.status(client, status="never") == ["Never Signed Society"]

    def test_a_compact_lists_everyone_who_ever_signed_it(self, client):
        assert self.status(client, compact="otherton") == ["Two Compacts Forum"]
        assert len(self.status(client, compact="testshire")) == 4

    def test_statuses_within_a_compact_are_of_that_compact(self, client):
        assert self.status(client, compact="testshire", status="withdrawn") == ["Leaver Group"]
        assert self.status(client, compact="otherton", status="withdrawn") == ["Two Compacts Forum"]
        assert self.status(client, compact="otherton", status="signed") == []
        assert self.status(client, compact="otherton", status="never") == [
            "Leaver Group",
            "Never Signed Society",
            "Returner Club",
            "Steady Trust",
        ]

    def test_the_compact_s_register_is_titled_with_its_name(self, client):
        page = client.get(URL, {"compact": "otherton"}).content.decode()
        assert "<title>Register of signatories – Otherton Compact" in page
        assert '<span class="govuk-caption-l">Otherton Compact</span>' in page

    def test_each_row_tells_the_story_of_each_compact(self, client):
        page = client.get(URL, {"q": "returner"}).content.decode()
        assert "signed on 1 June 2023, withdrew on 1 September 2023; " in page
        assert "signed again on 1 April 2025" in page
        page = client.get(URL, {"q": "two"}).content.decode()
        assert "Otherton Compact</a>:" in page
        assert "signed on 2 May 2024, withdrew on 1 January 2025" in page

    def test_recently_signed_puts_the_latest_signature_first(self, client):
        assert self.status(client, sort="recent") == [
            "Returner Club",  # 2025-04-01
            "Two Compacts Forum",  # 2024-05-02 (Otherton)
            "Steady Trust",  # 2024-03-01
            "Leaver Group",  # 2024-01-05
            "Never Signed Society",  # never: last
        ]

    def test_recently_signed_within_a_compact_reads_that_compact_s_signatures(self, client):
        assert self.status(client, sort="recent", compact="testshire")[:2] == [
            "Returner Club",
            "Two Compacts Forum",  # 2024-05-01 (Testshire)
        ]


@pytest.mark.django_db
class TestRecentlySignedPages:
    def test_the_pages_run_on_from_those_who_signed_to_those_who_did_not(self, client, testshire):
        for n in range(55):
            signed(organisation_made(f"Signed {n:02d}"), testshire, D(2020, 1, 1) + dt.timedelta(n))
        for n in range(60):
            organisation_made(f"Unsigned {n:02d}")
        first = names(client.get(URL, {"sort": "recent"}))
        assert first[:2] == ["Signed 54", "Signed 53"]
        assert len(first) == 50
        second = names(client.get(URL, {"sort": "recent", "page": 2}))
        assert second[:5] == ["Signed 04", "Signed 03", "Signed 02", "Signed 01", "Signed 00"]
        assert second[5:] == [f"Unsigned {n:02d}" for n in range(45)]
        third = names(client.get(URL, {"sort": "recent", "page": 3}))
        assert third == [f"Unsigned {n:02d}" for n in range(45, 60)]

    def test_the_downloads_keep_that_order(self, client, testshire):
        signed(organisation_made("Older"), testshire, D(2020, 1, 1))
        signed(organisation_made("Newer"), testshire, D(2024, 1, 1))
        organisation_made("Aardvark Trust")
        response = client.get(reverse("organisations:register-csv"), {"sort": "recent"})
        text = b"".join(response.streaming_content).decode()
        assert [line.split(",")[0] for line in text.splitlines()[1:]] == [
            "Newer",
            "Older",
            "Aardvark Trust",
        ]


@pytest.mark.django_db
class TestPages:
    @pytest.fixture(autouse=True)
    def many(self, db):
        Organisation.objects.bulk_create(
            Organisation(name=f"Group {n:03d}", slug=f"group-{n:03d}", sector="vcs")
            for n in range(120)
        )

    def test_fifty_a_page(self, client):
        response = client.get(URL)
        assert names(response)[0] == "Group 000"
        assert len(names(response)) == 50
        assert names(client.get(URL, {"page": 3})) == [f"Group {n:03d}" for n in range(100, 120)]

    def test_the_page_links_keep_the_search_and_filters(self, client):
        page = client.get(URL, {"q": "group", "sector": "vcs", "page": 2}).content.decode()
        assert 'href="?q=group&amp;sector=vcs&amp;page=3#results" rel="next"' in page
        assert 'href="?q=group&amp;sector=vcs&amp;page=1#results" rel="prev"' in page
        assert 'aria-label="Page 2" aria-current="page"' in page
        assert "Showing 51 to 100." in page
        assert "120 organisations" in page

    def test_a_page_past_the_end_shows_the_last_and_nonsense_shows_the_first(self, client):
        assert names(client.get(URL, {"page": 99}))[-1] == "Group 119"
        assert names(client.get(URL, {"page": "lots"}))[0] == "Group 000"

    def test_the_downloads_keep_the_filters_but_not_the_page(self, client):
        page = client.get(URL, {"q": "group", "page": 2}).content.decode()
        assert 'href="/register.csv?q=group" download' in page
        assert 'href="/register.json?q=group" download' in page


@pytest.mark.django_db
class TestRows:
    def test_a_row_shows_sector_kind_identifiers_and_signatures(self, client, testshire):
        organisation = organisation_made(
            "Aylestone Food Bank",
            kind=Kind.REGISTERED_CHARITY,
            identifiers=("GB-CHC-1234567", "GB-COH-01234567"),
        )
        signed(organisation, testshire, D(2024, 3, 1))
        page = client.get(URL).content.decode()
        assert f'href="{organisation.get_absolute_url()}">Aylestone Food Bank</a>' in page
        assert "Voluntary and community sector" in page
        assert "Registered charity" in page
        assert "GB-CHC-1234567" in page and "GB-COH-01234567" in page
        assert "Testshire Compact</a>:" in page
        assert "signed on 1 March 2024" in page
        assert "Pat Example" not in page

    def test_an_empty_register_says_so(self, client, db):
        page = client.get(URL).content.decode()
        assert "0 organisations" in page
        assert "No organisation on the register matches yet." in page


def _world(size: int, compacts, *, start: int = 0) -> None:
    for n in range(start, start + size):
        organisation = organisation_made(
            f"Organisation {n}",
            identifiers=(f"GB-CHC-{1000000 + n}", f"GB-COH-{10000000 + n}"),
            bme_led=n % 2 == 0,
        )
        for number, compact in enumerate(compacts):
            if (n + number) % 3:
                signed(
                    organisation,
                    compact,
                    D(2024, 1, 1) + dt.timedelta(days=n),
                    withdrawn_on=D(2025, 1, 1) if n % 4 == 0 else None,
                )


@pytest.mark.django_db
class TestQueryCounts:
    """The register issues the same number of queries whatever its size."""

    QUERIES = [
        {},
        {"q": "organisation"},
        {"q": "1000001"},
        {"compact": "testshire", "status": "signed", "sort": "recent"},
        {"status": "withdrawn", "flags": "bme_led", "sector": "vcs"},
        {"page": 2},
    ]

    @pytest.mark.parametrize("query", QUERIES)
    def test_queries_do_not_grow_with_the_register(self, client, testshire, otherton, query):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(URL, query).status_code == 200
            return len(queries)

        _world(3, [testshire, otherton])
        few = count()
        _world(120, [testshire, otherton], start=3)  # more than two pages
        assert count() == few
        # the page's five (compacts, count, page, identifiers, signatures); sorting by
        # recent signature adds a count and a slice of each of its two parts
        assert few <= 8

    def test_an_organisation_s_page_does_not_grow_with_its_signatures(
        self, client, testshire, otherton
    ):
        organisation = organisation_made("Aylestone Food Bank", identifiers=("GB-CHC-1234567",))
        url = organisation.get_absolute_url()

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            return len(queries)

        signed(organisation, testshire, D(2020, 1, 1), withdrawn_on=D(2020, 6, 1))
        few = count()
        for year in range(2021, 2030):
            signed(organisation, testshire, D(year, 1, 1), withdrawn_on=D(year, 6, 1))
            signed(organisation, otherton, D(year, 1, 2), withdrawn_on=D(year, 6, 2))
        Organisation.objects.get(pk=organisation.pk).identifiers.create(
            scheme="GB-COH", value="01234567"
        )
        assert count() == few
