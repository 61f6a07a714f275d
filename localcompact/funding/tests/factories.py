"""An invented compact with funding standards, the people the tests talk about, and a
funding story made through the services.

Fundshire's standards have the same rule shapes as the shipped compacts' funding
standards (Leicester annex B, City Together's commissioning code, Redcar's funding
code), so the sources are tested without loading the real, larger definitions; one
test in test_sources checks the shipped ones too.

Who is who:

- Fundshire Council funds; `council_member` sees its pages, `council_officer` and
  `council_admin` act for it.
- Fundshire Charity is funded; `charity_officer` acts for it, `charity_member` sees.
- Rival Trust applied and lost; `rival_officer` acts for it and must not see the
  charity's application or the award's private parts.
- `outsider` is signed in and belongs to nothing.
- `support` is on Fundshire's support team; `staff` is staff.
"""

import datetime as dt
import itertools
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import CompactVersion
from localcompact.compacts.services import compact_load
from localcompact.compacts.tests.conftest import clause, tiny_definition, write
from localcompact.funding import services, views
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Identifier,
    Membership,
    Organisation,
    Role,
    Scheme,
)

TODAY = dt.date(2026, 3, 4)  # a Wednesday
LOADED = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
ROLES = (
    "anonymous",
    "outsider",
    "council_member",
    "council_officer",
    "charity_member",
    "charity_officer",
    "rival_officer",
    "support",
    "staff",
)


def _standard(ident, applies_to, owed_by, rule, params, exception=None, code="funding"):
    return {
        "id": ident,
        "title": ident.replace("-", " ").capitalize(),
        "summary": f"Invented standard: {ident}.",
        "code": code,
        "applies_to": applies_to,
        "owed_by": owed_by,
        "owed_to": "funded-vcs" if owed_by == "public-funders" else "public-funders",
        "rule": rule,
        "params": params,
        "strictness": "must",
        "exception": exception,
        "clause": clause(f"F.{ident}"),
    }


def fundshire_definition() -> dict:
    data = tiny_definition(standards=0)
    data["slug"], data["name"] = "fundshire", "Fundshire Compact"
    data["parties"] += [
        {"id": "funded-vcs", "name": "Funded groups", "sectors": ["vcs"]},
        {"id": "public-funders", "name": "Public funders", "sectors": ["public"]},
    ]
    data["codes"] += [
        {
            "slug": "funding",
            "title": "Funding code",
            "summary": "How funding works.",
            "clause": clause("F"),
            "undertakings": [],
        },
        {
            "slug": "annex-f",
            "title": "Annex F",
            "kind": "annex",
            "summary": "Commitments in a funding relationship.",
            "clause": clause("Annex F"),
            "undertakings": [
                {
                    "id": "annex-f-funders-1",
                    "party": "public-funders",
                    "summary": "Funders plan services with the groups they fund.",
                    "clause": clause("Annex F a"),
                },
                {
                    "id": "annex-f-funded-1",
                    "party": "funded-vcs",
                    "summary": "Funded groups share what they learn with their funder.",
                    "clause": clause("Annex F b"),
                },
            ],
        },
    ]
    months = {"count": 2, "unit": "months"}
    data["standards"] = [
        _standard(
            "confirm-ahead",
            "funding-decision",
            "public-funders",
            "notice_before_event",
            {"notice": months, "event": "project-start"},
            {"kind": "where_not_possible", "summary": "Only if it could not be done."},
        ),
        _standard(
            "decision-notice",
            "funding-decision",
            "public-funders",
            "notice_before_event",
            {"notice": "agreed", "event": "project-start"},
        ),
        _standard(
            "unsuccessful-reasons",
            "funding-decision",
            "public-funders",
            "required_record",
            {"fields": ["outcome", "reasons-for-lack-of-success"], "by": "decision"},
        ),
        _standard(
            "overheads-included",
            "funding-decision",
            "public-funders",
            "required_record",
            {"fields": ["overhead-costs-included"], "by": "decision"},
        ),
        _standard(
            "risks-allocated",
            "funding-decision",
            "public-funders",
            "required_record",
            {"fields": ["risks", "risk-owners"], "by": "project-start"},
        ),
        _standard(
            "delivery-terms",
            "funding-decision",
            "funded-vcs",
            "required_record",
            {"fields": ["terms-of-delivery", "risks-accepted"], "by": "project-start"},
        ),
        _standard(
            "payment-on-time",
            "payment",
            "public-funders",
            "respond_within",
            {"limit": "agreed", "after": "agreement"},
        ),
        _standard(
            "payment-in-advance",
            "payment",
            "public-funders",
            "notice_before_event",
            {"notice": {"count": 1, "unit": "days"}, "event": "expenditure-start"},
        ),
        _standard(
            "monitoring-proportionate",
            "monitoring",
            "public-funders",
            "required_record",
            {
                "fields": [
                    "funding-amount",
                    "monitoring-requirements",
                    "proportionality-statement",
                ],
                "by": "agreement",
            },
        ),
        _standard(
            "end-notice",
            "funding-end",
            "public-funders",
            "notice_before_event",
            {"notice": "agreed", "event": "funding-ends"},
        ),
        _standard(
            "wind-down-notice",
            "service-wind-down",
            "funded-vcs",
            "notice_before_event",
            {"notice": {"count": 3, "unit": "months"}, "event": "service-ends"},
        ),
    ]
    return data


def load_fundshire() -> CompactVersion:
    with tempfile.TemporaryDirectory() as folder:
        result = compact_load(
            definition=read_definition(write(Path(folder), fundshire_definition())), now=LOADED
        )
    return CompactVersion.objects.get(compact__slug=result.slug, number=result.version)


_numbers = itertools.count(1)


def make_user(name: str, *, staff: bool = False):
    return get_user_model().objects.create_user(
        f"{name}-{next(_numbers)}", password="x" * 20, first_name=name, is_staff=staff
    )


def make_org(name: str, sector: str) -> Organisation:
    return Organisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), sector=sector
    )


@dataclass
class World:
    version: CompactVersion
    council: Organisation
    charity: Organisation
    rival: Organisation
    users: dict = field(default_factory=dict)
    things: dict = field(default_factory=dict)

    def user(self, role):
        return self.users.get(role)


def make_world() -> World:
    version = load_fundshire()
    world = World(
        version=version,
        council=make_org("Fundshire Council", "public"),
        charity=make_org("Fundshire Charity", "vcs"),
        rival=make_org("Rival Trust", "vcs"),
    )
    Identifier.objects.create(
        organisation=world.council, scheme=Scheme.LOCAL_AUTHORITY_ENGLAND, value="FUN"
    )
    Identifier.objects.create(
        organisation=world.charity, scheme=Scheme.CHARITY_ENGLAND_WALES, value="1234567"
    )
    Identifier.objects.create(organisation=world.charity, scheme=Scheme.COMPANY, value="01234567")
    for role, org, level in [
        ("council_member", world.council, Role.MEMBER),
        ("council_officer", world.council, Role.OFFICER),
        ("council_admin", world.council, Role.ADMINISTRATOR),
        ("charity_member", world.charity, Role.MEMBER),
        ("charity_officer", world.charity, Role.OFFICER),
        ("rival_officer", world.rival, Role.OFFICER),
    ]:
        world.users[role] = user = make_user(role)
        Membership.objects.create(user=user, organisation=org, role=level)
    world.users["outsider"] = make_user("outsider")
    world.users["staff"] = make_user("staff", staff=True)
    world.users["support"] = make_user("support")
    CompactRole.objects.create(
        compact=version.compact, user=world.users["support"], kind=CompactRoleKind.SUPPORT_TEAM
    )
    return world


def opportunity_made(world: World, *, code="community-grants", kind="grant", **changes):
    officer = world.user("council_officer")
    fields = dict(
        version=world.version,
        funder=world.council,
        plan=None,
        kind=kind,
        code=code,
        title="Community grants",
        description="Grants for community projects.",
        criteria="Reach and value for money.",
        decision_method="A panel scores each application.",
        criteria_decided_on=TODAY - 40 * DAY,
        outputs="Projects in every ward.",
        outcomes="Less isolation.",
        amount_available=Decimal("50000"),
        social_clause=False,
        social_clause_details="",
        overheads_eligible=True,
        opens_on=TODAY - 30 * DAY,
        closes_on=TODAY - 10 * DAY,
        decisions_by=TODAY - 2 * DAY,
        service_starts_on=TODAY + 70 * DAY,
    )
    fields.update(changes)
    opportunity = services.opportunity_create(by=officer, today=TODAY - 40 * DAY, **fields)
    services.opportunity_open(opportunity=opportunity, by=officer, today=TODAY - 30 * DAY)
    return opportunity


def application_made(world, opportunity, applicant, *, by, **changes):
    fields = dict(
        title=f"{applicant.name}'s project",
        summary="A project.",
        direct_costs=Decimal("9000"),
        overheads=Decimal("1000"),
        overheads_basis="A tenth of running costs",
        eligibility_confirmed=True,
    )
    fields.update(changes)
    return services.application_submit(
        opportunity=opportunity, applicant=applicant, by=by, today=TODAY - 20 * DAY, **fields
    )


def award_made(world, *, application=None, **changes):
    fields = dict(
        kind="grant",
        title="Community project grant",
        description="A year of community work.",
        amount=Decimal("10000"),
        overheads=Decimal("1000"),
        award_date=TODAY - 5 * DAY,
        agreed_on=TODAY - 3 * DAY,
        starts_on=TODAY + 70 * DAY,
        ends_on=TODAY + 434 * DAY,
        length_reason="",
    )
    fields.update(changes)
    return services.award_create(
        funder=world.council,
        recipient=world.charity,
        version=world.version,
        application=application,
        by=world.user("council_officer"),
        today=TODAY,
        **fields,
    )


def story_made(world: World) -> World:
    """A plan, an open programme with two applications decided (one lost, with
    reasons), the winner's award with a payment, a return, a risk, a wind-down notice,
    and a draft opportunity nobody else may see."""
    officer = world.user("council_officer")
    plan = services.plan_create(
        version=world.version,
        commissioner=world.council,
        title="Wellbeing plan",
        summary="Wellbeing services.",
        by=officer,
        today=TODAY,
    )
    opportunity = opportunity_made(world)
    won = application_made(world, opportunity, world.charity, by=world.user("charity_officer"))
    lost = application_made(
        world, opportunity, world.rival, by=world.user("rival_officer"), title="Rival bid"
    )
    services.application_decide(
        application=won,
        successful=True,
        reasons="",
        decided_on=TODAY - 5 * DAY,
        notified_on=TODAY - 4 * DAY,
        by=officer,
        today=TODAY,
    )
    services.application_decide(
        application=lost,
        successful=False,
        reasons="Confidential scoring notes about the rival.",
        decided_on=TODAY - 5 * DAY,
        notified_on=None,
        by=officer,
        today=TODAY,
    )
    award = award_made(world, application=won)
    payment = services.payment_schedule(
        award=award,
        due_on=TODAY + 60 * DAY,
        amount=Decimal("5000"),
        expenditure_starts_on=TODAY + 70 * DAY,
        note="First half",
        by=officer,
        today=TODAY,
    )
    item = services.return_expect(
        award=award, period="First quarter", due_on=TODAY + 160 * DAY, by=officer, today=TODAY
    )
    services.return_receive(
        item=item, received_on=TODAY, summary="All well.", by=officer, today=TODAY
    )
    services.risk_record(
        award=award,
        description="Secret risk about the venue",
        held_by="recipient",
        mitigation="",
        by=officer,
        today=TODAY,
    )
    draft = services.opportunity_create(
        by=officer,
        today=TODAY,
        version=world.version,
        funder=world.council,
        plan=None,
        kind="contract",
        code="draft-contract",
        title="Draft contract not yet published",
        description="Draft.",
        amount_available=Decimal("1000"),
        opens_on=TODAY + 10 * DAY,
        closes_on=TODAY + 40 * DAY,
        decisions_by=TODAY + 50 * DAY,
        service_starts_on=TODAY + 90 * DAY,
    )
    world.things.update(
        plan=plan,
        opportunity=opportunity,
        won=won,
        lost=lost,
        award=award,
        payment=payment,
        item=item,
        draft=draft,
    )
    return world


@pytest.fixture(name="world")
def world_fixture(db, monkeypatch) -> World:
    monkeypatch.setattr(views, "today", lambda: TODAY)
    return make_world()


@pytest.fixture(name="story")
def story_fixture(world) -> World:
    return story_made(world)


def sign_in(client, world: World, role: str):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return user
