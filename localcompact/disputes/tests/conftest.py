"""The cast of the disagreement tests, and helpers to walk a case.

Who is who:

- Leicester, Herefordshire and City Together are loaded. Northfield Council (public),
  Northfield Community Action (a charity) and Riverside Youth Trust have signed
  Leicester; Lone Street Club has signed nothing.
- `council_officer` acts for the council, `charity_admin` administers the charity,
  `charity_member` is only a member of it (sees no case), `trust_officer` acts for the
  trust, `club_officer` acts for Lone Street Club (an outsider organisation).
- `chair` chairs Leicester's dispute subgroup; `member_one` and `member_two` sit on it;
  `conflicted` sits on it too but is a member of the charity.
- `mediator` has an account and no role until a case appoints them.
- `support` is on Leicester's support team, `working_group` is in Herefordshire's
  working group (a steering-group role), `staff` is staff: none of them sees a case
  unless the procedure involves them.
- `outsider` is signed in and belongs to nothing: an outsider who must see nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import Compact
from localcompact.compacts.services import compact_load
from localcompact.disputes import services
from localcompact.disputes.models import Case
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
    Role,
    Signature,
)

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 2)  # a Monday
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@functools.cache
def definition(slug: str):
    return read_definition(settings.COMPACT_DEFINITIONS_DIR / f"{slug}.yaml")


@dataclass
class Cast:
    leicester: Compact
    herefordshire: Compact
    city: Compact
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        for bag in ("users", "orgs"):
            if name in self.__dict__.get(bag, {}):
                return self.__dict__[bag][name]
        raise AttributeError(name)


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(
        username,
        email=f"{username}@example.org",
        password="correct horse battery staple",
        first_name=username.replace("_", " ").title(),
        last_name="Tester",
        **extra,
    )


def make_cast() -> Cast:
    for slug in ("leicester", "herefordshire", "city-together"):
        compact_load(definition=definition(slug), now=NOW)
    cast = Cast(
        leicester=Compact.objects.get(slug="leicester"),
        herefordshire=Compact.objects.get(slug="herefordshire"),
        city=Compact.objects.get(slug="city-together"),
    )
    for slug, name, sector in [
        ("council", "Northfield Council", "public"),
        ("charity", "Northfield Community Action", "vcs"),
        ("trust", "Riverside Youth Trust", "vcs"),
        ("club", "Lone Street Club", "vcs"),
    ]:
        cast.orgs[slug] = Organisation.objects.create(name=name, slug=slug, sector=sector)
    for username, org, role in [
        ("council_officer", "council", Role.OFFICER),
        ("charity_admin", "charity", Role.ADMINISTRATOR),
        ("charity_member", "charity", Role.MEMBER),
        ("trust_officer", "trust", Role.OFFICER),
        ("club_officer", "club", Role.OFFICER),
    ]:
        cast.users[username] = make_user(username)
        Membership.objects.create(user=cast.users[username], organisation=cast.orgs[org], role=role)
    for username in (
        "chair",
        "member_one",
        "member_two",
        "conflicted",
        "mediator",
        "support",
        "working_group",
        "outsider",
    ):
        cast.users[username] = make_user(username)
    cast.users["staff"] = make_user("staff", is_staff=True)
    Membership.objects.create(user=cast.conflicted, organisation=cast.charity, role=Role.MEMBER)
    for username, compact, kind in [
        ("chair", cast.leicester, CompactRoleKind.SUBGROUP_CHAIR),
        ("member_one", cast.leicester, CompactRoleKind.SUBGROUP_MEMBER),
        ("member_two", cast.leicester, CompactRoleKind.SUBGROUP_MEMBER),
        ("conflicted", cast.leicester, CompactRoleKind.SUBGROUP_MEMBER),
        ("support", cast.leicester, CompactRoleKind.SUPPORT_TEAM),
        ("working_group", cast.herefordshire, CompactRoleKind.STEERING_GROUP),
        ("working_group", cast.city, CompactRoleKind.STEERING_GROUP),
    ]:
        CompactRole.objects.create(compact=compact, user=cast.users[username], kind=kind)
    for org in ("council", "charity", "trust"):
        for compact in (cast.leicester, cast.herefordshire):
            Signature.objects.create(
                compact=compact,
                version=compact.current_version,
                organisation=cast.orgs[org],
                organisation_name=cast.orgs[org].name,
                signatory_name="A Signatory",
                signatory_position="Chief executive",
                signed_on=dt.date(2025, 6, 1),
                method=Signature.Method.ONLINE,
            )
    return cast


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


def pdf(name: str = "statement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def raise_leicester(cast, *, today=TODAY, others=None, informal_failure=None, by=None) -> Case:
    return services.case_raise(
        compact=cast.leicester,
        organisation=cast.charity,
        others=others if others is not None else [cast.council],
        about="compact",
        title="Consultation on youth services closed after three weeks",
        opening={"informal-failure": informal_failure or today},
        by=by or cast.charity_admin,
        today=today,
    )


ANSWERS = {
    "submit-in-writing": {
        "steps-already-taken": "Two meetings with the service manager.",
        "why-steps-failed": "The council said the timetable could not change.",
        "outcome-sought": "The consultation reopened for the full twelve weeks.",
        "stages-wanted": "Mediation first.",
    },
    "chair-proposes-mediation": {"guidance": "Both sides should meet with a mediator."},
    "chair-sends-to-appeal": {"notice": "Stage three will be used."},
    "chair-declares-not-applicable": {"reasons": "This is about a contract."},
    "agree-mediation": {},
    "decline-mediation": {"reason": "We would rather go to appeal."},
    "start-mediation": {"mediator": "mediator@example.org", "fee-arrangement": "Shared equally."},
    "mediation-succeeds": {"agreement-summary": "The consultation reopens in May."},
    "mediation-fails": {"note": "No agreement was reached."},
    "give-stage-three-notice": {"notice": "Stage three will now be used."},
    "submit-appeal-papers": {
        "mediation-was-used": True,
        "why-mediation-failed": "No movement.",
        "outcome-sought": "A finding of breach.",
        "reasons-requested": True,
    },
    "circulate-papers": {"subgroup-meeting": dt.date(2026, 4, 20)},
    "send-written-comments": {"comments": "We disagree with the council's account."},
    "subgroup-meets": {"hearing-held": False},
    "make-findings": {
        "finding": "breach",
        "statement-of-disagreement": (
            "Whether the council consulted the voluntary sector for long enough."
        ),
        "reasons": "The consultation ran for three weeks, not twelve.",
    },
    "withdraw": {"withdrawal-note": "Both sides agreed to withdraw on settling the matter."},
}
DOCUMENTS = {
    "mediation-succeeds": {"agreement": "agreement.pdf"},
    "submit-appeal-papers": {"bundle": "bundle.pdf"},
}


def step(case: Case, move: str, by, *, today=TODAY, answers=None, documents=None) -> Case:
    """Take a step with the usual answers (overridden by `answers`)."""
    case.refresh_from_db()
    given = {**ANSWERS.get(move, {}), **(answers or {})}
    if move == "subgroup-meets" and "members-present" not in given:
        members = [u for u in get_user_model().objects.filter(username__in=["chair", "member_one"])]
        given["members-present"] = [str(u.pk) for u in members]
    if documents is None:
        documents = {record: pdf(name) for record, name in DOCUMENTS.get(move, {}).items()}
    return services.case_move(
        case=case,
        move=move,
        by=by,
        revision=case.revision,
        today=today,
        answers=given,
        documents=documents,
    )


def refusal(call, **kwargs) -> services.Refused:
    with pytest.raises(services.Refused) as caught:
        call(**kwargs)
    return caught.value


def to_appeal(cast, case: Case, today=TODAY) -> Case:
    """From raised to a finding made, with a failed mediation on the way."""
    step(case, "submit-in-writing", cast.charity_admin, today=today)
    step(case, "chair-proposes-mediation", cast.chair, today=today)
    step(case, "agree-mediation", cast.charity_admin, today=today)
    step(case, "agree-mediation", cast.council_officer, today=today)
    step(case, "start-mediation", cast.council_officer, today=today)
    step(case, "mediation-fails", cast.mediator, today=today)
    step(case, "give-stage-three-notice", cast.chair, today=today)
    step(case, "submit-appeal-papers", cast.charity_admin, today=today)
    step(case, "submit-appeal-papers", cast.council_officer, today=today)
    step(case, "circulate-papers", cast.chair, today=today)
    step(case, "send-written-comments", cast.charity_admin, today=today)
    step(case, "send-written-comments", cast.council_officer, today=today)
    step(case, "subgroup-meets", cast.member_one, today=today)
    case = step(case, "make-findings", cast.member_one, today=today)
    return case
