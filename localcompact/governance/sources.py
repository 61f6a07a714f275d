"""The obligations governance records declare, each under a standard of the compact's
own definition. Where a compact has no standard for something (Leicester sets no notice
period for its annual meeting; no compact dates the actions of its action plan), no
obligation is declared and the pages say so: standards are never invented here."""

from localcompact.compacts.models import CompactVersion, Standard
from localcompact.obligations.services import Declared
from localcompact.rulebook import NoticeBeforeEvent, RespondWithin

# What each kind of record is, in the definitions' `applies_to` words.
APPLIES_TO_ACTION_PLAN = "action-plan"
APPLIES_TO_ANNUAL_MEETING = "annual-meeting"
APPLIES_TO_MEETING = "meeting"
APPLIES_TO_REVIEW = "compact-review"


def standard_for(version: CompactVersion, applies_to: str, rule_kind: str) -> Standard | None:
    """The version's standard for this kind of record and rule, or None if it has none."""
    return (
        Standard.objects.select_related("version", "source")
        .filter(version=version, applies_to=applies_to, rule_kind=rule_kind)
        .order_by("position")
        .first()
    )


def notice_standard(version: CompactVersion) -> Standard | None:
    """The notice a compact asks for before its meetings, if it sets one."""
    return standard_for(version, APPLIES_TO_MEETING, "notice_before_event")


def owed_by_label(standard: Standard) -> str:
    """Who owes it, in words: a body's name from the definition, or the party's."""
    who = standard.owed_by
    definition = standard.version.definition
    if who.startswith("body:"):
        ident = who.removeprefix("body:")
        for body in definition.get("bodies", []):
            if body["id"] == ident:
                return body["name"]
        return ident
    for party in definition.get("parties", []):
        if party["id"] == who:
            return party["name"]
    return who.replace("-", " ")


def action_plan_declared(plan) -> list[Declared]:
    """An agreed plan is revised and agreed again within the compact's limit; it is met
    when the next plan is agreed."""
    if plan.agreed_on is None:
        return []
    standard = standard_for(plan.version, APPLIES_TO_ACTION_PLAN, "respond_within")
    if standard is None:
        return []
    rule = standard.rule()
    assert isinstance(rule, RespondWithin)
    due_on = rule.due_date(plan.agreed_on, standard.version.calendar)
    if due_on is None:
        return []
    following = (
        type(plan)
        .objects.filter(compact_id=plan.compact_id, agreed_on__gt=plan.agreed_on)
        .order_by("agreed_on")
        .values_list("agreed_on", flat=True)
        .first()
    )
    return [
        Declared(
            key="revision",
            standard=standard,
            summary=f"{standard.title}: {plan.title}",
            due_on=due_on,
            owed_by_role=owed_by_label(standard),
            owed_to_label="Signatories",
            met_on=following,
            met_note="The next action plan was agreed" if following else "",
        )
    ]


def meeting_declared(meeting) -> list[Declared]:
    declared = []
    if meeting.kind != meeting.Kind.ANNUAL:
        return declared
    notice = notice_standard(meeting.version)
    if notice is not None:
        rule = notice.rule()
        assert isinstance(rule, NoticeBeforeEvent)
        due_on = rule.latest_notice_date(meeting.on, notice.version.calendar)
        if due_on is not None:
            declared.append(
                Declared(
                    key="notice",
                    standard=notice,
                    summary=f"{notice.title}: invitations to {meeting.title}",
                    due_on=due_on,
                    owed_by_role=owed_by_label(notice),
                    owed_to_label="Signatories",
                    met_on=meeting.invitations_sent_on,
                    met_note="Invitations sent to every signatory"
                    if meeting.invitations_sent_on
                    else "",
                )
            )
    if meeting.held:
        standard = standard_for(meeting.version, APPLIES_TO_ANNUAL_MEETING, "respond_within")
        if standard is not None:
            rule = standard.rule()
            assert isinstance(rule, RespondWithin)
            due_on = rule.due_date(meeting.on, standard.version.calendar)
            following = (
                type(meeting)
                .objects.filter(
                    compact_id=meeting.compact_id, kind=meeting.kind, held=True, on__gt=meeting.on
                )
                .order_by("on")
                .values_list("on", flat=True)
                .first()
            )
            if due_on is not None:
                declared.append(
                    Declared(
                        key="next-annual-meeting",
                        standard=standard,
                        summary=f"{standard.title}: the one after {meeting.title}",
                        due_on=due_on,
                        owed_by_role=owed_by_label(standard),
                        owed_to_label="Signatories",
                        met_on=following,
                        met_note="The next annual meeting was held" if following else "",
                    )
                )
    return declared


def review_declared(review) -> list[Declared]:
    if review.standard is None:
        return []
    standard = review.standard
    return [
        Declared(
            key="review",
            standard=standard,
            summary=f"{standard.title}: {review.compact.name}",
            due_on=review.due_on,
            owed_by_role=owed_by_label(standard),
            owed_to_label="Signatories",
            met_on=review.done_on,
            met_note="Review recorded" if review.done_on else "",
        )
    ]
