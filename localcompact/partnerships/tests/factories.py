"""A cast for the partnership tests, under the real Herefordshire compact.

Who is who (the same names in every test):

- Testshire Council convenes the Testshire Partnership Board; Testshire Community Trust
  (a charity) sits on it; Testshire Voluntary Action is an infrastructure body;
  Elsewhere Housing is an organisation that has nothing to do with the board.
- `officer` and `administrator` act for the council, so run the board; `member`
  belongs to the council and sees the board's records but changes nothing.
- `partner` is the trust's officer: a participant, who confirms access and acts on
  requests for the trust; `partner_member` belongs to the trust.
- `elsewhere` acts for Elsewhere Housing: signed in, a partner of no one here.
- `outsider` is signed in and belongs to nothing: an outsider who must see nothing.
- `support` is Herefordshire's support team; `other_support` Leicester's only;
  `staff` is staff.

The board's terms of reference are complete: it decides by majority vote, quorum 2,
with three members (council voting, trust voting, an adviser without a vote).
"""

import datetime as dt
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from localcompact.compacts.models import Compact
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Kind,
    Membership,
    Organisation,
    Role,
    Signature,
)
from localcompact.partnerships import services, views
from localcompact.partnerships.models import Meeting, PartnershipGroup

TODAY = dt.date(2026, 3, 4)  # a Wednesday, with no bank holiday near it
PASSWORD = "correct horse battery staple"

ROLES = (
    "anonymous",
    "outsider",
    "elsewhere",
    "member",
    "officer",
    "administrator",
    "partner",
    "partner_member",
    "support",
    "other_support",
    "staff",
)

_numbers = itertools.count(1)


def make_user(name: str, *, staff: bool = False):
    return get_user_model().objects.create_user(
        f"{name}-{next(_numbers)}",
        email=f"{name}-{next(_numbers)}@example.org",
        password=PASSWORD,
        first_name=name.replace("_", " ").capitalize(),
        is_staff=staff,
    )


def make_organisation(name: str, *, sector: str = "public", kind: str = Kind.OTHER):
    slug = name.lower().replace(" ", "-")
    return Organisation.objects.create(name=name, slug=slug, sector=sector, kind=kind)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


@dataclass
class Cast:
    compact: Compact
    council: Organisation
    trust: Organisation
    infra: Organisation
    elsewhere: Organisation
    group: PartnershipGroup
    users: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)

    def user(self, role: str):
        return self.users.get(role)

    @property
    def officer(self):
        return self.users["officer"]


def make_cast() -> Cast:
    compact = Compact.objects.select_related("current_version").get(slug="herefordshire")
    council = make_organisation("Testshire Council")
    trust = make_organisation("Testshire Community Trust", sector="vcs")
    infra = make_organisation("Testshire Voluntary Action", sector="vcs", kind=Kind.INFRASTRUCTURE)
    elsewhere = make_organisation("Elsewhere Housing", sector="vcs")
    users = {"outsider": make_user("outsider"), "staff": make_user("staff", staff=True)}
    for name, organisation, role in [
        ("member", council, Role.MEMBER),
        ("officer", council, Role.OFFICER),
        ("administrator", council, Role.ADMINISTRATOR),
        ("partner", trust, Role.OFFICER),
        ("partner_member", trust, Role.MEMBER),
        ("elsewhere", elsewhere, Role.OFFICER),
    ]:
        users[name] = make_user(name)
        Membership.objects.create(user=users[name], organisation=organisation, role=role)
    users["support"] = make_user("support")
    CompactRole.objects.create(
        compact=compact, user=users["support"], kind=CompactRoleKind.SUPPORT_TEAM
    )
    users["other_support"] = make_user("other_support")
    CompactRole.objects.create(
        compact=Compact.objects.get(slug="leicester"),
        user=users["other_support"],
        kind=CompactRoleKind.SUPPORT_TEAM,
    )
    for organisation in (council, trust, infra, elsewhere):
        Signature.objects.create(
            compact=compact,
            version=compact.current_version,
            organisation=organisation,
            organisation_name=organisation.name,
            signatory_name="A Signatory",
            signatory_position="Chief executive",
            signed_on=TODAY - dt.timedelta(days=300),
            method=Signature.Method.ONLINE,
        )
    officer = users["officer"]
    group = services.group_create(
        compact=compact,
        convener=council,
        name="Testshire Partnership Board",
        kind="board",
        set_up_on=TODAY - dt.timedelta(days=60),
        by=officer,
        today=TODAY - dt.timedelta(days=60),
    )
    cast = Cast(compact, council, trust, infra, elsewhere, group, users)
    for key, organisation, role, voting in [
        ("chair", council, "decision_making", True),
        ("trust", trust, "decision_making", True),
        ("adviser", trust, "advisory", False),
    ]:
        cast.members[key] = services.member_add(
            group=group,
            organisation=organisation,
            name=f"{key.capitalize()} Person",
            role=role,
            voting=voting,
            represents="own_organisation",
            constituency="",
            joined_on=TODAY - dt.timedelta(days=60),
            by=officer,
            today=TODAY - dt.timedelta(days=60),
            user=users["partner"] if key == "trust" else None,
        )
    complete_terms(group, officer, today=TODAY - dt.timedelta(days=59))
    cast.group.refresh_from_db()
    return cast


def complete_terms(group, by, *, today=TODAY, **changes):
    values = {
        "aims_and_tasks": "Plan and review local health services together.",
        "authority": "decides",
        "decision_method": "majority",
        "finality": "can_be_overturned",
        "overturned_where": "The council's cabinet",
        "quorum": 2,
        "representation_sought": "",
        "electronic_means": "E-mail",
    }
    values.update(changes)
    return services.terms_update(group=group, by=by, today=today, **values)


def meeting(cast: Cast, *, days: int, title: str = "Board meeting", decision_making=True):
    day = TODAY + dt.timedelta(days=days)
    return services.meeting_schedule(
        group=cast.group,
        title=title,
        starts_at=at(day),
        location="Town hall",
        decision_making=decision_making,
        by=cast.officer,
        today=TODAY,
    )


def held(cast: Cast, m: Meeting, *, present=("chair", "trust", "adviser")) -> Meeting:
    """The meeting, held, with attendance recorded (members not named sent apologies)."""
    statuses = {member.pk: "absent" for member in cast.group.members.current()}
    statuses.update(
        {
            member.pk: ("present" if key in present else "apologies")
            for key, member in cast.members.items()
        }
    )
    services.attendance_record(meeting=m, statuses=statuses, by=cast.officer, today=TODAY)
    m.refresh_from_db()
    return m


@pytest.fixture(name="two_compacts")
def two_compacts_fixture(db):
    """Herefordshire's definition (the partnership standards) and Leicester's (another
    compact for another support team), loaded: quicker than all four."""
    folder = Path(settings.COMPACT_DEFINITIONS_DIR)
    for name in ("herefordshire.yaml", "leicester.yaml"):
        call_command("load_compacts", str(folder / name), stdout=io.StringIO())


@pytest.fixture(name="cast")
def cast_fixture(two_compacts, monkeypatch) -> Cast:
    monkeypatch.setattr(views, "today", lambda: TODAY)
    return make_cast()


def sign_in(client, cast: Cast, role: str):
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return user
