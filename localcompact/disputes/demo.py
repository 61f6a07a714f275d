"""Demo disagreements: Leicester cases at each stage (one settled by mediation, one
through appeal to a published finding, one withdrawn) and a Herefordshire breach raised
directly and referred to the Local Compact Working Group.

The people the procedures involve get accounts (signed in with the demo password):
`diane` chairs Leicester's dispute subgroup, `sunil` and `priya` sit on it, `mina` is
the mediator the sides agree on, and `wendy` is in Herefordshire's working group.
The subgroup's chair and members are asked to set up two-factor authentication at their
first sign-in, as the platform requires of them.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from localcompact.obligations.services import obligations_sync
from localcompact.organisations.models import CompactRole, CompactRoleKind

from . import services
from .models import Case

PEOPLE = [
    # username, first name, last name, compact, role kind
    ("diane", "Diane", "Deputy", "leicester", CompactRoleKind.SUBGROUP_CHAIR),
    ("sunil", "Sunil", "Subgroup", "leicester", CompactRoleKind.SUBGROUP_MEMBER),
    ("priya", "Priya", "Panel", "leicester", CompactRoleKind.SUBGROUP_MEMBER),
    ("mina", "Mina", "Mediator", None, None),
    ("wendy", "Wendy", "Working-Group", "herefordshire", CompactRoleKind.STEERING_GROUP),
]

WRITTEN = {
    "steps-already-taken": "Two meetings between the chief officers, and an exchange of letters.",
    "why-steps-failed": "Each side still reads the commitment differently.",
    "outcome-sought": "An agreed way of working for the next round.",
    "stages-wanted": "Mediation, then the subgroup if needed.",
}


def seed(demo) -> str | None:
    from localcompact.core.management.commands.seed_demo import DEMO_PASSWORD

    users = get_user_model().objects
    people = dict(demo.people)
    leicester = demo.compact("leicester")
    herefordshire = demo.compact("herefordshire")
    compacts = {"leicester": leicester, "herefordshire": herefordshire}
    for username, first, last, compact, kind in PEOPLE:
        user = users.create(
            username=username, email=f"{username}@example.org", first_name=first, last_name=last
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        if kind:
            CompactRole.objects.create(
                compact=compacts[compact], user=user, kind=kind, granted_by=people["support"]
            )
        people[username] = user

    orgs = demo.organisations
    charity, council = orgs["northfield-community-action"], orgs["northfield-council"]
    cara, olivia, diane, sunil, mina = (
        people[n] for n in ("cara", "olivia", "diane", "sunil", "mina")
    )
    today = demo.today
    day = dt.timedelta(days=1)

    def open_case(title, ago, others=(council,)):
        return services.case_raise(
            compact=leicester,
            organisation=charity,
            others=list(others),
            about="compact",
            title=title,
            opening={"informal-failure": today - (ago + 2) * day},
            by=cara,
            today=today - ago * day,
        )

    def walk(case, steps):
        for move, by, ago, answers, *files in steps:
            case.refresh_from_db()
            documents = {}
            for record, name in files[0].items() if files else ():
                documents[record] = _text_file(name)
            case = services.case_move(
                case=case,
                move=move,
                by=by,
                revision=case.revision,
                today=today - ago * day,
                answers={**(WRITTEN if move == "submit-in-writing" else {}), **answers},
                documents=documents,
            )
        return case

    mediation = [
        ("submit-in-writing", cara, 70, {}),
        ("chair-proposes-mediation", diane, 62, {"guidance": "Both sides should try mediation."}),
        ("agree-mediation", cara, 60, {}),
        ("agree-mediation", olivia, 59, {}),
        (
            "start-mediation",
            olivia,
            55,
            {
                "mediator": "mina@example.org",
                "fee-arrangement": "The council pays; agreed by both.",
            },
        ),
    ]
    cases = []
    # Stage one: in writing with the subgroup, three parties, waiting for the chair.
    case = open_case(
        "Youth services review decided without the sector",
        6,
        others=(council, orgs["riverside-youth-trust"]),
    )
    cases.append(walk(case, [("submit-in-writing", cara, 4, {})]))
    # Stage one, not yet sent: the five days to put it in writing are running.
    cases.append(open_case("Community centre lease renewal", 1))
    # Stage two: mediation proposed; the charity has agreed, the council has not answered.
    case = open_case("Equality impact assessment not shared", 14)
    cases.append(
        walk(
            case,
            [
                ("submit-in-writing", cara, 12, {}),
                (
                    "chair-proposes-mediation",
                    diane,
                    3,
                    {"guidance": "A mediated meeting may help."},
                ),
                ("agree-mediation", cara, 2, {}),
            ],
        )
    )
    # Stage two, settled: resolved by mediation with a shared written agreement.
    case = open_case("Short notice of a change to grant conditions", 74)
    cases.append(
        walk(
            case,
            [
                *mediation,
                (
                    "mediation-succeeds",
                    mina,
                    45,
                    {"agreement-summary": "Grant changes will be notified three months ahead."},
                    {"agreement": "shared-agreement.txt"},
                ),
            ],
        )
    )
    # Stage three: appeal papers due; the charity has sent its bundle.
    case = open_case("Consultation on the library strategy too short", 40)
    cases.append(
        walk(
            case,
            [
                ("submit-in-writing", cara, 38, {}),
                (
                    "chair-sends-to-appeal",
                    diane,
                    30,
                    {"notice": "Mediation is not suitable; stage three will be used."},
                ),
                (
                    "submit-appeal-papers",
                    cara,
                    25,
                    {
                        "mediation-was-used": False,
                        "outcome-sought": "A finding that the compact was broken.",
                        "reasons-requested": True,
                    },
                    {"bundle": "appeal-bundle.txt"},
                ),
            ],
        )
    )
    # Stage three, finished: a finding, published with a brief statement.
    case = open_case("Twelve-week consultation on day services not held", 120)
    cases.append(
        walk(
            case,
            [
                ("submit-in-writing", cara, 118, {}),
                ("chair-sends-to-appeal", diane, 110, {"notice": "Stage three will be used."}),
                (
                    "submit-appeal-papers",
                    cara,
                    100,
                    {
                        "mediation-was-used": False,
                        "outcome-sought": "A finding of breach.",
                        "reasons-requested": True,
                    },
                    {"bundle": "charity-bundle.txt"},
                ),
                (
                    "submit-appeal-papers",
                    olivia,
                    99,
                    {"mediation-was-used": False, "outcome-sought": "A finding of no breach."},
                    {"bundle": "council-bundle.txt"},
                ),
                ("circulate-papers", diane, 98, {"subgroup-meeting": today - 70 * day}),
                (
                    "send-written-comments",
                    cara,
                    95,
                    {"comments": "The council's timetable was its own choice."},
                ),
                (
                    "send-written-comments",
                    olivia,
                    94,
                    {"comments": "The deadline was set by government."},
                ),
                (
                    "subgroup-meets",
                    sunil,
                    70,
                    {"members-present": [str(diane.pk), str(sunil.pk)], "hearing-held": True},
                ),
                (
                    "make-findings",
                    diane,
                    68,
                    {
                        "finding": "breach",
                        "statement-of-disagreement": (
                            "Whether the council gave the voluntary and community sector "
                            "long enough to respond to its proposals for day services."
                        ),
                        "reasons": (
                            "The consultation ran for four weeks and no reason was given "
                            "for shortening it."
                        ),
                    },
                ),
            ],
        )
    )
    # Withdrawn by agreement of both sides, copied to the chair.
    case = open_case("Use of the shared minibus", 30)
    cases.append(
        walk(
            case,
            [
                ("submit-in-writing", cara, 28, {}),
                (
                    "withdraw",
                    cara,
                    20,
                    {"withdrawal-note": "Settled between us; we both withdraw it."},
                ),
                (
                    "withdraw",
                    olivia,
                    19,
                    {"withdrawal-note": "Agreed; copied to the subgroup chair."},
                ),
            ],
        )
    )
    # Herefordshire: a breach raised directly, answered, then referred to the working group.
    case = services.case_raise(
        compact=herefordshire,
        organisation=charity,
        others=[council],
        about="compact",
        title="Partnership meeting called at a week's notice",
        opening={
            "code-not-followed": "The notice standard for partnership meetings, by "
            "Northfield City Council."
        },
        by=cara,
        today=today - 30 * day,
    )
    cases.append(
        walk(
            case,
            [
                (
                    "decide-to-pursue",
                    cara,
                    29,
                    {"objective": "Four weeks' notice of meetings in future."},
                ),
                (
                    "raise-directly",
                    cara,
                    28,
                    {
                        "complaint": "The meeting was called at a week's notice.",
                        "suggestions": "Publish the year's meeting dates in advance.",
                    },
                ),
                (
                    "reply",
                    olivia,
                    20,
                    {
                        "investigation": "The meeting was called at short notice.",
                        "reply": "It was urgent; we do not accept a breach.",
                    },
                ),
                (
                    "refer-to-working-group",
                    cara,
                    10,
                    {"why-unresolved": "The reply does not deal with the standard."},
                ),
            ],
        )
    )
    for case in cases:
        obligations_sync(source=case, today=today, by=people["support"])
    return (
        f"Disagreements: {Case.objects.count()} cases (Leicester at each stage, one settled by "
        "mediation, one with a published finding, one withdrawn; a Herefordshire breach "
        "referred); accounts diane, sunil, priya (dispute subgroup), mina (mediator), wendy "
        "(Herefordshire working group)."
    )


def _text_file(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = f"Demo document: {name}. Invented for the demonstration.\n".encode()
    return SimpleUploadedFile(name, text, content_type="text/plain")
