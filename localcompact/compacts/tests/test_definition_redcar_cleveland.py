"""The Redcar & Cleveland definition encodes document 002 faithfully.

The expected tables below were written by reading the seed; each row names the clause it
comes from. The tests read only the definition and the schema in this repository.
"""

from collections import Counter
from pathlib import Path

import jsonschema
import pytest
import yaml

COMPACTS_DIR = Path(__file__).resolve().parents[1]
DEFINITION = COMPACTS_DIR / "definitions" / "redcar-cleveland.yaml"
SCHEMA = COMPACTS_DIR / "compact.schema.yaml"

DOC = "002_41c5fa4d4a1baeb0.txt"

CONSULTATION = "Consultation and engagement code"
COMMUNITY = "Community groups and neighbourhoods code"
FUNDING = "Funding and commissioning code"
EQUALITY = "Equality and diversity code"
VCS = "voluntary and community sector"

AGREED = "agreed"


def days(n):
    return {"count": n, "unit": "days"}


def weeks(n):
    return {"count": n, "unit": "weeks"}


# id: (code, applies_to, owed_by, rule, params, strictness, exception kind, clause ref)
EXPECTED_STANDARDS = {
    # Consultation code, public sector undertaking 3: generally at least 12 weeks.
    "consultation-minimum-period": (
        "consultation",
        "consultation",
        "public-sector",
        "minimum_period",
        {"period": weeks(12), "start": "opens", "end": "closes"},
        "must",
        "stated_reasons",
        f"{CONSULTATION}, public sector undertaking 3",
    ),
    # Consultation code, key principle 5: announced in advance (README: one day).
    "consultation-announced-in-advance": (
        "consultation",
        "consultation",
        "public-sector",
        "notice_before_event",
        {"notice": days(1), "event": "opens"},
        "should",
        None,
        f"{CONSULTATION}, key principle 5",
    ),
    # Consultation code, public sector undertaking 6: findings and reasons for decision.
    "consultation-findings-and-reasons": (
        "consultation",
        "consultation",
        "public-sector",
        "required_record",
        {"fields": ["findings", "reasons-for-decision"], "by": "decision"},
        "must",
        None,
        f"{CONSULTATION}, public sector undertaking 6",
    ),
    # Community groups code, key principle 2: more time, information and support.
    "consultation-community-group-arrangements": (
        "community-groups",
        "consultation",
        "public-sector",
        "required_record",
        {
            "fields": [
                "community-group-response-time",
                "accessible-information",
                "participation-support",
            ],
            "by": "opens",
        },
        "should",
        None,
        f"{COMMUNITY}, key principle 2",
    ),
    # Funding code, public sector undertaking 6: payment in advance of expenditure.
    "funding-payment-in-advance": (
        "funding-and-commissioning",
        "payment",
        "public-sector",
        "notice_before_event",
        {"notice": days(0), "event": "expenditure-start"},
        "must",
        None,
        f"{FUNDING}, public sector undertaking 6",
    ),
    # Funding code, public sector undertaking 8: enough notice of the end of funding.
    "funding-end-notice": (
        "funding-and-commissioning",
        "funding-end",
        "public-sector",
        "notice_before_event",
        {"notice": AGREED, "event": "funding-ends"},
        "must",
        None,
        f"{FUNDING}, public sector undertaking 8",
    ),
    # Funding code, public sector undertaking 7: proportionate, outcome-focused monitoring.
    "funding-proportionate-monitoring": (
        "funding-and-commissioning",
        "monitoring",
        "public-sector",
        "required_record",
        {
            "fields": [
                "funding-amount",
                "monitoring-requirements",
                "proportionality-statement",
                "outcome-measures",
            ],
            "by": "agreement",
        },
        "must",
        None,
        f"{FUNDING}, public sector undertaking 7",
    ),
    # Funding code, public sector undertaking 3: risks discussed and placed up front.
    "funding-risks-allocated": (
        "funding-and-commissioning",
        "funding-decision",
        "public-sector",
        "required_record",
        {"fields": ["risks", "risk-owners"], "by": "project-start"},
        "must",
        None,
        f"{FUNDING}, public sector undertaking 3",
    ),
    # Funding code, VCS undertaking 4: terms of delivery agreed at the outset.
    "funding-delivery-terms-agreed": (
        "funding-and-commissioning",
        "funding-decision",
        "vcs",
        "required_record",
        {"fields": ["terms-of-delivery", "risks-accepted"], "by": "project-start"},
        "must",
        None,
        f"{FUNDING}, {VCS} undertaking 4",
    ),
    # Equality code, VCS undertaking 2: an equality and diversity policy or statement.
    "equality-policy-adopted": (
        "equality-and-diversity",
        "equality-policy",
        "vcs",
        "required_record",
        {"fields": ["policy-or-statement", "adopted-on"]},
        "must",
        None,
        f"{EQUALITY}, {VCS} undertaking 2",
    ),
}

# Undertakings per code, by party, in the order the summary codes list them.
EXPECTED_UNDERTAKINGS = {
    "volunteering": {"public-sector": 5, "vcs": 5},
    "community-groups": {"public-sector": 7, "community-sector": 4, "wider-vcs": 6},
    "consultation": {"public-sector": 7, "vcs": 6},
    "equality-and-diversity": {"public-sector": 4, "vcs": 4},
    "funding-and-commissioning": {"public-sector": 9, "vcs": 6},
}

# Key principles per code.
EXPECTED_CODE_PRINCIPLES = {
    "volunteering": 4,
    "community-groups": 4,
    "consultation": 6,
    "equality-and-diversity": 4,
    "funding-and-commissioning": 7,
}

EXPECTED_PARTIES = {
    "public-sector": ["public"],
    "vcs": ["vcs"],
    "community-sector": ["vcs"],
    "wider-vcs": ["vcs"],
}

# Every entry of the jargon buster.
EXPECTED_GLOSSARY = {
    "Accountability",
    "BME",
    "Community Cohesion",
    "Community Group",
    "Compact-proofing and branding",
    "Compact way of working",
    "Diversity",
    "Governance",
    "Local Strategic Partnership",
    "Procurement",
    "Quality standards",
    "Resources",
    "Sector",
    "Stakeholder",
    "Statutory Bodies",
    "Undertaking",
    "Voluntary Organisations",
    "Voluntary and Community Sector",
    "Volunteer",
}


@pytest.fixture(scope="module")
def compact():
    return yaml.safe_load(DEFINITION.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def standards(compact):
    return {s["id"]: s for s in compact["standards"]}


def test_the_definition_matches_the_schema(compact):
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(compact)
    ]
    assert errors == []


def test_the_definition_names_the_compact_and_its_document(compact):
    assert compact["slug"] == "redcar-cleveland"
    assert compact["nation"] == "england-and-wales"
    assert [d["file"] for d in compact["documents"]] == [DOC]


def test_the_file_has_exactly_the_expected_standards(standards):
    assert set(standards) == set(EXPECTED_STANDARDS)


@pytest.mark.parametrize(
    ("standard_id", "expected"), EXPECTED_STANDARDS.items(), ids=list(EXPECTED_STANDARDS)
)
def test_each_standard_matches_its_clause_in_the_seed(standards, standard_id, expected):
    code, applies_to, owed_by, rule, params, strictness, exception, ref = expected
    standard = standards[standard_id]
    assert standard["code"] == code
    assert standard["applies_to"] == applies_to
    assert standard["owed_by"] == owed_by
    assert standard["rule"] == rule
    assert standard["params"] == params
    assert standard["strictness"] == strictness
    assert (standard.get("exception") or {}).get("kind") == exception
    assert standard["clause"] == {"document": DOC, "ref": ref}


def test_the_twelve_week_exception_explains_the_word_generally(standards):
    assert "generally" in standards["consultation-minimum-period"]["exception"]["summary"]


def test_the_in_advance_notice_says_it_stands_for_one_day(standards):
    assert "one day" in standards["consultation-announced-in-advance"]["summary"]


def test_the_codes_are_exactly_the_five_summary_codes(compact):
    assert [c["slug"] for c in compact["codes"]] == list(EXPECTED_UNDERTAKINGS)


@pytest.mark.parametrize(
    ("code_slug", "by_party"), EXPECTED_UNDERTAKINGS.items(), ids=list(EXPECTED_UNDERTAKINGS)
)
def test_each_code_has_the_expected_undertakings_per_party(compact, code_slug, by_party):
    code = next(c for c in compact["codes"] if c["slug"] == code_slug)
    assert Counter(u["party"] for u in code["undertakings"]) == by_party
    for party, count in by_party.items():
        numbered = [u["id"] for u in code["undertakings"] if u["party"] == party]
        assert numbered == [f"{code_slug}-{party}-{n}" for n in range(1, count + 1)]


@pytest.mark.parametrize(
    ("code_slug", "count"), EXPECTED_CODE_PRINCIPLES.items(), ids=list(EXPECTED_CODE_PRINCIPLES)
)
def test_each_code_carries_its_key_principles(compact, code_slug, count):
    code = next(c for c in compact["codes"] if c["slug"] == code_slug)
    assert len(code["principles"]) == count


def test_the_parties_are_the_expected_ones(compact):
    assert {p["id"]: p["sectors"] for p in compact["parties"]} == EXPECTED_PARTIES


def test_beliefs_values_and_expectations_are_all_encoded(compact):
    assert len(compact["principles"]) == 8
    assert len(compact["values"]) == 6
    expectations = [
        o for o in compact["outcomes"] if o["clause"]["ref"].startswith("What should we expect")
    ]
    assert len(expectations) == 4


def test_the_glossary_has_every_jargon_buster_term(compact):
    assert {g["term"] for g in compact["glossary"]} == EXPECTED_GLOSSARY


def test_every_reference_resolves_within_the_compact(compact):
    parties = {p["id"] for p in compact["parties"]}
    documents = {d["file"] for d in compact["documents"]}
    codes = {c["slug"] for c in compact["codes"]}
    undertakings = [u for c in compact["codes"] for u in c["undertakings"]]
    statements = [*compact["principles"], *compact["values"], *compact["outcomes"]]
    statements += [p for c in compact["codes"] for p in c["principles"]]
    clauses = [u["clause"] for u in undertakings] + [s["clause"] for s in statements]
    clauses += [s["clause"] for s in compact["standards"]]
    clauses += [g["clause"] for g in compact["glossary"]]
    assert {u["party"] for u in undertakings} <= parties
    assert {s["owed_by"] for s in compact["standards"]} <= parties
    assert {s["code"] for s in compact["standards"]} <= codes
    assert {c["document"] for c in clauses} <= documents


def test_ids_are_unique_within_the_compact(compact):
    ids = [s["id"] for k in ("principles", "values", "outcomes") for s in compact[k]]
    ids += [p["id"] for c in compact["codes"] for p in c["principles"]]
    ids += [u["id"] for c in compact["codes"] for u in c["undertakings"]]
    ids += [s["id"] for s in compact["standards"]]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_no_remedy_procedure_of_its_own_or_bodies_are_invented(compact):
    # The compact says ways to seek remedies and mediation are still to be developed.
    # The only procedure is the platform's stated default, marked as such.
    assert compact["disagreement_procedure"]["basis"] == "platform-default"
    assert compact["disagreement_procedure"]["basis_note"]
    assert "bodies" not in compact
    assert "signing" not in compact
