"""The disagreements' rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world (tests/quality/world.py) Eastbrook Borough Council and Eastbrook
Voluntary Action both sign the Leicester compact (only signatories may use its
procedure), and the council's officer raises four cases against the charity, taken on
through the disputes services:

- `submitted`: put in writing to the subgroup, with a statement (seen by every side);
- `in_mediation`: both sides agreed to mediation and appointed the mediator;
- `resolved`: resolved by mediation, with the shared agreement uploaded (a mediation
  record: only the sides and the mediator read it);
- `published`: sent to appeal, papers exchanged, the subgroup met and made its finding,
  which is published.

More people than the usual cast (`EXTRA_ROLES`): `other`, an officer of the charity (the
other side); `chair`, the chair of Leicester's dispute resolution subgroup; `subgroup`,
a member of it; `conflicted`, a member of it who is also a member of the charity; and
`mediator`, appointed for the two mediation cases only.

Following `access.py`, `rules.py` and issue 9 (confidentiality):

- a case, its steps and its documents are seen only by its sides' officers and
  administrators, the subgroup's chair and members once the case is submitted to them,
  and the case's own mediator; to anyone else, the organisation's mere member, the
  support team and staff included, it does not exist (404), and a subgroup member who
  belongs to a side is refused as conflicted (404 too);
- mediation records (the agreement) are read only by the sides and the mediator: the
  subgroup, who see the case, get 404 for them;
- a step is offered to those who see the case; someone who sees it but may not take
  that step, or sends it with errors, gets the form with the reason (400);
- published findings are public; the annual figures are for the support team (and a
  steering group, not in this cast) and staff;
- raising a case is for anyone who acts for an organisation.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from localcompact.disputes import services
from localcompact.disputes.models import Case, CaseDocument
from localcompact.organisations.models import CompactRoleKind, Membership, Role
from localcompact.organisations.services import (
    compact_role_grant,
    signature_record_paper,
    signature_sign,
)
from tests.quality.matrix import (
    FORBIDDEN,
    INVALID,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    ROLES,
    Route,
)
from tests.quality.world import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXTRA = ("other", "chair", "subgroup", "conflicted", "mediator")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _person(name: str):
    return get_user_model().objects.create_user(
        f"matrix-{name}",
        email=f"{name}@matrix.example.org",
        password=PASSWORD,
        first_name=name.capitalize(),
        last_name="Tester",
    )


def _step(world, case: Case, move: str, by, answers=None, documents=None) -> Case:
    case.refresh_from_db()
    return services.case_move(
        case=case,
        move=move,
        by=by,
        revision=case.revision,
        today=world.today,
        answers=answers or {},
        documents=documents or {},
    )


def prepare(world) -> None:
    o = world.objects
    compact, today = world.compact, world.today
    officer, support = world.user("officer"), world.user("support")
    o.people = {name: _person(name) for name in EXTRA}
    p = o.people
    Membership.objects.create(user=p["other"], organisation=world.partner, role=Role.OFFICER)
    Membership.objects.create(user=p["conflicted"], organisation=world.partner, role=Role.MEMBER)
    for name, kind in (
        ("chair", CompactRoleKind.SUBGROUP_CHAIR),
        ("subgroup", CompactRoleKind.SUBGROUP_MEMBER),
        ("conflicted", CompactRoleKind.SUBGROUP_MEMBER),
    ):
        compact_role_grant(compact=compact, user=p[name], kind=kind, by=support)

    # Only current signatories may use Leicester's procedure: both sides sign.
    signed_on = today - dt.timedelta(days=30)
    signature_sign(
        organisation=world.organisation,
        compact=compact,
        organisation_name=world.organisation.name,
        signatory_name="Ada Leader",
        signatory_position="Chief executive",
        signed_on=signed_on,
        confirmed=True,
        by=world.user("administrator"),
        today=today,
    )
    signature_record_paper(
        organisation=world.partner,
        compact=compact,
        organisation_name=world.partner.name,
        signatory_name="Ben Chair",
        signatory_position="Chair of trustees",
        signed_on=signed_on,
        received_on=signed_on,
        confirmed=True,
        by=support,
        today=today,
    )

    def raised(title: str) -> Case:
        return services.case_raise(
            compact=compact,
            organisation=world.organisation,
            others=[world.partner],
            about=services.ABOUT_THE_COMPACT,
            title=title,
            opening={"informal-failure": today},
            by=officer,
            today=today,
        )

    in_writing = {
        "steps-already-taken": "Two meetings with the grants team.",
        "why-steps-failed": "Neither side moved.",
        "outcome-sought": "An agreed timetable.",
        "stages-wanted": "Mediation, then appeal.",
    }

    def submitted(title: str) -> Case:
        case = raised(title)
        return _step(
            world,
            case,
            "submit-in-writing",
            officer,
            in_writing,
            {"statement": _pdf("statement.pdf")},
        )

    o.submitted = submitted("Grant conditions changed without notice")
    o.statement = CaseDocument.objects.get(case=o.submitted, record="statement")

    def mediation(title: str) -> Case:
        case = submitted(title)
        _step(world, case, "chair-proposes-mediation", p["chair"], {"guidance": "Meet first."})
        _step(world, case, "agree-mediation", officer)
        _step(world, case, "agree-mediation", p["other"])
        return _step(
            world,
            case,
            "start-mediation",
            officer,
            {"mediator": "mediator@matrix.example.org", "fee-arrangement": "Split evenly."},
        )

    o.in_mediation = mediation("Lease of the community hall")
    o.resolved = _step(
        world,
        mediation("Sharing of the youth survey"),
        "mediation-succeeds",
        p["mediator"],
        {"agreement-summary": "The survey is shared each quarter."},
        {"agreement": _pdf("agreement.pdf")},
    )
    o.agreement = CaseDocument.objects.get(case=o.resolved, record="agreement")

    case = submitted("Consultation closed early")
    _step(world, case, "chair-sends-to-appeal", p["chair"], {"notice": "Stage three."})
    for by, name in ((officer, "council-bundle.pdf"), (p["other"], "charity-bundle.pdf")):
        _step(
            world,
            case,
            "submit-appeal-papers",
            by,
            {"mediation-was-used": False, "outcome-sought": "A finding."},
            {"bundle": _pdf(name)},
        )
    _step(
        world,
        case,
        "circulate-papers",
        p["chair"],
        {"subgroup-meeting": today + dt.timedelta(days=30)},
    )
    for by in (officer, p["other"]):
        _step(world, case, "send-written-comments", by, {"comments": "We disagree."})
    _step(
        world,
        case,
        "subgroup-meets",
        p["subgroup"],
        {"members-present": [str(p["chair"].pk), str(p["subgroup"].pk)], "hearing-held": False},
    )
    o.published = _step(
        world,
        case,
        "make-findings",
        p["subgroup"],
        {"finding": "no-breach", "statement-of-disagreement": "How long a consultation runs."},
    )
    assert o.published.is_public
    o.bundle = CaseDocument.objects.get(case=o.published, record="bundle", uploaded_by=officer)


EXTRA_ROLES = {name: (lambda w, name=name: w.objects.people[name]) for name in EXTRA}

# Who is who -----------------------------------------------------------------------------

PEOPLE = (*ROLES, *EXTRA)
SIDES = ("officer", "administrator", "other")  # the sides' officers and administrators
SUBGROUP = ("chair", "subgroup")  # the subgroup, none of whose members belongs to a side


def table(default, *, anonymous=LOGIN, **outcomes) -> dict:
    """Everyone gets `default` (the anonymous visitor `anonymous`), but those named."""
    expect = dict.fromkeys(PEOPLE, default)
    expect["anonymous"] = anonymous
    for role, outcome in outcomes.items():
        if role not in expect:
            raise KeyError(role)
        expect[role] = outcome
    return expect


def only(roles, outcome, *, others=NOT_FOUND, **more) -> dict:
    """`roles` get `outcome`; every other signed-in person `others` (404 by default: a
    confidential case does not exist for them)."""
    return table(others, **{**dict.fromkeys(roles, outcome), **more})


SEES = (*SIDES, *SUBGROUP)  # a submitted case
SEES_MEDIATION = (*SEES, "mediator")  # a case its mediator was appointed to
ACTS_FOR_AN_ORGANISATION = SIDES


def ref(name: str):
    return lambda w: {"reference": getattr(w.objects, name).reference}


def step(name: str, move: str):
    return lambda w: {"reference": getattr(w.objects, name).reference, "move": move}


def doc(name: str, document: str):
    return lambda w: {
        "reference": getattr(w.objects, name).reference,
        "pk": getattr(w.objects, document).pk,
    }


def revision(name: str, **answers):
    return lambda w: {"revision": getattr(w.objects, name).revision, **answers}


def raise_form(w) -> dict:
    return {
        "compact": w.compact.slug,
        "organisation": w.organisation.pk,
        "others": [w.partner.pk],
        "about": "compact",
        "title": "Funding round shortened",
        "informal-failure-day": str(w.today.day),
        "informal-failure-month": str(w.today.month),
        "informal-failure-year": str(w.today.year),
    }


MATRIX = {
    "disputes:index": [
        Route(table(OK, anonymous=OK)),  # your cases (if any), how to raise one, findings
        Route(table(OK, anonymous=OK), query="q=hall&status=open", state="a search"),
    ],
    "disputes:findings": [
        Route(table(OK, anonymous=OK)),
        Route(table(OK, anonymous=OK), query="compact=leicester", state="one compact's"),
    ],
    "disputes:finding": [
        Route(table(OK, anonymous=OK), kwargs=ref("published")),
        Route(
            table(NOT_FOUND, anonymous=NOT_FOUND),
            kwargs=ref("submitted"),
            state="a case with no published finding",
        ),
    ],
    "disputes:figures": [
        Route(only(("support", "staff"), OK, others=FORBIDDEN)),
        Route(
            only(("support", "staff"), OK, others=FORBIDDEN),
            query="compact=leicester&year=nonsense",
            state="a year that is not one",
        ),
    ],
    "disputes:raise": [
        Route(only(ACTS_FOR_AN_ORGANISATION, OK, others=FORBIDDEN), state="choose the compact"),
        Route(
            only(ACTS_FOR_AN_ORGANISATION, OK, others=FORBIDDEN),
            query="compact=leicester",
            state="Leicester's form",
        ),
        Route(
            only(ACTS_FOR_AN_ORGANISATION, INVALID, others=FORBIDDEN),
            query="compact=nowhere",
            state="no such compact",
        ),
        Route(
            only(ACTS_FOR_AN_ORGANISATION, INVALID, others=FORBIDDEN),
            query="compact=leicester",
            method="post",
        ),
        Route(
            # raised for the council: its officers; the charity's officer does not act for it
            only(("officer", "administrator"), REDIRECT, others=FORBIDDEN, other=INVALID),
            query="compact=leicester",
            method="post",
            data=raise_form,
            state="raised for the council",
        ),
    ],
    "disputes:case": [
        Route(only(SEES, OK), kwargs=ref("submitted"), state="submitted"),
        Route(only(SEES_MEDIATION, OK), kwargs=ref("in_mediation"), state="in mediation"),
        Route(only(SEES_MEDIATION, OK), kwargs=ref("resolved"), state="resolved by mediation"),
        Route(only(SEES, OK), kwargs=ref("published"), state="finding published"),
        Route(only((), OK), kwargs=lambda w: {"reference": "LEI-1999-0001"}, state="no such case"),
    ],
    "disputes:step": [
        # The chair's step: offered to the chair; the others who see the case are told why not.
        Route(
            only(SEES, INVALID, chair=OK),
            kwargs=step("submitted", "chair-proposes-mediation"),
        ),
        Route(
            only(SEES, INVALID, chair=REDIRECT),
            kwargs=step("submitted", "chair-proposes-mediation"),
            method="post",
            data=revision("submitted", guidance="Meet with a mediator."),
            state="sent with its records",
        ),
        Route(
            only(SEES, INVALID),
            kwargs=step("submitted", "chair-proposes-mediation"),
            method="post",
            state="an empty form (no revision: out of date)",
        ),
        # Each side takes its part of withdrawing.
        Route(
            only(SEES, INVALID, **dict.fromkeys(SIDES, OK)), kwargs=step("submitted", "withdraw")
        ),
        Route(
            only(SEES, INVALID, **dict.fromkeys(SIDES, REDIRECT)),
            kwargs=step("submitted", "withdraw"),
            method="post",
            data=revision("submitted", **{"withdrawal-note": "Settled between us."}),
            state="a side's part sent",
        ),
        # Mediation: the sides and the mediator; the subgroup sees the case but not this.
        Route(
            only(SEES_MEDIATION, OK, chair=INVALID, subgroup=INVALID),
            kwargs=step("in_mediation", "mediation-fails"),
        ),
        Route(
            only(SEES_MEDIATION, REDIRECT, chair=INVALID, subgroup=INVALID),
            kwargs=step("in_mediation", "mediation-fails"),
            method="post",
            data=revision("in_mediation", note="No agreement."),
            state="sent with its records",
        ),
        Route(
            only(SEES_MEDIATION, INVALID),
            kwargs=step("resolved", "withdraw"),
            state="a closed case",
        ),
        Route(
            only(SEES, INVALID),
            kwargs=step("published", "make-findings"),
            state="a case whose finding is made",
        ),
        Route(
            only((), OK),
            kwargs=step("submitted", "no-such-step"),
            state="no such step",
        ),
    ],
    "disputes:document": [
        Route(only(SEES, OK), kwargs=doc("submitted", "statement"), state="a statement"),
        Route(
            only(SIDES + ("mediator",), OK),
            kwargs=doc("resolved", "agreement"),
            state="a mediation agreement (mediation records)",
        ),
        Route(only(SEES, OK), kwargs=doc("published", "bundle"), state="an appeal bundle"),
        Route(
            only((), OK),
            kwargs=doc("submitted", "agreement"),
            state="another case's document",
        ),
        Route(
            only((), OK),
            kwargs=lambda w: {"reference": w.objects.submitted.reference, "pk": 999999},
            state="no such document",
        ),
    ],
}
