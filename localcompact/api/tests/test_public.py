"""Public reads: the same facts as the public pages, in JSON, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from localcompact.compacts.models import Compact
from localcompact.organisations.tests.test_register_fixtures import organisation_made, signed

from .conftest import ApiClient, token_for

D = dt.date


@pytest.mark.django_db
class TestCompacts:
    def test_the_list_names_each_compact_and_its_version(self, shipped_compacts):
        body = ApiClient().get("/api/compacts").json()
        assert [c["slug"] for c in body] == list(
            Compact.objects.order_by("name").values_list("slug", flat=True)
        )
        leicester = next(c for c in body if c["slug"] == "leicester")
        assert leicester["version"] == 1 and leicester["standards"] > 0
        assert leicester["url"].endswith("/compacts/leicester/")

    def test_a_compact_s_standards_carry_their_rule_and_clause(self, shipped_compacts):
        body = ApiClient().get("/api/compacts/leicester/standards").json()
        period = next(s for s in body if s["ident"] == "consultation-minimum-period")
        assert period["rule_kind"] == "minimum_period"
        assert period["params"]["period"] == {"count": 12, "unit": "weeks"}
        assert period["document"] and period["clause"]

    def test_an_unknown_compact_is_not_found_with_the_common_error_body(self, db):
        response = ApiClient().get("/api/compacts/atlantis")
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no compact 'atlantis'", "errors": []}


@pytest.mark.django_db
class TestTheRegister:
    def test_organisations_with_identifiers_and_signatures(self, shipped_compacts):
        leicester = Compact.objects.get(slug="leicester")
        bank = organisation_made("Aylestone Food Bank", identifiers=("GB-CHC-1234567",))
        signed(bank, leicester, D(2024, 3, 1))
        body = ApiClient().get("/api/organisations").json()
        assert body["count"] == 1 and body["pages"] == 1 and body["next"] is None
        [item] = body["items"]
        assert item["identifiers"] == ["GB-CHC-1234567"]
        assert item["compacts_signed"] == ["leicester:2024-03-01"]
        assert item["signatures"][0]["signatory_position"] == "Chair of trustees"
        # signatories' names are not published
        assert "Pat Example" not in str(body)

    def test_filters_by_compact_and_by_the_date_signed(self, shipped_compacts):
        leicester = Compact.objects.get(slug="leicester")
        early, late = organisation_made("Early Group"), organisation_made("Late Group")
        organisation_made("Never Group")
        signed(early, leicester, D(2020, 1, 1))
        signed(late, leicester, D(2025, 6, 1))

        def names(**query):
            return [i["name"] for i in ApiClient().get("/api/organisations", query).json()["items"]]

        assert names(compact="leicester") == ["Early Group", "Late Group"]
        assert names(signed_from="2025-01-01") == ["Late Group"]
        assert names(compact="leicester", signed_to="2021-01-01") == ["Early Group"]
        assert names(q="never") == ["Never Group"]

    def test_pages_link_to_each_other(self, db):
        for n in range(5):
            organisation_made(f"Group {n}")
        body = ApiClient().get("/api/organisations", {"page_size": 2, "page": 2}).json()
        assert [i["name"] for i in body["items"]] == ["Group 2", "Group 3"]
        assert body["pages"] == 3
        assert body["next"].endswith("page_size=2&page=3")
        assert body["previous"].endswith("page_size=2&page=1")

    @pytest.mark.parametrize(
        "query, field",
        [
            ({"page": 0}, "query.page"),
            ({"page_size": 500}, "query.page_size"),
            ({"signed_from": "yesterday"}, "query.signed_from"),
            ({"sector": "pirates"}, "query.sector"),
            ({"q": "a\x00b"}, "query.q"),
        ],
    )
    def test_bad_values_are_refused_naming_each(self, db, query, field):
        response = ApiClient().get("/api/organisations", query)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_an_unknown_compact_filter_is_not_found(self, db):
        assert ApiClient().get("/api/organisations", {"compact": "atlantis"}).status_code == 404

    def test_one_organisation(self, db):
        organisation_made("Aylestone Food Bank")
        body = ApiClient().get("/api/organisations/aylestone-food-bank").json()
        assert body["name"] == "Aylestone Food Bank"
        assert ApiClient().get("/api/organisations/nobody").status_code == 404

    def test_a_good_token_reads_the_same(self, db, officer):
        organisation_made("Aylestone Food Bank")
        anonymous = ApiClient().get("/api/organisations").json()
        assert ApiClient(token=token_for(officer)).get("/api/organisations").json() == anonymous


@pytest.mark.django_db
class TestQueriesDoNotGrow:
    def count(self, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert ApiClient().get(url).status_code == 200
        return len(queries)

    def test_the_register(self, shipped_compacts):
        leicester = Compact.objects.get(slug="leicester")

        def add(n):
            for i in range(n):
                o = organisation_made(f"Org {Compact.objects.count()}-{i}-{n}", identifiers=())
                signed(o, leicester, D(2024, 1, 1))

        add(2)
        few = self.count("/api/organisations?compact=leicester")
        add(30)
        assert self.count("/api/organisations?compact=leicester") == few

    def test_the_compacts_and_standards(self, shipped_compacts):
        assert self.count("/api/compacts") <= 2
        assert self.count("/api/compacts/leicester/standards") <= 3
