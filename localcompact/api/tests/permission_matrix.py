"""The API's rows of the permission matrix (tests/quality/test_permission_matrix.py).

- The guide, the OpenAPI schema, the interactive documentation and every public read
  are the same for everyone.
- A signed-in session does not authenticate the API: the operations that need a token
  answer 401 to everyone here (the matrix's people carry no token), which is also why
  the API needs no CSRF protection. Who may do what with a token is tested in
  localcompact/api/tests/test_private.py, role by role.
- The tokens page is for anyone signed in, about their own tokens; someone else's token
  is "not found", so its existence is not given away.
- Consultations, meetings and awards are read by everyone (their public facts); the
  writes on them answer 401 without a token. The one written with PUT (changing a
  response) answers GET with 405. The table of who may do what with a token, operation
  by operation, is localcompact/api/tests/test_permissions.py.
"""

import datetime as dt
from decimal import Decimal

from localcompact.api.services import token_create
from tests.quality.matrix import LOGIN, NOT_ALLOWED, NOT_FOUND, OK, Route, everyone, signed_in

UNAUTHORISED = 401


def prepare(world) -> None:
    from localcompact.consultations.services import consultation_plan
    from localcompact.funding.services import award_create, payment_schedule
    from localcompact.governance.services import meeting_create
    from localcompact.organisations.models import Signature

    o, day, officer = world.objects, world.today, world.user("officer")
    o.token, _ = token_create(
        user=officer, name="Matrix", scopes=[], expires_on=None, now=world.now
    )
    Signature.objects.create(
        compact=world.compact,
        version=world.compact.current_version,
        organisation=world.organisation,
        organisation_name=world.organisation.name,
        signatory_name="A Signatory",
        signatory_position="Chief executive",
        signed_on=day - dt.timedelta(days=60),
        method=Signature.Method.PAPER,
    )
    opens_on = day + dt.timedelta(days=14)
    o.consultation = consultation_plan(
        compact=world.compact,
        lead=world.organisation,
        by=officer,
        today=day,
        title="Library hours",
        summary="New opening hours for the libraries.",
        open_to_change="The hours on weekdays.",
        who_affected="Library users.",
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(weeks=13),
        feedback_by=opens_on + dt.timedelta(weeks=21),
    )
    o.meeting = meeting_create(
        compact=world.compact,
        title="Annual meeting",
        on=day + dt.timedelta(days=40),
        by=world.user("support"),
        today=day,
    )
    o.award = award_create(
        funder=world.organisation,
        recipient=world.partner,
        version=world.compact.current_version,
        by=officer,
        today=day,
        kind="grant",
        title="Youth work",
        description="Evening youth clubs.",
        amount=Decimal("1000"),
        overheads=Decimal("0"),
        award_date=day,
        agreed_on=day,
        starts_on=day + dt.timedelta(days=30),
        ends_on=day + dt.timedelta(days=300),
        length_reason="",
    )
    o.payment = payment_schedule(
        award=o.award,
        due_on=day + dt.timedelta(days=20),
        amount=Decimal("500"),
        expenditure_starts_on=day + dt.timedelta(days=30),
        note="",
        by=officer,
        today=day,
    )


def leicester(w):
    return {"slug": w.compact.slug}


def organisation(w):
    return {"slug": w.organisation.slug}


def consultation(w):
    return {"id": w.objects.consultation.pk}


def meeting(w):
    return {"id": w.objects.meeting.pk}


def award(w):
    return {"id": w.objects.award.pk}


def write(kwargs) -> Route:
    """A write: without a token (the matrix's people carry none), 401 for everyone."""
    return Route(everyone(UNAUTHORISED), kwargs=kwargs, method="post", data=lambda w: {})


MATRIX = {
    "api_guide": Route(everyone(OK)),
    "api:api-root": Route(everyone(OK)),
    "api_tokens": Route(signed_in(OK)),
    "api_token_revoke": Route(
        {**everyone(NOT_FOUND), "anonymous": LOGIN, "officer": OK},
        kwargs=lambda w: {"pk": w.objects.token.pk},
    ),
    "api:openapi-json": Route(everyone(OK)),
    "api:openapi-view": Route(everyone(OK)),
    "api:compacts": Route(everyone(OK)),
    "api:compact": [
        Route(everyone(OK), kwargs=leicester),
        Route(everyone(NOT_FOUND), kwargs=lambda w: {"slug": "nowhere"}, state="no such compact"),
    ],
    "api:standards": Route(everyone(OK), kwargs=leicester),
    "api:compliance": Route(everyone(OK), kwargs=leicester),
    "api:organisations": Route(everyone(OK)),
    "api:organisation": Route(everyone(OK), kwargs=organisation),
    "api:me": Route(everyone(UNAUTHORISED)),
    "api:obligations": Route(everyone(UNAUTHORISED), kwargs=organisation),
    "api:activity_create": Route(
        everyone(UNAUTHORISED), kwargs=organisation, method="post", data=lambda w: {}
    ),
    "api:consultations": Route(everyone(OK)),
    "api:consultation": Route(everyone(OK), kwargs=consultation),
    "api:meetings": Route(everyone(OK)),
    "api:meeting": Route(everyone(OK), kwargs=meeting),
    "api:awards": Route(everyone(OK)),
    "api:award": Route(everyone(OK), kwargs=award),
    "api:consultation_create": write(organisation),
    "api:consultation_move": write(consultation),
    "api:consultation_decide": write(consultation),
    "api:consultation_feedback": write(consultation),
    "api:response_create": write(consultation),
    "api:response_update": Route(
        everyone(NOT_ALLOWED),
        kwargs=lambda w: {"id": w.objects.consultation.pk, "response_id": 1},
    ),
    "api:meeting_create": write(leicester),
    "api:meeting_invite": write(meeting),
    "api:agenda_generate": write(meeting),
    "api:agenda_publish": write(meeting),
    "api:meeting_decision": write(meeting),
    "api:meeting_held": write(meeting),
    "api:award_create": write(organisation),
    "api:award_confirm": write(award),
    "api:payment_create": write(award),
    "api:payment_paid": write(
        lambda w: {"id": w.objects.award.pk, "payment_id": w.objects.payment.pk}
    ),
}
