import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from localcompact.api.services import token_create
from localcompact.organisations.models import Role
from localcompact.organisations.tests.test_register_fixtures import (
    member_made,
    organisation_made,
    person_made,
)


def token_for(user, *scopes, expires_on: dt.date | None = None) -> str:
    _, text = token_create(
        user=user, name="Test", scopes=list(scopes), expires_on=expires_on, now=timezone.now()
    )
    return text


class ApiClient(Client):
    """A test client that speaks JSON and can carry a token."""

    def __init__(self, token: str | None = None):
        super().__init__()
        self.token = token

    def _headers(self, extra):
        if self.token:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return extra

    def get(self, path, data=None, **extra):
        return super().get(path, data, **self._headers(extra))

    def post(self, path, data=None, **extra):
        return super().post(path, data, content_type="application/json", **self._headers(extra))

    def put(self, path, data=None, **extra):
        return super().put(path, data, content_type="application/json", **self._headers(extra))


@pytest.fixture
def council(db):
    return organisation_made("Northfield Council", sector="public")


@pytest.fixture
def charity(db):
    return organisation_made("Riverside Youth Trust", identifiers=("GB-CHC-1234567",))


@pytest.fixture
def officer(council):
    return member_made("olivia", council, Role.OFFICER)


@pytest.fixture
def outsider(db):
    return person_made("olly")


# --- A scene for the writes: two organisations, their people, and one of each record ---------


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


WEEKS = 13  # longer than any shipped compact's minimum consultation period


def consultation_planned(lead, by, *, today=None, opens_on=None, title="Library opening hours"):
    """A consultation on Leicester's compact, through the planning service."""
    from localcompact.compacts.models import Compact
    from localcompact.consultations.services import consultation_plan

    today = today or timezone.localdate()
    opens_on = opens_on or today + dt.timedelta(days=14)
    return consultation_plan(
        compact=Compact.objects.get(slug="leicester"),
        lead=lead,
        by=by,
        today=today,
        title=title,
        summary="We propose new opening hours for the libraries.",
        open_to_change="The hours on weekdays.",
        who_affected="Library users and staff.",
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(weeks=WEEKS),
        feedback_by=opens_on + dt.timedelta(weeks=WEEKS + 8),
    )


def consultation_opened(lead, by, *, title="Parks"):
    """Open since ten days ago, until 13 weeks after that."""
    from localcompact.consultations.services import consultation_open

    opened_on = days(-10)
    made = consultation_planned(
        lead, by, today=opened_on - dt.timedelta(days=14), opens_on=opened_on, title=title
    )
    consultation_open(consultation=made, by=by, today=opened_on)
    made.refresh_from_db()
    return made


def consultation_analysed(lead, by, *, title="Bus routes"):
    """Opened 200 days ago, closed when its 13 weeks were up, now being analysed."""
    from localcompact.consultations.services import (
        consultation_close,
        consultation_open,
        consultation_start_analysis,
    )

    start = days(-200)
    made = consultation_planned(
        lead, by, today=start - dt.timedelta(days=14), opens_on=start, title=title
    )
    consultation_open(consultation=made, by=by, today=start)
    after = made.closes_on + dt.timedelta(days=1)
    consultation_close(consultation=made, by=by, today=after)
    consultation_start_analysis(consultation=made, by=by, today=after)
    made.refresh_from_db()
    return made


class Scene:
    """Leicester's compact; Northfield Council (a public body that has signed it) with an
    officer and a plain member; Riverside Youth Trust (a charity) with its officer;
    Leicester's support team member and Herefordshire's; a planned and an open
    consultation of the council, the trust's draft response to the open one, a meeting
    of Leicester's compact, and the council's award to the trust with one payment."""

    def __init__(self):
        from localcompact.compacts.models import Compact
        from localcompact.consultations.services import response_save
        from localcompact.funding.services import award_create, payment_schedule
        from localcompact.governance.services import meeting_create
        from localcompact.organisations.models import CompactRole, CompactRoleKind
        from localcompact.organisations.tests.test_register_fixtures import signed

        self.leicester = Compact.objects.get(slug="leicester")
        self.herefordshire = Compact.objects.get(slug="herefordshire")
        self.council = organisation_made("Northfield Council", sector="public")
        self.charity = organisation_made("Riverside Youth Trust", identifiers=("GB-CHC-1234567",))
        signed(self.council, self.leicester, days(-400))
        signed(self.charity, self.leicester, days(-300))
        self.officer = member_made("olivia", self.council, Role.OFFICER)
        self.member = member_made("mo", self.council, Role.MEMBER)
        self.trust_officer = member_made("tess", self.charity, Role.OFFICER)
        self.trust_member = member_made("tom", self.charity, Role.MEMBER)
        self.support = person_made("sue")
        self.other_support = person_made("hal")
        CompactRole.objects.create(
            compact=self.leicester, user=self.support, kind=CompactRoleKind.SUPPORT_TEAM
        )
        CompactRole.objects.create(
            compact=self.herefordshire, user=self.other_support, kind=CompactRoleKind.SUPPORT_TEAM
        )
        # planned a fortnight ago, opening today
        self.planned = consultation_planned(
            self.council, self.officer, today=days(-14), opens_on=days(0), title="Parking"
        )
        self.open = consultation_opened(self.council, self.officer)
        self.response, _ = response_save(
            consultation=self.open,
            kind="organisation",
            by=self.trust_officer,
            today=timezone.localdate(),
            submit=False,
            organisation=self.charity,
            represents="Our members",
            views_gathered="A members' meeting",
            answer="Keep the evening hours.",
        )
        self.meeting = meeting_create(
            compact=self.leicester,
            title="Annual meeting",
            on=days(40),
            place="Town hall",
            by=self.support,
            today=timezone.localdate(),
        )
        self.past_meeting = meeting_create(
            compact=self.leicester,
            title="Partnership board",
            on=days(-5),
            by=self.support,
            today=days(-30),
        )
        self.analysed = consultation_analysed(self.council, self.officer)
        self.award = award_create(
            funder=self.council,
            recipient=self.charity,
            version=self.leicester.current_version,
            by=self.officer,
            today=timezone.localdate(),
            kind="grant",
            title="Youth work",
            description="Evening youth clubs.",
            amount=Decimal("30000"),
            overheads=Decimal("3000"),
            award_date=days(-30),
            agreed_on=days(-20),
            starts_on=days(30),
            ends_on=days(395),
            length_reason="",
        )
        self.payment = payment_schedule(
            award=self.award,
            due_on=days(20),
            amount=Decimal("10000"),
            expenditure_starts_on=days(30),
            note="First quarter",
            by=self.officer,
            today=timezone.localdate(),
        )


@pytest.fixture
def scene(shipped_compacts):
    return Scene()
