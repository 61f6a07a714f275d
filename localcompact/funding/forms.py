"""Forms of the funding pages, in GOV.UK markup (see `localcompact.core.forms`)."""

from decimal import Decimal

from django import forms

from localcompact.compacts.models import Compact
from localcompact.core.forms import (
    GovukCheckbox,
    GovukCheckboxes,
    GovukDateField,
    GovukForm,
    GovukRadios,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)
from localcompact.organisations.models import Organisation

from .models import FundingKind, Involvement, MonitoringReturn, Risk


def text(label: str, *, required: bool = True, max_length: int = 200, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=GovukTextInput(),
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


def long_text(label: str, *, required: bool = True, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=GovukTextarea(),
        error_messages={"required": f"Enter {label[0].lower() + label[1:]}"},
    )


def money(label: str, *, required: bool = True, help_text: str = ""):
    noun = label[0].lower() + label[1:]
    return forms.DecimalField(
        label=f"{label} (£)",
        required=required,
        help_text=help_text,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        widget=GovukTextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "required": f"Enter {noun}",
            "invalid": f"Enter {noun} as a number of pounds, like 12500 or 12500.50",
            "min_value": f"{label} must be £0 or more",
            "max_digits": f"{label} is too large",
            "max_decimal_places": f"{label} can have at most 2 decimal places (pence)",
            "max_whole_digits": f"{label} is too large",
        },
    )


def date(what: str, *, required: bool = True, help_text: str = "For example, 27 3 2026"):
    return GovukDateField(what=what, required=required, help_text=help_text)


def compact_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Which compact is it under?",
        queryset=Compact.objects.filter(current_version__isnull=False).order_by("name"),
        to_field_name="slug",
        empty_label=None,
        widget=GovukRadios(),
        error_messages={
            "required": "Choose the compact it is under",
            "invalid_choice": "Choose the compact it is under",
        },
    )


class PlanForm(GovukForm):
    compact = compact_field()
    title = text("Title")
    summary = long_text("What it is for", help_text="The needs it answers and its scope")


class InvolvementForm(GovukForm):
    kind = forms.ChoiceField(
        label="How did the voluntary and community sector take part?",
        choices=Involvement.Kind.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose how the sector took part"},
    )
    held_on = date("the date it took place")
    description = long_text("What happened", help_text="Who took part and what came of it")
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations that took part",
        required=False,
        queryset=Organisation.objects.filter(sector="vcs").order_by("name"),
        widget=GovukCheckboxes(),
    )
    consultation = text(
        "Consultation",
        required=False,
        max_length=300,
        help_text="If it was a consultation, a link to it or its reference",
    )


class NoteForm(GovukForm):
    note = long_text("Note (optional)", required=False)


class OpportunityForm(GovukForm):
    compact = compact_field()
    kind = forms.ChoiceField(
        label="What kind of opportunity is it?",
        choices=FundingKind.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose what kind of opportunity it is"},
    )
    code = forms.SlugField(
        label="Short code",
        max_length=60,
        help_text="Lower-case letters, numbers and hyphens, used in its address and the open "
        "data, for example youth-grants-2027",
        widget=GovukTextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={
            "required": "Enter a short code",
            "invalid": "The short code can only have lower-case letters, numbers and hyphens",
        },
    )
    title = text("Title")
    description = long_text("Description")
    criteria = long_text(
        "Criteria", required=False, help_text="What applications are judged against"
    )
    decision_method = long_text("How decisions will be made", required=False)
    criteria_decided_on = date(
        "the date the criteria were formally decided",
        required=False,
        help_text="It must be before applications open. For example, 27 3 2026",
    )
    outputs = long_text("Outputs", required=False)
    outcomes = long_text("Outcomes", required=False)
    amount_available = money("Money available")
    overheads_eligible = forms.TypedChoiceField(
        label="Are overheads eligible?",
        choices=[("yes", "Yes, a fair share of overheads may be included"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=GovukRadios(),
        help_text="The compacts ask for full cost recovery: an opportunity that excludes "
        "overheads is flagged",
        error_messages={"required": "Say whether overheads are eligible"},
    )
    social_clause = forms.BooleanField(
        label="A social clause (community benefits) applies",
        required=False,
        widget=GovukCheckbox(),
    )
    social_clause_details = long_text("The community benefits asked for", required=False)
    opens_on = date("the date it opens")
    closes_on = date("the date it closes")
    decisions_by = date("the date applicants will hear the outcome")
    service_starts_on = date("the date the funded work starts")

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date must be on or after the opening date")
        decided = data.get("criteria_decided_on")
        if decided and opens and decided > opens:
            self.add_error(
                "criteria_decided_on", "The criteria must be decided before applications open"
            )
        decisions, starts = data.get("decisions_by"), data.get("service_starts_on")
        if decisions and closes and decisions < closes:
            self.add_error("decisions_by", "Decisions cannot come before it closes")
        if decisions and starts and starts < decisions:
            self.add_error("service_starts_on", "The work cannot start before the decisions")
        if data.get("social_clause") and not data.get("social_clause_details", "").strip():
            self.add_error("social_clause_details", "Enter the community benefits asked for")
        return data


class ApplicationForm(GovukForm):
    title = text("Title of your proposal")
    summary = long_text(
        "What you will do",
        help_text="The needs of the people it serves, and why your approach will make a difference",
    )
    direct_costs = money("Direct costs", help_text="Staff, materials and other costs of the work")
    overheads = money(
        "Share of overheads",
        help_text="Your fair share of running costs such as management, premises and finance",
    )
    overheads_basis = text("How the overheads share was worked out", required=False, max_length=300)
    eligibility_confirmed = forms.BooleanField(
        label="We confirm that our organisation is eligible for this opportunity",
        required=False,
        widget=GovukCheckbox(),
    )

    def __init__(self, *args, applicants, **kwargs):
        super().__init__(*args, **kwargs)
        if len(applicants) > 1:
            self.fields["applicant"] = forms.ModelChoiceField(
                label="Which organisation is applying?",
                queryset=Organisation.objects.filter(pk__in=[a.pk for a in applicants]),
                empty_label=None,
                widget=GovukRadios(),
                error_messages={"required": "Choose the organisation that is applying"},
            )
            self.order_fields(["applicant"])
        self.applicants = applicants

    def applicant(self) -> Organisation:
        return self.cleaned_data.get("applicant") or self.applicants[0]


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What was decided?",
        choices=[("successful", "Successful"), ("unsuccessful", "Unsuccessful")],
        widget=GovukRadios(),
        error_messages={"required": "Choose the outcome"},
    )
    reasons = long_text(
        "Reasons",
        required=False,
        help_text="Required for an unsuccessful application: the applicant is told why",
    )
    decided_on = date("the date it was decided")
    notified_on = date(
        "the date the applicant was told", required=False, help_text="Leave blank if not yet"
    )


class WithdrawForm(GovukForm):
    reason = long_text(
        "Why are you withdrawing it? (optional)",
        required=False,
        help_text="The funder sees this with the application",
    )


class NotifiedForm(GovukForm):
    notified_on = date("the date the applicant was told")


class AwardForm(GovukForm):
    compact = compact_field()
    recipient = forms.ModelChoiceField(
        label="Recipient",
        queryset=Organisation.objects.order_by("name"),
        widget=GovukSelect(),
        error_messages={
            "required": "Choose the recipient",
            "invalid_choice": "Choose the recipient",
        },
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=FundingKind.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose the kind of award"},
    )
    title = text("Title")
    description = long_text("Description")
    amount = money("Amount")
    overheads = money("Of which overheads", help_text="The share of the amount for overheads")
    award_date = date("the date it was decided")
    agreed_on = date("the date the funding agreement was made")
    starts_on = date("the date it starts")
    ends_on = date("the date it ends")
    length_reason = long_text(
        "Why this length",
        required=False,
        help_text="How the length of funding is tied to the objective",
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be on or after the start date")
        if data.get("amount") is not None and data["amount"] <= 0:
            self.add_error("amount", "The amount must be more than £0")
        if (
            data.get("amount") is not None
            and data.get("overheads") is not None
            and data["overheads"] > data["amount"]
        ):
            self.add_error("overheads", "The overheads cannot be more than the amount")
        return data


class ConfirmForm(GovukForm):
    confirmed_on = date("the date the amount was confirmed")


class MonitoringForm(GovukForm):
    monitoring_requirements = long_text("What monitoring is asked for")
    returns_per_year = forms.IntegerField(
        label="Returns a year",
        min_value=0,
        max_value=12,
        widget=GovukTextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of returns a year",
            "invalid": "Enter the number of returns a year as a whole number",
            "min_value": "Returns a year must be 0 or more",
            "max_value": "Returns a year must be 12 or fewer",
        },
    )
    proportionality_statement = long_text("Why it is in proportion to the amount")
    outcome_measures = long_text("The outcomes it measures")


class PaymentForm(GovukForm):
    amount = money("Amount")
    due_on = date("the date it is due")
    expenditure_starts_on = date("the date the spending it covers begins")
    note = text("Note", required=False, max_length=300)

    def clean_amount(self):
        value = self.cleaned_data["amount"]
        if value <= 0:
            raise forms.ValidationError("The amount must be more than £0")
        return value


class PaidForm(GovukForm):
    paid_on = date("the date it was paid")


class ReturnExpectForm(GovukForm):
    period = text("Period it covers", max_length=100, help_text="For example, April to September")
    due_on = date("the date it is due")


class ReturnReceiveForm(GovukForm):
    received_on = date("the date it was received")
    summary = long_text("What it reports", required=False)


class ReturnReviewForm(GovukForm):
    assessment = forms.ChoiceField(
        label="Assessment",
        choices=MonitoringReturn.Assessment.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose the assessment"},
    )
    note = long_text("Review note", required=False)


class RiskForm(GovukForm):
    description = long_text("The risk")
    held_by = forms.ChoiceField(
        label="Who holds it",
        choices=Risk.Holder.choices,
        widget=GovukRadios(),
        help_text="The party best able to manage it",
        error_messages={"required": "Choose who holds the risk"},
    )
    mitigation = long_text("How it is managed", required=False)


class EndNoticeForm(GovukForm):
    due_on = date(
        "the agreed date for notice of the end",
        required=False,
        help_text="Where the compact leaves the notice to be agreed. For example, 27 3 2026",
    )
    given_on = date(
        "the date notice was given", required=False, help_text="Leave blank if not given yet"
    )
    text = long_text("What the notice said", required=False)


class RecipientTermsForm(GovukForm):
    terms_accepted_on = date(
        "the date the terms of delivery were accepted",
        required=False,
        help_text="Including the risks the recipient holds. For example, 27 3 2026",
    )
    end_plan = long_text(
        "Plan for when the funding ends",
        required=False,
        help_text="How the people served and the organisation will be looked after",
    )


class WindDownForm(GovukForm):
    service_ends_on = date("the date the service will end")
    given_on = date("the date notice was given")
    reason = long_text("Why the service is winding down")


class ChangeForm(GovukForm):
    summary = long_text("The change to the funding arrangements")
    consultation = text(
        "Consultation",
        required=False,
        max_length=300,
        help_text="A link to the consultation on the change, or its reference",
    )
    consulted_from = date("the date consultation began", required=False)
    takes_effect_on = date("the date the change takes effect")
