"""Who is who in the notices tests (the same names everywhere).

- Testshire Council (public) issues notices: `officer` and `administrator` act for it,
  `member` sees its pages and changes nothing.
- Testshire Community Trust (VCS) is named on restricted notices: `trust_member`
  sees them, until an embargo lifts, as the council does.
- Testshire Youth Club (VCS) signed too but is never named: `club_officer` must see
  no restricted notice.
- Otherton Council (public) issues notices of its own: `other_officer`.
- `outsider` is signed in and belongs to nothing; `support` is the support team (staff):
  neither gains anything on restricted notices.

Herefordshire's definition (its 4-week informing standard) and City Together's (no
informing standard) are loaded from the shipped files. The clock is fixed: NOW.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import Compact
from localcompact.compacts.services import compact_load
from localcompact.notices import views
from localcompact.notices.models import Restriction
from localcompact.notices.services import Explained, notice_create, notice_publish
from localcompact.organisations.models import Membership, Organisation, Role, Signature

NOW = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))  # a Wednesday
TODAY = NOW.date()
DAY = dt.timedelta(days=1)
PASSWORD = "correct horse battery staple"
ROLES = (
    "anonymous",
    "outsider",
    "member",
    "officer",
    "administrator",
    "trust_member",
    "club_officer",
    "other_officer",
    "support",
)


@functools.cache
def definition(slug: str):
    """The shipped definition, read and checked once per test run (that is the slow part)."""
    return read_definition(Path(settings.COMPACT_DEFINITIONS_DIR) / f"{slug}.yaml")


def load(*slugs: str) -> None:
    for slug in slugs:
        compact_load(definition=definition(slug), now=NOW)


@dataclass
class World:
    herefordshire: Compact
    city: Compact
    council: Organisation
    trust: Organisation
    club: Organisation
    other: Organisation
    users: dict = field(default_factory=dict)

    def user(self, role: str):
        return self.users.get(role)


def organisation(name: str, slug: str, sector: str, *compacts: Compact) -> Organisation:
    org = Organisation.objects.create(name=name, slug=slug, sector=sector)
    for compact in compacts:
        Signature.objects.create(
            compact=compact,
            version=compact.current_version,
            organisation=org,
            organisation_name=name,
            signatory_name="A Signatory",
            signatory_position="Chief executive",
            signed_on=TODAY - 100 * DAY,
            method=Signature.Method.ONLINE,
        )
    return org


def person(username: str, org: Organisation | None = None, role: str = Role.OFFICER, **kw):
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password=PASSWORD, **kw
    )
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def world_made() -> World:
    load("herefordshire", "city-together")
    here = Compact.objects.get(slug="herefordshire")
    city = Compact.objects.get(slug="city-together")
    world = World(
        herefordshire=here,
        city=city,
        council=organisation("Testshire Council", "testshire-council", "public", here, city),
        trust=organisation("Testshire Community Trust", "testshire-trust", "vcs", here, city),
        club=organisation("Testshire Youth Club", "testshire-club", "vcs", here),
        other=organisation("Otherton Council", "otherton-council", "public", here),
    )
    world.users = {
        "outsider": person("outsider"),
        "member": person("member", world.council, Role.MEMBER),
        "officer": person("officer", world.council, Role.OFFICER),
        "administrator": person("administrator", world.council, Role.ADMINISTRATOR),
        "trust_member": person("trust_member", world.trust, Role.MEMBER),
        "club_officer": person("club_officer", world.club, Role.OFFICER),
        "other_officer": person("other_officer", world.other, Role.OFFICER),
        "support": person("support", is_staff=True),
    }
    return world


@pytest.fixture
def world(db, monkeypatch) -> World:
    monkeypatch.setattr(views, "now", lambda: NOW)
    return world_made()


def data(**changes) -> dict:
    values = {
        "title": "Bin collections move to Thursdays",
        "decision": "Collections in the north move from Monday to Thursday.",
        "decided_on": TODAY - 7 * DAY,
        "decided_by": "Cabinet",
        "action_required": "Put bins out on Thursdays.",
        "action_by": TODAY + 60 * DAY,
        "affected": "Households and community centres",
        "area": "North ward",
        "more_information_url": "",
        "contact": "Waste team, waste@example.org",
        "formats": ["large_print"],
        "formats_note": "",
        "restriction": Restriction.PUBLIC,
        "embargo_until": None,
        "handling": "",
    }
    values.update(changes)
    return values


def notice_made(world: World, *, publish=True, compact=None, shared_with=(), **changes):
    notice = notice_create(
        organisation=changes.pop("organisation", world.council),
        compact=compact or world.herefordshire,
        data=data(**changes),
        terms=[Explained("Trade waste", "Rubbish from a business.")],
        shared_with=list(shared_with),
        by=world.user("officer"),
        today=TODAY,
        now=NOW,
    )
    if publish:
        notice = notice_publish(notice=notice, by=world.user("officer"), today=TODAY, now=NOW)
    return notice


def embargoed(world: World, **changes):
    """Published now, embargoed for a week, named: the trust."""
    return notice_made(
        world,
        title=changes.pop("title", "Secret grants programme"),
        restriction=Restriction.EMBARGOED,
        embargo_until=NOW + 7 * DAY,
        handling="Board only until it lifts.",
        shared_with=changes.pop("shared_with", [world.trust]),
        **changes,
    )


def confidential(world: World, **changes):
    return notice_made(
        world,
        title=changes.pop("title", "Hush restructure"),
        restriction=Restriction.CONFIDENTIAL,
        handling="Senior staff only.",
        shared_with=changes.pop("shared_with", [world.trust]),
        **changes,
    )


def client_for(client, world: World, role: str):
    if role != "anonymous":
        client.force_login(world.user(role))
    return client
