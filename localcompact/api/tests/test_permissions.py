"""Who may call each operation of the API: every operation in the OpenAPI schema, by

- `anonymous`: no token;
- `no_scope`: the owner's own token with every scope but the one the operation needs;
- `member`: a token with the scope, of someone with a lesser role there (a plain member
  of the organisation; for meetings, an officer who is not on the support team);
- `other`: a token with the scope, of the officer of another organisation (for meetings,
  the support team of another compact);
- `owner`: a token with the scope, of the person the web page lets do it (an officer of
  the organisation; for meetings, the compact's support team);
- `revoked`: the owner's token with the scope, revoked.

Each person's request runs in a savepoint rolled back afterwards, so all try the same
write on the same object. The web routes' matrix (tests/quality) sees the API only
without a token; this table is the API's own, as localcompact/api/tests/permission_matrix.py
says.
"""

import dataclasses
from collections.abc import Callable

import pytest
from django.db import transaction
from django.utils import timezone

from localcompact.api.api import api
from localcompact.api.models import Scope
from localcompact.api.services import token_create, token_revoke

from .conftest import ApiClient, days

PEOPLE = ("anonymous", "no_scope", "member", "other", "owner", "revoked")


def _outcomes(owner: int, *, member=403, other=403, anonymous=401, no_scope=403) -> dict:
    return {
        "anonymous": anonymous,
        "no_scope": no_scope,
        "member": member,
        "other": other,
        "owner": owner,
        "revoked": 401,
    }


PUBLIC = dict.fromkeys(PEOPLE, 200)  # a token sent to a public read is not looked at


@dataclasses.dataclass
class Op:
    method: str
    path: Callable
    scope: str | None = None
    expected: dict = dataclasses.field(default_factory=lambda: PUBLIC)
    body: Callable = lambda s: None
    # who is who, for this operation: (owner, member, other)
    people: Callable = lambda s: (s.officer, s.member, s.trust_officer)
    before: Callable = lambda s: None


def _meeting_people(s):
    return (s.support, s.officer, s.other_support)


def _award_body(s):
    return {
        "compact": "leicester",
        "recipient": s.charity.slug,
        "kind": "grant",
        "title": "Advice service",
        "description": "Debt advice, two days a week.",
        "amount": "12000",
        "overheads": "1000.50",
        "award_date": days(-3).isoformat(),
        "agreed_on": days(-1).isoformat(),
        "starts_on": days(60).isoformat(),
        "ends_on": days(425).isoformat(),
    }


def _consultation_body(s):
    return {
        "compact": "leicester",
        "title": "Street lighting",
        "summary": "We propose dimming street lights after midnight.",
        "open_to_change": "Which streets, and the hours.",
        "who_affected": "Residents and people travelling at night.",
        "topics": ["Transport"],
        "opens_on": days(14).isoformat(),
        "closes_on": days(14 + 7 * 13).isoformat(),
        "feedback_by": days(14 + 7 * 21).isoformat(),
    }


def _response_body(s):
    return {
        "kind": "organisation",
        "organisation": s.charity.slug,
        "represents": "Our 40 member groups",
        "views_gathered": "A members' meeting",
        "answer": "Keep the evening hours.",
        "send": True,
    }


def _decided(s):
    from localcompact.consultations.services import consultation_decide

    consultation_decide(
        consultation=s.analysed,
        decision="Buses run later.",
        reasons="Most asked for it.",
        effect="We added an evening service.",
        petitions_considered="",
        by=s.officer,
        today=timezone.localdate(),
    )


def _agenda_made(s):
    from localcompact.governance.services import agenda_generate

    agenda_generate(meeting=s.meeting, by=s.support, today=timezone.localdate())


def _activity_body(s):
    return {
        "compact": "leicester",
        "standard": "consultation-minimum-period",
        "title": "Parks strategy",
        "start_on": days(7).isoformat(),
        "end_on": days(7 + 7 * 13).isoformat(),
    }


C, R, M, F = (
    Scope.CONSULTATIONS_WRITE,
    Scope.RESPONSES_WRITE,
    Scope.MEETINGS_WRITE,
    Scope.FUNDING_WRITE,
)

OPERATIONS = {
    # public reads
    ("get", "/api/compacts"): Op("get", lambda s: "/api/compacts"),
    ("get", "/api/compacts/{slug}"): Op("get", lambda s: "/api/compacts/leicester"),
    ("get", "/api/compacts/{slug}/standards"): Op(
        "get", lambda s: "/api/compacts/leicester/standards"
    ),
    ("get", "/api/compacts/{slug}/compliance"): Op(
        "get", lambda s: "/api/compacts/leicester/compliance"
    ),
    ("get", "/api/organisations"): Op("get", lambda s: "/api/organisations"),
    ("get", "/api/organisations/{slug}"): Op(
        "get", lambda s: f"/api/organisations/{s.council.slug}"
    ),
    ("get", "/api/consultations"): Op("get", lambda s: "/api/consultations"),
    ("get", "/api/consultations/{id}"): Op("get", lambda s: f"/api/consultations/{s.open.pk}"),
    ("get", "/api/meetings"): Op("get", lambda s: "/api/meetings"),
    ("get", "/api/meetings/{id}"): Op("get", lambda s: f"/api/meetings/{s.meeting.pk}"),
    ("get", "/api/awards"): Op("get", lambda s: "/api/awards"),
    ("get", "/api/awards/{id}"): Op("get", lambda s: f"/api/awards/{s.award.pk}"),
    # a token's own
    ("get", "/api/me"): Op(
        "get",
        lambda s: "/api/me",
        scope=Scope.OBLIGATIONS_READ,
        expected=_outcomes(200, member=200, other=200, no_scope=200),
    ),
    ("get", "/api/organisations/{slug}/obligations"): Op(
        "get",
        lambda s: f"/api/organisations/{s.council.slug}/obligations",
        scope=Scope.OBLIGATIONS_READ,
        expected=_outcomes(200, member=200),  # members read them; officers of others do not
    ),
    ("post", "/api/organisations/{slug}/activities"): Op(
        "post",
        lambda s: f"/api/organisations/{s.council.slug}/activities",
        scope=Scope.ACTIVITIES_WRITE,
        expected=_outcomes(201),
        body=_activity_body,
    ),
    # consultations
    ("post", "/api/organisations/{slug}/consultations"): Op(
        "post",
        lambda s: f"/api/organisations/{s.council.slug}/consultations",
        scope=C,
        expected=_outcomes(201),
        body=_consultation_body,
    ),
    ("post", "/api/consultations/{id}/status"): Op(
        "post",
        lambda s: f"/api/consultations/{s.planned.pk}/status",
        scope=C,
        expected=_outcomes(200),
        body=lambda s: {"to": "open"},
    ),
    ("post", "/api/consultations/{id}/decision"): Op(
        "post",
        lambda s: f"/api/consultations/{s.analysed.pk}/decision",
        scope=C,
        expected=_outcomes(200),
        body=lambda s: {"decision": "Later buses.", "reasons": "Asked for.", "effect": "Added"},
    ),
    ("post", "/api/consultations/{id}/feedback"): Op(
        "post",
        lambda s: f"/api/consultations/{s.analysed.pk}/feedback",
        scope=C,
        expected=_outcomes(200),
        body=lambda s: {"what_you_told_us": "You wanted later buses."},
        before=_decided,
    ),
    # responses: for an organisation, its officers; someone else's response is not found
    ("post", "/api/consultations/{id}/responses"): Op(
        "post",
        lambda s: f"/api/consultations/{s.open.pk}/responses",
        scope=R,
        expected=_outcomes(201),
        body=_response_body,
        people=lambda s: (s.trust_officer, s.trust_member, s.officer),
    ),
    ("put", "/api/consultations/{id}/responses/{response_id}"): Op(
        "put",
        lambda s: f"/api/consultations/{s.open.pk}/responses/{s.response.pk}",
        scope=R,
        expected=_outcomes(200, member=404, other=404),
        body=_response_body,
        people=lambda s: (s.trust_officer, s.trust_member, s.officer),
    ),
    # meetings: the compact's support team
    ("post", "/api/compacts/{slug}/meetings"): Op(
        "post",
        lambda s: "/api/compacts/leicester/meetings",
        scope=M,
        expected=_outcomes(201),
        body=lambda s: {"title": "Board meeting", "on": days(50).isoformat()},
        people=_meeting_people,
    ),
    ("post", "/api/meetings/{id}/invitations"): Op(
        "post",
        lambda s: f"/api/meetings/{s.meeting.pk}/invitations",
        scope=M,
        expected=_outcomes(200),
        people=_meeting_people,
    ),
    ("post", "/api/meetings/{id}/agenda"): Op(
        "post",
        lambda s: f"/api/meetings/{s.meeting.pk}/agenda",
        scope=M,
        expected=_outcomes(200),
        people=_meeting_people,
    ),
    ("post", "/api/meetings/{id}/agenda/publish"): Op(
        "post",
        lambda s: f"/api/meetings/{s.meeting.pk}/agenda/publish",
        scope=M,
        expected=_outcomes(200),
        people=_meeting_people,
        before=_agenda_made,
    ),
    ("post", "/api/meetings/{id}/decisions"): Op(
        "post",
        lambda s: f"/api/meetings/{s.meeting.pk}/decisions",
        scope=M,
        expected=_outcomes(201),
        body=lambda s: {"text": "The action plan is agreed."},
        people=_meeting_people,
    ),
    ("post", "/api/meetings/{id}/held"): Op(
        "post",
        lambda s: f"/api/meetings/{s.past_meeting.pk}/held",
        scope=M,
        expected=_outcomes(200),
        body=lambda s: {"minutes": "Present: eight signatories."},
        people=_meeting_people,
    ),
    # funding: the funder's officers (the recipient's officer is the other organisation)
    ("post", "/api/organisations/{slug}/awards"): Op(
        "post",
        lambda s: f"/api/organisations/{s.council.slug}/awards",
        scope=F,
        expected=_outcomes(201),
        body=_award_body,
    ),
    ("post", "/api/awards/{id}/confirmation"): Op(
        "post",
        lambda s: f"/api/awards/{s.award.pk}/confirmation",
        scope=F,
        expected=_outcomes(200),
        body=lambda s: {"confirmed_on": days(0).isoformat()},
    ),
    ("post", "/api/awards/{id}/payments"): Op(
        "post",
        lambda s: f"/api/awards/{s.award.pk}/payments",
        scope=F,
        expected=_outcomes(201),
        body=lambda s: {
            "amount": "5000",
            "due_on": days(25).isoformat(),
            "expenditure_starts_on": days(30).isoformat(),
        },
    ),
    ("post", "/api/awards/{id}/payments/{payment_id}/paid"): Op(
        "post",
        lambda s: f"/api/awards/{s.award.pk}/payments/{s.payment.pk}/paid",
        scope=F,
        expected=_outcomes(200),
        body=lambda s: {"paid_on": days(0).isoformat()},
    ),
}


def test_the_table_has_every_operation_of_the_schema(db):
    schema = api.get_openapi_schema(path_prefix="/api/")
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert operations == set(OPERATIONS)


def _token(user, scopes) -> str:
    _, text = token_create(
        user=user, name="Table", scopes=list(scopes), expires_on=None, now=timezone.now()
    )
    return text


def _call(op: Op, scene, token):
    client = ApiClient(token=token)
    call = getattr(client, op.method)
    body = op.body(scene)
    if op.method == "get":
        return call(op.path(scene))
    return call(op.path(scene), body if body is not None else {})


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(OPERATIONS), ids=lambda k: f"{k[0].upper()} {k[1]}")
def test_who_may_call_each_operation(scene, key):
    op = OPERATIONS[key]
    op.before(scene)
    owner, member, other = op.people(scene)
    needed = [op.scope] if op.scope else []
    revoked_token, revoked = token_create(
        user=owner, name="Revoked", scopes=needed, expires_on=None, now=timezone.now()
    )
    token_revoke(token=revoked_token, by=owner, now=timezone.now())
    tokens = {
        "anonymous": None,
        "no_scope": _token(owner, [s for s in Scope.values if s not in needed]),
        "member": _token(member, needed),
        "other": _token(other, needed),
        "owner": _token(owner, needed),
        "revoked": revoked,
    }
    found = {}
    for person in PEOPLE:
        with transaction.atomic():
            response = _call(op, scene, tokens[person])
            found[person] = response.status_code
            if response.status_code >= 400:
                assert set(response.json()) == {"detail", "errors"}, response.content
            transaction.set_rollback(True)
    assert found == op.expected, {p: (found[p], op.expected[p]) for p in PEOPLE}
