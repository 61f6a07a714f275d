"""Each rule kind against reference cases from the seed compacts.

Herefordshire: 003_d44882093ddd00d6.txt; City Together: 000_fbfad6764e4f2d7a.txt;
Leicester: 004_2de5eed66f52019d.txt.
"""

from datetime import date

import pytest

from localcompact.rulebook import (
    AllowedException,
    Clause,
    ExceptionKind,
    Excuse,
    ExcuseRefused,
    MinimumPeriod,
    Nation,
    NoticeBeforeEvent,
    Period,
    RequiredRecord,
    RespondWithin,
    RuleError,
    Status,
    Unit,
    build,
    calendar_for,
)

HEREFORD = "003_d44882093ddd00d6.txt"
CITY = "000_fbfad6764e4f2d7a.txt"
LEICESTER = "004_2de5eed66f52019d.txt"
EW = calendar_for(Nation.ENGLAND_AND_WALES)
SCOT = calendar_for(Nation.SCOTLAND)


def allowed(kind: str) -> AllowedException:
    return AllowedException(ExceptionKind(kind), "As the compact allows.")


def excuse(kind: str, reason="Council budget timetable", agreed_by="", extended_to=None):
    return Excuse(ExceptionKind(kind), reason, date(2025, 1, 6), agreed_by, extended_to)


# --- minimum_period -------------------------------------------------------------------

# Herefordshire 10.2.1: at least 12 weeks for policies and plans; shorter only by agreement.
consultation = build(
    "minimum_period",
    {"period": {"count": 12, "unit": "weeks"}, "start": "opens", "end": "closes"},
    clause=Clause(HEREFORD, "10.2.1"),
    exception=allowed("by_agreement"),
)
OPENS = date(2025, 1, 2)

# Herefordshire 11.3.1: at least one week to act on a request, ideally four; except in
# an emergency.
request_to_act = build(
    "minimum_period",
    {
        "period": {"count": 1, "unit": "weeks"},
        "ideal": {"count": 4, "unit": "weeks"},
        "start": "request-received",
        "end": "action-due",
    },
    clause=Clause(HEREFORD, "11.3.1"),
    exception=allowed("emergency"),
)
RECEIVED = date(2025, 3, 3)


def test_a_twelve_week_consultation_is_met():
    verdict = consultation.check(start=OPENS, end=date(2025, 3, 27), cal=EW)
    assert verdict.status is Status.MET
    assert verdict.due == date(2025, 3, 27)
    assert verdict.clause == Clause(HEREFORD, "10.2.1")


def test_a_consultation_a_week_short_is_missed_and_says_until_when_it_must_run():
    verdict = consultation.check(start=OPENS, end=date(2025, 3, 20), cal=EW)
    assert verdict.status is Status.MISSED
    assert verdict.explanation == (
        "Closes on 20 March 2025 but must run until at least 27 March 2025 "
        "(12 weeks; 003_d44882093ddd00d6.txt 10.2.1)."
    )


def test_a_ten_week_consultation_agreed_with_the_sector_is_excused():
    agreed = excuse("by_agreement", agreed_by="Herefordshire Voluntary Action")
    verdict = consultation.check(start=OPENS, end=date(2025, 3, 13), cal=EW, excuse=agreed)
    assert verdict.status is Status.EXCUSED
    assert verdict.excuse == agreed
    assert "excused (by agreement): Council budget timetable" in verdict.explanation


def test_a_ten_week_consultation_with_only_a_stated_reason_is_refused():
    with pytest.raises(ExcuseRefused, match="only by agreement; a stated reason is not enough"):
        consultation.check(
            start=OPENS, end=date(2025, 3, 13), cal=EW, excuse=excuse("stated_reasons")
        )


def test_a_ten_week_consultation_agreed_by_nobody_is_refused():
    with pytest.raises(ExcuseRefused, match="Say who agreed"):
        consultation.check(
            start=OPENS, end=date(2025, 3, 13), cal=EW, excuse=excuse("by_agreement")
        )


def test_a_shorter_consultation_with_a_blank_reason_is_refused():
    blank = excuse("by_agreement", reason="", agreed_by="HVA")
    with pytest.raises(ExcuseRefused, match="cannot be blank"):
        consultation.check(start=OPENS, end=date(2025, 3, 13), cal=EW, excuse=blank)


def test_five_days_to_act_is_missed():
    verdict = request_to_act.check(start=RECEIVED, end=date(2025, 3, 8), cal=EW)
    assert verdict.status is Status.MISSED
    assert verdict.due == date(2025, 3, 10)


def test_five_days_to_act_with_a_stated_reason_is_refused_as_it_is_not_an_emergency():
    with pytest.raises(ExcuseRefused, match="only in an emergency; a stated reason is not enough"):
        request_to_act.check(
            start=RECEIVED, end=date(2025, 3, 8), cal=EW, excuse=excuse("stated_reasons")
        )


def test_five_days_to_act_in_an_emergency_is_excused():
    flood = excuse("emergency", reason="Flooding in Hereford")
    verdict = request_to_act.check(start=RECEIVED, end=date(2025, 3, 8), cal=EW, excuse=flood)
    assert verdict.status is Status.EXCUSED


def test_one_week_to_act_is_met_but_short_of_the_ideal_four():
    verdict = request_to_act.check(start=RECEIVED, end=date(2025, 3, 10), cal=EW)
    assert verdict.status is Status.MET
    assert verdict.explanation == (
        "Action due on 10 March 2025: meets the minimum of 1 week but is short of the ideal "
        "of 4 weeks, which would run until 31 March 2025 (003_d44882093ddd00d6.txt 11.3.1)."
    )


def test_four_weeks_to_act_meets_the_ideal():
    verdict = request_to_act.check(start=RECEIVED, end=date(2025, 3, 31), cal=EW)
    assert verdict.status is Status.MET
    assert "ideal" not in verdict.explanation
    assert request_to_act.earliest_end(RECEIVED, EW) == date(2025, 3, 10)


# City Together consultation code 2: a best-practice 12 weeks, with reasons when shorter.
city_consultation = build(
    "minimum_period",
    {"period": {"count": 12, "unit": "weeks"}, "start": "opens", "end": "closes"},
    clause=Clause(CITY, "Consultation and engagement 2"),
    exception=allowed("stated_reasons"),
)


def test_an_eight_week_city_consultation_with_reasons_given_is_excused():
    urgent = excuse("stated_reasons", reason="Government guidance sets a shorter timescale")
    verdict = city_consultation.check(start=OPENS, end=date(2025, 2, 27), cal=EW, excuse=urgent)
    assert verdict.status is Status.EXCUSED


def test_an_eight_week_city_consultation_claiming_agreement_instead_of_reasons_is_refused():
    with pytest.raises(ExcuseRefused, match="only with stated reasons; an agreement is not"):
        city_consultation.check(
            start=OPENS,
            end=date(2025, 2, 27),
            cal=EW,
            excuse=excuse("by_agreement", agreed_by="CVS"),
        )


# --- notice_before_event ----------------------------------------------------------------

# Herefordshire 11.2.1: at least four weeks' notice of meetings; no exception.
meeting_notice = build(
    "notice_before_event",
    {"notice": {"count": 4, "unit": "weeks"}, "event": "meeting"},
    clause=Clause(HEREFORD, "11.2.1"),
    exception=None,
)
MEETING = date(2025, 3, 27)  # latest notice: Thursday 27 February 2025


@pytest.mark.parametrize(
    ("given_on", "today", "status", "explanation"),
    [
        (
            date(2025, 2, 20),
            date(2025, 2, 20),
            Status.MET,
            "Notice given on 20 February 2025, by 27 February 2025",
        ),
        (
            date(2025, 3, 6),
            date(2025, 3, 6),
            Status.MET_LATE,
            "Notice given on 6 March 2025, after 27 February 2025",
        ),
        (None, date(2025, 2, 28), Status.MISSED, "No notice given by 27 February 2025"),
        (None, date(2025, 2, 24), Status.DUE_SOON, "Give notice by 27 February 2025"),
        (None, date(2025, 2, 10), Status.NOT_YET_DUE, "Give notice by 27 February 2025"),
    ],
)
def test_four_weeks_notice_of_a_meeting(given_on, today, status, explanation):
    verdict = meeting_notice.check(event_date=MEETING, given_on=given_on, today=today, cal=EW)
    assert verdict.status is status
    assert verdict.due == date(2025, 2, 27)
    assert verdict.explanation == (
        f"{explanation} (4 weeks before the meeting on 27 March 2025; "
        "003_d44882093ddd00d6.txt 11.2.1)."
    )


def test_short_notice_of_a_meeting_cannot_be_excused_where_no_exception_is_allowed():
    with pytest.raises(ExcuseRefused, match="allows no exception"):
        meeting_notice.check(
            event_date=MEETING,
            given_on=date(2025, 3, 20),
            today=date(2025, 3, 20),
            cal=EW,
            excuse=excuse("emergency"),
        )


# Herefordshire 9.2.2: information four weeks before required action (here: "where not
# possible" is the exception, to show an excused late notice).
informing = build(
    "notice_before_event",
    {"notice": {"count": 4, "unit": "weeks"}, "event": "required-action"},
    clause=Clause(HEREFORD, "9.2.2"),
    exception=allowed("where_not_possible"),
)


def test_late_information_is_excused_where_it_was_not_possible_sooner():
    verdict = informing.check(
        event_date=date(2025, 3, 27),
        given_on=date(2025, 3, 13),
        today=date(2025, 3, 13),
        cal=EW,
        excuse=excuse("where_not_possible", reason="Government announced it on 12 March"),
    )
    assert verdict.status is Status.EXCUSED
    assert verdict.explanation.startswith(
        "Notice given on 13 March 2025, after 27 February 2025; excused (not possible): "
        "Government announced it on 12 March (4 weeks before the required action"
    )


# Leicester annex B q: funding confirmed two months before a project starts, if possible.
funding_confirmed = build(
    "notice_before_event",
    {"notice": {"count": 2, "unit": "months"}, "event": "project-start"},
    clause=Clause(LEICESTER, "B q"),
    exception=allowed("where_not_possible"),
)


def test_funding_must_be_confirmed_two_months_before_a_project_starts():
    assert funding_confirmed.latest_notice_date(date(2025, 4, 1), EW) == date(2025, 2, 1)


# Leicester 5f: all information 10 working days before the subgroup's meeting.
papers = build(
    "notice_before_event",
    {"notice": {"count": 10, "unit": "working_days"}, "event": "subgroup-meeting"},
    clause=Clause(LEICESTER, "5f.3"),
    exception=None,
)


@pytest.mark.parametrize(
    ("cal", "latest"),
    [(EW, date(2020, 12, 24)), (SCOT, date(2020, 12, 23))],
)
def test_papers_ten_working_days_before_a_subgroup_meeting_after_christmas(cal, latest):
    assert papers.latest_notice_date(date(2021, 1, 12), cal) == latest


agreed_notice = build(
    "notice_before_event",
    {"notice": "agreed", "event": "meeting"},
    clause=Clause(HEREFORD, "11.2.3"),
    exception=None,
)


def test_an_agreed_notice_period_comes_from_the_record():
    verdict = agreed_notice.check(
        event_date=MEETING,
        given_on=None,
        today=date(2025, 3, 1),
        cal=EW,
        agreed_notice=Period(2, Unit.WEEKS),
    )
    assert verdict.due == date(2025, 3, 13)
    assert verdict.status is Status.NOT_YET_DUE


def test_an_agreed_notice_period_not_yet_recorded_is_reported_as_missing():
    verdict = agreed_notice.check(event_date=MEETING, given_on=None, today=MEETING, cal=EW)
    assert verdict.due is None
    assert verdict.missing == ("agreed notice period",)
    assert "agreed case by case" in verdict.explanation


# --- respond_within ------------------------------------------------------------------------

# Leicester 5d.2: the subgroup chair answers, naming the next stage, no later than 10
# working days after the written disagreement arrives.
chair_reply = build(
    "respond_within",
    {"limit": {"count": 10, "unit": "working_days"}, "after": "disagreement-in-writing"},
    clause=Clause(LEICESTER, "5d.2"),
    exception=None,
)
IN_WRITING = date(2020, 12, 18)  # Friday before Christmas 2020


def test_the_chairs_reply_to_a_disagreement_of_18_december_2020_is_due_on_6_january_2021():
    # 21-24 Dec (4), 29-31 Dec (3), 4-6 Jan (3): Christmas, the Boxing Day substitute and
    # New Year's Day skipped.
    assert chair_reply.due_date(IN_WRITING, EW) == date(2021, 1, 6)


def test_in_scotland_the_same_reply_is_due_a_day_later_for_the_2_january_holiday():
    assert chair_reply.due_date(IN_WRITING, SCOT) == date(2021, 1, 7)


@pytest.mark.parametrize(
    ("done_on", "today", "status"),
    [
        (date(2021, 1, 6), date(2021, 1, 6), Status.MET),
        (date(2021, 1, 7), date(2021, 1, 7), Status.MET_LATE),
        (None, date(2021, 1, 7), Status.MISSED),
        (None, date(2020, 12, 30), Status.DUE_SOON),  # 4 working days left
        (None, date(2020, 12, 18), Status.NOT_YET_DUE),
    ],
)
def test_the_chairs_reply_over_christmas_2020(done_on, today, status):
    verdict = chair_reply.check(trigger=IN_WRITING, done_on=done_on, today=today, cal=EW)
    assert verdict.status is status
    assert verdict.due == date(2021, 1, 6)
    assert verdict.explanation.endswith(
        "(10 working days after the disagreement in writing on 18 December 2020; "
        "004_2de5eed66f52019d.txt 5d.2)."
    )


def test_a_missed_reply_says_by_when_it_was_due():
    verdict = chair_reply.check(trigger=IN_WRITING, done_on=None, today=date(2021, 1, 7), cal=EW)
    assert verdict.explanation.startswith("Not done by 6 January 2021 (10 working days")


# Leicester 5e.4: mediation takes 15 working days, longer if both sides agree.
mediation = build(
    "respond_within",
    {"limit": {"count": 15, "unit": "working_days"}, "after": "mediation-agreed"},
    clause=Clause(LEICESTER, "5e.4"),
    exception=allowed("extended_by_agreement"),
)
AGREED_ON = date(2021, 3, 25)


def test_mediation_of_15_working_days_across_easter_2021():
    assert mediation.due_date(AGREED_ON, EW) == date(2021, 4, 19)


def test_mediation_extended_by_agreement_is_due_on_the_new_date():
    extension = excuse(
        "extended_by_agreement",
        reason="Mediator unavailable",
        agreed_by="both organisations",
        extended_to=date(2021, 4, 30),
    )
    verdict = mediation.check(
        trigger=AGREED_ON,
        done_on=date(2021, 4, 28),
        today=date(2021, 4, 28),
        cal=EW,
        excuse=extension,
    )
    assert verdict.status is Status.MET
    assert verdict.due == date(2021, 4, 30)
    assert verdict.excuse == extension
    assert "extended by agreement of both organisations from 19 April 2021" in (verdict.explanation)


def test_mediation_past_its_extended_date_is_missed():
    extension = excuse("extended_by_agreement", agreed_by="both", extended_to=date(2021, 4, 30))
    verdict = mediation.check(
        trigger=AGREED_ON, done_on=None, today=date(2021, 5, 4), cal=EW, excuse=extension
    )
    assert verdict.status is Status.MISSED


def test_an_extension_without_who_agreed_is_refused():
    extension = excuse("extended_by_agreement", extended_to=date(2021, 4, 30))
    with pytest.raises(ExcuseRefused, match="Say who agreed to more time"):
        mediation.check(trigger=AGREED_ON, done_on=None, today=AGREED_ON, cal=EW, excuse=extension)


def test_an_extension_to_before_the_due_date_is_refused():
    extension = excuse("extended_by_agreement", agreed_by="both", extended_to=date(2021, 4, 1))
    with pytest.raises(ExcuseRefused, match="later than the due date of 19 April 2021"):
        mediation.check(trigger=AGREED_ON, done_on=None, today=AGREED_ON, cal=EW, excuse=extension)


def test_a_late_reply_claiming_an_emergency_is_refused_where_only_extension_is_allowed():
    with pytest.raises(ExcuseRefused, match="only by an agreed extension; an emergency"):
        mediation.check(
            trigger=AGREED_ON,
            done_on=None,
            today=date(2021, 5, 4),
            cal=EW,
            excuse=excuse("emergency"),
        )


# Leicester 5d.1 with an exception to show an excused late step.
put_in_writing = build(
    "respond_within",
    {"limit": {"count": 5, "unit": "days"}, "after": "informal-talks-failed"},
    clause=Clause(LEICESTER, "5d.1"),
    exception=allowed("stated_reasons"),
)


def test_a_late_step_with_an_allowed_reason_is_excused():
    verdict = put_in_writing.check(
        trigger=date(2025, 3, 3),
        done_on=date(2025, 3, 12),
        today=date(2025, 3, 12),
        cal=EW,
        excuse=excuse("stated_reasons", reason="Trustees met on 11 March"),
    )
    assert verdict.status is Status.EXCUSED
    assert verdict.due == date(2025, 3, 8)


agreed_limit = RespondWithin(limit=None, after="request", clause=Clause(LEICESTER, "5f"))


def test_an_agreed_limit_takes_its_due_date_from_the_record():
    verdict = agreed_limit.check(
        trigger=date(2025, 3, 3),
        done_on=None,
        today=date(2025, 3, 4),
        cal=EW,
        agreed_due=date(2025, 3, 5),
    )
    assert verdict.status is Status.DUE_SOON
    assert verdict.due == date(2025, 3, 5)
    no_date = agreed_limit.check(
        trigger=date(2025, 3, 3), done_on=None, today=date(2025, 3, 4), cal=EW
    )
    assert no_date.missing == ("agreed due date",)


# --- required_record --------------------------------------------------------------------

# Herefordshire 11.2.4: what a group's terms of reference include.
terms_of_reference = build(
    "required_record",
    {
        "fields": ["aims", "authority", "decision-method", "finality", "member-roles", "quorum"],
        "by": "group-convenor",
    },
    clause=Clause(HEREFORD, "11.2.4"),
    exception=None,
)
FULL_TERMS = {
    "aims": "Plan the county's voluntary sector strategy",
    "authority": "Advises the cabinet",
    "decision-method": "Consensus, else majority vote",
    "finality": "Recommendations only",
    "member-roles": ["chair: voting", "officers: advising"],
    "quorum": 5,
}


def test_terms_of_reference_stating_everything_are_met():
    verdict = terms_of_reference.check(FULL_TERMS)
    assert verdict.status is Status.MET
    assert verdict.missing == ()


def test_terms_of_reference_without_a_decision_method_or_quorum_say_what_to_add():
    record = {**FULL_TERMS, "decision-method": "  "}
    del record["quorum"]
    verdict = terms_of_reference.check(record)
    assert verdict.status is Status.MISSED
    assert verdict.missing == ("decision-method", "quorum")
    assert verdict.explanation == (
        "Does not yet state the decision method and quorum (003_d44882093ddd00d6.txt 11.2.4)."
    )


def test_a_record_may_name_its_fields_with_underscores():
    record = {key.replace("-", "_"): value for key, value in FULL_TERMS.items()}
    record["member_roles"] = []
    assert terms_of_reference.check(record).missing == ("member-roles",)


# --- build ------------------------------------------------------------------------------


def test_build_makes_the_rule_the_standard_names():
    assert isinstance(consultation, MinimumPeriod)
    assert isinstance(meeting_notice, NoticeBeforeEvent)
    assert isinstance(chair_reply, RespondWithin)
    assert isinstance(terms_of_reference, RequiredRecord)
    assert chair_reply.due_soon_working_days == 5


@pytest.mark.parametrize(
    ("rule", "params", "path", "message"),
    [
        ("deadline", {}, ("rule",), "Unknown rule kind 'deadline'"),
        (
            "minimum_period",
            {"period": {"count": 12, "unit": "fortnights"}, "start": "opens", "end": "closes"},
            ("params", "period", "unit"),
            "unit must be one of",
        ),
        (
            "minimum_period",
            {"period": "agreed", "start": "opens", "end": "closes"},
            ("params", "period"),
            "count and a unit",
        ),
        (
            "minimum_period",
            {"period": {"count": 1, "unit": "weeks"}, "start": "opens"},
            ("params", "end"),
            "needs 'end'",
        ),
        (
            "minimum_period",
            {
                "period": {"count": 4, "unit": "weeks"},
                "ideal": {"count": 1, "unit": "weeks"},
                "start": "a",
                "end": "b",
            },
            ("params", "ideal", "count"),
            "shorter than the minimum",
        ),
        (
            "notice_before_event",
            {"notice": "agreed", "event": "Meeting"},
            ("params", "event"),
            "slug",
        ),
        (
            "respond_within",
            {"limit": "agreed", "after": "x", "within": 3},
            ("params", "within"),
            "Unknown param 'within'",
        ),
        ("required_record", {"fields": []}, ("params", "fields"), "at least one"),
        ("required_record", {"fields": ["aims", "Aims"]}, ("params", "fields", 1), "slug"),
        ("seat_quotas", {"body": "steering-group", "seats": 3}, ("params", "seats"), "Unknown"),
    ],
)
def test_bad_params_are_refused_with_where_and_why(rule, params, path, message):
    with pytest.raises(RuleError, match=message) as caught:
        build(rule, params, clause=Clause(HEREFORD, "1"), exception=None)
    assert caught.value.path == path


def test_a_negative_due_soon_window_is_refused():
    with pytest.raises(RuleError) as caught:
        build(
            "required_record",
            {"fields": ["aims"]},
            clause=Clause(HEREFORD, "1"),
            exception=None,
            due_soon_working_days=-1,
        )
    assert caught.value.path == ("due_soon_working_days",)
