"""The open data validates against the 360Giving 1.4.3 and OCDS 1.1.5 schemas (copied
into tests/data, see its README), names organisations by org-id, and is the same from
the download pages and from `manage.py export_funding`."""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from localcompact.funding import exports, services
from localcompact.opendata.datasets import LICENCE

from .factories import (  # noqa: F401
    DAY,
    TODAY,
    application_made,
    award_made,
    opportunity_made,
    story_fixture,
    world_fixture,
)

DATA = Path(__file__).parent / "data"
GRANT_1_4_2 = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/"
    "360-giving-schema.json"
)


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _checker(base: jsonschema.FormatChecker) -> jsonschema.FormatChecker:
    """The validator's format checker with a strict RFC 3339 date-time.

    Without one, jsonschema accepts any string as a date-time (its own check needs an
    optional package), and 360Giving's "a date, or a date-time" (oneOf) then matches
    both, so every date would fail."""
    checker = jsonschema.FormatChecker(formats=base.checkers)

    @checker.checks("date-time", raises=ValueError)
    def date_time(value) -> bool:
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            return False
        dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return True

    return checker


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def validate_360(package: dict) -> None:
    grant = _load("360-giving-schema.json")
    resource = Resource.from_contents(grant, default_specification=DRAFT202012)
    # The 1.4.3 package schema refers to the grant schema by its 1.4.2 URL.
    registry = Registry().with_resources([(grant["$id"], resource), (GRANT_1_4_2, resource)])
    schema = _load("360-giving-package-schema.json")
    validator = jsonschema.Draft202012Validator(
        schema,
        registry=registry,
        format_checker=_checker(jsonschema.Draft202012Validator.FORMAT_CHECKER),
    )
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(package)]
    assert errors == []


def validate_ocds(package: dict) -> None:
    release = _load("ocds-release-schema.json")
    registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    schema = _load("ocds-release-package-schema.json")
    validator = jsonschema.Draft4Validator(
        schema,
        registry=registry,
        format_checker=_checker(jsonschema.Draft4Validator.FORMAT_CHECKER),
    )
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(package)]
    assert errors == []


def paid_payment(world, award, **changes):
    officer = world.user("council_officer")
    payment = services.payment_schedule(
        award=award,
        due_on=TODAY - 5 * DAY,
        amount=Decimal("2500.50"),
        expenditure_starts_on=TODAY,
        note="",
        by=officer,
        today=TODAY,
    )
    return services.payment_record_paid(
        payment=payment, paid_on=TODAY - 2 * DAY, by=officer, today=TODAY
    )


def test_the_grants_validate_against_the_360giving_schema(story):
    paid_payment(story, story.things["award"])
    award_made(story, title="A grant with no programme")
    package = exports.threesixty_package(today=TODAY)
    validate_360(package)
    assert len(package["grants"]) == 2
    grant = next(g for g in package["grants"] if g.get("grantProgramme"))
    assert grant["fundingOrganization"] == [{"id": "GB-LAE-FUN", "name": "Fundshire Council"}]
    # the charity number is preferred to the company number
    assert grant["recipientOrganization"][0]["id"] == "GB-CHC-1234567"
    assert grant["amountAwarded"] == 10000
    assert grant["amountDisbursed"] == 2500.5
    assert grant["disbursementTransaction"][0]["transactionDate"] == str(TODAY - 2 * DAY)
    assert grant["grantProgramme"][0]["code"] == "community-grants"
    assert grant["fromOpenCall"] == "Yes"


def test_an_organisation_without_an_identifier_gets_one_under_the_platform_prefix(story):
    award_made(
        story, title="Grant to a funder with no identifier"
    ).funder.identifiers.all().delete()
    package = exports.threesixty_package(today=TODAY)
    validate_360(package)
    assert package["grants"][0]["fundingOrganization"][0]["id"] == (
        "360G-localcompact-org-fundshire-council"
    )


def test_the_date_time_check_is_strict():
    checker = _checker(jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert checker.conforms("2026-03-04T00:00:00Z", "date-time")
    assert not checker.conforms("2026-03-04", "date-time")
    assert not checker.conforms("2026-02-30T00:00:00Z", "date-time")


def test_a_mistake_in_a_grant_would_be_caught(story):
    package = exports.threesixty_package(today=TODAY)
    del package["grants"][0]["fundingOrganization"]
    with pytest.raises(AssertionError):
        validate_360(package)


def test_the_csv_has_the_360giving_columns(story):
    rows = list(csv.DictReader(io.StringIO(exports.threesixty_csv(today=TODAY))))
    assert len(rows) == 1
    assert rows[0]["Recipient Org:Identifier"] == "GB-CHC-1234567"
    assert rows[0]["Amount Awarded"] == "10000"
    assert rows[0]["Grant Programme:Code"] == "community-grants"


def test_no_csv_cell_runs_as_a_formula(story):
    award_made(story, title='=HYPERLINK("http://example.org")')
    rows = list(csv.DictReader(io.StringIO(exports.threesixty_csv(today=TODAY))))
    assert {r["Title"] for r in rows} == {
        "Community project grant",
        '\'=HYPERLINK("http://example.org")',
    }


def test_contracts_validate_against_the_ocds_schema(story):
    officer = story.user("council_officer")
    tender = opportunity_made(story, code="care-contract", kind="contract")
    won = application_made(story, tender, story.charity, by=story.user("charity_officer"))
    lost = application_made(story, tender, story.rival, by=story.user("rival_officer"))
    services.application_decide(
        application=won,
        successful=True,
        reasons="",
        decided_on=TODAY,
        notified_on=TODAY,
        by=officer,
        today=TODAY,
    )
    services.application_decide(
        application=lost,
        successful=False,
        reasons="Cost.",
        decided_on=TODAY,
        notified_on=TODAY,
        by=officer,
        today=TODAY,
    )
    contract = award_made(story, application=won, kind="contract", title="Care contract")
    paid_payment(story, contract)
    award_made(story, kind="service_agreement", title="Direct agreement")
    package = exports.ocds_package(today=TODAY)
    validate_ocds(package)
    assert len(package["releases"]) == 2
    release = package["releases"][0]
    assert release["ocid"] == "ocds-lcmpct-care-contract"
    assert release["tag"] == ["tender", "award", "contract", "implementation"]
    assert release["tender"]["numberOfTenderers"] == 2
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert set(roles["Fundshire Council"]) >= {"buyer", "procuringEntity", "payer"}
    # applicants are counted, not named: only the successful one is a party, as supplier
    assert "Rival Trust" not in roles and "Rival Trust" not in json.dumps(package)
    assert "tenderers" not in release["tender"]
    assert "supplier" in roles["Fundshire Charity"]
    [transaction] = release["contracts"][0]["implementation"]["transactions"]
    assert transaction["value"] == {"amount": 2500.5, "currency": "GBP"}
    # grants are not contracts: the community grants programme is not in OCDS
    assert all("community-grants" not in r["ocid"] for r in package["releases"])


def test_a_contract_from_a_commissioning_plan_has_its_planning_stage(story):
    tender = opportunity_made(story, code="planned", kind="contract", plan=story.things["plan"])
    package = exports.ocds_package(today=TODAY)
    validate_ocds(package)
    [release] = [r for r in package["releases"] if r["ocid"].endswith(tender.code)]
    assert release["tag"] == ["planning", "tender"]
    assert release["planning"]["rationale"] == "Wellbeing services."


def test_drafts_are_not_published(story):
    package = exports.ocds_package(today=TODAY)
    assert all("draft-contract" not in r["ocid"] for r in package["releases"])


@pytest.mark.parametrize(
    "fmt,url",
    [("360giving", "funding:data_360_json"), ("ocds", "funding:data_ocds")],
)
def test_the_command_writes_what_the_download_serves(story, client, fmt, url, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)
    out = io.StringIO()
    call_command("export_funding", format=fmt, stdout=out)
    served = client.get(reverse(url))
    assert served.status_code == 200
    assert json.loads(out.getvalue()) == json.loads(served.content)


def test_the_command_and_the_downloads_filter_by_compact(story, client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)
    out = io.StringIO()
    call_command("export_funding", format="360giving", compact="fundshire", stdout=out)
    assert len(json.loads(out.getvalue())["grants"]) == 1
    assert client.get(reverse("funding:data_360_json") + "?compact=nowhere").status_code == 404
    with pytest.raises(CommandError, match="nowhere"):
        call_command("export_funding", format="ocds", compact="nowhere", stdout=io.StringIO())


def test_the_packages_name_the_open_data_licence_and_the_publication_policy(story, client):
    """The licence is the one the open-data index states; OCDS 1.1 also links its
    publication policy, the dataset's page there, which states that licence."""
    ogl = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert LICENCE["url"] == ogl
    grants = exports.threesixty_package(today=TODAY)
    validate_360(grants)
    assert grants["license"] == ogl
    contracts = exports.ocds_package(today=TODAY)
    validate_ocds(contracts)
    assert contracts["license"] == ogl
    policy = contracts["publicationPolicy"]
    path = reverse("opendata:fields", args=["contracts-ocds"])
    assert policy == settings.SITE_URL.rstrip("/") + path
    page = client.get(path).content.decode()
    assert ogl in page and "Personal data are excluded" in page


def test_the_csv_download_is_an_attachment(story, client):
    response = client.get(reverse("funding:data_360_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    # the 360Giving CSV has no licence column: the licence is named in a Link header
    assert response["Link"] == f'<{LICENCE["url"]}>; rel="license"'
    assert "Secret risk" not in response.content.decode()
