"""Disagreements' part of a person's data: the download holds what they did and what
names them, never a case's confidential content they did not write and cannot see;
erasure keeps the case, naming "a former user" (see disputes/personal_data.py). The
cast is described in conftest.py."""

import json

import pytest

from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.personal_data import account_erase, personal_data_collect
from localcompact.disputes.models import Case, CaseDocument, CaseEvent
from localcompact.organisations.models import Membership

from .conftest import NOW, pdf, raise_leicester, step

FEE = {"How the mediator's fee will be paid": "Shared equally."}
SECTIONS = (
    "disagreements_raised",
    "disagreement_steps_taken",
    "disagreement_documents_uploaded",
    "disagreement_steps_naming_you",
)


@pytest.fixture
def resolved(cast):
    """Raised by the charity against the council, put in writing with a statement,
    mediated and resolved: the council's officer appointed the mediator (a mediation
    record), the mediator recorded the agreement."""
    case = raise_leicester(cast)
    for move, by in [
        ("submit-in-writing", cast.charity_admin),
        ("chair-proposes-mediation", cast.chair),
        ("agree-mediation", cast.charity_admin),
        ("agree-mediation", cast.council_officer),
        ("start-mediation", cast.council_officer),
    ]:
        case = step(
            case,
            move,
            by,
            documents={"statement": pdf("our-statement.pdf")}
            if move == "submit-in-writing"
            else None,
        )
    return step(case, "mediation-succeeds", cast.mediator)


def data_of(user) -> dict:
    data = personal_data_collect(user, now=NOW)
    return {name: data[name] for name in SECTIONS}


def test_the_raiser_gets_the_case_their_steps_in_their_own_words_and_their_documents(
    cast, resolved
):
    data = data_of(cast.charity_admin)
    [raised] = data["disagreements_raised"]
    assert raised["reference"] == resolved.reference
    assert raised["title"] == resolved.title
    assert raised["where_it_stands"] == "Resolved by mediation"
    steps = {s["step"]: s for s in data["disagreement_steps_taken"]}
    assert set(steps) == {
        "Raised",
        "Put the disagreement in writing",
        "Both sides agree to mediation (your side's part)",
    }
    written = steps["Put the disagreement in writing"]
    assert written["for"] == "Northfield Community Action"
    assert written["as"] == "Party to the disagreement"
    assert written["what_you_recorded"]["Why those steps did not work"] == (
        "The council said the timetable could not change."
    )
    [document] = data["disagreement_documents_uploaded"]
    assert (document["file_name"], document["record"]) == (
        "our-statement.pdf",
        "Written statement (optional)",
    )


def test_no_one_elses_words_are_in_it_not_even_the_mediation_records_they_see(cast, resolved):
    text = json.dumps(data_of(cast.charity_admin))
    assert "Shared equally." not in text  # the council's officer wrote it
    assert "The consultation reopens in May." not in text  # the mediator wrote it
    assert "Mediator Tester" not in text
    assert "agreement.pdf" not in text


def test_a_sides_own_mediation_records_are_theirs_but_not_the_people_they_name(cast, resolved):
    data = data_of(cast.council_officer)
    [started] = [s for s in data["disagreement_steps_taken"] if s["step"] == "Mediation begins"]
    assert started["what_you_recorded"] == FEE
    assert "Mediator Tester" not in json.dumps(data)
    assert data["disagreements_raised"] == []


def test_someone_who_no_longer_sees_the_case_gets_their_words_and_its_reference_only(
    cast, resolved
):
    Membership.objects.filter(user=cast.council_officer).delete()
    data = data_of(cast.council_officer)
    text = json.dumps(data)
    assert resolved.title not in text  # the charity wrote it, and they may not see it now
    assert "Resolved by mediation" not in text
    [started] = [s for s in data["disagreement_steps_taken"] if s["step"] == "Mediation begins"]
    assert started["case"] == {"reference": resolved.reference, "compact": cast.leicester.name}
    assert started["what_you_recorded"] == FEE


def test_the_mediator_gets_their_steps_documents_and_the_step_that_named_them(cast, resolved):
    data = data_of(cast.mediator)
    [named] = data["disagreement_steps_naming_you"]
    assert (named["case"]["reference"], named["step"], named["named_as"]) == (
        resolved.reference,
        "Mediation begins",
        "The mediator both sides have agreed",
    )
    [succeeded] = data["disagreement_steps_taken"]
    assert succeeded["as"] == "Mediator"
    assert succeeded["what_you_recorded"] == {
        "What the sides have agreed will happen next": "The consultation reopens in May."
    }
    [agreement] = data["disagreement_documents_uploaded"]
    assert agreement["file_name"] == "agreement.pdf"
    text = json.dumps(data)
    assert "Two meetings with the service manager." not in text  # the charity's words
    assert "Shared equally." not in text


@pytest.mark.parametrize("name", ["outsider", "support", "staff", "chair", "charity_member"])
def test_people_who_did_nothing_in_a_case_get_nothing_of_it(cast, resolved, name):
    data = data_of(cast.users[name])
    if name == "chair":  # the chair's own step is theirs, and nothing else
        [proposed] = data["disagreement_steps_taken"]
        assert proposed["what_you_recorded"] == {
            "Guidance and advice for both sides": "Both sides should meet with a mediator."
        }
        data["disagreement_steps_taken"] = []
    assert all(section == [] for section in data.values()), data


def test_erasure_keeps_the_case_and_its_history_naming_a_former_user(client, cast, resolved):
    admin = cast.charity_admin
    events = CaseEvent.objects.filter(by=admin).count()
    counts = account_erase(
        deletion=DeletionRequest.objects.create(user=admin), by=cast.staff, now=NOW
    )
    assert counts["disagreement records kept"] == 1 + events + 1  # the case, steps, document
    assert Case.objects.get(pk=resolved.pk).raised_by_id == admin.pk
    assert CaseEvent.objects.filter(by=admin).count() == events
    assert CaseDocument.objects.get(record="statement").uploaded_by_id == admin.pk
    client.force_login(cast.council_officer)
    text = client.get(resolved.get_absolute_url()).content.decode()
    assert "a former user" in text and "Charity Admin Tester" not in text


def test_erasure_replaces_the_copy_of_a_named_persons_name(client, cast, resolved):
    mediator = cast.mediator
    counts = account_erase(
        deletion=DeletionRequest.objects.create(user=mediator), by=cast.staff, now=NOW
    )
    assert counts["disagreement names replaced"] == 1
    started = CaseEvent.objects.get(case=resolved, move="start-mediation")
    assert started.records["mediator"] == {"user": mediator.pk, "name": "a former user"}
    assert started.records["fee-arrangement"] == "Shared equally."
    client.force_login(cast.council_officer)
    text = client.get(resolved.get_absolute_url()).content.decode()
    assert "Mediator Tester" not in text
    assert "a former user" in text


def test_erasure_replaces_only_their_name_among_the_members_present(cast):
    from .conftest import to_appeal

    case = to_appeal(cast, raise_leicester(cast))
    account_erase(
        deletion=DeletionRequest.objects.create(user=cast.member_one), by=cast.staff, now=NOW
    )
    met = CaseEvent.objects.get(case=case, move="subgroup-meets")
    names = {p["user"]: p["name"] for p in met.records["members-present"]}
    assert names == {cast.chair.pk: "Chair Tester", cast.member_one.pk: "a former user"}
    assert Case.objects.filter(pk=case.pk, raised_by=cast.charity_admin).exists()
