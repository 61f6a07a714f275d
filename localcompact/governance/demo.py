"""Demo data for running the Leicester compact (and a Herefordshire review).

Last year's annual meeting elected a steering group that left the black and minority
ethnic seat empty (no candidate stood): that make-up fails one quota and the page names
it. A later make-up filled the seat and meets every quota; it is the one in effect. The
next annual meeting is set up with its invitations sent and its agenda made from the
platform's records. There is an agreed action plan with progress, a scheduled review of
the Herefordshire code, a revision adopted as a new version of the Leicester compact
and another proposed, news and an event, good-practice stories, and a concern raised
directly between two organisations, with its reply.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from localcompact.organisations.models import Kind, Organisation, Signature
from localcompact.organisations.selectors import signatories_current

from . import services
from .models import Action, BodyMember, Composition, Nomination, Post, Revision

EXTRA_ORGANISATIONS = [
    # slug, name, kind, flags
    ("northfield-voluntary-action", "Northfield Voluntary Action", Kind.INFRASTRUCTURE, {}),
    (
        "northfield-advice-centre",
        "Northfield Advice Centre",
        Kind.REGISTERED_CHARITY,
        {"receives_public_funding": True},
    ),
    (
        "westshire-carers",
        "Westshire Carers",
        Kind.REGISTERED_CHARITY,
        {"receives_public_funding": True},
    ),
    ("eastgate-residents", "Eastgate Residents' Association", Kind.TENANTS_RESIDENTS, {}),
    (
        "northfield-caribbean-forum",
        "Northfield African Caribbean Forum",
        Kind.COMMUNITY_GROUP,
        {"bme_led": True},
    ),
    (
        "northfield-disability-equality",
        "Northfield Disability Equality Network",
        Kind.REGISTERED_CHARITY,
        {"equality_and_diversity": True, "receives_public_funding": True},
    ),
]


def _sign(organisation, compact, support, today):
    Signature.objects.create(
        compact=compact,
        version=compact.current_version,
        organisation=organisation,
        organisation_name=organisation.name,
        signatory_name="Demo Signatory",
        signatory_position="Chair",
        signed_on=today - dt.timedelta(days=400),
        received_on=today - dt.timedelta(days=398),
        method=Signature.Method.PAPER,
        recorded_by=support,
    )


def seed(demo) -> str:
    today = demo.today
    now = timezone.now()
    support = demo.people["support"]
    olivia, cara = demo.people["olivia"], demo.people["cara"]
    leicester = demo.compact("leicester")
    orgs = dict(demo.organisations)
    for slug, name, kind, flags in EXTRA_ORGANISATIONS:
        orgs[slug] = Organisation.objects.create(
            name=name, slug=slug, sector="vcs", kind=kind, **flags
        )
        _sign(orgs[slug], leicester, support, today)
    council, health = orgs["northfield-council"], orgs["westshire-health"]

    # Last year's annual meeting, with its election.
    last_year = today - dt.timedelta(days=330)
    meeting = services.meeting_create(
        compact=leicester,
        title=f"Leicester compact annual meeting {last_year.year}",
        on=last_year,
        place="Northfield Town Hall",
        by=support,
        today=last_year - dt.timedelta(days=40),
    )
    services.meeting_invite(meeting=meeting, by=support, today=last_year - dt.timedelta(days=35))
    elected = services.composition_create(
        compact=leicester,
        body="steering-group",
        title=f"Steering group elected in {last_year.year}",
        by=support,
    )
    appointed = [
        ("independent-chair", "Priya Shah", orgs["riverside-youth-trust"], True, "Appointed"),
        ("independent-deputy-chair", "Diane Deputy", orgs["eastgate-residents"], True, "Appointed"),
        (
            "vice-chair-val",
            "Cara Charity",
            orgs["northfield-voluntary-action"],
            False,
            "Ex officio",
        ),
        ("vice-chair-public", "Olivia Officer", council, False, "Ex officio"),
        ("secretary", "Dev Patel", council, False, "Ex officio, by post"),
    ] + [
        ("public-nominees", name, org, False, f"Nominated by {org.name}")
        for name, org in [
            ("Alex Morgan", council),
            ("Sam Lee", council),
            ("Jo Evans", council),
            ("Ravi Kumar", health),
            ("Beth Green", health),
            ("Chris Hall", health),
        ]
    ]
    # The dispute subgroup's people, if the disagreements demo made their accounts.
    accounts = {
        u.get_full_name(): u
        for u in get_user_model().objects.filter(username__in=["diane", "sunil", "priya"])
    }
    users = {"Cara Charity": cara, "Olivia Officer": olivia, **accounts}
    for seat, name, org, independent, how in appointed:
        services.member_add(
            composition=elected,
            seat=seat,
            name=name,
            organisation=org,
            user=users.get(name),
            independent=independent,
            how=how,
            by=support,
            now=now,
        )
    election = services.election_create(meeting=meeting, composition=elected, by=support)
    for seat, candidate, slug in [
        ("vcs-funded", "Amira Hassan", "northfield-advice-centre"),
        ("vcs-funded", "Lee Brown", "westshire-carers"),
        ("vcs-funded", "Nina Clarke", "northfield-disability-equality"),
        ("vcs-unfunded", "Mo Member", "northfield-community-action"),
        ("vcs-unfunded", "Jack Wood", "eastgate-residents"),
        ("vcs-equality", "Grace Adeyemi", "northfield-disability-equality"),
    ]:
        services.nomination_add(
            election=election, seat=seat, candidate=candidate, organisation=orgs[slug], by=support
        )
    services.voting_open(election=election, by=support)
    nominations = {n.candidate: n for n in Nomination.objects.filter(election=election)}
    signed = set(signatories_current(compact=leicester).values_list("pk", flat=True))
    voters = [o for o in orgs.values() if o.sector == "vcs" and o.pk in signed]
    for n, voter in enumerate(voters):
        funded = ["Amira Hassan", "Lee Brown" if n % 3 else "Nina Clarke"]
        for seat, choices in [
            ("vcs-funded", funded),
            ("vcs-unfunded", ["Mo Member", "Jack Wood"]),
            ("vcs-equality", ["Grace Adeyemi"]),
        ]:
            services.vote_cast(
                election=election,
                seat=seat,
                organisation=voter,
                choices=[nominations[c] for c in choices],
                by=support,
            )
    services.election_close(election=election, by=support, today=last_year, now=now)
    plan = services.plan_create(
        compact=leicester,
        title=f"Leicester compact action plan {last_year.year} to {last_year.year + 3}",
        starts_on=last_year,
        ends_on=last_year + dt.timedelta(days=3 * 365),
        by=support,
    )
    services.plan_agree(plan=plan, on=last_year, by=support, today=last_year)
    services.decision_add(
        meeting=meeting,
        text="The three-year action plan is agreed; the steering group reports on it each quarter.",
        by=support,
    )
    revision = services.revision_propose(
        compact=leicester,
        title="Clearer wording of the information-sharing outcome",
        reason_kind=Revision.Reason.REVIEW,
        reason="Signatories at the meeting found the outcome hard to measure as worded.",
        target=Revision.Target.OUTCOME,
        target_id="information-sharing",
        new_text="Each sector shares information with the other promptly and without duplication.",
        by=support,
    )
    services.meeting_record(
        meeting=meeting,
        minutes=(
            "Present: representatives of the signatories (list kept by the support team).\n"
            "The meeting heard progress on the outcomes and agreed the action plan. The "
            "steering group was elected; no candidate stood for the black and minority "
            "ethnic seat, and the meeting asked the steering group to fill it.\n"
            "The meeting agreed to revise the wording of the information-sharing outcome."
        ),
        by=support,
        today=last_year,
        now=now,
    )

    # The seat filled later: a new make-up that meets every quota.
    filled = services.composition_create(
        compact=leicester,
        body="steering-group",
        title=f"Steering group from {(today - dt.timedelta(days=200)):%B %Y}",
        by=support,
    )
    for member in BodyMember.objects.filter(composition=elected).select_related("organisation"):
        services.member_add(
            composition=filled,
            seat=member.seat,
            name=member.name,
            organisation=member.organisation,
            user=member.user,
            independent=member.independent,
            how=member.how,
            by=support,
            now=now,
        )
    services.member_add(
        composition=filled,
        seat="vcs-bme",
        name="Kwame Mensah",
        organisation=orgs["northfield-caribbean-forum"],
        how="Co-opted by the steering group at the meeting's request",
        by=support,
        now=now,
    )
    services.composition_activate(
        composition=filled, on=today - dt.timedelta(days=200), by=support, now=now
    )
    subgroup = services.composition_create(
        compact=leicester, body="dispute-subgroup", title="Dispute Resolution Subgroup", by=support
    )
    services.member_add(
        composition=subgroup,
        seat="subgroup-chair",
        name="Diane Deputy",
        user=users.get("Diane Deputy"),
        organisation=orgs["eastgate-residents"],
        independent=True,
        how="The steering group's independent deputy chair",
        by=support,
        now=now,
    )
    for name, org in [("Sunil Subgroup", health)]:
        services.member_add(
            composition=subgroup,
            seat="members",
            name=name,
            user=users.get(name),
            organisation=org,
            by=support,
            now=now,
        )
    services.composition_activate(
        composition=subgroup, on=today - dt.timedelta(days=200), by=support, now=now
    )

    # The action plan's actions and their progress.
    codes = {c.slug: c for c in leicester.current_version.codes.all()}
    for title, owner, due, outcome, status, note in [
        (
            "Joint training on the consultation code for officers and groups",
            council,
            60,
            "consultation",
            Action.Status.IN_PROGRESS,
            "Two sessions held; one more booked.",
        ),
        (
            "Publish a funding calendar a year ahead",
            health,
            -20,
            "funding",
            Action.Status.NOT_STARTED,
            "",
        ),
        (
            "Compact awareness sessions for new groups",
            orgs["northfield-voluntary-action"],
            -90,
            "understanding-of-sectors",
            Action.Status.DONE,
            "Four sessions, 60 groups came.",
        ),
    ]:
        action = services.action_add(
            plan=plan,
            title=title,
            owner=owner,
            due_on=today + dt.timedelta(days=due),
            outcome=outcome,
            code=codes.get("commitments") if outcome == "consultation" else None,
            by=support,
        )
        if note:
            services.action_progress(
                action=action, status=status, text=note, on=today - dt.timedelta(days=10), by=olivia
            )

    # The next annual meeting.
    upcoming = services.meeting_create(
        compact=leicester,
        title=f"Leicester compact annual meeting {(today + dt.timedelta(days=40)).year}",
        on=today + dt.timedelta(days=40),
        place="Northfield Community Hall",
        by=support,
        today=today,
        host=orgs["northfield-voluntary-action"],
        formats_offered=["large_print", "easy_read", "bsl", "language"],
        venue_access=["step_free", "hearing_loop", "accessible_toilet", "quiet_room"],
        venue_access_notes="Level access from Station Road; the quiet room is next to the hall.",
    )
    services.meeting_invite(meeting=upcoming, by=support, today=today)
    services.revision_propose(
        compact=leicester,
        title="Say who calls the annual meeting",
        reason_kind=Revision.Reason.DISPUTE_FINDING,
        reason="A disagreement showed the compact does not say who must call the annual meeting.",
        target=Revision.Target.STANDARD_SUMMARY,
        target_id="annual-meeting-held",
        new_text="The steering group calls the compact annual meeting, open to every "
        "signatory, within twelve months of the last one.",
        by=support,
    )
    services.agenda_generate(meeting=upcoming, by=support, today=today)
    services.agenda_publish(meeting=upcoming, by=support, today=today)

    # The Herefordshire code's review, one year after it was adopted here.
    herefordshire = demo.compact("herefordshire")
    services.review_schedule(
        compact=herefordshire,
        counts_from=today - dt.timedelta(days=300),
        by=support,
        today=today,
    )

    # News, an event with a sign-up, stories, a concern.
    services.post_publish(
        compact=leicester,
        kind=Post.Kind.NEWS,
        title="The steering group's BME seat is filled",
        body="The steering group has co-opted a member for the black and minority ethnic seat.",
        organisation=None,
        today=today - dt.timedelta(days=199),
        by=support,
    )
    event = services.post_publish(
        compact=leicester,
        kind=Post.Kind.TRAINING,
        title="Joint training: consulting well",
        body="A half-day session for council officers and community groups together.",
        organisation=council,
        starts_at=now + dt.timedelta(days=21),
        place="Northfield Library",
        places=30,
        today=today,
        by=olivia,
    )
    services.signup(
        post=event, user=cara, organisation=orgs["northfield-community-action"], now=now
    )
    story = services.story_submit(
        compact=leicester,
        organisation=orgs["northfield-community-action"],
        title="Twelve weeks made the difference",
        body="The council's full twelve-week consultation let our members meet twice "
        "and send a joint answer.",
        worked=True,
        code=codes.get("commitments"),
        by=cara,
        today=today - dt.timedelta(days=30),
    )
    services.story_decide(
        story=story, publish=True, by=support, today=today - dt.timedelta(days=28)
    )
    services.story_submit(
        compact=leicester,
        organisation=orgs["eastgate-residents"],
        title="Told after the decision",
        body="We heard about the decision on the community centre only after it was made.",
        worked=False,
        code=None,
        by=support,
        today=today - dt.timedelta(days=3),
    )
    concern = services.concern_raise(
        compact=leicester,
        raised_by_organisation=orgs["northfield-community-action"],
        raised_with=council,
        subject="The parks consultation ran for six weeks",
        text="The parks consultation closed after six weeks, with no reason given "
        "for the short period.",
        suggestion="Extend it, or publish why it had to be shorter.",
        standard=leicester.current_version.standards.get(ident="consultation-minimum-period"),
        by=cara,
        today=today - dt.timedelta(days=12),
    )
    services.concern_reply(
        concern=concern,
        reply="We will extend the consultation by six weeks and publish the new closing date.",
        by=olivia,
        today=today - dt.timedelta(days=5),
    )

    # Last: the revision agreed at last year's meeting, adopted as a new version.
    services.revision_decide(
        revision=revision, adopt=True, on=last_year, meeting=meeting, by=support, now=now
    )
    return (
        f"Governance: {Composition.objects.count()} body make-ups, "
        "2 annual meetings with an election and an agenda, an action plan, a review, "
        "a revision adopted as a new Leicester version."
    )
