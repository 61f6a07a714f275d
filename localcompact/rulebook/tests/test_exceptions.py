"""The exceptions a standard allows, and the excuses it refuses."""

from datetime import date

import pytest

from localcompact.rulebook import (
    AllowedException,
    Clause,
    ExceptionKind,
    Excuse,
    ExcuseRefused,
    RuleError,
    check_excuse,
)

HEREFORD_10_2_1 = Clause("003_d44882093ddd00d6.txt", "10.2.1")
BY_AGREEMENT = AllowedException(ExceptionKind.BY_AGREEMENT, "A shorter period may be agreed.")
ON = date(2025, 1, 6)


def refusal(excuse, allowed=BY_AGREEMENT, **kwargs) -> str:
    with pytest.raises(ExcuseRefused) as caught:
        check_excuse(excuse, allowed, HEREFORD_10_2_1, **kwargs)
    assert caught.value.clause == HEREFORD_10_2_1
    return caught.value.message


def test_the_schema_kinds_are_exactly_these():
    assert [k.value for k in ExceptionKind] == [
        "stated_reasons",
        "by_agreement",
        "where_legally_impossible",
        "where_not_possible",
        "emergency",
        "stated_at_start",
        "extended_by_agreement",
    ]


def test_an_agreement_naming_who_agreed_is_permitted():
    excuse = Excuse(ExceptionKind.BY_AGREEMENT, "Budget timetable", ON, agreed_by="HVOSS")
    assert check_excuse(excuse, BY_AGREEMENT, HEREFORD_10_2_1) is excuse


def test_a_stated_reason_is_not_enough_where_agreement_is_required():
    excuse = Excuse(ExceptionKind.STATED_REASONS, "Budget timetable", ON)
    assert refusal(excuse, what="a shorter period") == (
        "This standard (003_d44882093ddd00d6.txt 10.2.1) allows a shorter period only by "
        "agreement; a stated reason is not enough."
    )


def test_no_excuse_is_permitted_where_the_standard_allows_no_exception():
    excuse = Excuse(ExceptionKind.EMERGENCY, "Flood", ON)
    assert refusal(excuse, allowed=None) == (
        "This standard (003_d44882093ddd00d6.txt 10.2.1) allows no exception; "
        "it must be met as written."
    )


def test_a_blank_reason_is_refused():
    excuse = Excuse(ExceptionKind.BY_AGREEMENT, "   ", ON, agreed_by="HVOSS")
    assert "cannot be blank" in refusal(excuse)


def test_an_agreement_without_who_agreed_is_refused():
    excuse = Excuse(ExceptionKind.BY_AGREEMENT, "Budget timetable", ON)
    assert refusal(excuse, what="a shorter period") == (
        "Say who agreed to a shorter period (003_d44882093ddd00d6.txt 10.2.1); this standard "
        "allows it only by agreement."
    )


def test_an_extension_without_its_new_date_is_refused():
    allowed = AllowedException(ExceptionKind.EXTENDED_BY_AGREEMENT, "Both sides may agree.")
    excuse = Excuse(ExceptionKind.EXTENDED_BY_AGREEMENT, "Mediator ill", ON, agreed_by="both")
    assert "Give the date the deadline was extended to" in refusal(excuse, allowed)


def test_the_allowed_exception_is_read_from_the_definition():
    data = {"kind": "emergency", "summary": "Except in an emergency."}
    assert AllowedException.parse(data) == AllowedException(
        ExceptionKind.EMERGENCY, "Except in an emergency."
    )
    assert AllowedException.parse(None) is None
    with pytest.raises(RuleError) as caught:
        AllowedException.parse({"kind": "force_majeure", "summary": "x"})
    assert caught.value.path == ("exception", "kind")
