"""A staged procedure, on a small three-stage disagreement procedure like Leicester's 5d-5f."""

import copy

import pytest

from localcompact.rulebook import MoveRefused, RuleError, StagedProcedure

CLAUSE = {"document": "004_2de5eed66f52019d.txt", "ref": "5d"}

DEFINITION = {
    "title": "Sorting out disagreements",
    "summary": "Three stages: in writing, mediation, appeal to the subgroup.",
    "clause": CLAUSE,
    "roles": [
        {"id": "party", "title": "a party to the disagreement"},
        {"id": "chair", "title": "the subgroup's chair"},
        {"id": "subgroup", "title": "the dispute subgroup"},
    ],
    "states": [
        {"id": "in-writing", "title": "Put in writing", "stage": "1 informal"},
        {"id": "mediation", "title": "In mediation", "stage": "2 mediation"},
        {"id": "appeal", "title": "Appeal to the subgroup", "stage": "3 appeal"},
        {"id": "findings", "title": "Findings made", "stage": "3 appeal", "final": True},
        {"id": "withdrawn", "title": "Withdrawn", "stage": "closed", "final": True},
    ],
    "initial": "in-writing",
    "moves": [
        {
            "id": "refer-to-mediation",
            "title": "Refer to mediation",
            "from": ["in-writing"],
            "to": "mediation",
            "actors": ["chair"],
            "standard": "chair-replies",
            "clause": CLAUSE,
        },
        {
            "id": "refer-to-appeal",
            "title": "Refer to appeal",
            "from": ["in-writing", "mediation"],
            "to": "appeal",
            "actors": ["chair"],
            "clause": CLAUSE,
        },
        {
            "id": "make-findings",
            "title": "Make findings",
            "from": ["appeal"],
            "to": "findings",
            "actors": ["subgroup"],
            "in_writing": True,
            "clause": CLAUSE,
        },
        {
            "id": "withdraw",
            "title": "Withdraw",
            "from": ["in-writing", "mediation", "appeal"],
            "to": "withdrawn",
            "actors": ["party"],
            "clause": CLAUSE,
        },
    ],
}

procedure = StagedProcedure.from_definition(DEFINITION)


def ids(moves):
    return [move.id for move in moves]


def test_the_chair_may_refer_a_new_disagreement_to_mediation_or_appeal():
    assert ids(procedure.allowed_moves("in-writing", {"chair"})) == [
        "refer-to-mediation",
        "refer-to-appeal",
    ]


def test_a_party_may_only_withdraw():
    assert ids(procedure.allowed_moves("mediation", {"party"})) == ["withdraw"]


def test_someone_with_two_roles_may_make_the_moves_of_either():
    assert ids(procedure.allowed_moves("appeal", {"party", "subgroup"})) == [
        "make-findings",
        "withdraw",
    ]


def test_a_move_returns_the_new_state_and_keeps_its_standard():
    assert procedure.move("in-writing", "refer-to-mediation", {"chair"}) == "mediation"
    assert procedure.moves["refer-to-mediation"].standard == "chair-replies"
    assert procedure.states["mediation"].stage == "2 mediation"


def test_a_move_not_allowed_from_this_state_is_refused_with_what_can_happen_next():
    with pytest.raises(MoveRefused) as caught:
        procedure.move("in-writing", "make-findings", {"subgroup"})
    assert caught.value.message == (
        "'Make findings' cannot be done while the case is at 'Put in writing'. What can happen "
        "next: 'Refer to mediation', 'Refer to appeal' and 'Withdraw'."
    )


def test_a_move_by_the_wrong_person_is_refused_naming_who_may():
    with pytest.raises(MoveRefused) as caught:
        procedure.move("in-writing", "refer-to-mediation", {"party"})
    assert caught.value.message == "'Refer to mediation' can be done only by: the subgroup's chair."


def test_nothing_can_happen_once_the_case_is_in_a_final_state():
    assert procedure.move("appeal", "make-findings", {"subgroup"}) == "findings"
    assert procedure.allowed_moves("findings", {"party", "chair", "subgroup"}) == []
    with pytest.raises(MoveRefused, match="The case is closed: 'Findings made' is a final state"):
        procedure.move("findings", "withdraw", {"party"})


def test_an_unknown_move_is_refused():
    with pytest.raises(MoveRefused, match="no step called 'escalate'"):
        procedure.move("in-writing", "escalate", {"chair"})


def broken(change) -> RuleError:
    data = copy.deepcopy(DEFINITION)
    change(data)
    with pytest.raises(RuleError) as caught:
        StagedProcedure.from_definition(data, standard_ids={"chair-replies"})
    return caught.value


def test_a_move_to_an_unknown_state_is_refused_with_its_path():
    error = broken(lambda d: d["moves"][3].update(to="closed"))
    assert error.path == ("disagreement_procedure", "moves", 3, "to")
    assert error.message == "Unknown state 'closed'."


def test_a_move_from_an_unknown_state_or_by_an_unknown_role_is_refused():
    assert broken(lambda d: d["moves"][1]["from"].append("stage-4")).path == (
        "disagreement_procedure",
        "moves",
        1,
        "from",
        2,
    )
    assert broken(lambda d: d["moves"][0].update(actors=["mediator"])).path == (
        "disagreement_procedure",
        "moves",
        0,
        "actors",
        0,
    )


def test_a_missing_initial_state_is_refused():
    assert broken(lambda d: d.pop("initial")).path == ("disagreement_procedure", "initial")
    assert broken(lambda d: d.update(initial="start")).path == ("disagreement_procedure", "initial")


def test_a_final_state_nothing_leads_to_is_refused():
    error = broken(lambda d: d["moves"].pop(2))
    assert error.path == ("disagreement_procedure", "states", 3)
    assert "'findings' cannot be reached" in error.message


def test_a_move_out_of_a_final_state_is_refused():
    error = broken(lambda d: d["moves"][3]["from"].append("findings"))
    assert error.path == ("disagreement_procedure", "moves", 3, "from", 3)


def test_a_move_naming_an_unknown_standard_is_refused():
    error = broken(lambda d: d["moves"][1].update(standard="chair-decides"))
    assert error.path == ("disagreement_procedure", "moves", 1, "standard")


def test_a_repeated_id_is_refused():
    error = broken(lambda d: d["moves"][1].update(id="refer-to-mediation"))
    assert error.path == ("disagreement_procedure", "moves", 1, "id")


# Who holds each role, what each move records, and moves every party makes ------------

RICH = copy.deepcopy(DEFINITION)
RICH["roles"][0]["held_by"] = "party"
RICH["roles"][1].update(held_by="subgroup-chair", sees_from="appeal")
RICH["roles"][2]["held_by"] = "subgroup-member"
RICH["stages"] = [{"id": "2 mediation", "title": "Mediation", "restricted_to": ["party"]}]
RICH["states"][3]["public"] = True
RICH["findings"] = [{"id": "no-breach", "title": "No breach", "summary": "None.", "clause": CLAUSE}]
RICH["moves"][2]["records"] = [
    {"id": "finding", "title": "The finding", "kind": "finding", "required": True},
    {"id": "reasons", "title": "Reasons", "kind": "long-text", "required_if": "want-reasons"},
]
RICH["moves"][3]["each_party"] = True
RICH["moves"][3]["records"] = [{"id": "want-reasons", "title": "Reasons?", "kind": "yes-no"}]
rich = StagedProcedure.from_definition(RICH)


def test_roles_say_who_holds_them_and_from_when_they_see_a_case():
    assert rich.holders == {
        "party": "party",
        "chair": "subgroup-chair",
        "subgroup": "subgroup-member",
    }
    assert rich.roles_held_by("party") == {"party"}
    assert not rich.sees("chair", ["in-writing"])
    assert rich.sees("chair", ["in-writing", "appeal"])
    assert rich.sees("party", ["in-writing"])


def test_a_stage_can_keep_its_records_to_some_roles_and_a_state_can_publish():
    assert rich.restricted_roles("mediation") == ("party",)
    assert rich.restricted_roles("appeal") is None
    assert rich.state("findings").public


def test_a_record_can_be_required_by_an_earlier_answer():
    reasons = rich.moves["make-findings"].records[1]
    assert not reasons.is_required(earlier={})
    assert reasons.is_required(earlier={"want-reasons": True})
    assert not reasons.is_required(earlier={"want-reasons": False})


def test_a_move_every_party_makes_takes_effect_with_the_last_part():
    assert not rich.completes("withdraw", parts={"a"}, parties={"a", "b"})
    assert rich.completes("withdraw", parts={"a", "b"}, parties={"a", "b"})
    assert rich.completes("make-findings", parts=set(), parties={"a", "b"})


def rich_broken(change) -> RuleError:
    data = copy.deepcopy(RICH)
    change(data)
    with pytest.raises(RuleError) as caught:
        StagedProcedure.from_definition(data)
    return caught.value


def test_an_unknown_holder_or_sees_from_state_is_refused():
    assert rich_broken(lambda d: d["roles"][0].update(held_by="anyone")).path == (
        "disagreement_procedure",
        "roles",
        0,
        "held_by",
    )
    assert rich_broken(lambda d: d["roles"][1].update(sees_from="nowhere")).path == (
        "disagreement_procedure",
        "roles",
        1,
        "sees_from",
    )


def test_a_record_requiring_an_unknown_record_or_a_finding_without_findings_is_refused():
    error = rich_broken(lambda d: d["moves"][2]["records"][1].update(required_if="nothing"))
    assert error.path == ("disagreement_procedure", "moves", 2, "records", 1, "required_if")
    error = rich_broken(lambda d: d.pop("findings"))
    assert error.message == "A finding is recorded, but the procedure lists no findings."


def test_a_move_every_party_makes_needs_a_party_among_its_actors():
    error = rich_broken(lambda d: d["moves"][2].update(each_party=True))
    assert error.path == ("disagreement_procedure", "moves", 2, "each_party")
