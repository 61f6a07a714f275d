"""Organisations, people and obligations for the page tests, made directly.

Who is who (the same names in every test):

- Testshire Council owes things; Testshire Community Trust is owed them.
- `member` sees the council's private pages; `officer` and `administrator` act for it.
- `trust_officer` acts for the trust, so sees what is owed to it, and changes nothing
  of the council's.
- `outsider` is signed in and belongs to nothing: an outsider who must see nothing.
- `staff` is the compact support team: sees every obligation, acts for no one.

The compact is the invented Testshire one of the compacts tests, with one standard of
each dated rule kind, so every form and every exception kind can be reached. Views read
the day from `views.common.today`; the `world` fixture fixes it at TODAY. A test module
imports the fixtures by their function names (`world_fixture`, `fixed_today_fixture`).
"""

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import CompactVersion, Standard
from localcompact.compacts.services import compact_load
from localcompact.compacts.tests.conftest import clause, tiny_definition, write
from localcompact.obligations.models import Activity, Obligation
from localcompact.obligations.services import obligation_excuse, obligations_sync
from localcompact.obligations.views import common
from localcompact.organisations.models import Membership, Organisation, Role

TODAY = dt.date(2026, 3, 4)  # a Wednesday, with no bank holiday near it
LOADED = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery staple"

ROLES = ("anonymous", "outsider", "member", "officer", "administrator", "trust_officer", "staff")


def _standard(ident, title, rule, params, exception=None, ref="4.1", code="consultation"):
    return {
        "id": ident,
        "title": title,
        "summary": f"Invented standard: {title.lower()}.",
        "code": code,
        "applies_to": "activity",
        "owed_by": "public-sector",
        "owed_to": "vcs",
        "rule": rule,
        "params": params,
        "strictness": "must",
        "exception": exception,
        "clause": clause(ref),
    }


def compact_definition(*, name_missed: bool = False, extra_titles: dict | None = None) -> dict:
    """The tiny Testshire compact with one standard of each dated rule kind.

    Standards: `consultation-period-0` (12 weeks, by agreement, 3.0), `meeting-notice`
    (4 weeks' notice, no exception, 4.1), `reply-within` (10 working days, extendable by
    agreement, 4.2), `decision-record` (a record by the decision, stated reasons, 4.3),
    `agreed-notice` (notice agreed case by case, no exception, 4.4).
    """
    data = tiny_definition()
    data["codes"].append(
        {
            "slug": "meetings",
            "title": "Meetings code",
            "summary": "How meetings are run.",
            "clause": clause("5"),
            "undertakings": [],
        }
    )
    data["standards"] += [
        _standard(
            "meeting-notice",
            "Four weeks' notice of meetings",
            "notice_before_event",
            {"notice": {"count": 4, "unit": "weeks"}, "event": "meeting"},
            ref="4.1",
            code="meetings",
        ),
        _standard(
            "reply-within",
            "A reply within ten working days",
            "respond_within",
            {"limit": {"count": 10, "unit": "working_days"}, "after": "received"},
            {"kind": "extended_by_agreement", "summary": "Longer if both sides agree."},
            ref="4.2",
        ),
        _standard(
            "decision-record",
            "Reasons for the decision recorded",
            "required_record",
            {"fields": ["decision", "reasons"], "by": "decision"},
            {"kind": "stated_reasons", "summary": "Not recorded, with the reasons stated."},
            ref="4.3",
        ),
        _standard(
            "agreed-notice",
            "Notice of the end of funding, as agreed",
            "notice_before_event",
            {"notice": "agreed", "event": "funding-ends"},
            ref="4.4",
            code="meetings",
        ),
    ]
    for standard in data["standards"]:
        if extra_titles and standard["id"] in extra_titles:
            standard["title"] = extra_titles[standard["id"]]
    if name_missed:
        data["compliance"] = {"name_missed": True}
    return data


def load_testshire(folder: Path, **kwargs) -> CompactVersion:
    folder.mkdir(parents=True, exist_ok=True)
    result = compact_load(
        definition=read_definition(write(folder, compact_definition(**kwargs))), now=LOADED
    )
    return CompactVersion.objects.get(compact__slug=result.slug, number=result.version)


_numbers = itertools.count(1)


def make_user(name: str, *, staff: bool = False):
    return get_user_model().objects.create_user(
        f"{name}-{next(_numbers)}",
        password=PASSWORD,
        first_name=name.replace("_", " ").capitalize(),
        is_staff=staff,
    )


def make_organisation(name: str, *, sector: str = "public") -> Organisation:
    slug = name.lower().replace(" ", "-")
    return Organisation.objects.create(name=name, slug=slug, sector=sector)


def join(user, organisation: Organisation, role: str = Role.MEMBER) -> Membership:
    return Membership.objects.create(user=user, organisation=organisation, role=role)


@dataclass
class World:
    version: CompactVersion
    council: Organisation
    trust: Organisation
    users: dict = field(default_factory=dict)

    def standard(self, ident: str) -> Standard:
        return self.version.standards.get(ident=ident)

    def user(self, role: str):
        return self.users.get(role)


def make_world(version: CompactVersion) -> World:
    council = make_organisation("Testshire Council")
    trust = make_organisation("Testshire Community Trust", sector="vcs")
    world = World(version=version, council=council, trust=trust)
    world.users["outsider"] = make_user("outsider")
    for role in (Role.MEMBER, Role.OFFICER, Role.ADMINISTRATOR):
        world.users[role.value] = user = make_user(role.value)
        join(user, council, role)
    world.users["trust_officer"] = user = make_user("trust_officer")
    join(user, trust, Role.OFFICER)
    world.users["staff"] = make_user("staff", staff=True)
    return world


def record(
    world: World,
    ident: str,
    *,
    title: str = "An activity",
    start_on: dt.date,
    end_on: dt.date | None = None,
    agreed_due_on: dt.date | None = None,
    done_on: dt.date | None = None,
    owed_to=None,
    owed_by: Organisation | None = None,
    today: dt.date = TODAY,
) -> tuple[Activity, Obligation]:
    """An activity under the standard `ident`, and the obligation it declares."""
    activity = Activity.objects.create(
        standard=world.standard(ident),
        title=title,
        owed_by=owed_by or world.council,
        start_on=start_on,
        end_on=end_on,
        agreed_due_on=agreed_due_on,
        done_on=done_on,
        recorded_by=world.user("officer"),
    )
    activity.owed_to.set([world.trust] if owed_to is None else owed_to)
    (obligation,) = obligations_sync(source=activity, today=today, by=world.user("officer"))
    return activity, obligation


def in_each_section(
    world: World,
    n: int,
    *,
    owed_by: Organisation | None = None,
    ident: str = "decision-record",
    title: str = "",
) -> list[Obligation]:
    """`n` obligations spread over the dashboard's sections in turn (due soon, missed,
    not yet due, met recently, excused), under a required-record standard that allows
    an exception (by default Testshire's decision-record)."""
    day = dt.timedelta(days=1)
    plans = [  # (what, needed by, done on)
        ("Due soon", TODAY + 2 * day, None),
        ("Missed", TODAY - 10 * day, None),
        ("Not yet due", TODAY + 40 * day, None),
        ("Met", TODAY - 5 * day, TODAY - 6 * day),
        ("Excused", TODAY - 3 * day, None),
    ]
    made = []
    for i in range(n):
        what, needed_by, done_on = plans[i % 5]
        _, obligation = record(
            world,
            ident,
            title=f"{title or what} {i + 1}",
            start_on=needed_by,
            done_on=done_on,
            owed_by=owed_by,
        )
        if what == "Excused":
            obligation = obligation_excuse(
                obligation=obligation,
                kind=obligation.standard.exception_kind,
                reason="The decision was deferred.",
                today=TODAY,
                by=world.user("officer"),
            )
        made.append(obligation)
    return made


# Fixtures: a test module imports `world_fixture` (and so on) and asks for `world`.


@pytest.fixture(name="fixed_today")
def fixed_today_fixture(monkeypatch):
    monkeypatch.setattr(common, "today", lambda: TODAY)
    return TODAY


@pytest.fixture(name="world")
def world_fixture(db, tmp_path, monkeypatch) -> World:
    monkeypatch.setattr(common, "today", lambda: TODAY)
    return make_world(load_testshire(tmp_path / "compact"))


def sign_in(client, world: World, role: str):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return user
