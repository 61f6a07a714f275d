"""The dashboards: 'What we owe' and 'What we are owed', and the list of your
organisations. Who may see them is in test_permissions; here, what they show."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import CompactVersion
from localcompact.compacts.services import compact_load
from localcompact.compacts.tests.conftest import write
from localcompact.obligations.selectors import PER_PAGE

from .page_factories import (  # noqa: F401
    LOADED,
    TODAY,
    World,
    compact_definition,
    in_each_section,
    join,
    make_organisation,
    record,
    sign_in,
    world_fixture,
)

OWING = reverse("obligations:owing", kwargs={"slug": "testshire-council"})
OWED = reverse("obligations:owed", kwargs={"slug": "testshire-council"})


def titles(response, key):
    page = next(p for p in response.context["sections"] if p.section.key == key)
    return [o.summary.split(": ", 1)[1] for o in page.rows]


class TestYourOrganisations:
    def test_with_one_organisation_you_go_straight_to_its_dashboard(self, client, world):
        sign_in(client, world, "member")
        response = client.get(reverse("obligations:dashboard"))
        assert response.status_code == 302
        assert response["Location"] == OWING

    def test_with_several_you_choose_and_see_what_each_has_due(self, client, world):
        in_each_section(world, 5)
        join(world.user("member"), world.trust)
        sign_in(client, world, "member")
        response = client.get(reverse("obligations:dashboard"))
        assert response.status_code == 200
        memberships = response.context["memberships"]
        rows = {m.organisation.name: (m.due_soon, m.missed) for m in memberships}
        assert rows == {"Testshire Council": (1, 1), "Testshire Community Trust": (0, 0)}

    def test_with_none_it_says_who_can_add_you(self, client, world):
        sign_in(client, world, "outsider")
        page = client.get(reverse("obligations:dashboard")).content.decode()
        assert "You are not a member of any organisation yet" in page


class TestWhatWeOwe:
    def test_each_obligation_is_in_its_section(self, client, world):
        in_each_section(world, 5)
        sign_in(client, world, "member")
        response = client.get(OWING)
        assert titles(response, "due_soon") == ["Due soon 1"]
        assert titles(response, "missed") == ["Missed 2"]
        assert titles(response, "not_yet_due") == ["Not yet due 3"]
        assert titles(response, "recently_met") == ["Met 4"]
        assert titles(response, "excused") == ["Excused 5"]

    def test_a_row_shows_its_standard_clause_status_parties_and_source(self, client, world):
        activity, obligation = record(
            world, "decision-record", title="Budget", start_on=TODAY - dt.timedelta(days=2)
        )
        sign_in(client, world, "member")
        page = client.get(OWING).content.decode()
        assert f'href="/obligations/{obligation.pk}/"' in page
        assert "Reasons for the decision recorded: Budget" in page
        assert "Source: Testshire Compact (invented for tests) (" in page
        assert "999_0000000000000000.txt</span>), clause 4.3" in page
        assert f'href="/activities/{activity.pk}/"' in page
        assert "govuk-tag--red" in page and ">Missed</strong>" in page
        assert "Testshire Community Trust" in page

    def test_far_off_and_long_met_obligations_are_left_out(self, client, world):
        record(world, "decision-record", title="Next year", start_on=TODAY + dt.timedelta(days=200))
        record(
            world,
            "decision-record",
            title="Long ago",
            start_on=TODAY - dt.timedelta(days=100),
            done_on=TODAY - dt.timedelta(days=100),
        )
        sign_in(client, world, "member")
        response = client.get(OWING)
        assert titles(response, "not_yet_due") == []
        assert titles(response, "recently_met") == []

    def test_an_officer_can_record_an_activity_from_it_and_a_member_cannot(self, client, world):
        sign_in(client, world, "officer")
        assert "Record an activity" in client.get(OWING).content.decode()
        sign_in(client, world, "member")
        assert "Record an activity" not in client.get(OWING).content.decode()


class TestWhatWeAreOwed:
    def test_it_lists_what_others_owe_the_organisation(self, client, world):
        record(
            world,
            "decision-record",
            title="Owed to the council",
            start_on=TODAY - dt.timedelta(days=1),
            owed_by=world.trust,
            owed_to=[world.council],
        )
        record(world, "decision-record", title="Owed by it", start_on=TODAY - dt.timedelta(days=1))
        sign_in(client, world, "member")
        response = client.get(OWED)
        assert titles(response, "missed") == ["Owed to the council"]


class TestFilters:
    @pytest.fixture
    def mixed(self, world):
        record(world, "decision-record", title="A record", start_on=TODAY - dt.timedelta(days=1))
        record(world, "meeting-notice", title="A meeting", start_on=TODAY + dt.timedelta(days=60))
        return world

    def test_by_standard(self, client, mixed):
        sign_in(client, mixed, "member")
        response = client.get(OWING + "?standard=testshire:meeting-notice")
        assert response.status_code == 200
        assert titles(response, "missed") == []
        assert titles(response, "due_soon") + titles(response, "not_yet_due") == ["A meeting"]
        assert "Showing only the obligations that match the filters" in response.content.decode()

    def test_by_code(self, client, mixed):
        sign_in(client, mixed, "member")
        response = client.get(OWING + "?code=testshire:consultation")
        assert titles(response, "missed") == ["A record"]
        assert titles(response, "due_soon") + titles(response, "not_yet_due") == []

    def test_by_compact(self, client, mixed):
        sign_in(client, mixed, "member")
        response = client.get(OWING + "?compact=testshire")
        assert titles(response, "missed") == ["A record"]

    def test_only_the_organisation_s_own_compacts_codes_and_standards_are_offered(
        self, client, mixed
    ):
        sign_in(client, mixed, "member")
        form = client.get(OWING).context["form"]
        assert [v for v, _ in form.fields["standard"].choices] == [
            "",
            "testshire:meeting-notice",
            "testshire:decision-record",
        ]

    @pytest.mark.parametrize(
        "query,message",
        [
            ("compact=nowhere", "Choose a compact from the list"),
            ("code=testshire:nothing", "Choose a code of practice from the list"),
            ("standard=testshire:agreed-notice", "Choose a standard from the list"),
        ],
    )
    def test_a_choice_not_in_the_list_is_refused_with_an_error_summary(
        self, client, mixed, query, message
    ):
        sign_in(client, mixed, "member")
        response = client.get(OWING + "?" + query)
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert message in page
        assert "<title>Error: What we owe" in page
        # the page still lists everything
        assert titles(response, "missed") == ["A record"]


class TestPagination:
    def test_a_long_section_is_paged_and_the_others_stay_where_they_are(self, client, world):
        for i in range(PER_PAGE + 5):
            due = TODAY - dt.timedelta(days=i + 1)
            record(world, "decision-record", title=f"M{i:02}", start_on=due)
        sign_in(client, world, "member")
        first = client.get(OWING)
        page = next(p for p in first.context["sections"] if p.section.key == "missed")
        assert (page.count, page.pages, len(page.rows)) == (PER_PAGE + 5, 2, PER_PAGE)
        assert "?missed_page=2#missed" in first.content.decode()
        second = client.get(OWING + "?missed_page=2")
        assert titles(second, "missed") == [f"M{i:02}" for i in range(PER_PAGE, PER_PAGE + 5)]
        assert "?missed_page=1#missed" in second.content.decode()
        beyond = client.get(OWING + "?missed_page=99")
        assert titles(beyond, "missed") == titles(second, "missed")
        assert client.get(OWING + "?missed_page=x").status_code == 200

    def test_paging_keeps_the_filters(self, client, world):
        for i in range(PER_PAGE + 1):
            record(world, "decision-record", title=f"M{i}", start_on=TODAY - dt.timedelta(days=1))
        sign_in(client, world, "member")
        page = client.get(OWING + "?standard=testshire:decision-record").content.decode()
        assert "?standard=testshire%3Adecision-record&amp;missed_page=2#missed" in page


class TestQueryCounts:
    """The dashboards issue the same number of queries for 5 obligations as for 60."""

    @pytest.mark.parametrize("url", [OWING, OWED, OWING + "?standard=testshire:decision-record"])
    def test_queries_do_not_grow_with_the_obligations(self, client, world, url):
        other = make_organisation("Another Council")

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            return len(queries)

        sign_in(client, world, "member")
        # owed by the council (owing), and owed to it by another (owed)
        in_each_section(world, 5)
        in_each_section(world, 5, owed_by=other)
        for o in other.obligations_owed.all():
            o.owed_to.add(world.council)
        few = count()
        in_each_section(world, 55)
        in_each_section(world, 55, owed_by=other)
        for o in other.obligations_owed.all():
            o.owed_to.add(world.council)
        assert count() == few
        assert few <= 16


def test_with_two_compacts_codes_and_standards_are_grouped_by_compact(client, world, tmp_path):
    data = compact_definition()
    data.update(slug="otherton", name="Otherton Compact")
    result = compact_load(definition=read_definition(write(tmp_path, data)), now=LOADED)
    other = World(
        version=CompactVersion.objects.get(compact__slug=result.slug),
        council=world.council,
        trust=world.trust,
        users=world.users,
    )
    record(world, "decision-record", title="Here", start_on=TODAY)
    record(other, "decision-record", title="There", start_on=TODAY)
    sign_in(client, world, "member")
    form = client.get(OWING).context["form"]
    assert form.fields["standard"].choices[1:] == [
        ("Otherton Compact", [("otherton:decision-record", "Reasons for the decision recorded")]),
        ("Testshire Compact", [("testshire:decision-record", "Reasons for the decision recorded")]),
    ]
    response = client.get(OWING + "?standard=otherton:decision-record")
    assert titles(response, "due_soon") + titles(response, "missed") == ["There"]
