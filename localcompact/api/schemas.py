"""The shapes the API reads and writes. Field descriptions become the OpenAPI schema's."""

import datetime as dt
import re
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StringConstraints


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
    status: str
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
