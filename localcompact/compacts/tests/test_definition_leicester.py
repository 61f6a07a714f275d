"""The Leicester definition against a table written by reading its seed (004).

Each row was taken from the January 2008 draft by hand; the comments name the clause and
quote nothing. No database is needed.
"""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from localcompact.compacts.loader import clauses, read_definition
from localcompact.rulebook import (
    Clause,
    SeatQuotas,
    StagedProcedure,
    Status,
    build,
)

DOC = "004_2de5eed66f52019d.txt"


def wd(count: int) -> dict:
    return {"count": count, "unit": "working_days"}


def definition_path() -> Path:
    return Path(settings.COMPACT_DEFINITIONS_DIR) / "leicester.yaml"


@pytest.fixture(scope="module")
def compact():
    with definition_path().open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def standards(compact):
    return {s["id"]: s for s in compact["standards"]}


@pytest.fixture(scope="module")
def bodies(compact):
    return {b["id"]: b for b in compact["bodies"]}


# id: (rule, params, strictness, exception kind, clause ref, applies_to)
EXPECTED_STANDARDS = {
    # 4d, last bullet: twelve weeks where legally possible
    "consultation-minimum-period": (
        "minimum_period",
        {"period": {"count": 12, "unit": "weeks"}, "start": "opens", "end": "closes"},
        "must",
        "where_legally_impossible",
        "4.d.8",
        "consultation",
    ),
    # 4d, last bullet: feedback on the outcome
    "consultation-feedback": (
        "required_record",
        {"fields": ["feedback-on-outcomes"], "by": "decision"},
        "must",
        None,
        "4.d.8",
        "consultation",
    ),
    # Annex B q: amount confirmed two months ahead, if possible
    "funding-confirmed-before-start": (
        "notice_before_event",
        {"notice": {"count": 2, "unit": "months"}, "event": "project-start"},
        "must",
        "where_not_possible",
        "Annex B q",
        "funding-decision",
    ),
    # Annex B j: enough notice of funding decisions (no number given)
    "funding-decision-notice": (
        "notice_before_event",
        {"notice": "agreed", "event": "project-start"},
        "must",
        None,
        "Annex B j",
        "funding-decision",
    ),
    # Annex B j: payments on time
    "payment-on-time": (
        "respond_within",
        {"limit": "agreed", "after": "agreement"},
        "must",
        None,
        "Annex B j",
        "payment",
    ),
    # Annex B j: payment ahead of spending wherever possible
    "payment-in-advance": (
        "notice_before_event",
        {"notice": {"count": 1, "unit": "days"}, "event": "expenditure-start"},
        "must",
        "where_not_possible",
        "Annex B j",
        "payment",
    ),
    # Annex B n: overheads in grants
    "grants-include-overheads": (
        "required_record",
        {"fields": ["overhead-costs-included"], "by": "decision"},
        "must",
        None,
        "Annex B n",
        "funding-decision",
    ),
    # 5d, first paragraph: in writing within five (calendar) days
    "disagreement-put-in-writing": (
        "respond_within",
        {"limit": {"count": 5, "unit": "days"}, "after": "informal-failure"},
        "should",
        None,
        "5.d.1",
        "disagreement",
    ),
    # 5d, first paragraph: what the written disagreement says
    "disagreement-statement-contents": (
        "required_record",
        {
            "fields": [
                "steps-already-taken",
                "why-steps-failed",
                "outcome-sought",
                "stages-wanted",
            ],
            "by": "submitted",
        },
        "should",
        None,
        "5.d.1",
        "disagreement",
    ),
    # 5d, second paragraph: chair names the next stage (usually) within 10 working days
    "chair-names-next-stage": (
        "respond_within",
        {"limit": wd(10), "after": "submitted"},
        "should",
        None,
        "5.d.2",
        "disagreement",
    ),
    # 5d, third paragraph: chair's written refusal within 10 working days
    "chair-refusal-in-writing": (
        "respond_within",
        {"limit": wd(10), "after": "submitted"},
        "must",
        None,
        "5.d.3",
        "disagreement",
    ),
    # 5e, first paragraph: answer on mediation within 5 working days of the chair's message
    "mediation-answer": (
        "respond_within",
        {"limit": wd(5), "after": "chair-reply"},
        "should",
        None,
        "5.e.1",
        "disagreement",
    ),
    # 5e, fourth paragraph: mediation takes 15 working days unless extended by agreement
    "mediation-length": (
        "respond_within",
        {"limit": wd(15), "after": "mediation-start"},
        "should",
        "extended_by_agreement",
        "5.e.4",
        "disagreement",
    ),
    # 5f, second paragraph: appeal papers within 10 working days of the stage-three notice
    "appeal-papers": (
        "respond_within",
        {"limit": wd(10), "after": "stage-three-notice"},
        "should",
        None,
        "5.f.2",
        "disagreement",
    ),
    # 5f, second paragraph: what the appeal papers include
    "appeal-papers-contents": (
        "required_record",
        {"fields": ["why-mediation-failed", "outcome-sought"]},
        "must",
        None,
        "5.f.2",
        "disagreement",
    ),
    # 5f, third paragraph: everything 10 working days before the subgroup meets
    "appeal-papers-before-meeting": (
        "notice_before_event",
        {"notice": wd(10), "event": "subgroup-meeting"},
        "should",
        None,
        "5.f.3",
        "disagreement",
    ),
    # 5f, third paragraph: written comments within a further 4 working days
    "appeal-written-comments": (
        "respond_within",
        {"limit": wd(4), "after": "information-received"},
        "should",
        None,
        "5.f.3",
        "disagreement",
    ),
    # 5f, fourth paragraph: subgroup meets (usually) within 15 working days
    "subgroup-meets": (
        "respond_within",
        {"limit": wd(15), "after": "final-exchange"},
        "should",
        None,
        "5.f.4",
        "disagreement",
    ),
    # 5f, eighth paragraph: findings final and public, with a statement
    "findings-made-public": (
        "required_record",
        {"fields": ["findings-published", "statement-of-disagreement"]},
        "must",
        None,
        "5.f.8",
        "disagreement",
    ),
    # 6e to 6g: steering group seats and quotas
    "steering-group-composition": (
        "seat_quotas",
        {"body": "steering-group"},
        "must",
        None,
        "6.e to 6.g",
        "body-composition",
    ),
    # 6d: the annual meeting
    "annual-meeting-held": (
        "respond_within",
        {"limit": {"count": 12, "unit": "months"}, "after": "previous-annual-meeting"},
        "must",
        None,
        "6.d",
        "annual-meeting",
    ),
    # 6b: three-year action plan revised every year
    "action-plan-revised": (
        "respond_within",
        {"limit": {"count": 12, "unit": "months"}, "after": "action-plan-agreed"},
        "must",
        None,
        "6.b",
        "action-plan",
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


def _rows(code: str, party: str, refs: list[str]) -> list[tuple[str, str, str]]:
    return [(f"{code}-{party}-{n}", party, ref) for n, ref in enumerate(refs, 1)]


# code slug: (kind, [(undertaking id, party, clause ref), ...])
EXPECTED_CODES = {
    # 4b shared (12 bullets), 4c VCS (5), 4d public sector (8)
    "commitments": (
        "commitments",
        _rows("commitments", "all", [f"4.b.{n}" for n in range(1, 13)])
        + _rows("commitments", "vcs", [f"4.c.{n}" for n in range(1, 6)])
        + _rows("commitments", "public-sector", [f"4.d.{n}" for n in range(1, 9)]),
    ),
    # Annex A a to i
    "annex-a": ("annex", _rows("annex-a", "funded-vcs", [f"Annex A {c}" for c in "abcdefghi"])),
    # Annex B a to u (general, funding, contracts)
    "annex-b": (
        "annex",
        _rows("annex-b", "public-funders", [f"Annex B {c}" for c in "abcdefghijklmnopqrstu"]),
    ),
}


def test_the_codes_are_section_four_and_the_two_annexes(compact):
    assert [code["slug"] for code in compact["codes"]] == list(EXPECTED_CODES)


@pytest.mark.parametrize("slug", list(EXPECTED_CODES))
def test_each_code_holds_its_undertakings_with_party_and_clause(compact, slug):
    kind, rows = EXPECTED_CODES[slug]
    code = next(code for code in compact["codes"] if code["slug"] == slug)
    assert code["kind"] == kind
    assert [(u["id"], u["party"], u["clause"]["ref"]) for u in code["undertakings"]] == rows


def test_the_aims_and_principles_are_the_thirteen_of_section_three(compact):
    assert [p["clause"]["ref"] for p in compact["principles"]] == [f"3.a.{n}" for n in range(1, 14)]


def test_the_seven_outcomes_come_from_sections_one_and_six(compact):
    assert [o["clause"]["ref"] for o in compact["outcomes"]] == [
        f"6.c.{n} (also 1.b)" for n in range(1, 8)
    ]


# seat id: (count, appointment, voting, sector, flags, from signatories, each represented)
EXPECTED_SEATS = {
    # 6f first bullet
    "independent-chair": (1, "independent", True, "independent", [], True, False),
    # 6f second bullet
    "independent-deputy-chair": (1, "independent", True, "independent", [], True, False),
    # 6f third bullet (two seats)
    "vice-chair-val": (1, "ex_officio", True, "vcs", [], False, False),
    "vice-chair-public": (1, "ex_officio", True, "public", [], False, False),
    # 6f fourth bullet
    "secretary": (1, "ex_officio", False, "public", [], False, False),
    # 6f fifth bullet
    "public-nominees": (6, "nominated", True, "public", [], True, True),
    # 6f sixth bullet and its four sub-bullets
    "vcs-funded": (2, "elected", True, "vcs", ["receives_public_funding"], True, False),
    "vcs-unfunded": (2, "elected", True, "vcs", ["unfunded"], True, False),
    "vcs-bme": (1, "elected", True, "vcs", ["bme_led"], True, False),
    "vcs-equality": (1, "elected", True, "vcs", ["equality_and_diversity"], True, False),
    # 6g: the voluntary places that match the public ones beyond six
    "vcs-additional": (0, "elected", True, "vcs", [], True, False),
}


def test_the_steering_group_has_every_seat_of_six_f(bodies):
    group = bodies["steering-group"]
    assert group["kind"] == "steering_group"
    assert group["chair_seat"] == "independent-chair"
    assert group["elected_at"] == "annual-meeting"
    found = {
        s["id"]: (
            s["count"],
            s["appointment"],
            s["voting"],
            s["sector"],
            s.get("requires_flags", []),
            s.get("from_signatories", False),
            s.get("each_signatory_represented", False),
        )
        for s in group["seats"]
    }
    assert found == EXPECTED_SEATS


def test_the_steering_group_grows_past_six_public_signatories_on_both_sides(bodies):
    growth = bodies["steering-group"]["growth"]
    assert growth["threshold"] == 6
    assert growth["seats"] == ["public-nominees", "vcs-additional"]
    assert growth["clause"] == {"document": DOC, "ref": "6.g"}


def test_the_seat_quotas_need_seven_public_nominees_with_seven_public_signatories(
    standards, bodies
):
    standard = standards["steering-group-composition"]
    rule = build(
        standard["rule"], standard["params"], clause=Clause(**standard["clause"]), exception=None
    )
    assert isinstance(rule, SeatQuotas)
    group = bodies["steering-group"]
    seats = {s["id"]: s for s in group["seats"]}
    assert rule.required_places(seats["public-nominees"], group, 7) == 7
    assert rule.required_places(seats["vcs-funded"], group, 7) == 2
    assert rule.required_places(seats["vcs-additional"], group, 7) == 1
    assert rule.required_places(seats["vcs-additional"], group, 6) == 0
    assert rule.required_places(seats["vcs-unfunded"], group, 7) == 2
    assert rule.required_places(seats["public-nominees"], group, 4) == 6


def test_a_full_steering_group_meets_its_quotas(standards, bodies):
    standard = standards["steering-group-composition"]
    rule = build(
        standard["rule"], standard["params"], clause=Clause(**standard["clause"]), exception=None
    )
    public = [f"public-{n}" for n in range(1, 7)]
    members = [
        {"seat": "independent-chair", "sector": "independent", "organisation": "a"},
        {"seat": "independent-deputy-chair", "sector": "independent", "organisation": "b"},
        {"seat": "vice-chair-val", "sector": "vcs", "organisation": "val"},
        {"seat": "vice-chair-public", "sector": "public", "organisation": "public-1"},
        {"seat": "secretary", "sector": "public", "organisation": "lp"},
    ]
    members += [{"seat": "public-nominees", "sector": "public", "organisation": o} for o in public]
    for seat, flag, count in [
        ("vcs-funded", "receives_public_funding", 2),
        ("vcs-unfunded", "unfunded", 2),
        ("vcs-bme", "bme_led", 1),
        ("vcs-equality", "equality_and_diversity", 1),
    ]:
        members += [
            {"seat": seat, "sector": "vcs", "flags": [flag], "organisation": f"{seat}-{n}"}
            for n in range(count)
        ]
    for member in members:
        member["is_signatory"] = True
    verdict = rule.check(
        body=bodies["steering-group"],
        members=members,
        public_signatories=6,
        public_signatory_ids=public,
    )
    assert verdict.status is Status.MET, verdict.explanation


def test_the_dispute_subgroup_is_chaired_by_the_deputy_and_invents_no_numbers(bodies):
    subgroup = bodies["dispute-subgroup"]
    assert subgroup["kind"] == "dispute_subgroup"
    assert subgroup["parent"] == "steering-group"
    assert subgroup["chair_seat"] == "subgroup-chair"
    assert [(s["id"], s["count"]) for s in subgroup["seats"]] == [
        ("subgroup-chair", 1),
        ("members", 1),
    ]


# move id: (from states, to state, actors, standard or None)
EXPECTED_MOVES = {
    "submit-in-writing": (
        ["informal-attempt-failed"],
        "submitted",
        ["party"],
        "disagreement-put-in-writing",
    ),
    "chair-proposes-mediation": (
        ["submitted"],
        "mediation-proposed",
        ["subgroup-chair"],
        "chair-names-next-stage",
    ),
    "chair-sends-to-appeal": (
        ["submitted"],
        "appeal-papers-due",
        ["subgroup-chair"],
        "chair-names-next-stage",
    ),
    "chair-declares-not-applicable": (
        ["submitted"],
        "not-applicable",
        ["subgroup-chair"],
        "chair-refusal-in-writing",
    ),
    "agree-mediation": (["mediation-proposed"], "mediation-agreed", ["party"], "mediation-answer"),
    "decline-mediation": (
        ["mediation-proposed"],
        "mediation-declined",
        ["party"],
        "mediation-answer",
    ),
    "start-mediation": (["mediation-agreed"], "in-mediation", ["party"], None),
    "mediation-succeeds": (
        ["in-mediation"],
        "resolved-by-mediation",
        ["party", "mediator"],
        "mediation-length",
    ),
    "mediation-fails": (
        ["in-mediation"],
        "mediation-failed",
        ["party", "mediator"],
        "mediation-length",
    ),
    "give-stage-three-notice": (
        ["mediation-declined", "mediation-failed"],
        "appeal-papers-due",
        ["subgroup-chair"],
        None,
    ),
    "submit-appeal-papers": (
        ["appeal-papers-due"],
        "appeal-papers-submitted",
        ["party"],
        "appeal-papers",
    ),
    "circulate-papers": (
        ["appeal-papers-submitted"],
        "papers-with-subgroup",
        ["party", "subgroup-chair"],
        "appeal-papers-before-meeting",
    ),
    "send-written-comments": (
        ["papers-with-subgroup"],
        "exchange-complete",
        ["party"],
        "appeal-written-comments",
    ),
    "subgroup-meets": (["exchange-complete"], "subgroup-meeting", ["subgroup"], "subgroup-meets"),
    "make-findings": (["subgroup-meeting"], "finding-made", ["subgroup"], None),
    "withdraw": (
        [
            "informal-attempt-failed",
            "submitted",
            "mediation-proposed",
            "mediation-agreed",
            "mediation-declined",
            "in-mediation",
            "mediation-failed",
            "appeal-papers-due",
            "appeal-papers-submitted",
            "papers-with-subgroup",
            "exchange-complete",
            "subgroup-meeting",
        ],
        "withdrawn",
        ["party"],
        None,
    ),
}


def test_each_move_of_the_procedure_carries_its_time_limit(compact):
    moves = {
        m["id"]: (m["from"], m["to"], m["actors"], m.get("standard"))
        for m in compact["disagreement_procedure"]["moves"]
    }
    assert moves == EXPECTED_MOVES


def test_the_procedure_roles_states_and_final_states(compact):
    procedure = compact["disagreement_procedure"]
    assert [r["id"] for r in procedure["roles"]] == [
        "party",
        "subgroup-chair",
        "subgroup",
        "mediator",
    ]
    assert procedure["initial"] == "informal-attempt-failed"
    finals = {s["id"] for s in procedure["states"] if s.get("final")}
    assert finals == {"not-applicable", "resolved-by-mediation", "finding-made", "withdrawn"}
    stages = {s["stage"] for s in procedure["states"]}
    assert stages == {
        "stage-one-informal",
        "stage-two-mediation",
        "stage-three-appeal",
        "withdrawal",
    }
    non_final = {s["id"] for s in procedure["states"] if not s.get("final")}
    withdraw = next(m for m in procedure["moves"] if m["id"] == "withdraw")
    assert set(withdraw["from"]) == non_final


def test_the_procedure_has_the_five_findings_of_five_f_seven(compact):
    findings = compact["disagreement_procedure"]["findings"]
    assert [(f["id"], f["clause"]["ref"]) for f in findings] == [
        ("no-breach", "5.f.7.1"),
        ("breach", "5.f.7.2"),
        ("compact-unclear", "5.f.7.3"),
        ("new-issues", "5.f.7.4"),
        ("refer-elsewhere", "5.f.7.5"),
    ]


def test_contracts_and_complaints_are_excluded_from_the_procedure(compact):
    excluded = compact["disagreement_procedure"]["excluded"]
    assert [(e["id"], e["clause"]["ref"]) for e in excluded] == [
        ("contract-disputes", "5.b"),
        ("complaints", "5.b"),
    ]


def test_the_procedure_builds_and_runs_to_a_finding(compact):
    procedure = StagedProcedure.from_definition(compact["disagreement_procedure"])
    state = "informal-attempt-failed"
    for move, role in [
        ("submit-in-writing", "party"),
        ("chair-proposes-mediation", "subgroup-chair"),
        ("decline-mediation", "party"),
        ("give-stage-three-notice", "subgroup-chair"),
        ("submit-appeal-papers", "party"),
        ("circulate-papers", "party"),
        ("send-written-comments", "party"),
        ("subgroup-meets", "subgroup"),
        ("make-findings", "subgroup"),
    ]:
        state = procedure.move(state, move, [role])
    assert state == "finding-made"
    assert procedure.state(state).final


def test_signing_is_by_letter_to_the_chair_without_amendments(compact):
    signing = compact["signing"]
    assert signing["clause"] == {"document": DOC, "ref": "6.h"}
    assert signing["withdrawal_clause"] == {"document": DOC, "ref": "6.h"}
    assert signing["pledge_clause"] == {"document": DOC, "ref": "Our Pledge"}
    assert signing["amendments_allowed"] is False
    assert signing["signatories_only_disagreements"] is True


def test_the_advice_bodies_are_those_named_in_the_draft(compact):
    assert [a["name"] for a in compact["advice"]] == [
        "Compact Advocacy Programme",
        "Local Government Ombudsman",
        "Commission for the Compact",
        "Compact Voice",
        "Office of the Third Sector (Cabinet Office)",
    ]


def test_the_glossary_has_every_term_of_section_seven(compact):
    assert [g["term"] for g in compact["glossary"]] == [
        "Asset management",
        "Asset ownership",
        "Capacity building",
        "Commissioning",
        "Community cohesion",
        "Community group and community organisation",
        "Communities of interest",
        "Compact",
        "Consultation",
        "Contract",
        "Ex-officio",
        "Financial sustainability",
        "Full-cost recovery",
        "Governance",
        "Infrastructure organisations",
        "Local Area Agreement (LAA)",
        "Leicester Partnership",
        "Mediation",
        "Overhead costs",
        "Procurement",
        "Public sector",
        "Risk management",
        "Service agreement",
        "Social capital",
        "Social enterprises",
        "Stakeholders",
        "Strategy for Leicester",
        "Transparency",
        "Umbrella body",
        "Voluntary organisation",
        "Voluntary and community sector",
    ]


def test_every_clause_cites_the_leicester_document(compact):
    assert [doc["file"] for doc in compact["documents"]] == [DOC]
    assert {clause["document"] for _, clause in clauses(compact)} == {DOC}


def test_the_definition_passes_the_loader():
    definition = read_definition(definition_path())
    assert definition.slug == "leicester"
    assert definition.data["status"] == "Draft dated 11 January 2008"
