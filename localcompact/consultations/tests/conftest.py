"""The people and organisations the consultation tests talk about.

- a council (public, a current signatory of Herefordshire and Leicester) with an officer
  (runs its consultations) and a member (sees its responses, changes nothing);
- a charity (voluntary sector, small) with an officer who responds for it;
- a second council with an officer of its own, who must not run the first's;
- an outsider signed in with no organisation, who must see nothing private;
- staff (the support team's pages).
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from localcompact.compacts.models import Compact
from localcompact.organisations.models import IncomeBand, Membership, Organisation, Role, Signature

from .. import services
from ..models import Method

TODAY = dt.date(2026, 3, 2)  # a Monday


def user(username: str, **extra):
    return get_user_model().objects.create_user(
        username,
        email=f"{username}@example.org",
        password="x",
        first_name=username.title(),
        **extra,
    )


class World:
    def __init__(self):
        self.compacts = {c.slug: c for c in Compact.objects.select_related("current_version")}
        self.council = Organisation.objects.create(
            name="Testford Council", slug="council", sector="public"
        )
        self.charity = Organisation.objects.create(
            name="Small Charity", slug="charity", sector="vcs", income_band=IncomeBand.UNDER_10K
        )
        self.big_charity = Organisation.objects.create(
            name="Big Charity", slug="big-charity", sector="vcs", income_band=IncomeBand.OVER_10M
        )
        self.other_council = Organisation.objects.create(
            name="Other Council", slug="other-council", sector="public"
        )
        self.officer = user("officer")
        self.member = user("member")
        self.charity_officer = user("charity_officer")
        self.other_officer = user("other_officer")
        self.outsider = user("outsider")
        self.staff = user("staff", is_staff=True)
        Membership.objects.create(user=self.officer, organisation=self.council, role=Role.OFFICER)
        Membership.objects.create(user=self.member, organisation=self.council, role=Role.MEMBER)
        Membership.objects.create(
            user=self.charity_officer, organisation=self.charity, role=Role.ADMINISTRATOR
        )
        Membership.objects.create(
            user=self.charity_officer, organisation=self.big_charity, role=Role.OFFICER
        )
        Membership.objects.create(
            user=self.other_officer, organisation=self.other_council, role=Role.OFFICER
        )
        for slug in ("herefordshire", "leicester"):
            compact = self.compacts[slug]
            for org in (self.council, self.other_council):
                Signature.objects.create(
                    compact=compact,
                    version=compact.current_version,
                    organisation=org,
                    organisation_name=org.name,
                    signatory_name="A Signatory",
                    signatory_position="Chief executive",
                    signed_on=TODAY - dt.timedelta(days=100),
                    method=Signature.Method.PAPER,
                )

    def plan(self, compact="herefordshire", *, lead=None, by=None, today=TODAY, weeks=12, **kw):
        opens = kw.pop("opens_on", today + dt.timedelta(days=7))
        fields = {
            "title": "Library opening hours",
            "summary": "We propose new opening hours for the libraries.",
            "open_to_change": "The hours on weekdays.",
            "who_affected": "Library users and staff.",
            "opens_on": opens,
            "closes_on": kw.pop("closes_on", opens + dt.timedelta(weeks=weeks)),
            "response_methods": [Method.ONLINE, Method.POST],
            "feedback_by": kw.pop("feedback_by", opens + dt.timedelta(weeks=weeks + 8)),
        }
        fields.update(kw)
        return services.consultation_plan(
            compact=self.compacts[compact],
            lead=lead or self.council,
            by=by or self.officer,
            today=today,
            **fields,
        )

    def opened(self, compact="herefordshire", **kw):
        c = self.plan(compact, **kw)
        services.consultation_open(consultation=c, by=self.officer, today=c.opens_on)
        c.refresh_from_db()
        return c


@pytest.fixture
def world(shipped_compacts):
    return World()


@pytest.fixture(autouse=True)
def fresh_cache():
    """The list's cache outlives each test's database: start every test without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
