"""Reference case: a Leicester disagreement walked from stage one to a finding across
Christmas 2026 and Easter 2027, with every due date the procedure gives (Leicester
5.d to 5.f, in working days of England and Wales).

Bank holidays on the way: Friday 25 and Monday 28 December 2026 (Boxing Day, a
Saturday, is kept on the Monday), Friday 1 January 2027, Good Friday 26 March 2027 and
Easter Monday 29 March 2027.
"""

import datetime as dt

from localcompact.obligations.models import Obligation, Status

from .conftest import raise_leicester, step

D = dt.date
CHARITY, COUNCIL = "Northfield Community Action", "Northfield Council"
CHAIR, SUBGROUP = "Chair of the Dispute Resolution Subgroup", "Dispute Resolution Subgroup"


def table(case):
    rows = Obligation.objects.filter(source_id=case.pk, source_type__model="case")
    return sorted(
        (
            o.standard.ident,
            o.owed_by.name if o.owed_by else o.owed_by_role,
            o.due_on,
            o.met_on,
            o.status,
        )
        for o in rows.select_related("standard", "owed_by")
    )


def test_a_leicester_case_across_christmas_and_easter(cast):
    # The sides last failed to settle it on Friday 11 December 2026: five days to write.
    case = raise_leicester(cast, today=D(2026, 12, 14), informal_failure=D(2026, 12, 11))
    step(case, "submit-in-writing", cast.charity_admin, today=D(2026, 12, 16))
    # Ten working days from Wednesday 16 December skip 25 and 28 December and 1 January.
    step(case, "chair-proposes-mediation", cast.chair, today=D(2027, 1, 4))
    step(case, "agree-mediation", cast.charity_admin, today=D(2027, 1, 6))
    step(case, "agree-mediation", cast.council_officer, today=D(2027, 1, 8))
    step(case, "start-mediation", cast.council_officer, today=D(2027, 1, 12))
    step(case, "mediation-fails", cast.mediator, today=D(2027, 2, 2))
    step(case, "give-stage-three-notice", cast.chair, today=D(2027, 3, 15))
    # Ten working days from Monday 15 March skip Good Friday and Easter Monday.
    step(case, "submit-appeal-papers", cast.charity_admin, today=D(2027, 3, 24))
    step(case, "submit-appeal-papers", cast.council_officer, today=D(2027, 4, 1))
    step(
        case,
        "circulate-papers",
        cast.chair,
        today=D(2027, 4, 1),
        answers={"subgroup-meeting": D(2027, 4, 28)},
    )
    step(case, "send-written-comments", cast.charity_admin, today=D(2027, 4, 6))
    step(case, "send-written-comments", cast.council_officer, today=D(2027, 4, 7))
    step(case, "subgroup-meets", cast.chair, today=D(2027, 4, 28))
    case = step(case, "make-findings", cast.chair, today=D(2027, 4, 28))

    assert case.state == "finding-made"
    assert table(case) == sorted(
        [
            # 5.d.1: five (calendar) days from 11 December
            ("disagreement-put-in-writing", CHARITY, D(2026, 12, 16), D(2026, 12, 16), Status.MET),
            ("disagreement-put-in-writing", COUNCIL, D(2026, 12, 16), D(2026, 12, 16), Status.MET),
            # 5.d.2: ten working days from 16 December 2026
            ("chair-names-next-stage", CHAIR, D(2027, 1, 4), D(2027, 1, 4), Status.MET),
            # 5.e.1: five working days from the chair's reply on 4 January
            ("mediation-answer", CHARITY, D(2027, 1, 11), D(2027, 1, 6), Status.MET),
            ("mediation-answer", COUNCIL, D(2027, 1, 11), D(2027, 1, 8), Status.MET),
            # 5.e.4: fifteen working days from 12 January
            ("mediation-length", CHARITY, D(2027, 2, 2), D(2027, 2, 2), Status.MET),
            ("mediation-length", COUNCIL, D(2027, 2, 2), D(2027, 2, 2), Status.MET),
            # 5.f.2: ten working days from the notice of 15 March, over Easter
            ("appeal-papers", CHARITY, D(2027, 3, 31), D(2027, 3, 24), Status.MET),
            ("appeal-papers", COUNCIL, D(2027, 3, 31), D(2027, 4, 1), Status.MET_LATE),
            # 5.f.3: all papers with everyone ten working days before the 28 April meeting
            ("appeal-papers-before-meeting", CHARITY, D(2027, 4, 14), D(2027, 4, 1), Status.MET),
            ("appeal-papers-before-meeting", COUNCIL, D(2027, 4, 14), D(2027, 4, 1), Status.MET),
            # 5.f.3: comments within four working days of receiving the papers on 1 April
            ("appeal-written-comments", CHARITY, D(2027, 4, 7), D(2027, 4, 6), Status.MET),
            ("appeal-written-comments", COUNCIL, D(2027, 4, 7), D(2027, 4, 7), Status.MET),
            # 5.f.4: the subgroup meets within fifteen working days of the exchange on 7 April
            ("subgroup-meets", SUBGROUP, D(2027, 4, 28), D(2027, 4, 28), Status.MET),
        ]
    )


def test_a_late_step_shows_as_missed_until_it_is_taken(cast):
    case = raise_leicester(cast, today=D(2026, 12, 14), informal_failure=D(2026, 12, 11))
    step(case, "submit-in-writing", cast.charity_admin, today=D(2026, 12, 16))
    from django.core.management import call_command

    call_command("sweep_obligations", today="2027-01-05", verbosity=0)
    chair = Obligation.objects.get(standard__ident="chair-names-next-stage")
    assert (chair.owed_by_role, chair.due_on, chair.status) == (CHAIR, D(2027, 1, 4), Status.MISSED)
    step(case, "chair-proposes-mediation", cast.chair, today=D(2027, 1, 6))
    chair.refresh_from_db()
    assert (chair.met_on, chair.status) == (D(2027, 1, 6), Status.MET_LATE)
