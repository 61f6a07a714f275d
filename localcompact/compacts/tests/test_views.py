"""The public compact pages. Anyone may read every one of them: there is nothing
confidential in a compact's text, so the only role that matters here is "anonymous",
and a signed-in user sees exactly the same."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.compacts.loader import read_definition
from localcompact.compacts.services import compact_load

from .conftest import tiny_definition, write

NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def load(tmp_path, **sizes):
    return compact_load(
        definition=read_definition(write(tmp_path, tiny_definition(**sizes))), now=NOW
    )


PAGES = [
    ("compacts:list", {}),
    ("compacts:detail", {"slug": "testshire"}),
    ("compacts:undertakings", {"slug": "testshire"}),
    ("compacts:code", {"slug": "testshire", "code": "consultation"}),
    ("compacts:standards", {"slug": "testshire"}),
    ("compacts:glossary", {"slug": "testshire"}),
    ("compacts:procedure", {"slug": "testshire"}),
    ("compacts:version", {"slug": "testshire", "number": 1}),
    ("core:home", {}),
]


@pytest.fixture
def testshire(db, tmp_path):
    return load(tmp_path)


@pytest.mark.django_db
class TestWhoMaySee:
    @pytest.mark.parametrize("name,kwargs", PAGES)
    def test_anyone_without_an_account_can_read_it(self, client, testshire, name, kwargs):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200

    @pytest.mark.parametrize("name,kwargs", PAGES)
    def test_a_signed_in_user_sees_the_same_page(self, client, testshire, name, kwargs):
        def main(response) -> bytes:
            # only the navigation differs (their own links, a sign-out button)
            return response.content.split(b"<main", 1)[1].split(b"</main>", 1)[0]

        user = get_user_model().objects.create_user("outsider", password="x" * 20)
        anonymous = main(client.get(reverse(name, kwargs=kwargs)))
        client.force_login(user)
        assert main(client.get(reverse(name, kwargs=kwargs))) == anonymous

    @pytest.mark.parametrize(
        "url",
        [
            "/compacts/nowhere/",
            "/compacts/testshire/codes/nothing/",
            "/compacts/testshire/versions/7/",
            "/compacts/nowhere/standards/",
        ],
    )
    def test_what_does_not_exist_is_not_found(self, client, testshire, url):
        assert client.get(url).status_code == 404

    def test_pages_only_answer_reads(self, client, testshire):
        assert (
            client.post(reverse("compacts:detail", kwargs={"slug": "testshire"})).status_code == 405
        )


@pytest.mark.django_db
class TestUndertakingsFilter:
    def url(self, **query):
        base = reverse("compacts:undertakings", kwargs={"slug": "testshire"})
        return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def idents(self, response):
        return [u.ident for u in response.context["undertakings"]]

    def test_everyone_s_undertakings_are_shown_by_default(self, client, tmp_path):
        load(tmp_path, undertakings=6)
        assert len(self.idents(client.get(self.url()))) == 6

    def test_a_sector_includes_what_it_undertakes_jointly(self, client, tmp_path):
        load(tmp_path, undertakings=6)
        # parties cycle public-sector, vcs, joint: public and joint are 0, 2, 3, 5
        response = client.get(self.url(by="sector:public"))
        assert self.idents(response) == [
            "consultation-u0",
            "consultation-u3",
            "consultation-u2",
            "consultation-u5",
        ]
        assert "given by the public sector, alone or jointly" in response.content.decode()

    def test_a_party_shows_exactly_its_own(self, client, tmp_path):
        load(tmp_path, undertakings=6)
        assert self.idents(client.get(self.url(by="party:vcs"))) == [
            "consultation-u1",
            "consultation-u4",
        ]

    def test_an_unknown_choice_is_refused_with_a_message_saying_what_to_do(self, client, tmp_path):
        load(tmp_path, undertakings=3)
        response = client.get(self.url(by="party:dragons"))
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert "Choose who gives the undertakings from the list" in page
        assert len(self.idents(response)) == 3

    def test_each_undertaking_shows_its_source_and_clause(self, client, tmp_path):
        load(tmp_path, undertakings=1)
        page = client.get(self.url()).content.decode()
        assert "Testshire Compact (invented for tests)" in page
        assert "999_0000000000000000.txt" in page
        assert "clause 2.0" in page


@pytest.mark.django_db
class TestStandardsAndGlossary:
    def test_each_standard_shows_its_rule_parameters_exception_and_clause(self, client, testshire):
        page = client.get(reverse("compacts:standards", kwargs={"slug": "testshire"}))
        text = page.content.decode()
        assert "At least 12 weeks from opening to closing." in text
        assert "Allowed by agreement, recording who agreed" in text
        assert "clause 3.0" in text
        assert "<code>minimum_period</code>" in text

    def test_standards_can_be_narrowed_to_a_code(self, client, testshire):
        url = reverse("compacts:standards", kwargs={"slug": "testshire"})
        assert len(client.get(url + "?code=consultation").context["standards"]) == 1
        assert client.get(url + "?code=nonsense").status_code == 400

    def test_the_glossary_finds_terms_by_part_of_a_word(self, client, tmp_path):
        load(tmp_path, glossary=12)
        url = reverse("compacts:glossary", kwargs={"slug": "testshire"})
        terms = [t.term for t in client.get(url + "?q=number 11").context["terms"]]
        assert terms == ["Term 11"]

    def test_a_glossary_search_with_no_match_says_so(self, client, testshire):
        url = reverse("compacts:glossary", kwargs={"slug": "testshire"})
        page = client.get(url + "?q=zebra").content.decode()
        assert "No term or explanation contains ‘zebra’" in page

    def test_a_compact_without_a_procedure_says_so_plainly(self, client, testshire):
        page = client.get(reverse("compacts:procedure", kwargs={"slug": "testshire"}))
        assert "does not set out a formal procedure" in page.content.decode()


@pytest.mark.django_db
class TestQueryCounts:
    """Each page issues the same number of queries whatever the compact's size."""

    @pytest.mark.parametrize("name,kwargs", PAGES)
    def test_queries_do_not_grow_with_the_data(self, client, tmp_path, name, kwargs):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
            return len(queries)

        small = tmp_path / "small"
        small.mkdir()
        compact_load(definition=read_definition(write(small, tiny_definition())), now=NOW)
        few = count()
        large = tmp_path / "large"
        large.mkdir()
        compact_load(
            definition=read_definition(
                write(large, tiny_definition(undertakings=60, standards=25, glossary=40))
            ),
            now=NOW,
        )
        # the large definition is version 2 of the same compact
        assert count() == few


class TestSecurityHeaders:
    def test_pages_carry_the_security_headers(self, client, db):
        response = client.get(reverse("core:home"))
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"

    def test_the_content_security_policy_allows_no_inline_script(self, client, db):
        policy = client.get(reverse("core:home"))["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy
        assert directives["frame-ancestors"] == ["'none'"]

    def test_no_page_has_an_inline_script(self, client, db):
        page = client.get(reverse("core:home")).content.decode()
        assert "<script>" not in page
        assert "<script src=" in page
