"""Who is who in the volunteering tests.

- Testshire Council (public): `officer` and `administrator` act for it, `member` sees.
- Testshire Community Trust (VCS): `trust_officer` acts for it.
- `outsider` is signed in and belongs to nothing; `support` is staff (support team).

City Together (volunteering and inclusive-city standards) and Redcar & Cleveland
(equality policy standard) are loaded; the council and the trust signed City Together.
Views read the day from `views.today`: fixed at TODAY.
"""

import datetime as dt

import pytest

from localcompact.compacts.models import Compact
from localcompact.notices.tests.conftest import load, organisation, person
from localcompact.organisations.models import Role
from localcompact.volunteering import views
from localcompact.volunteering.services import opportunity_create

TODAY = dt.date(2026, 3, 4)
DAY = dt.timedelta(days=1)
ROLES = ("anonymous", "outsider", "member", "officer", "administrator", "trust_officer", "support")


class World:
    def __init__(self):
        load("city-together", "redcar-cleveland")
        self.city = Compact.objects.get(slug="city-together")
        self.redcar = Compact.objects.get(slug="redcar-cleveland")
        self.council = organisation("Testshire Council", "testshire-council", "public", self.city)
        self.trust = organisation("Testshire Community Trust", "testshire-trust", "vcs", self.city)
        self.users = {
            "outsider": person("outsider"),
            "member": person("member", self.council, Role.MEMBER),
            "officer": person("officer", self.council, Role.OFFICER),
            "administrator": person("administrator", self.council, Role.ADMINISTRATOR),
            "trust_officer": person("trust_officer", self.trust, Role.OFFICER),
            "support": person("support", is_staff=True),
        }

    def user(self, role):
        return self.users.get(role)


@pytest.fixture
def world(db, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: TODAY)
    return World()


def opportunity_data(**changes) -> dict:
    values = {
        "title": "Befriending volunteer",
        "role": "Visit an older neighbour each week.",
        "skills": ["care"],
        "skills_developed": "Listening",
        "area": "North ward",
        "time_asked": "weekly",
        "time_detail": "",
        "accessibility": "Step-free rooms.",
        "expenses_policy": "Bus fares repaid.",
        "training": "",
        "recognition": "",
        "contact_name": "Vol Coordinator",
        "contact_email": "volunteers@example.org",
    }
    values.update(changes)
    return values


def opportunity_made(world, organisation=None, **changes):
    return opportunity_create(
        organisation=organisation or world.council,
        data=opportunity_data(**changes),
        by=world.user("officer"),
    )


def client_for(client, world, role):
    if role != "anonymous":
        client.force_login(world.user(role))
    return client
