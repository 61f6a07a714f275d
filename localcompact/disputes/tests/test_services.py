"""Raising a case and taking its steps: what each service does and each refusal says."""

import datetime as dt
import logging
import threading

import pytest
from django.conf import settings
from django.db import connections

from localcompact.disputes import services
from localcompact.disputes.models import Case, CaseDocument, CaseEvent, CaseParty
from localcompact.obligations.models import Obligation, Status
from localcompact.organisations.models import CompactRole, CompactRoleKind, Signature

from .conftest import TODAY, make_cast, raise_leicester, refusal, step, to_appeal


@pytest.fixture
def audit_records(caplog):
    caplog.set_level(logging.INFO, logger="localcompact.audit")
    return lambda: [r.event for r in caplog.records if r.name == "localcompact.audit"]


def obligations(case):
    return {
        (o.standard.ident, o.owed_by.name if o.owed_by else o.owed_by_role): (o.due_on, o.status)
        for o in Obligation.objects.filter(source_id=case.pk).select_related("standard", "owed_by")
        if o.source_type.model == "case"
    }


class TestRaising:
    def test_a_signatory_raises_a_case_at_the_procedures_first_state(self, cast, audit_records):
        case = raise_leicester(cast)
        assert case.reference == "LEI-2026-0001"
        assert case.state == "informal-attempt-failed"
        assert [(p.organisation, p.side) for p in case.parties.all()] == [
            (cast.charity, "raising"),
            (cast.council, "answering"),
        ]
        assert case.events.get().kind == CaseEvent.Kind.OPENED
        assert "dispute.raised" in audit_records()

    def test_more_than_two_parties_may_be_involved(self, cast):
        case = raise_leicester(cast, others=[cast.council, cast.trust])
        assert case.parties.count() == 3

    def test_an_organisation_that_has_not_signed_cannot_use_leicesters_procedure(self, cast):
        refused = refusal(raise_leicester, cast=cast, others=[cast.club])
        assert refused.code == "not_signatory"
        assert refused.message.startswith("Lone Street Club is not a current signatory")
        assert not Case.objects.exists()

    def test_an_organisation_that_withdrew_its_signature_cannot_use_it(self, cast):
        Signature.objects.filter(organisation=cast.council, compact=cast.leicester).update(
            withdrawn_on=dt.date(2026, 1, 1)
        )
        assert refusal(raise_leicester, cast=cast).code == "not_signatory"

    def test_a_contract_dispute_is_pointed_to_the_contracts_own_terms(self, cast):
        refused = refusal(
            services.case_raise,
            compact=cast.leicester,
            organisation=cast.charity,
            others=[cast.council],
            about="contract-disputes",
            title="Late payment",
            opening={"informal-failure": TODAY},
            by=cast.charity_admin,
            today=TODAY,
        )
        assert refused.code == "excluded"
        assert "contract's own terms" in refused.message

    def test_a_complaint_is_pointed_to_the_organisations_complaints_procedure(self, cast):
        refused = refusal(
            services.case_raise,
            compact=cast.leicester,
            organisation=cast.charity,
            others=[cast.council],
            about="complaints",
            title="Rude reply",
            opening={"informal-failure": TODAY},
            by=cast.charity_admin,
            today=TODAY,
        )
        assert "complaints procedure" in refused.message

    def test_only_an_officer_of_the_organisation_raises_for_it(self, cast):
        refused = refusal(raise_leicester, cast=cast, by=cast.charity_member)
        assert refused.field == "organisation"

    def test_the_date_informal_attempts_failed_is_required(self, cast):
        refused = refusal(
            services.case_raise,
            compact=cast.leicester,
            organisation=cast.charity,
            others=[cast.council],
            about="compact",
            title="A disagreement",
            opening={},
            by=cast.charity_admin,
            today=TODAY,
        )
        assert refused.field == "informal-failure"


class TestSteps:
    def test_each_party_owes_the_written_disagreement_within_five_days(self, cast):
        case = raise_leicester(cast, informal_failure=dt.date(2026, 2, 27))
        assert obligations(case) == {
            ("disagreement-put-in-writing", "Northfield Community Action"): (
                dt.date(2026, 3, 4),
                Status.DUE_SOON,
            ),
            ("disagreement-put-in-writing", "Northfield Council"): (
                dt.date(2026, 3, 4),
                Status.DUE_SOON,
            ),
        }

    def test_a_step_out_of_order_is_refused_saying_what_can_happen_next(self, cast):
        case = raise_leicester(cast)
        refused = refusal(step, case=case, move="chair-proposes-mediation", by=cast.chair)
        # the chair does not see the case before it is put in writing to the subgroup
        assert refused.message == "You are not involved in this case"
        refused = refusal(step, case=case, move="chair-proposes-mediation", by=cast.charity_admin)
        assert refused.message == (
            "'Chair names mediation as the next stage' cannot be done while the case is at "
            "'Informal attempt failed'. What can happen next: 'Put the disagreement in "
            "writing' and 'Withdraw by agreement'."
        )
        step(case, "submit-in-writing", cast.charity_admin)
        refused = refusal(step, case=case, move="make-findings", by=cast.member_one)
        assert refused.message.startswith(
            "'The subgroup makes its findings' cannot be done while the case is at "
            "'Submitted in writing to the subgroup'."
        )

    def test_a_step_by_the_wrong_person_is_refused(self, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        refused = refusal(step, case=case, move="chair-proposes-mediation", by=cast.council_officer)
        assert refused.code == "move_refused"
        assert "can be done only by: Chair of the Dispute Resolution Subgroup" in refused.message

    def test_a_missing_record_is_refused_and_nothing_changes(self, cast):
        case = raise_leicester(cast)
        refused = refusal(
            step,
            case=case,
            move="submit-in-writing",
            by=cast.charity_admin,
            answers={"why-steps-failed": ""},
        )
        assert refused.field == "why-steps-failed"
        case.refresh_from_db()
        assert (case.state, case.revision) == ("informal-attempt-failed", 0)

    def test_the_chair_replying_meets_the_chairs_deadline(self, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        assert obligations(case)[
            ("chair-names-next-stage", "Chair of the Dispute Resolution Subgroup")
        ] == (dt.date(2026, 3, 16), Status.NOT_YET_DUE)
        step(case, "chair-proposes-mediation", cast.chair, today=dt.date(2026, 3, 18))
        assert obligations(case)[
            ("chair-names-next-stage", "Chair of the Dispute Resolution Subgroup")
        ] == (dt.date(2026, 3, 16), Status.MET_LATE)

    def test_the_chair_ruling_it_out_is_final_and_owes_the_refusal_standard(self, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        case = step(case, "chair-declares-not-applicable", cast.chair)
        assert (case.state, case.is_final) == ("not-applicable", True)
        got = obligations(case)
        assert got[("chair-refusal-in-writing", "Chair of the Dispute Resolution Subgroup")] == (
            dt.date(2026, 3, 16),
            Status.MET,
        )
        assert got[("chair-names-next-stage", "Chair of the Dispute Resolution Subgroup")][1] == (
            Status.CANCELLED
        )
        assert refusal(step, case=case, move="withdraw", by=cast.charity_admin).message.startswith(
            "The case is closed"
        )

    def test_every_party_must_agree_to_mediation_before_it_is_agreed(self, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        step(case, "chair-proposes-mediation", cast.chair)
        case = step(case, "agree-mediation", cast.charity_admin)
        assert case.state == "mediation-proposed"
        refused = refusal(step, case=case, move="agree-mediation", by=cast.charity_admin)
        assert refused.message == (
            "Northfield Community Action has already taken its part of 'Both sides agree to "
            "mediation'"
        )
        got = obligations(case)
        assert got[("mediation-answer", "Northfield Community Action")][1] == Status.MET
        assert got[("mediation-answer", "Northfield Council")][1] == Status.DUE_SOON
        case = step(case, "agree-mediation", cast.council_officer)
        assert case.state == "mediation-agreed"

    def test_one_side_declining_mediation_is_enough(self, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        step(case, "chair-proposes-mediation", cast.chair)
        case = step(case, "decline-mediation", cast.council_officer)
        assert case.state == "mediation-declined"

    def test_starting_mediation_appoints_the_mediator_for_this_case_only(self, cast):
        case = raise_leicester(cast)
        for move, by in [
            ("submit-in-writing", cast.charity_admin),
            ("chair-proposes-mediation", cast.chair),
            ("agree-mediation", cast.charity_admin),
            ("agree-mediation", cast.council_officer),
            ("start-mediation", cast.council_officer),
        ]:
            case = step(case, move, by)
        role = CompactRole.objects.get(kind=CompactRoleKind.MEDIATOR)
        assert (role.user, role.case) == (cast.mediator, case.reference)
        assert case.state == "in-mediation"
        case = step(case, "mediation-succeeds", cast.mediator)
        assert (case.state, case.is_final, case.is_public) == ("resolved-by-mediation", True, False)
        assert CaseDocument.objects.get().restricted_to == ["party", "mediator"]

    def test_a_mediator_who_belongs_to_a_party_is_refused(self, cast):
        case = raise_leicester(cast)
        for move, by in [
            ("submit-in-writing", cast.charity_admin),
            ("chair-proposes-mediation", cast.chair),
            ("agree-mediation", cast.charity_admin),
            ("agree-mediation", cast.council_officer),
        ]:
            case = step(case, move, by)
        refused = refusal(
            step,
            case=case,
            move="start-mediation",
            by=cast.council_officer,
            answers={"mediator": "charity_member@example.org"},
        )
        assert refused.code == "conflicted"
        assert refused.field == "mediator"

    def test_an_appeal_ends_in_a_published_finding(self, cast, audit_records):
        case = to_appeal(cast, raise_leicester(cast))
        assert (case.state, case.finding, case.is_public) == ("finding-made", "breach", True)
        assert case.published_on == TODAY
        assert case.public_records == {
            "finding": "breach",
            "statement-of-disagreement": (
                "Whether the council consulted the voluntary sector for long enough."
            ),
        }
        assert "dispute.moved" in audit_records()

    def test_reasons_are_required_when_a_side_asked_for_them(self, cast):
        case = raise_leicester(cast)
        with pytest.raises(services.Refused) as caught:
            to_appeal_without_reasons(cast, case)
        assert caught.value.field == "reasons"

    def test_referring_elsewhere_needs_the_recommendation(self, cast):
        case = raise_leicester(cast)
        case = to_appeal_without_reasons(cast, case, finish=False)
        refused = refusal(
            step,
            case=case,
            move="make-findings",
            by=cast.chair,
            answers={"finding": "refer-elsewhere"},
        )
        assert refused.field == "recommendation"

    def test_a_conflicted_subgroup_member_is_refused(self, cast):
        case = to_appeal_without_reasons(cast, raise_leicester(cast), finish=False)
        refused = refusal(step, case=case, move="make-findings", by=cast.conflicted)
        assert refused.code == "conflicted"
        assert refused.message == (
            "You belong to Northfield Community Action, which is a party to this case, so you "
            "cannot act for the Dispute Resolution Subgroup on it"
        )

    def test_a_conflicted_member_cannot_be_recorded_at_the_meeting(self, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        step(case, "chair-sends-to-appeal", cast.chair)
        step(
            case, "submit-appeal-papers", cast.charity_admin, answers={"mediation-was-used": False}
        )
        step(
            case,
            "submit-appeal-papers",
            cast.council_officer,
            answers={"mediation-was-used": False},
        )
        step(case, "circulate-papers", cast.chair)
        step(case, "send-written-comments", cast.charity_admin)
        step(case, "send-written-comments", cast.council_officer)
        refused = refusal(
            step,
            case=case,
            move="subgroup-meets",
            by=cast.chair,
            answers={"members-present": [str(cast.chair.pk), str(cast.conflicted.pk)]},
        )
        assert refused.message == (
            "Conflicted Tester belongs to Northfield Community Action, a party to this case, "
            "so cannot take part in it"
        )

    def test_withdrawal_needs_every_party_and_can_happen_at_any_stage(self, cast):
        case = raise_leicester(cast, others=[cast.council, cast.trust])
        step(case, "submit-in-writing", cast.charity_admin)
        step(case, "withdraw", cast.charity_admin)
        case = step(case, "withdraw", cast.council_officer)
        assert case.state == "submitted"
        case = step(case, "withdraw", cast.trust_officer)
        assert (case.state, case.is_final, case.closed_on) == ("withdrawn", True, TODAY)
        chair_reply = obligations(case)[
            ("chair-names-next-stage", "Chair of the Dispute Resolution Subgroup")
        ]
        assert chair_reply[1] == Status.CANCELLED
        refused = refusal(step, case=case, move="chair-proposes-mediation", by=cast.chair)
        assert refused.message.startswith("The case is closed: 'Withdrawn' is a final state")

    def test_a_step_from_a_page_that_is_out_of_date_is_refused(self, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        refused = refusal(
            services.case_move,
            case=case,
            move="chair-proposes-mediation",
            by=cast.chair,
            revision=0,
            today=TODAY,
            answers={},
        )
        assert refused.code == "stale"

    def test_of_two_writers_who_read_the_same_revision_only_the_first_is_recorded(
        self, cast, monkeypatch
    ):
        """The conditional UPDATE, as SQLite needs it: the second writer read the case
        before the first wrote, so its write matches no row and it is refused. (Here the
        first writer shares the test's connection, so its step is undone with the
        refused one's transaction; what matters is that the refused writer wrote nothing.)"""
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        case.refresh_from_db()
        stale = Case.objects.get(pk=case.pk)
        calls = []

        def other_writer_goes_first(locked):
            if not calls:
                calls.append("other")
                step(stale, "chair-declares-not-applicable", cast.chair)

        monkeypatch.setattr(services, "_hook_before_write", other_writer_goes_first)
        refused = refusal(step, case=case, move="chair-proposes-mediation", by=cast.chair)
        assert calls == ["other"]
        assert refused.code == "stale"
        assert refused.message.startswith("Someone else has just taken a step on this case")
        assert not case.events.filter(move="chair-proposes-mediation").exists()


def to_appeal_without_reasons(cast, case, finish=True):
    step(case, "submit-in-writing", cast.charity_admin)
    step(case, "chair-sends-to-appeal", cast.chair)
    step(
        case,
        "submit-appeal-papers",
        cast.charity_admin,
        answers={"mediation-was-used": False, "reasons-requested": True},
    )
    step(
        case,
        "submit-appeal-papers",
        cast.council_officer,
        answers={"mediation-was-used": False, "reasons-requested": False},
    )
    step(case, "circulate-papers", cast.chair)
    step(case, "send-written-comments", cast.charity_admin)
    step(case, "send-written-comments", cast.council_officer)
    case = step(case, "subgroup-meets", cast.chair)
    if finish:
        case = step(case, "make-findings", cast.chair, answers={"reasons": ""})
    return case


class TestHerefordshire:
    def test_a_breach_is_raised_directly_then_referred_to_the_working_group(self, cast):
        case = services.case_raise(
            compact=cast.herefordshire,
            organisation=cast.charity,
            others=[cast.council],
            about="compact",
            title="No notice of the partnership meeting",
            opening={"code-not-followed": "Standard 11.2.1, by Northfield Council"},
            by=cast.charity_admin,
            today=TODAY,
        )
        assert case.reference == "HER-2026-0001"
        with pytest.raises(services.Refused):  # the other side sees it only once raised
            services.case_move(
                case=case,
                move="reply",
                by=cast.council_officer,
                revision=0,
                today=TODAY,
                answers={},
            )
        for move, by, answers in [
            ("decide-to-pursue", cast.charity_admin, {"objective": "Proper notice in future."}),
            (
                "raise-directly",
                cast.charity_admin,
                {"complaint": "No notice was given.", "suggestions": "Use the shared calendar."},
            ),
            (
                "reply",
                cast.council_officer,
                {"investigation": "The notice was not sent.", "reply": "We apologise."},
            ),
            (
                "refer-to-working-group",
                cast.charity_admin,
                {"why-unresolved": "It happened again."},
            ),
        ]:
            case.refresh_from_db()
            case = services.case_move(
                case=case, move=move, by=by, revision=case.revision, today=TODAY, answers=answers
            )
        assert case.state == "with-working-group"
        # no time limits in this code, so no obligations
        assert not Obligation.objects.exists()
        case = services.case_move(
            case=case,
            move="working-group-concludes",
            by=cast.working_group,
            revision=case.revision,
            today=TODAY,
            answers={"conclusion": "The complaint is upheld."},
        )
        assert (case.state, case.is_final) == ("resolved-locally", True)

    def test_the_respondent_cannot_refer_it(self, cast):
        case = services.case_raise(
            compact=cast.herefordshire,
            organisation=cast.charity,
            others=[cast.council],
            about="compact",
            title="X",
            opening={"code-not-followed": "11.2.1"},
            by=cast.charity_admin,
            today=TODAY,
        )
        for move, by, answers in [
            ("decide-to-pursue", cast.charity_admin, {"objective": "Better notice."}),
            ("raise-directly", cast.charity_admin, {"complaint": "A", "suggestions": "B"}),
        ]:
            case.refresh_from_db()
            case = services.case_move(
                case=case, move=move, by=by, revision=case.revision, today=TODAY, answers=answers
            )
        refused = refusal(
            services.case_move,
            case=case,
            move="refer-to-working-group",
            by=cast.council_officer,
            revision=case.revision,
            today=TODAY,
            answers={"why-unresolved": "x"},
        )
        assert refused.message == (
            "'Refer to the Local Compact Working Group' can be done only by: "
            "Complaining organisation."
        )


class TestDefaultProcedure:
    def test_a_compact_without_its_own_procedure_uses_the_stated_default(self, cast):
        case = services.case_raise(
            compact=cast.city,
            organisation=cast.club,
            others=[cast.council],
            about="compact",
            title="Grant terms changed",
            opening={"concern": "The grant terms changed mid-year."},
            by=cast.club_officer,
            today=TODAY,
        )  # City Together takes no signatures, so none is needed
        for move, by, answers in [
            ("raise-in-writing", cast.club_officer, {"letter-text": "We wrote on 1 March."}),
            ("reply", cast.council_officer, {"reply": "The terms had to change."}),
            ("refer", cast.club_officer, {"why-unresolved": "No change offered."}),
            ("group-concludes", cast.working_group, {"conclusion": "Terms to be reviewed."}),
        ]:
            case.refresh_from_db()
            case = services.case_move(
                case=case, move=move, by=by, revision=case.revision, today=TODAY, answers=answers
            )
        assert (case.state, case.is_final) == ("concluded", True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks need PostgreSQL; SQLite runs the conditional-update test above",
)
def test_of_two_people_taking_the_same_step_at_once_exactly_one_succeeds():
    cast = make_cast()
    case = raise_leicester(cast)
    step(case, "submit-in-writing", cast.charity_admin)
    CompactRole.objects.create(
        compact=cast.leicester, user=cast.member_two, kind=CompactRoleKind.SUBGROUP_CHAIR
    )
    case.refresh_from_db()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(user):
        try:
            barrier.wait(timeout=10)
            services.case_move(
                case=case,
                move="chair-proposes-mediation",
                by=user,
                revision=case.revision,
                today=TODAY,
                answers={"guidance": "Meet."},
            )
            outcomes.append("done")
        except services.Refused as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(u,)) for u in (cast.chair, cast.member_two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["done", "stale"]
    assert CaseEvent.objects.filter(case=case, move="chair-proposes-mediation").count() == 1
    assert Case.objects.get(pk=case.pk).state == "mediation-proposed"


def test_parties_are_kept_on_the_case(cast):
    case = raise_leicester(cast)
    assert CaseParty.objects.filter(case=case).count() == 2


def test_mediation_extended_by_agreement_keeps_its_new_date(cast):
    from localcompact.obligations.services import obligation_excuse

    case = raise_leicester(cast)
    for move, by in [
        ("submit-in-writing", cast.charity_admin),
        ("chair-proposes-mediation", cast.chair),
        ("agree-mediation", cast.charity_admin),
        ("agree-mediation", cast.council_officer),
        ("start-mediation", cast.council_officer),
    ]:
        case = step(case, move, by)
    length = Obligation.objects.get(
        standard__ident="mediation-length", owed_by=cast.charity, source_id=case.pk
    )
    assert length.due_on == dt.date(2026, 3, 23)
    obligation_excuse(
        obligation=length,
        kind="extended_by_agreement",
        reason="Both sides want time to try a joint review first.",
        agreed_by="Both sides, in writing",
        extended_to=dt.date(2026, 4, 17),
        today=TODAY,
        by=cast.charity_admin,
    )
    step(case, "mediation-succeeds", cast.mediator, today=dt.date(2026, 4, 10))
    length.refresh_from_db()
    assert (length.due_on, length.met_on, length.status) == (
        dt.date(2026, 4, 17),
        dt.date(2026, 4, 10),
        Status.MET,
    )
