"""Funding's rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world (tests/quality/world.py) Eastbrook Borough Council commissions and
funds under Leicester's compact. `prepare` makes, through the funding services: a
commissioning plan at its first stage; an open grant programme Eastbrook Voluntary
Action has applied to (undecided); a decided contract programme, where Eastbrook
Voluntary Action won (its award has a payment, a received monitoring return, a risk)
and Westbrook Youth Trust lost, with reasons; and a draft opportunity not yet published.

Two more people for these rows only (`EXTRA_ROLES`): `partner`, an officer of Eastbrook
Voluntary Action (the applicant and recipient), and `rival`, an officer of Westbrook
Youth Trust (the losing applicant). Following `rules.py` and the views:

- plans, published opportunities, awards' headline facts, the totals by funder,
  recipient and programme and the open data are public; a draft opportunity is not
  found by anyone but the funder's officers and administrators;
- an application is seen by members of the applicant and of the funder, the compact's
  support team and staff: never by another applicant (the rival and the partner do not
  see each other's) or an outsider;
- an organisation's funding page is for its members only (not the support team or staff);
- the funder's officers and administrators run plans, opportunities, decisions and the
  award's schedule, monitoring, risks, notices and changes; the recipient's officers
  record its side (terms, winding a service down); officers of an organisation other
  than the funder apply. Refused actions are refused before their form is read (403);
  the people allowed get an empty form's errors (400), or, where every field is optional,
  the action is done (302).
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from localcompact.funding import services
from localcompact.funding.models import Involvement
from localcompact.organisations.models import Membership, Organisation, Role
from tests.quality.matrix import (
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    OK,
    REDIRECT,
    Route,
    acting,
    but,
    everyone,
    members,
    signed_in,
)

DAY = dt.timedelta(days=1)


def _officer(name: str, organisation: Organisation):
    user = get_user_model().objects.create_user(
        f"matrix-{name}", email=f"{name}@matrix.example.org", first_name=name.capitalize()
    )
    Membership.objects.create(user=user, organisation=organisation, role=Role.OFFICER)
    return user


def _opportunity(world, *, code: str, kind: str, title: str, publish: bool = True):
    officer, today = world.user("officer"), world.today
    opportunity = services.opportunity_create(
        by=officer,
        today=today - 40 * DAY,
        version=world.compact.current_version,
        funder=world.organisation,
        plan=world.objects.plan,
        kind=kind,
        code=code,
        title=title,
        description="Community work across the borough.",
        criteria="Reach and value for money.",
        decision_method="A panel scores each application.",
        criteria_decided_on=today - 40 * DAY,
        outputs="Sessions in every ward.",
        outcomes="Less isolation.",
        amount_available=Decimal("60000"),
        social_clause=False,
        social_clause_details="",
        overheads_eligible=True,
        opens_on=today - 30 * DAY if publish else today + 10 * DAY,
        closes_on=today + 10 * DAY if publish else today + 40 * DAY,
        decisions_by=today + 20 * DAY if publish else today + 50 * DAY,
        service_starts_on=today + 90 * DAY,
    )
    if publish:
        services.opportunity_open(opportunity=opportunity, by=officer, today=today - 30 * DAY)
    return opportunity


def _apply(world, opportunity, applicant, by, title):
    return services.application_submit(
        opportunity=opportunity,
        applicant=applicant,
        title=title,
        summary="What the work does.",
        direct_costs=Decimal("9000"),
        overheads=Decimal("1000"),
        overheads_basis="A tenth of running costs",
        eligibility_confirmed=True,
        by=by,
        today=world.today - 20 * DAY,
    )


def prepare(world) -> None:
    o, today, officer = world.objects, world.today, world.user("officer")
    o.rival_org = Organisation.objects.create(
        name="Westbrook Youth Trust", slug="westbrook-youth-trust", sector="vcs"
    )
    o.partner = _officer("partner", world.partner)
    o.rival = _officer("rival", o.rival_org)
    o.plan = services.plan_create(
        version=world.compact.current_version,
        commissioner=world.organisation,
        title="Eastbrook wellbeing plan",
        summary="Wellbeing services for the borough.",
        by=officer,
        today=today,
    )
    o.grants = _opportunity(world, code="eastbrook-grants", kind="grant", title="Small grants")
    o.pending = _apply(world, o.grants, world.partner, o.partner, "Lunch club")
    o.contract = _opportunity(
        world, code="eastbrook-advice", kind="contract", title="Advice service contract"
    )
    o.won = _apply(world, o.contract, world.partner, o.partner, "Advice in the borough")
    o.lost = _apply(world, o.contract, o.rival_org, o.rival, "Advice for young people")
    services.opportunity_close(opportunity=o.contract, by=officer, today=today - 6 * DAY)
    services.application_decide(
        application=o.won,
        successful=True,
        reasons="",
        decided_on=today - 5 * DAY,
        notified_on=today - 5 * DAY,
        by=officer,
        today=today,
    )
    services.application_decide(
        application=o.lost,
        successful=False,
        reasons="The panel's scoring notes.",
        decided_on=today - 5 * DAY,
        notified_on=None,
        by=officer,
        today=today,
    )
    o.award = services.award_create(
        funder=world.organisation,
        recipient=world.partner,
        version=world.compact.current_version,
        application=o.won,
        by=officer,
        today=today,
        kind="contract",
        title="Advice service",
        description="Two years of advice sessions.",
        amount=Decimal("20000"),
        overheads=Decimal("2000"),
        award_date=today - 5 * DAY,
        agreed_on=today - 3 * DAY,
        starts_on=today + 90 * DAY,
        ends_on=today + 820 * DAY,
        length_reason="Two years lets the service settle.",
    )
    o.payment = services.payment_schedule(
        award=o.award,
        due_on=today + 80 * DAY,
        amount=Decimal("10000"),
        expenditure_starts_on=today + 90 * DAY,
        note="First year",
        by=officer,
        today=today,
    )
    o.item = services.return_expect(
        award=o.award, period="First half year", due_on=today + 270 * DAY, by=officer, today=today
    )
    services.return_receive(
        item=o.item, received_on=today, summary="Sessions running.", by=officer, today=today
    )
    o.risk = services.risk_record(
        award=o.award,
        description="The venue's lease ends",
        held_by="funder",
        mitigation="",
        by=officer,
        today=today,
    )
    o.draft = _opportunity(
        world, code="eastbrook-draft", kind="contract", title="Unpublished", publish=False
    )


EXTRA_ROLES = {"partner": lambda w: w.objects.partner, "rival": lambda w: w.objects.rival}


def cast(base: dict, *, partner, rival) -> dict:
    """A row for the cast of world.py and this app's two extra people."""
    return {**base, "partner": partner, "rival": rival}


def public(outcome=OK) -> dict:
    return cast(everyone(outcome), partner=outcome, rival=outcome)


def funder_acts(outcome) -> dict:
    """The funder's officers and administrators; every other signed-in person refused."""
    return cast(acting(outcome), partner=FORBIDDEN, rival=FORBIDDEN)


def recipient_acts(outcome) -> dict:
    return cast(signed_in(FORBIDDEN), partner=outcome, rival=FORBIDDEN)


def council(w) -> dict:
    return {"slug": w.organisation.slug}


def award(w) -> dict:
    return {"pk": w.objects.award.pk}


def involved(w, client) -> None:
    services.involvement_record(
        plan=w.objects.plan,
        kind=Involvement.Kind.NEEDS_ANALYSIS,
        held_on=w.today,
        description="A needs-analysis meeting with local groups.",
        organisations=[w.partner],
        consultation="",
        by=w.user("officer"),
        today=w.today,
    )


def funder_action(kwargs, *, empty=INVALID, state_get="", state_post="an empty form") -> list:
    """GET shows the form to the funder's officers; an empty POST is refused to everyone
    else before it is read."""
    return [
        Route(funder_acts(OK), kwargs=kwargs, state=state_get),
        Route(funder_acts(empty), kwargs=kwargs, method="post", state=state_post),
    ]


def recipient_action(kwargs, *, empty) -> list:
    return [
        Route(recipient_acts(OK), kwargs=kwargs),
        Route(recipient_acts(empty), kwargs=kwargs, method="post", state="an empty form"),
    ]


# Applications: members of the applicant and of the funder, the support team and staff.
SEES_APPLICATION = but(members(OK), support=OK, staff=OK)
NOBODY_FINDS = cast(signed_in(NOT_FOUND), partner=NOT_FOUND, rival=NOT_FOUND)
# A draft: its funder's officers and administrators, and nobody else, know it exists.
DRAFT_ACTION = cast(
    but(signed_in(NOT_FOUND), officer=OK, administrator=OK), partner=NOT_FOUND, rival=NOT_FOUND
)

MATRIX = {
    "funding:index": Route(public()),
    "funding:funders": Route(public()),
    "funding:funder": [
        Route(public(), kwargs=council),
        Route(
            public(NOT_FOUND),
            kwargs=lambda w: {"slug": w.partner.slug},
            state="an organisation that funds nothing",
        ),
        Route(public(NOT_FOUND), kwargs=lambda w: {"slug": "nowhere"}, state="no such slug"),
    ],
    "funding:recipients": Route(public()),
    "funding:recipient": [
        Route(public(), kwargs=lambda w: {"slug": w.partner.slug}),
        Route(public(NOT_FOUND), kwargs=council, state="an organisation given nothing"),
    ],
    "funding:programmes": Route(public()),
    "funding:plans": Route(public()),
    "funding:plan": [
        Route(public(), kwargs=lambda w: {"pk": w.objects.plan.pk}),
        Route(public(NOT_FOUND), kwargs=lambda w: {"pk": 999999}, state="no such plan"),
    ],
    "funding:plan_involvement": funder_action(lambda w: {"pk": w.objects.plan.pk}),
    "funding:plan_advance": [
        *funder_action(
            lambda w: {"pk": w.objects.plan.pk},
            state_post="no involvement recorded in the stage: refused",
        ),
        Route(
            funder_acts(REDIRECT),
            kwargs=lambda w: {"pk": w.objects.plan.pk},
            method="post",
            before=involved,
            state="involvement recorded: moves on",
        ),
    ],
    "funding:opportunity": [
        Route(public(), kwargs=lambda w: {"code": w.objects.grants.code}),
        Route(
            cast(but(everyone(NOT_FOUND), officer=OK, administrator=OK), partner=404, rival=404),
            kwargs=lambda w: {"code": w.objects.draft.code},
            state="a draft",
        ),
        Route(public(NOT_FOUND), kwargs=lambda w: {"code": "nothing"}, state="no such code"),
    ],
    "funding:opportunity_open": [
        Route(DRAFT_ACTION, kwargs=lambda w: {"code": w.objects.draft.code}, state="a draft"),
        Route(
            but(DRAFT_ACTION, officer=REDIRECT, administrator=REDIRECT),
            kwargs=lambda w: {"code": w.objects.draft.code},
            method="post",
            state="a draft, opened",
        ),
        Route(
            funder_acts(INVALID),
            kwargs=lambda w: {"code": w.objects.grants.code},
            method="post",
            state="already open: refused",
        ),
    ],
    "funding:opportunity_close": [
        *funder_action(
            lambda w: {"code": w.objects.grants.code},
            empty=REDIRECT,
            state_post="an open one, closed",
        ),
        Route(
            DRAFT_ACTION,
            kwargs=lambda w: {"code": w.objects.draft.code},
            state="a draft",
        ),
    ],
    "funding:apply": [
        # Officers of an organisation other than the funder may apply.
        Route(
            cast(signed_in(FORBIDDEN), partner=OK, rival=OK),
            kwargs=lambda w: {"code": w.objects.grants.code},
        ),
        Route(
            cast(signed_in(FORBIDDEN), partner=INVALID, rival=INVALID),
            kwargs=lambda w: {"code": w.objects.grants.code},
            method="post",
            state="an empty form",
        ),
        Route(NOBODY_FINDS, kwargs=lambda w: {"code": w.objects.contract.code}, state="closed"),
        Route(NOBODY_FINDS, kwargs=lambda w: {"code": w.objects.draft.code}, state="a draft"),
    ],
    "funding:application": [
        Route(
            cast(SEES_APPLICATION, partner=OK, rival=FORBIDDEN),
            kwargs=lambda w: {"pk": w.objects.won.pk},
            state="the winner's",
        ),
        Route(
            cast(SEES_APPLICATION, partner=FORBIDDEN, rival=OK),
            kwargs=lambda w: {"pk": w.objects.lost.pk},
            state="the loser's",
        ),
        Route(NOBODY_FINDS, kwargs=lambda w: {"pk": 999999}, state="no such application"),
    ],
    "funding:application_decide": funder_action(lambda w: {"pk": w.objects.pending.pk}),
    "funding:application_notified": funder_action(lambda w: {"pk": w.objects.lost.pk}),
    # The applicant's officers; every field is optional, so an empty form withdraws it.
    "funding:application_withdraw": recipient_action(
        lambda w: {"pk": w.objects.pending.pk}, empty=REDIRECT
    ),
    "funding:award": [
        # The headline facts are public; the private parts are checked in test_permissions.
        Route(public(), kwargs=award),
        Route(public(NOT_FOUND), kwargs=lambda w: {"pk": 999999}, state="no such award"),
    ],
    "funding:award_confirm": funder_action(award),
    "funding:award_monitoring": funder_action(award),
    "funding:payment_new": funder_action(award),
    "funding:payment_paid": [
        *funder_action(lambda w: {"pk": w.objects.award.pk, "payment": w.objects.payment.pk}),
        Route(
            # whether a payment exists is the parties' business: refused, not "not found"
            funder_acts(NOT_FOUND),
            kwargs=lambda w: {"pk": w.objects.award.pk, "payment": 999999},
            state="no such payment",
        ),
    ],
    "funding:return_new": funder_action(award),
    "funding:return_received": [
        *funder_action(lambda w: {"pk": w.objects.award.pk, "item": w.objects.item.pk}),
        Route(
            funder_acts(NOT_FOUND),
            kwargs=lambda w: {"pk": w.objects.award.pk, "item": 999999},
            state="no such return",
        ),
    ],
    "funding:return_review": [
        *funder_action(lambda w: {"pk": w.objects.award.pk, "item": w.objects.item.pk}),
        Route(
            funder_acts(NOT_FOUND),
            kwargs=lambda w: {"pk": w.objects.award.pk, "item": 999999},
            state="no such return",
        ),
    ],
    "funding:risk_new": funder_action(award),
    # Every field is optional: an empty form records the notice's (empty) details.
    "funding:end_notice": funder_action(award, empty=REDIRECT, state_post="every field blank"),
    "funding:change_new": funder_action(award),
    "funding:recipient_terms": recipient_action(award, empty=REDIRECT),
    "funding:wind_down": recipient_action(award, empty=INVALID),
    "funding:organisation": [
        Route(cast(members(OK), partner=FORBIDDEN, rival=FORBIDDEN), kwargs=council),
        Route(
            cast(signed_in(FORBIDDEN), partner=OK, rival=FORBIDDEN),
            kwargs=lambda w: {"slug": w.partner.slug},
            state="the partner's",
        ),
        Route(NOBODY_FINDS, kwargs=lambda w: {"slug": "nowhere"}, state="no such organisation"),
    ],
    "funding:plan_new": funder_action(council),
    "funding:opportunity_new": funder_action(council),
    "funding:award_new": funder_action(council),
    "funding:data": Route(public()),
    "funding:data_360_json": [
        Route(public()),
        Route(public(NOT_FOUND), query="compact=nowhere", state="no such compact"),
    ],
    "funding:data_360_csv": [
        Route(public()),
        Route(public(NOT_FOUND), query="compact=nowhere", state="no such compact"),
    ],
    "funding:data_ocds": [
        Route(public(), query="compact=leicester"),
        Route(public(NOT_FOUND), query="compact=nowhere", state="no such compact"),
    ],
}
