"""The world every permission-matrix row is checked in.

- The Leicester compact, as shipped (read once per test run, stored for each test).
- Eastbrook Borough Council (a public body): the organisation concerned. `member`,
  `officer` and `administrator` hold those roles in it (the administrator created it).
- Eastbrook Voluntary Action (a charity): the council's obligations are owed to it; no
  one in the cast belongs to it.
- `outsider`: signed in, belongs to nothing, holds no role.
- `support`: on Leicester's compact support team (a compact role, not staff).
- `staff`: a member of staff (Django's `is_staff`), on no organisation.

Everything is dated from the real today, as the pages count from it. Each app's
`prepare(world)` adds its own objects under `world.objects`.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import Compact
from localcompact.compacts.services import compact_load
from localcompact.organisations import services as organisation_services
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
    Role,
)

from .matrix import ROLES

PASSWORD = "matrix test passphrase"


@functools.cache
def _definition(slug: str):
    return read_definition(settings.COMPACT_DEFINITIONS_DIR / f"{slug}.yaml")


@dataclass
class World:
    today: dt.date
    now: dt.datetime
    compact: Compact
    organisation: Organisation
    partner: Organisation
    users: dict = field(default_factory=dict)
    objects: SimpleNamespace = field(default_factory=SimpleNamespace)

    def user(self, role: str):
        return self.users.get(role)


def _person(name: str, **extra):
    return get_user_model().objects.create_user(
        f"matrix-{name}",
        email=f"{name}@matrix.example.org",
        password=PASSWORD,
        first_name=name.capitalize(),
        last_name="Tester",
        **extra,
    )


def world_made() -> World:
    now = timezone.now()
    compact_load(definition=_definition("leicester"), now=now - dt.timedelta(days=90))
    compact = Compact.objects.get(slug="leicester")
    users = {"anonymous": None}
    for name in ("outsider", "member", "officer", "administrator", "support"):
        users[name] = _person(name)
    users["staff"] = _person("staff", is_staff=True)
    organisation = organisation_services.organisation_create(
        name="Eastbrook Borough Council",
        sector="public",
        kind="council",
        created_by=users["administrator"],
    )
    for role in (Role.OFFICER, Role.MEMBER):
        Membership.objects.create(user=users[role.value], organisation=organisation, role=role)
    partner = Organisation.objects.create(
        name="Eastbrook Voluntary Action", slug="eastbrook-voluntary-action", sector="vcs"
    )
    CompactRole.objects.create(
        compact=compact, user=users["support"], kind=CompactRoleKind.SUPPORT_TEAM
    )
    assert set(users) == set(ROLES)
    return World(
        today=timezone.localdate(now),
        now=now,
        compact=compact,
        organisation=organisation,
        partner=partner,
        users=users,
    )
