"""The partnership services against the Herefordshire code (003, sections 11 and 12)."""

import datetime as dt
from pathlib import Path

import pytest

from localcompact.obligations.models import Obligation, Status
from localcompact.partnerships import services
from localcompact.partnerships.models import GroupEvent, Meeting, Nomination
from localcompact.partnerships.services import Refused
from localcompact.partnerships.sources import FOI_WORKING_DAYS, standard_for

from .factories import TODAY, at, complete_terms, held, meeting

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def obligations_of(source):
    from django.contrib.contenttypes.models import ContentType

    return {
        o.key: o
        for o in Obligation.objects.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )
    }


# Terms of reference -------------------------------------------------------------------


def test_a_new_group_owes_complete_terms_of_reference(cast):
    group = services.group_create(
        compact=cast.compact,
        convener=cast.council,
        name="Youth forum",
        kind="forum",
        set_up_on=TODAY,
        by=cast.officer,
        today=TODAY,
    )
    assert not group.terms_complete
    verdict = services.terms_verdict(group)
    assert verdict.status.value == "missed"
    assert "11.2.4" in verdict.explanation and "quorum" in verdict.explanation
    (obligation,) = obligations_of(group).values()
    assert obligation.standard.ident == "terms-of-reference-contents"
    assert obligation.owed_by == cast.council
    assert obligation.due_on == TODAY


def test_terms_become_complete_with_every_part_and_the_obligation_is_met(cast):
    group = cast.group
    assert group.terms_complete
    obligation = obligations_of(group)["terms-of-reference"]
    assert obligation.status == Status.MET_LATE  # completed a day after the group was set up
    assert set(obligation.owed_to.all()) == {cast.trust}


def test_overturnable_decisions_must_say_where(cast):
    with pytest.raises(Refused, match="where the group's decisions can be overturned"):
        complete_terms(cast.group, cast.officer, overturned_where="")


def test_a_quorum_larger_than_the_voting_members_is_refused(cast):
    with pytest.raises(Refused, match="cannot be more than the 2 voting members"):
        complete_terms(cast.group, cast.officer, quorum=3)


def test_removing_a_part_makes_the_terms_incomplete_again(cast):
    complete_terms(cast.group, cast.officer, quorum=None)
    cast.group.refresh_from_db()
    assert not cast.group.terms_complete
    assert GroupEvent.objects.filter(group=cast.group, kind="terms.incomplete").exists()


def test_a_decision_making_meeting_needs_complete_terms(cast):
    complete_terms(cast.group, cast.officer, aims_and_tasks="")
    with pytest.raises(Refused, match="needs complete terms of reference"):
        meeting(cast, days=40)
    advisory = meeting(cast, days=40, decision_making=False)
    assert advisory.pk


def test_an_adviser_cannot_vote(cast):
    with pytest.raises(Refused, match="advisory member cannot have a vote"):
        services.member_add(
            group=cast.group,
            organisation=cast.trust,
            name="A",
            role="advisory",
            voting=True,
            represents="own_organisation",
            constituency="",
            joined_on=TODAY,
            by=cast.officer,
            today=TODAY,
        )


def test_a_wider_constituency_must_be_named(cast):
    with pytest.raises(Refused, match="wider constituency"):
        services.member_add(
            group=cast.group,
            organisation=cast.trust,
            name="A",
            role="decision_making",
            voting=True,
            represents="wider_constituency",
            constituency=" ",
            joined_on=TODAY,
            by=cast.officer,
            today=TODAY,
        )


def test_a_member_s_role_changes_but_not_below_the_quorum(cast):
    with pytest.raises(Refused, match="fewer than its quorum of 2"):
        services.member_change(
            member=cast.members["trust"],
            role="advisory",
            voting=False,
            represents="own_organisation",
            constituency="",
            by=cast.officer,
            today=TODAY,
        )
    member = services.member_change(
        member=cast.members["adviser"],
        role="decision_making",
        voting=True,
        represents="wider_constituency",
        constituency="Carers' groups",
        by=cast.officer,
        today=TODAY,
    )
    assert member.voting and member.represents_text == "Carers' groups"


def test_a_voting_member_cannot_leave_below_the_quorum(cast):
    with pytest.raises(Refused, match="fewer than its quorum of 2"):
        services.member_leave(
            member=cast.members["trust"], left_on=TODAY, by=cast.officer, today=TODAY
        )


# Nominations ---------------------------------------------------------------------------------


def test_only_an_infrastructure_body_is_asked_to_nominate(cast):
    with pytest.raises(Refused, match="not registered as a voluntary sector infrastructure"):
        services.nomination_request(
            group=cast.group,
            infrastructure_body=cast.trust,
            constituency="Older people's groups",
            role_description="Speak for them",
            by=cast.officer,
            today=TODAY,
        )


def test_a_nomination_records_the_role_and_term_and_seats_the_representative(cast):
    nomination = services.nomination_request(
        group=cast.group,
        infrastructure_body=cast.infra,
        constituency="Older people's groups",
        role_description="Bring their views and report back.",
        by=cast.officer,
        today=TODAY,
    )
    nomination = services.nomination_record(
        nomination=nomination,
        nominee_name="Nia Nominee",
        term_starts_on=TODAY,
        term_ends_on=TODAY + 365 * DAY,
        voting=True,
        by=cast.officer,
        today=TODAY,
    )
    assert nomination.status == Nomination.Status.NOMINATED
    member = nomination.member
    assert member.represents_text == "Older people's groups"
    assert member.organisation == cast.infra
    with pytest.raises(Refused, match="already been made"):
        services.nomination_record(
            nomination=nomination,
            nominee_name="Again",
            term_starts_on=TODAY,
            term_ends_on=TODAY + DAY,
            voting=False,
            by=cast.officer,
            today=TODAY,
        )


# Calendar and notice ---------------------------------------------------------------------


def test_the_year_s_dates_are_owed_before_the_year_starts(cast):
    calendar = services.calendar_create(
        group=cast.group, year_kind="financial", year=2026, by=cast.officer, today=TODAY
    )
    assert (calendar.starts_on, calendar.ends_on) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    obligation = obligations_of(calendar)["calendar"]
    assert obligation.due_on == dt.date(2026, 3, 31)  # the definition's one day before
    with pytest.raises(Refused, match="Add the year's meetings"):
        services.calendar_publish(calendar=calendar, by=cast.officer, today=TODAY)
    meeting(cast, days=40)
    services.calendar_publish(calendar=calendar, by=cast.officer, today=TODAY)
    obligation.refresh_from_db()
    assert obligation.status == Status.MET
    with pytest.raises(Refused, match="already has a calendar"):
        services.calendar_create(
            group=cast.group, year_kind="calendar", year=2026, by=cast.officer, today=TODAY
        )


def test_notice_is_owed_four_weeks_ahead_by_the_definition(cast):
    m = meeting(cast, days=40)
    standard = standard_for(cast.compact, "notice")
    weeks = standard.params["notice"]["count"]
    obligation = obligations_of(m)["notice"]
    assert obligation.due_on == m.date - dt.timedelta(weeks=weeks)
    assert obligation.owed_by == cast.council
    services.meeting_give_notice(
        meeting=m, given_on=TODAY, short_reason="", by=cast.officer, today=TODAY
    )
    obligation.refresh_from_db()
    assert obligation.status == Status.MET
    assert not services.notice_is_short(Meeting.objects.get(pk=m.pk))


def test_three_weeks_notice_needs_a_reason_and_shows_as_short(cast):
    m = meeting(cast, days=21)
    with pytest.raises(Refused, match="shorter than the 4 weeks") as refused:
        services.meeting_give_notice(
            meeting=m, given_on=TODAY, short_reason="", by=cast.officer, today=TODAY
        )
    assert "11.2.1" in refused.value.message
    services.meeting_give_notice(
        meeting=m,
        given_on=TODAY,
        short_reason="The budget consultation closes early.",
        by=cast.officer,
        today=TODAY,
    )
    m.refresh_from_db()
    assert services.notice_is_short(m)
    assert obligations_of(m)["notice"].status == Status.MET_LATE


# Papers ------------------------------------------------------------------------------------


def test_papers_sent_in_advance_and_a_tabled_paper_counted_and_excused(cast):
    m = meeting(cast, days=10)
    sent = services.paper_add(
        meeting=m,
        title="Budget report",
        item=None,
        sent_on=TODAY,
        tabled=False,
        tabled_reason="",
        sensitivity="",
        embargo_until=None,
        by=cast.officer,
        today=TODAY,
    )
    with pytest.raises(Refused, match="Tabling papers is to be avoided"):
        services.paper_add(
            meeting=m,
            title="Late note",
            item=None,
            sent_on=None,
            tabled=True,
            tabled_reason="",
            sensitivity="",
            embargo_until=None,
            by=cast.officer,
            today=TODAY,
        )
    tabled = services.paper_add(
        meeting=m,
        title="Late note",
        item=None,
        sent_on=None,
        tabled=True,
        tabled_reason="Figures arrived that morning.",
        sensitivity="",
        embargo_until=None,
        by=cast.officer,
        today=TODAY,
    )
    found = obligations_of(m)
    assert found[f"paper-{sent.pk}"].status == Status.MET
    assert found[f"paper-{tabled.pk}"].status == Status.EXCUSED
    assert m.papers.filter(tabled=True).count() == 1


# Attendance, quorum, decisions ----------------------------------------------------------------


def test_an_inquorate_meeting_cannot_record_decisions(cast):
    m = held(cast, meeting(cast, days=0), present=("chair", "adviser"))
    result = services.quorum_of(m)
    assert (result["voting_present"], result["quorum"], result["quorate"]) == (1, 2, False)
    with pytest.raises(Refused, match="inquorate"):
        services.decision_record(
            meeting=m,
            item=None,
            text="Adopt the plan",
            method="consensus",
            votes_for=None,
            votes_against=None,
            abstentions=None,
            by=cast.officer,
            today=TODAY,
        )


def test_a_quorate_meeting_records_a_vote_with_its_counts_and_an_objection(cast):
    m = held(cast, meeting(cast, days=0))
    with pytest.raises(Refused, match="only 2 voting members"):
        services.decision_record(
            meeting=m,
            item=None,
            text="Adopt the plan",
            method="majority",
            votes_for=2,
            votes_against=1,
            abstentions=0,
            by=cast.officer,
            today=TODAY,
        )
    decision = services.decision_record(
        meeting=m,
        item=None,
        text="Adopt the plan",
        method="majority",
        votes_for=1,
        votes_against=1,
        abstentions=None,
        by=cast.officer,
        today=TODAY,
    )
    assert decision.carried is False
    with pytest.raises(Refused, match="represented outside the meeting.*11.2.8"):
        services.objection_record(
            decision=decision,
            member=cast.members["trust"],
            objection="Too fast",
            how_represented="",
            by=cast.officer,
            today=TODAY,
        )
    services.objection_record(
        decision=decision,
        member=cast.members["trust"],
        objection="Too fast",
        how_represented="The trust will say so to its members.",
        by=cast.officer,
        today=TODAY,
    )
    assert decision.objections.count() == 1


def test_approved_minutes_lock_the_meeting_s_record(cast):
    m = held(cast, meeting(cast, days=0))
    with pytest.raises(Refused, match="Only draft minutes"):
        services.minutes_approve(meeting=m, by=cast.officer, today=TODAY)
    services.minutes_save(meeting=m, minutes="We met.", by=cast.officer, today=TODAY)
    services.minutes_approve(meeting=m, by=cast.officer, today=TODAY)
    with pytest.raises(Refused, match="minutes of this meeting are approved"):
        services.decision_record(
            meeting=m,
            item=None,
            text="Late",
            method="consensus",
            votes_for=None,
            votes_against=None,
            abstentions=None,
            by=cast.officer,
            today=TODAY,
        )


def test_a_declaration_is_recorded_per_item(cast):
    m = meeting(cast, days=0)
    item = services.item_add(
        meeting=m,
        title="Grants",
        description="",
        sensitivity="",
        embargo_until=None,
        by=cast.officer,
        today=TODAY,
    )
    declaration = services.declaration_record(
        item=item,
        member=cast.members["trust"],
        interest="The trust applied for a grant",
        participation="left_room",
        by=cast.officer,
        today=TODAY,
    )
    assert declaration.get_participation_display() == "Left the room"


def test_an_electronic_decision_is_refused_until_every_partner_confirms_access(cast):
    kwargs = dict(
        group=cast.group,
        text="Approve the newsletter",
        means="email",
        method="consensus",
        votes_for=None,
        votes_against=None,
        abstentions=None,
        decided_on=TODAY,
        by=cast.officer,
        today=TODAY,
    )
    services.access_confirm(member=cast.members["chair"], by=cast.officer, today=TODAY)
    with pytest.raises(Refused, match="Not every partner has confirmed access.*11.2.9") as refused:
        services.decision_record_electronic(**kwargs)
    assert "Trust Person" in refused.value.message and "Chair Person" not in refused.value.message
    assert GroupEvent.objects.filter(group=cast.group, kind="decision.refused").count() == 1
    assert not cast.group.decisions.exists()
    for key in ("trust", "adviser"):
        services.access_confirm(member=cast.members[key], by=cast.officer, today=TODAY)
    decision = services.decision_record_electronic(**kwargs)
    assert decision.means == "email"


# Requests to act -------------------------------------------------------------------------------


def request(cast, *, days, emergency=False, reason=""):
    return services.request_make(
        compact=cast.compact,
        group=cast.group,
        from_organisation=cast.council,
        to_organisation=cast.trust,
        title="Send the user survey",
        details="Please.",
        received_on=TODAY,
        action_due_on=TODAY + days * DAY,
        emergency=emergency,
        emergency_reason=reason,
        by=cast.officer,
        today=TODAY,
    )


def test_a_request_to_act_at_five_days_is_refused_unless_an_emergency(cast):
    with pytest.raises(Refused, match="Too little time to act.*11.3.1"):
        request(cast, days=5)
    with pytest.raises(Refused, match="what the emergency is"):
        request(cast, days=5, emergency=True)
    made = request(cast, days=5, emergency=True, reason="The flood shelter opens tomorrow.")
    obligation = obligations_of(made)["act"]
    assert obligation.owed_by == cast.trust
    assert list(obligation.owed_to.all()) == [cast.council]
    assert obligation.due_on == TODAY + 5 * DAY


def test_a_week_is_enough_but_short_of_the_ideal(cast):
    verdict = services.request_check(
        compact=cast.compact, received_on=TODAY, action_due_on=TODAY + 7 * DAY
    )
    assert verdict.status.value == "met" and "short of the ideal of 4 weeks" in verdict.explanation
    made = request(cast, days=7)
    services.request_done(
        request=made, done_on=TODAY, note="Sent.", by=cast.user("partner"), today=TODAY
    )
    assert obligations_of(made)["act"].status == Status.MET


# Confidentiality and FOI --------------------------------------------------------------------


def test_consent_is_asked_and_decided_or_recorded_as_a_legal_requirement(cast):
    consent = services.consent_ask(
        compact=cast.compact,
        holder=cast.council,
        about=cast.trust,
        information="Its monitoring returns",
        recipient="The health trust",
        legal_basis="",
        by=cast.officer,
        today=TODAY,
    )
    assert consent.status == "asked"
    services.consent_decide(
        consent=consent, give=False, note="Not yet", by=cast.user("partner"), today=TODAY
    )
    with pytest.raises(Refused, match="already been decided"):
        services.consent_decide(
            consent=consent, give=True, note="", by=cast.user("partner"), today=TODAY
        )
    legal = services.consent_ask(
        compact=cast.compact,
        holder=cast.council,
        about=cast.trust,
        information="Accounts",
        recipient="The police",
        legal_basis="A court order",
        by=cast.officer,
        today=TODAY,
    )
    assert legal.status == "legal"


def test_an_foi_request_is_due_in_twenty_working_days_and_keeps_comment_and_decision(cast):
    foi = services.foi_record(
        compact=cast.compact,
        public_body=cast.council,
        organisation=cast.trust,
        reference="FOI-1",
        request_summary="Grant reports",
        material="The trust's reports",
        received_on=TODAY,
        by=cast.officer,
        today=TODAY,
    )
    calendar = cast.compact.current_version.calendar
    assert foi.disclosure_due_on == calendar.add_working_days(TODAY, FOI_WORKING_DAYS)
    assert foi.disclosure_due_on == dt.date(2026, 4, 1)
    services.foi_comment(
        foi=foi,
        comment="Names of clients must not be disclosed",
        by=cast.user("partner"),
        today=TODAY,
    )
    services.foi_decide(
        foi=foi, outcome="part", reasons="Client names removed", by=cast.officer, today=TODAY
    )
    foi.refresh_from_db()
    assert foi.comment and foi.outcome == "part"
    with pytest.raises(Refused, match="already decided"):
        services.foi_comment(foi=foi, comment="More", by=cast.user("partner"), today=TODAY)


def test_a_withheld_information_report_is_kept_for_the_support_team(cast):
    report = services.withheld_report(
        compact=cast.compact,
        group=cast.group,
        reported_by=cast.trust,
        about=cast.council,
        information="The closure date",
        risk="Staff contracts",
        by=cast.user("partner"),
        today=TODAY,
    )
    services.withheld_consider(
        report=report, outcome="Raised with the council", by=cast.user("support"), today=TODAY
    )
    report.refresh_from_db()
    assert report.considered_on == TODAY


def test_meeting_times_are_kept_as_given(cast):
    m = meeting(cast, days=3)
    assert m.starts_at == at(TODAY + 3 * DAY)


def test_the_foi_request_is_an_obligation_dated_by_the_compact_s_own_standard(cast, tmp_path):
    """Herefordshire's definition dates the comment before disclosure (12.3, second) by
    the Act's 20 working days; a definition that changes the limit (here a copy of
    Herefordshire's with 15) changes the due date, with no change of code."""
    import yaml
    from django.conf import settings
    from django.utils import timezone

    from localcompact.compacts.loader import read_definition
    from localcompact.compacts.services import compact_load

    kwargs = dict(
        public_body=cast.council,
        organisation=cast.trust,
        reference="F",
        request_summary="S",
        material="M",
        received_on=TODAY,
        by=cast.officer,
        today=TODAY,
    )
    calendar = cast.compact.current_version.calendar
    before = services.foi_record(compact=cast.compact, **kwargs)
    assert obligations_of(before)["disclosure"].due_on == calendar.add_working_days(TODAY, 20)

    source = Path(settings.COMPACT_DEFINITIONS_DIR) / "herefordshire.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    [standard] = [s for s in data["standards"] if s["id"] == "foi-comment-before-disclosure"]
    standard["params"]["limit"]["count"] = 15
    path = tmp_path / "herefordshire.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    compact_load(definition=read_definition(path), now=timezone.now())
    cast.compact.refresh_from_db()
    after = services.foi_record(compact=cast.compact, **kwargs)
    assert after.disclosure_due_on == calendar.add_working_days(TODAY, 15)
    obligation = obligations_of(after)["disclosure"]
    assert obligation.owed_by == cast.council and list(obligation.owed_to.all()) == [cast.trust]
    services.foi_decide(
        foi=after, outcome="disclosed", reasons="Nothing sensitive", by=cast.officer, today=TODAY
    )
    obligation.refresh_from_db()
    assert obligation.status == Status.MET
