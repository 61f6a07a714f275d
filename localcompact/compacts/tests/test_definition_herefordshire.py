"""The Herefordshire definition against a table written by reading its seed (003).

Each row was taken from the code of practice by hand; the comments name the clause and
quote nothing. No database is needed.
"""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from localcompact.compacts.loader import clauses, read_definition
from localcompact.rulebook import StagedProcedure

DOC = "003_d44882093ddd00d6.txt"
WEEKS_4 = {"count": 4, "unit": "weeks"}
DAY_BEFORE = {"count": 1, "unit": "days"}


def definition_path() -> Path:
    return Path(settings.COMPACT_DEFINITIONS_DIR) / "herefordshire.yaml"


@pytest.fixture(scope="module")
def compact():
    with definition_path().open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def standards(compact):
    return {s["id"]: s for s in compact["standards"]}


# id: (rule, params, strictness, exception kind, clause ref, applies_to)
EXPECTED_STANDARDS = {
    # 9.2.2: information four weeks before the action it asks for
    "informing-notice-period": (
        "notice_before_event",
        {"notice": WEEKS_4, "event": "required-action"},
        "should",
        None,
        "9.2.2",
        "informing-notice",
    ),
    # 10.2.1: twelve-week deadline for policies and plans, shorter only by agreement
    "consultation-minimum-period": (
        "minimum_period",
        {"period": {"count": 12, "unit": "weeks"}, "start": "opens", "end": "closes"},
        "should",
        "by_agreement",
        "10.2.1",
        "consultation",
    ),
    # 10.2.2: a variety of ways to respond
    "consultation-response-methods": (
        "required_record",
        {"fields": ["response-methods"], "by": "opens"},
        "should",
        None,
        "10.2.2",
        "consultation",
    ),
    # 10.2.5: anonymous comment
    "consultation-anonymous-responses": (
        "required_record",
        {"fields": ["anonymous-responses-allowed"], "by": "opens"},
        "should",
        None,
        "10.2.5",
        "consultation",
    ),
    # 10.2.6: petitions (the code says must)
    "consultation-petitions-considered": (
        "required_record",
        {"fields": ["petitions-considered"], "by": "decision"},
        "must",
        None,
        "10.2.6",
        "consultation",
    ),
    # 10.2.7: acknowledgement unless the consultation said otherwise at its start
    "consultation-responses-acknowledged": (
        "required_record",
        {"fields": ["acknowledgement"]},
        "should",
        "stated_at_start",
        "10.2.7",
        "consultation-response",
    ),
    # the second 10.2.8: respondents told the decision and the consultation's effect
    "consultation-decision-feedback": (
        "required_record",
        {"fields": ["respondents-notified", "effect-of-consultation"], "by": "decision"},
        "should",
        None,
        "10.2.8 (second)",
        "consultation",
    ),
    # 11.2.1: four weeks' notice of meetings
    "meeting-notice": (
        "notice_before_event",
        {"notice": WEEKS_4, "event": "meeting"},
        "should",
        None,
        "11.2.1",
        "meeting",
    ),
    # 11.2.3: the year's dates in advance (no period named, so the day before)
    "meeting-calendar-in-advance": (
        "notice_before_event",
        {"notice": DAY_BEFORE, "event": "year-start"},
        "should",
        None,
        "11.2.3",
        "meeting-calendar",
    ),
    # 11.2.4: terms of reference and their five points
    "terms-of-reference-contents": (
        "required_record",
        {
            "fields": [
                "aims-and-tasks",
                "authority",
                "decision-method",
                "finality-of-decisions",
                "member-roles",
                "quorum",
            ],
            "by": "group-set-up",
        },
        "should",
        None,
        "11.2.4",
        "terms-of-reference",
    ),
    # 11.2.5: papers in advance; tabling avoided where possible
    "meeting-papers-in-advance": (
        "notice_before_event",
        {"notice": DAY_BEFORE, "event": "meeting"},
        "should",
        "where_not_possible",
        "11.2.5",
        "meeting-papers",
    ),
    # 11.2.6: conflicts of interest declared and recorded (must)
    "conflicts-of-interest-recorded": (
        "required_record",
        {"fields": ["interest-declared", "interest-recorded"], "by": "agenda-item"},
        "must",
        None,
        "11.2.6",
        "declaration-of-interest",
    ),
    # 11.2.8: objections in the minutes (must)
    "objections-minuted": (
        "required_record",
        {"fields": ["objections-minuted", "how-differences-represented"]},
        "must",
        None,
        "11.2.8",
        "decision",
    ),
    # 11.2.9: remote decisions only when every partner has access
    "remote-decisions-all-have-access": (
        "required_record",
        {"fields": ["decision-method", "all-partners-have-access"]},
        "should",
        None,
        "11.2.9",
        "decision",
    ),
    # 11.3.1: at least one week, ideally four, to act; emergencies excepted
    "request-to-act-period": (
        "minimum_period",
        {
            "period": {"count": 1, "unit": "weeks"},
            "ideal": WEEKS_4,
            "start": "received",
            "end": "action-due",
        },
        "should",
        "emergency",
        "11.3.1",
        "request-to-act",
    ),
    # 13.2: complaint in writing
    "complaint-in-writing": (
        "required_record",
        {"fields": ["written-complaint"], "by": "received"},
        "should",
        None,
        "13.2",
        "complaint",
    ),
    # 13.2: investigation and written reply
    "complaint-written-reply": (
        "required_record",
        {"fields": ["investigation", "written-reply"]},
        "should",
        None,
        "13.2",
        "complaint",
    ),
    # 12.3 (second): comment before an FOI disclosure, by the Act's 20 working days
    "foi-comment-before-disclosure": (
        "respond_within",
        {"limit": {"count": 20, "unit": "working_days"}, "after": "received"},
        "must",
        None,
        "12.3 (second)",
        "foi-request",
    ),
    # 14.1: review after a year
    "code-review": (
        "respond_within",
        {"limit": {"count": 12, "unit": "months"}, "after": "adopted"},
        "must",
        None,
        "14.1",
        "compact-review",
    ),
}


def test_the_standard_ids_are_exactly_the_expected_set(standards):
    assert set(standards) == set(EXPECTED_STANDARDS)


@pytest.mark.parametrize("standard_id", sorted(EXPECTED_STANDARDS))
def test_each_standard_matches_its_clause_in_the_seed(standards, standard_id):
    rule, params, strictness, exception, ref, applies_to = EXPECTED_STANDARDS[standard_id]
    standard = standards[standard_id]
    assert standard["rule"] == rule
    assert standard["params"] == params
    assert standard["strictness"] == strictness
    assert (standard["exception"] or {}).get("kind") == exception
    assert standard["clause"] == {"document": DOC, "ref": ref}
    assert standard["applies_to"] == applies_to


# code slug: [(undertaking id, party, clause ref), ...] in the document's order
EXPECTED_UNDERTAKINGS = {
    # 6.1
    "undertakings": [(f"undertakings-all-{n}", "all", f"6.1.{n}") for n in range(1, 6)],
    # 7.1 and 7.2
    "commitments": [
        (f"commitments-public-sector-{n}", "public-sector", f"7.1.{n}") for n in range(1, 10)
    ]
    + [(f"commitments-vcs-{n}", "vcs", f"7.2.{n}") for n in range(1, 9)],
    # 9.2
    "informing": [(f"informing-all-{n}", "all", f"9.2.{n}") for n in range(1, 6)]
    + [("informing-public-sector-1", "public-sector", "9.2.6")],
    # 10.2, with the document's two clauses numbered 10.2.8
    "consulting": [
        ("consulting-all-1", "all", "10.2.1"),
        ("consulting-all-2", "all", "10.2.2"),
        ("consulting-all-3", "all", "10.2.3"),
        ("consulting-public-sector-1", "public-sector", "10.2.4"),
        ("consulting-all-4", "all", "10.2.5"),
        ("consulting-all-5", "all", "10.2.6"),
        ("consulting-all-6", "all", "10.2.7"),
        ("consulting-all-7", "all", "10.2.8"),
        ("consulting-all-8", "all", "10.2.8 (second)"),
    ],
    # 11.2 and 11.3
    "partnership": [
        ("partnership-all-1", "all", "11.2.1"),
        ("partnership-public-sector-1", "public-sector", "11.2.2"),
        ("partnership-all-2", "all", "11.2.3"),
        ("partnership-all-3", "all", "11.2.4"),
        ("partnership-all-4", "all", "11.2.5"),
        ("partnership-all-5", "all", "11.2.6"),
        ("partnership-all-6", "all", "11.2.7"),
        ("partnership-all-7", "all", "11.2.8"),
        ("partnership-all-8", "all", "11.2.9"),
        ("partnership-all-9", "all", "11.3.1"),
        ("partnership-all-10", "all", "11.3.2"),
        ("partnership-all-11", "all", "11.3.3"),
    ],
    # 12, with the document's two clauses numbered 12.3
    "confidentiality": [
        ("confidentiality-all-1", "all", "12.1"),
        ("confidentiality-all-2", "all", "12.2"),
        ("confidentiality-all-3", "all", "12.3"),
        ("confidentiality-public-sector-1", "public-sector", "12.3 (second)"),
        ("confidentiality-vcs-1", "vcs", "12.3 (second)"),
        ("confidentiality-all-4", "all", "12.4"),
    ],
    # 13 and 14
    "breach-and-mediation": [
        (f"breach-and-mediation-all-{n}", "all", f"13.1.{n}") for n in range(1, 6)
    ]
    + [
        ("breach-and-mediation-all-6", "all", "13.2"),
        ("breach-and-mediation-all-7", "all", "13.2"),
        ("breach-and-mediation-all-8", "all", "14.1"),
    ],
    # commissioning appendix, paragraphs 3 (public) and 4 (third sector)
    "commissioning": [
        (
            f"commissioning-public-sector-{n}",
            "public-sector",
            f"Commissioning appendix 3, bullet {n}",
        )
        for n in range(1, 6)
    ]
    + [
        (f"commissioning-vcs-{n}", "vcs", f"Commissioning appendix 4, bullet {n}")
        for n in range(1, 4)
    ],
    # representing sectors appendix, 3.1 to 3.6
    "representing-sectors": [
        ("representing-sectors-representatives-1", "representatives", "Representing Sectors 3.1"),
        ("representing-sectors-representatives-2", "representatives", "Representing Sectors 3.2"),
        ("representing-sectors-public-sector-1", "public-sector", "Representing Sectors 3.3"),
        ("representing-sectors-public-sector-2", "public-sector", "Representing Sectors 3.4"),
    ]
    + [
        (
            f"representing-sectors-infrastructure-organisations-{n}",
            "infrastructure-organisations",
            f"Representing Sectors 3.5, bullet {n}",
        )
        for n in range(1, 6)
    ]
    + [("representing-sectors-representatives-3", "representatives", "Representing Sectors 3.6")],
}


def test_the_codes_are_the_sections_of_the_code_of_practice(compact):
    assert [code["slug"] for code in compact["codes"]] == list(EXPECTED_UNDERTAKINGS)
    assert {code["kind"] for code in compact["codes"]} == {"section"}


@pytest.mark.parametrize("slug", list(EXPECTED_UNDERTAKINGS))
def test_each_code_holds_its_undertakings_with_party_and_clause(compact, slug):
    code = next(code for code in compact["codes"] if code["slug"] == slug)
    found = [(u["id"], u["party"], u["clause"]["ref"]) for u in code["undertakings"]]
    assert found == EXPECTED_UNDERTAKINGS[slug]
    assert {u["clause"]["document"] for u in code["undertakings"]} == {DOC}


def test_the_parties_include_private_sector_and_all_organisations(compact):
    parties = {p["id"]: p["sectors"] for p in compact["parties"]}
    assert parties["private-sector"] == ["private"]
    assert parties["all"] == ["public", "vcs", "private"]
    assert {"public-sector", "vcs", "infrastructure-organisations", "representatives"} <= set(
        parties
    )


def test_the_values_and_principles_cite_sections_five_nine_ten_and_eleven(compact):
    assert [v["clause"]["ref"] for v in compact["values"]] == [
        "5.1.1",
        "5.1.2",
        "5.1.3",
        "5.1.4",
        "5.1.5",
        "5.1.6",
        "5.2",
        "5.3",
    ]
    assert [p["clause"]["ref"] for p in compact["principles"]] == (
        ["9.1.1", "9.1.2"] + [f"10.1.{n}" for n in range(1, 7)] + [f"11.1.{n}" for n in range(1, 6)]
    )


# move id: (from states, to state, actors, in writing)
EXPECTED_MOVES = {
    "decide-to-pursue": (["breach-identified"], "pursuing", ["complainant"], False),
    "decide-not-to-pursue": (["breach-identified"], "not-pursued", ["complainant"], False),
    "raise-directly": (["pursuing"], "raised-directly", ["complainant"], True),
    "reply": (["raised-directly"], "replied", ["respondent-organisation"], True),
    "accept-outcome": (
        ["replied"],
        "resolved-directly",
        ["complainant", "respondent-organisation"],
        False,
    ),
    "refer-to-working-group": (
        ["raised-directly", "replied"],
        "with-working-group",
        ["complainant"],
        False,
    ),
    "working-group-concludes": (
        ["with-working-group"],
        "resolved-locally",
        ["working-group"],
        False,
    ),
    "refer-to-commission": (
        ["with-working-group"],
        "referred-to-commission",
        ["complainant"],
        False,
    ),
}


def test_the_breach_route_follows_section_thirteen(compact):
    procedure = compact["disagreement_procedure"]
    assert [r["id"] for r in procedure["roles"]] == [
        "complainant",
        "respondent-organisation",
        "working-group",
    ]
    assert procedure["initial"] == "breach-identified"
    finals = {s["id"] for s in procedure["states"] if s.get("final")}
    assert finals == {
        "not-pursued",
        "resolved-directly",
        "resolved-locally",
        "referred-to-commission",
    }
    moves = {
        m["id"]: (m["from"], m["to"], m["actors"], m.get("in_writing", False))
        for m in procedure["moves"]
    }
    assert moves == EXPECTED_MOVES


def test_the_breach_route_sets_no_time_limits(compact):
    assert all("standard" not in m for m in compact["disagreement_procedure"]["moves"])


def test_the_breach_route_builds_as_a_staged_procedure(compact):
    procedure = StagedProcedure.from_definition(compact["disagreement_procedure"])
    assert procedure.move("breach-identified", "decide-to-pursue", ["complainant"]) == "pursuing"


def test_the_working_group_is_a_minimal_body(compact):
    (body,) = compact["bodies"]
    assert body["id"] == "local-compact-working-group"
    assert body["kind"] == "working_group"
    assert [(s["id"], s["count"]) for s in body["seats"]] == [("members", 1)]


def test_the_signing_section_names_no_people(compact):
    assert compact["signing"]["clause"] == {"document": DOC, "ref": "Signatories"}
    assert "pledge" not in compact["signing"]


def test_the_glossary_has_the_footnoted_and_defined_terms(compact):
    assert [g["term"] for g in compact["glossary"]] == [
        "Herefordshire Partnership",
        "Public sector",
        "Third sector",
        "Partner",
        "Stakeholder",
        "Infrastructure",
        "Informing",
        "Consulting",
        "Partnership",
        "Commissioning",
        "Representation",
    ]


def test_every_clause_cites_the_herefordshire_document(compact):
    assert [doc["file"] for doc in compact["documents"]] == [DOC]
    cited = {clause["document"] for _, clause in clauses(compact)}
    assert cited == {DOC}


def test_the_definition_passes_the_loader():
    definition = read_definition(definition_path())
    assert definition.slug == "herefordshire"
    assert definition.data["nation"] == "england-and-wales"
