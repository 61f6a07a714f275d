"""The shapes the API reads and writes. Field descriptions become the OpenAPI schema's."""

import datetime as dt
import enum
import re
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema

from localcompact.consultations.models import Status as _ConsultationStatus
from localcompact.obligations.models import Status as _ObligationStatus


def _printable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


def _iso_date(value):
    """Dates only as ISO 8601 text ('2026-11-22'), not as numbers of seconds."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError("must be a date in the form YYYY-MM-DD")
    return value


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
# No NUL character (PostgreSQL cannot store one), said in the schema as a pattern so that
# clients (and schemathesis) know it.
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL), AfterValidator(_printable)]
LongText = Annotated[
    str, StringConstraints(max_length=5000, pattern=NO_NUL), AfterValidator(_printable)
]


def _named(name: str, choices, doc: str) -> type[enum.StrEnum]:
    """The values of a model's choices as an enum with a name of its own in the OpenAPI
    schema (two apps call theirs `Status`; the values sent are the same)."""
    made = enum.StrEnum(name, {choice.name: choice.value for choice in choices})
    made.__doc__ = doc
    return made


ObligationStatus = _named(
    "ObligationStatus",
    _ObligationStatus,
    "Where an obligation stands: not yet due, due soon, met (on time or late), missed, "
    "excused, or cancelled (its source no longer asks for it).",
)
ConsultationStatus = _named(
    "ConsultationStatus",
    _ConsultationStatus,
    "Where a consultation stands: planned, open, closed, being analysed, decided, or its "
    "feedback published.",
)


class FieldError(Schema):
    field: str = Field(description="Where the value is: e.g. 'query.page' or 'body.title'")
    message: str


class Error(Schema):
    """Every error the API returns has this body."""

    detail: str = Field(description="What went wrong and what to do about it")
    errors: list[FieldError] = Field(
        default_factory=list, description="For invalid input: each value to fix"
    )


class PageInfo(Schema):
    count: int = Field(description="How many items match, on all pages")
    page: int
    pages: int
    page_size: int
    next: str | None = Field(description="The next page's address, or null on the last")
    previous: str | None


# --- Compacts --------------------------------------------------------------------------


class CompactOut(Schema):
    slug: str
    name: str
    area: str
    nation: str = Field(description="Whose bank holidays its working days leave out")
    version: int = Field(description="The number of the version in force")
    summary: str
    codes: int
    standards: int
    undertakings: int
    url: str


class CodeOut(Schema):
    slug: str
    title: str
    kind: str
    summary: str
    document: str = Field(description="The compact document it is in")
    clause: str


class CompactDetailOut(CompactOut):
    covers: str
    code_list: list[CodeOut]


class StandardOut(Schema):
    ident: str
    title: str
    summary: str
    code: str | None = Field(description="The slug of the code it belongs to")
    applies_to: str
    owed_by: str
    owed_to: str
    rule_kind: str = Field(
        description="minimum_period, notice_before_event, respond_within, required_record "
        "or seat_quotas"
    )
    params: dict = Field(description="The rule's parameters, as in the compact's definition")
    strictness: str
    exception_kind: str = Field(description="The exception the standard allows, if any")
    exception_summary: str
    document: str
    clause: str


class ComplianceRowOut(Schema):
    standard: str
    title: str
    code: str
    document: str
    clause: str
    met: int
    met_late: int
    missed: int
    excused: int
    open: int = Field(description="Not yet due, or due and not yet met")


class ComplianceOut(Schema):
    compact: str
    date_from: dt.date
    date_to: dt.date
    standards: list[ComplianceRowOut]


# --- Organisations ---------------------------------------------------------------------


class SignatureOut(Schema):
    compact: str
    signed_on: dt.date
    method: str
    signatory_position: str
    withdrawn_on: dt.date | None
    withdrawal_reason: str


class OrganisationOut(Schema):
    slug: str
    name: str
    url: str
    identifiers: list[str] = Field(description="org-id.guide identifiers, e.g. GB-CHC-1234567")
    sector: str
    kind: str
    bme_led: bool
    equality_and_diversity: bool
    receives_public_funding: bool
    area_served: str
    website: str
    income_band: str
    compacts_signed: list[str] = Field(description="slug:date for each standing signature")
    signatures: list[SignatureOut] = Field(description="Every signature, withdrawn ones too")


class OrganisationPage(PageInfo):
    items: list[OrganisationOut]


# --- A token's own -------------------------------------------------------------------------


class MembershipOut(Schema):
    organisation: str = Field(description="The organisation's slug")
    name: str
    role: str


class MeOut(Schema):
    username: str
    token: str = Field(description="The token's name")
    scopes: list[str]
    expires_at: dt.datetime | None
    memberships: list[MembershipOut]


class ObligationOut(Schema):
    id: int
    compact: str
    standard: str
    clause: str
    summary: str
    owed_by: str | None = Field(description="The owing organisation's slug")
    owed_by_role: str
    owed_to: list[str] = Field(description="Slugs of the organisations it is owed to")
    owed_to_label: str
    due_on: dt.date
    status: ObligationStatus
    met_on: dt.date | None
    excused_on: dt.date | None
    exception_kind: str


class ObligationPage(PageInfo):
    items: list[ObligationOut]


class ActivityIn(Schema):
    compact: Text = Field(description="The compact's slug")
    standard: Text = Field(description="The standard's ident, in the compact's current version")
    title: Text
    description: LongText = ""
    start_on: Date = Field(
        description="The date the standard counts from or to (start, event or trigger)"
    )
    end_on: Date | None = Field(None, description="For a minimum period: its end")
    agreed_due_on: Date | None = Field(
        None, description="Where the standard leaves the date to be agreed"
    )
    owed_to: list[Text] = Field(
        default_factory=list, max_length=100, description="Slugs of organisations it is owed to"
    )
    owed_to_label: Text = ""
    exception_reason: LongText = Field(
        "", description="To record the standard's exception for a short period: the reason"
    )
    exception_agreed_by: Text = Field("", description="For exceptions by agreement: who agreed")


class ActivityOut(Schema):
    id: int
    title: str
    standard: str
    owed_by: str
    obligations: list[ObligationOut]


# --- Consultations, meetings and awards (public) ----------------------------------------

Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Name = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL), AfterValidator(_printable)
]
NamedText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=5000, pattern=NO_NUL),
    AfterValidator(_printable),
]
# Pounds, as text so that no rounding creeps in: "12500" or "12500.50".
Money = Annotated[
    Decimal,
    Field(gt=0, max_digits=12, decimal_places=2),
    WithJsonSchema(
        {"type": "string", "pattern": r"^(?=.*[1-9])\d{1,10}(\.\d{1,2})?$", "example": "12500.50"}
    ),
]
MoneyOrNothing = Annotated[
    Decimal,
    Field(ge=0, max_digits=12, decimal_places=2),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$", "example": "0"}),
]


class TagOut(Schema):
    kind: str = Field(description="topic, area or audience")
    name: str


class ConsultationOut(Schema):
    id: int
    compact: str = Field(description="The compact's slug")
    lead: str = Field(description="The lead body's slug")
    lead_name: str
    level: str = Field(description="informing, consulting or partnership")
    status: ConsultationStatus
    title: str
    summary: str
    open_to_change: str
    not_open_to_change: str
    who_affected: str
    tags: list[TagOut]
    response_methods: list[str]
    response_details: str
    anonymous_allowed: bool
    acknowledged: bool = Field(description="Whether responses are acknowledged")
    announced_on: dt.date
    opens_on: dt.date
    closes_on: dt.date
    feedback_by: dt.date | None
    decision: str = Field(description="Once decided; empty before")
    reasons_for_decision: str
    effect_of_consultation: str
    decided_on: dt.date | None
    what_you_told_us: str = Field(description="Once feedback is published; empty before")
    feedback_published_on: dt.date | None
    url: str = Field(description="Its page on the site")


class ConsultationPage(PageInfo):
    items: list[ConsultationOut]


class AgendaItemOut(Schema):
    position: int
    kind: str
    title: str
    lines: list[str]


class MeetingOut(Schema):
    id: int
    compact: str
    kind: str = Field(description="annual or body")
    title: str
    on: dt.date
    place: str
    invitations_sent_on: dt.date | None
    agenda_published_on: dt.date | None
    held: bool
    minutes: str = Field(description="Published once the meeting is recorded as held")
    minutes_published_on: dt.date | None
    url: str


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut] = Field(description="Once the agenda is published")
    decisions: list[str]


class MeetingPage(PageInfo):
    items: list[MeetingOut]


class AwardOut(Schema):
    """An award's headline facts, as public as on its page; payments, monitoring and
    notices are the parties' business."""

    id: int
    compact: str
    funder: str = Field(description="The funder's slug")
    funder_name: str
    recipient: str = Field(description="The recipient's slug")
    recipient_name: str
    kind: str = Field(description="grant, contract or service_agreement")
    title: str
    description: str
    amount: Decimal
    overheads: Decimal
    award_date: dt.date = Field(description="When it was decided")
    starts_on: dt.date
    ends_on: dt.date
    length_reason: str
    programme: str | None = Field(description="The opportunity's title, if any")
    url: str


class AwardPage(PageInfo):
    items: list[AwardOut]


# --- Writes -------------------------------------------------------------------------------


class GlossaryEntry(Schema):
    term: Name
    meaning: NamedText


class ConsultationIn(Schema):
    compact: Text = Field(description="The compact's slug")
    level: Literal["informing", "consulting", "partnership"] = "consulting"
    title: Name
    summary: NamedText = Field(description="In plain English")
    open_to_change: NamedText
    not_open_to_change: LongText = ""
    who_affected: NamedText
    topics: list[Text] = Field(default_factory=list, max_length=20, description="Topic names")
    areas: list[Text] = Field(default_factory=list, max_length=20, description="Area names")
    audiences: list[Text] = Field(default_factory=list, max_length=20)
    glossary: list[GlossaryEntry] = Field(default_factory=list, max_length=50)
    concerns_policies_and_plans: bool = True
    response_methods: list[
        Literal["online", "email", "post", "meetings", "focus_groups", "formats"]
    ] = Field(default_factory=lambda: ["online"], max_length=6)
    response_details: LongText = ""
    accessible_information: LongText = ""
    participation_support: LongText = ""
    anonymous_allowed: bool = True
    acknowledged: bool = True
    opens_on: Date
    closes_on: Date
    feedback_by: Date | None = None
    exception_reason: LongText = Field(
        "", description="For a period shorter than the compact's minimum: the exception's reason"
    )
    exception_agreed_by: Text = Field("", description="For exceptions by agreement: who agreed")


class ConsultationMade(ConsultationOut):
    overlapping: list[int] = Field(
        description="Planned or open consultations under the compact on the same topics, "
        "areas or audiences in the same weeks (the web form asks you to look at them)"
    )


class MoveIn(Schema):
    to: Literal["open", "closed", "analysis"] = Field(
        description="The next status: a planned consultation opens, an open one closes "
        "(after its closing date), a closed one goes to analysis"
    )


class DecisionIn(Schema):
    decision: NamedText
    reasons: NamedText
    effect: NamedText = Field(description="How, or whether, the responses changed it")
    petitions_considered: LongText = ""


class FeedbackIn(Schema):
    what_you_told_us: NamedText


class _ResponseFields(Schema):
    organisation: Text = Field(
        "", description="For organisation and joint responses: the slug of the organisation"
    )
    joint_organisations: list[Text] = Field(
        default_factory=list, max_length=50, description="For joint responses: the others' slugs"
    )
    respondent_name: Text = ""
    represents: LongText = ""
    views_gathered: LongText = ""
    petition_signatures: int | None = Field(None, ge=1, le=100_000_000)
    petition_organiser: Text = ""
    answer: LongText = ""
    consent_to_publish: bool = False
    send: bool = Field(False, description="Send it (true) or keep it as a draft (false)")


class ResponseIn(_ResponseFields):
    kind: Literal["organisation", "joint", "individual", "petition"] = Field(
        description="How you respond (an anonymous response keeps no identity, so it is "
        "made on the site, not with a token)"
    )


class ResponseUpdateIn(_ResponseFields):
    pass


class ResponseOut(Schema):
    id: int
    consultation: int
    kind: str
    state: str = Field(description="draft or submitted")
    organisation: str | None
    joint_organisations: list[str]
    respondent_name: str
    represents: str
    views_gathered: str
    petition_signatures: int | None
    petition_organiser: str
    answer: str
    consent_to_publish: bool
    started_on: dt.date
    submitted_on: dt.date | None
    acknowledged_on: dt.date | None


class MeetingIn(Schema):
    title: Name
    on: Date
    place: Text = ""
    kind: Literal["annual", "body"] = "annual"


class MinutesIn(Schema):
    minutes: NamedText


class MeetingDecisionIn(Schema):
    text: NamedText


class InvitedOut(Schema):
    invited: int = Field(description="How many organisations were invited now")
    meeting: MeetingDetailOut


class AwardIn(Schema):
    compact: Text = Field(description="The compact's slug")
    recipient: Text = Field(description="The recipient's slug")
    kind: Literal["grant", "contract", "service_agreement"]
    title: Name
    description: NamedText
    amount: Money
    overheads: MoneyOrNothing = Decimal(0)
    award_date: Date = Field(description="When it was decided")
    agreed_on: Date = Field(description="When the funding agreement was made")
    starts_on: Date
    ends_on: Date
    length_reason: LongText = ""


class ConfirmIn(Schema):
    confirmed_on: Date


class PaymentIn(Schema):
    amount: Money
    due_on: Date
    expenditure_starts_on: Date
    note: Annotated[
        str, StringConstraints(max_length=300, pattern=NO_NUL), AfterValidator(_printable)
    ] = ""


class PaidIn(Schema):
    paid_on: Date


class PaymentOut(Schema):
    id: int
    award: int
    amount: Decimal
    due_on: dt.date
    expenditure_starts_on: dt.date
    paid_on: dt.date | None
    note: str


class AwardPrivateOut(AwardOut):
    confirmed_on: dt.date | None
    payments: list[PaymentOut]
