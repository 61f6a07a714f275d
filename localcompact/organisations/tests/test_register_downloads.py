"""The register as CSV and JSON: the page's filters, one row per organisation, no
personal data, and no cell a spreadsheet would run as a formula."""

import csv
import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.organisations.models import Kind, Membership, Organisation, Role
from localcompact.organisations.register import (
    DOWNLOAD_FIELDS,
    RegisterQuery,
    csv_safe,
    register_organisations,
    rows_streamed,
)

from .test_register_fixtures import compact_made, organisation_made, person_made, signed

CSV_URL = reverse("organisations:register-csv")
JSON_URL = reverse("organisations:register-json")
D = dt.date


def read_csv(response) -> list[dict]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def read_json(response) -> dict:
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


@pytest.fixture
def register(db):
    testshire = compact_made()
    otherton = compact_made("otherton", "Otherton Compact")
    bank = organisation_made(
        "Aylestone Food Bank",
        kind=Kind.REGISTERED_CHARITY,
        identifiers=("GB-CHC-1234567", "GB-COH-01234567"),
        area_served="Aylestone and Saffron",
        website="https://aylestone-food.example.org",
        public_email="hello@aylestone-food.example.org",
        income_band="10k_100k",
        bme_led=True,
    )
    signed(bank, testshire, D(2024, 3, 1), position="Chair of trustees", name="Pat Example")
    signed(
        bank,
        otherton,
        D(2023, 5, 2),
        withdrawn_on=D(2024, 1, 31),
        reason="Moved out of the area",
        name="Sam Sample",
    )
    council = organisation_made("Council of Testshire", sector="public", kind=Kind.COUNCIL)
    signed(council, testshire, D(2024, 2, 1), position="Chief Executive", name="Alex Officer")
    member = person_made("bank.member")
    Membership.objects.create(user=member, organisation=bank, role=Role.ADMINISTRATOR)
    return {"bank": bank, "council": council}


@pytest.mark.django_db
class TestCsv:
    def test_one_row_per_organisation_with_the_documented_columns(self, client, register):
        response = client.get(CSV_URL)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = read_csv(response)
        assert list(rows[0]) == list(DOWNLOAD_FIELDS)
        assert [row["name"] for row in rows] == ["Aylestone Food Bank", "Council of Testshire"]
        bank = rows[0]
        assert bank["identifiers"] == "GB-CHC-1234567;GB-COH-01234567"
        # on the site's address (SITE_URL), not the request's host
        assert bank["url"] == f"{settings.SITE_URL}/organisations/aylestone-food-bank/"
        assert bank["sector"] == "vcs"
        assert bank["kind"] == "registered_charity"
        assert bank["bme_led"] == "true"
        assert bank["equality_and_diversity"] == "false"
        assert bank["area_served"] == "Aylestone and Saffron"
        assert bank["website"] == "https://aylestone-food.example.org"
        assert bank["income_band"] == "10k_100k"
        assert bank["compacts_signed"] == "testshire:2024-03-01"
        assert bank["withdrawn"] == "otherton:2024-01-31"
        assert bank["signatory_positions"] == "testshire:Chair of trustees"

    def test_the_page_s_filters_apply(self, client, register):
        rows = read_csv(client.get(CSV_URL, {"sector": "public"}))
        assert [row["name"] for row in rows] == ["Council of Testshire"]
        rows = read_csv(client.get(CSV_URL, {"compact": "otherton", "status": "withdrawn"}))
        assert [row["name"] for row in rows] == ["Aylestone Food Bank"]
        rows = read_csv(client.get(CSV_URL, {"q": "GB-CHC-1234567"}))
        assert [row["name"] for row in rows] == ["Aylestone Food Bank"]

    def test_no_personal_data_is_in_it(self, client, register):
        text = b"".join(client.get(CSV_URL).streaming_content).decode()
        for private in ("Pat Example", "Sam Sample", "Alex Officer", "bank.member", "@example"):
            assert private not in text.replace("aylestone-food.example.org", "")

    def test_the_file_name_is_made_of_the_filters_and_the_date(self, client, register):
        response = client.get(CSV_URL, {"compact": "testshire", "status": "signed"})
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="register-testshire-signed-')
        assert disposition.endswith('.csv"')

    def test_a_bad_filter_is_refused_saying_which(self, client, register):
        response = client.get(CSV_URL, {"sector": "pirates"})
        assert response.status_code == 400
        assert response.content.decode() == "sector: Choose a sector from the list\n"

    @pytest.mark.parametrize(
        "name",
        [
            '=HYPERLINK("http://evil.example")',
            "+SUM(1,2)",
            "-2+3",
            "@SUM(A1)",
            "\tTabbed Trust",
            "\rReturned Trust",
        ],
    )
    def test_a_cell_a_spreadsheet_would_run_is_neutralised(self, client, db, name):
        Organisation.objects.create(
            name=name, slug="risky", sector="vcs", area_served="=1+1", website=""
        )
        row = read_csv(client.get(CSV_URL))[0]
        assert row["name"] == "'" + name
        assert row["area_served"] == "'=1+1"

    def test_harmless_cells_are_left_as_they_are(self):
        assert csv_safe("Aylestone Food Bank") == "Aylestone Food Bank"
        assert csv_safe("1st Testshire Scouts") == "1st Testshire Scouts"
        assert csv_safe("") == ""


@pytest.mark.django_db
class TestJson:
    def test_it_has_the_licence_the_fields_and_the_organisations(self, client, register):
        response = client.get(JSON_URL)
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"].startswith('attachment; filename="register-')
        data = read_json(response)
        assert set(data) == {"licence", "fields", "organisations"}
        assert data["licence"]["name"] == "Open Government Licence v3.0"
        assert len(data["organisations"]) == 2
        for organisation in data["organisations"]:
            assert set(organisation) == set(data["fields"])

    def test_an_organisation_carries_every_signature_with_the_position_not_the_name(
        self, client, register
    ):
        bank = read_json(client.get(JSON_URL, {"q": "aylestone"}))["organisations"][0]
        assert bank["identifiers"] == ["GB-CHC-1234567", "GB-COH-01234567"]
        assert bank["bme_led"] is True
        assert bank["compacts_signed"] == ["testshire:2024-03-01"]
        assert bank["withdrawn"] == ["otherton:2024-01-31"]
        assert bank["signatures"] == [
            {
                "compact": "otherton",
                "signed_on": "2023-05-02",
                "method": "online",
                "signatory_position": "Chair of trustees",
                "withdrawn_on": "2024-01-31",
                "withdrawal_reason": "Moved out of the area",
            },
            {
                "compact": "testshire",
                "signed_on": "2024-03-01",
                "method": "online",
                "signatory_position": "Chair of trustees",
                "withdrawn_on": None,
                "withdrawal_reason": "",
            },
        ]

    def test_no_personal_data_is_in_it(self, client, register):
        text = b"".join(client.get(JSON_URL).streaming_content).decode()
        for private in ("Pat Example", "Sam Sample", "Alex Officer", "bank.member"):
            assert private not in text
        assert "hello@" not in text

    def test_a_bad_filter_is_refused_in_json(self, client, register):
        response = client.get(JSON_URL, {"status": "maybe"})
        assert response.status_code == 400
        assert json.loads(response.content) == {
            "errors": {"status": "Choose a pledge status from the list"}
        }

    def test_an_empty_register_is_valid_json(self, client, db):
        assert read_json(client.get(JSON_URL))["organisations"] == []


@pytest.mark.django_db
class TestStreaming:
    def test_rows_are_read_in_chunks_and_none_is_lost(self, db):
        testshire = compact_made()
        for n in range(7):
            signed(
                organisation_made(f"Group {n}", identifiers=(f"GB-CHC-{1000000 + n}",)),
                testshire,
                D(2024, 1, 1 + n),
            )
        rows = list(
            rows_streamed(
                register_organisations(RegisterQuery()), url_for=lambda o: "", chunk_size=3
            )
        )
        assert [r["name"] for r in rows] == [f"Group {n}" for n in range(7)]
        assert rows[6]["identifiers"] == ["GB-CHC-1000006"]
        assert rows[6]["compacts_signed"] == ["testshire:2024-01-07"]

    @pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
    def test_queries_do_not_grow_within_a_chunk(self, client, db, url):
        testshire = compact_made()

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                b"".join(response.streaming_content)
            return len(queries)

        for n in range(3):
            signed(organisation_made(f"Group {n}"), testshire, D(2024, 1, 1))
        few = count()
        for n in range(3, 60):
            signed(organisation_made(f"Group {n}"), testshire, D(2024, 1, 1))
        assert count() == few
