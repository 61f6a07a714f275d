"""The City Together definition encodes documents 000 (codes) and 001 (summary) faithfully.

The expected tables below were written by reading the seeds; each row names the clause it
comes from. The tests read only the definition and the schema in this repository.
"""

from collections import Counter
from pathlib import Path

import jsonschema
import pytest
import yaml

COMPACTS_DIR = Path(__file__).resolve().parents[1]
DEFINITION = COMPACTS_DIR / "definitions" / "city-together.yaml"
SCHEMA = COMPACTS_DIR / "compact.schema.yaml"

CODES_DOC = "000_fbfad6764e4f2d7a.txt"
SUMMARY_DOC = "001_daf871fa5dd92ca9.txt"

COMMISSIONING = "Commissioning code"
CONSULTATION = "Consultation and engagement code"
INCLUSIVE = "Inclusive City code"
VOLUNTEERING = "Volunteering code"

AGREED = "agreed"


def days(n):
    return {"count": n, "unit": "days"}


def weeks(n):
    return {"count": n, "unit": "weeks"}


def months(n):
    return {"count": n, "unit": "months"}


# id: (code, applies_to, owed_by, rule, params, strictness, exception kind, clause ref)
EXPECTED_STANDARDS = {
    # Consultation code, public sector undertaking 2: 12 weeks as best practice.
    "consultation-minimum-period": (
        "consultation",
        "consultation",
        "public-sector",
        "minimum_period",
        {"period": weeks(12), "start": "opens", "end": "closes"},
        "best_practice",
        "stated_reasons",
        f"{CONSULTATION}, public sector undertaking 2",
    ),
    # Consultation code, joint undertaking 1: feedback within an agreed timescale.
    "consultation-feedback": (
        "consultation",
        "consultation",
        "joint",
        "respond_within",
        {"limit": AGREED, "after": "closes"},
        "must",
        None,
        f"{CONSULTATION}, joint undertaking 1",
    ),
    # Consultation code, third sector undertaking 5: meeting consultation deadlines.
    "consultation-response-deadline": (
        "consultation",
        "consultation-response",
        "vcs",
        "notice_before_event",
        {"notice": days(0), "event": "closes"},
        "must",
        None,
        f"{CONSULTATION}, third sector undertaking 5",
    ),
    # Commissioning code, public sector undertaking 5: notice so a service can start.
    "commissioning-decision-notice": (
        "commissioning",
        "funding-decision",
        "public-sector",
        "notice_before_event",
        {"notice": AGREED, "event": "project-start"},
        "must",
        None,
        f"{COMMISSIONING}, public sector undertaking 5",
    ),
    # Commissioning code, public sector undertaking 5: notice so a service can stop.
    "commissioning-end-notice": (
        "commissioning",
        "funding-end",
        "public-sector",
        "notice_before_event",
        {"notice": AGREED, "event": "funding-ends"},
        "must",
        None,
        f"{COMMISSIONING}, public sector undertaking 5",
    ),
    # Commissioning code, public sector undertaking 5: reasons for lack of success.
    "commissioning-unsuccessful-reasons": (
        "commissioning",
        "funding-decision",
        "public-sector",
        "required_record",
        {"fields": ["outcome", "reasons-for-lack-of-success"], "by": "decision"},
        "must",
        None,
        f"{COMMISSIONING}, public sector undertaking 5",
    ),
    # Commissioning code, public sector undertaking 6: payments on time.
    "commissioning-payment-on-time": (
        "commissioning",
        "payment",
        "public-sector",
        "respond_within",
        {"limit": AGREED, "after": "agreement"},
        "must",
        None,
        f"{COMMISSIONING}, public sector undertaking 6",
    ),
    # Commissioning code, public sector undertaking 7: monitoring proportionate to funding.
    "commissioning-proportionate-monitoring": (
        "commissioning",
        "monitoring",
        "public-sector",
        "required_record",
        {
            "fields": ["funding-amount", "monitoring-requirements", "proportionality-statement"],
            "by": "agreement",
        },
        "must",
        None,
        f"{COMMISSIONING}, public sector undertaking 7",
    ),
    # Commissioning code, third sector undertaking 6: three months before winding down.
    "commissioning-wind-down-notice": (
        "commissioning",
        "service-wind-down",
        "vcs",
        "notice_before_event",
        {"notice": months(3), "event": "service-ends"},
        "must",
        None,
        f"{COMMISSIONING}, third sector undertaking 6",
    ),
    # Inclusive City code, joint undertaking 1: policy and non-discrimination monitoring.
    "inclusive-city-policy-and-monitoring": (
        "inclusive-city",
        "equality-policy",
        "joint",
        "required_record",
        {"fields": ["inclusion-policy", "non-discrimination-monitoring"]},
        "must",
        None,
        f"{INCLUSIVE}, joint undertaking 1",
    ),
    # Inclusive City code, joint undertaking 8: regular progress reports (no interval given).
    "inclusive-city-progress-reports": (
        "inclusive-city",
        "progress-report",
        "joint",
        "required_record",
        {"fields": ["period-covered", "progress-made"]},
        "must",
        None,
        f"{INCLUSIVE}, joint undertaking 8",
    ),
    # Volunteering code, joint undertaking 4: policies on recruitment, development, retention.
    "volunteering-policies": (
        "volunteering",
        "volunteering-arrangements",
        "joint",
        "required_record",
        {"fields": ["recruitment-policy", "development-policy", "retention-policy"]},
        "must",
        None,
        f"{VOLUNTEERING}, joint undertaking 4",
    ),
    # Volunteering code, joint undertaking 5: a key contact for volunteers.
    "volunteering-key-contact": (
        "volunteering",
        "volunteering-arrangements",
        "joint",
        "required_record",
        {"fields": ["key-contact-for-volunteers"]},
        "must",
        None,
        f"{VOLUNTEERING}, joint undertaking 5",
    ),
    # Volunteering code, joint undertaking 3: out-of-pocket expenses repaid as agreed.
    "volunteering-expenses-reimbursed": (
        "volunteering",
        "volunteer-expense-claim",
        "joint",
        "required_record",
        {"fields": ["expenses-agreed-with-host", "amount-claimed", "amount-reimbursed"]},
        "must",
        None,
        f"{VOLUNTEERING}, joint undertaking 3",
    ),
}

# Undertakings per code, by party, as numbered in document 000.
EXPECTED_UNDERTAKINGS = {
    "commissioning": {"public-sector": 7, "vcs": 8, "joint": 1},
    "communication": {"joint": 8},
    "consultation": {"public-sector": 5, "vcs": 5, "joint": 4},
    "inclusive-city": {"joint": 8},
    "volunteering": {"joint": 9},
}

EXPECTED_PARTIES = {
    "public-sector": ["public"],
    "vcs": ["vcs"],
    "joint": ["public", "vcs"],
}

# Footnotes 3, 4, 5 and 7 of 000, plus the terms the two documents define in their text.
EXPECTED_GLOSSARY = {
    "Joint Strategic Needs Assessment (JSNA)",
    "Capacity-building organisations",
    "Full cost recovery",
    "Corporate responsibility",
    "Compact",
    "Commissioning",
    "Grant making",
    "Inclusive City",
    "Cohesive City",
    "Volunteering",
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


def test_the_definition_names_the_compact_and_its_two_documents(compact):
    assert compact["slug"] == "city-together"
    assert compact["nation"] == "england-and-wales"
    assert compact["area"] == "City of London"
    assert [d["file"] for d in compact["documents"]] == [CODES_DOC, SUMMARY_DOC]


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
    assert standard["clause"] == {"document": CODES_DOC, "ref": ref}


def test_the_codes_are_exactly_the_five_in_the_document(compact):
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


def test_the_parties_are_the_expected_ones(compact):
    assert {p["id"]: p["sectors"] for p in compact["parties"]} == EXPECTED_PARTIES


def test_the_ten_shared_principles_cite_the_summary_in_order(compact):
    refs = [p["clause"] for p in compact["principles"]]
    assert refs == [
        {"document": SUMMARY_DOC, "ref": f"Shared Principles {n}"} for n in range(1, 11)
    ]


def test_the_glossary_has_the_expected_terms(compact):
    assert {g["term"] for g in compact["glossary"]} == EXPECTED_GLOSSARY


def test_every_reference_resolves_within_the_compact(compact):
    parties = {p["id"] for p in compact["parties"]}
    documents = {d["file"] for d in compact["documents"]}
    codes = {c["slug"] for c in compact["codes"]}
    undertakings = [u for c in compact["codes"] for u in c["undertakings"]]
    clauses = [u["clause"] for u in undertakings]
    clauses += [s["clause"] for s in compact["standards"]]
    clauses += [p["clause"] for p in compact["principles"]]
    clauses += [g["clause"] for g in compact["glossary"]]
    assert {u["party"] for u in undertakings} <= parties
    assert {s["owed_by"] for s in compact["standards"]} <= parties
    assert {s["code"] for s in compact["standards"]} <= codes
    assert {c["document"] for c in clauses} <= documents


def test_ids_are_unique_within_the_compact(compact):
    ids = [p["id"] for p in compact["principles"]]
    ids += [u["id"] for c in compact["codes"] for u in c["undertakings"]]
    ids += [s["id"] for s in compact["standards"]]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_no_procedure_of_its_own_or_bodies_are_invented(compact):
    # 001 says the full compact has a dispute section but does not give its procedure.
    # The only procedure is the platform's stated default, marked as such.
    assert compact["disagreement_procedure"]["basis"] == "platform-default"
    assert compact["disagreement_procedure"]["basis_note"]
    assert "bodies" not in compact
    assert "signing" not in compact
