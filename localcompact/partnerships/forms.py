"""Forms for partnership groups, meetings, requests to act and confidentiality records.

Every form renders in GOV.UK markup (`GovukForm`). Single-field checks are here; checks
that need other records (the quorum against the members, notice against the compact's
standard, access confirmed by every partner) are the services', and come back as errors
on the field they concern through `refuse`.
"""

from django import forms

from localcompact.core.forms import GovukDateField, GovukForm, GovukRadios
from localcompact.core.uploads import DocumentField

from .models import (
    Authority,
    DecisionMethod,
    Finality,
    FoiRequest,
    GroupKind,
    Means,
    Participation,
    Represents,
    Role,
    Sensitivity,
    YearKind,
)
from .services import Refused

YES_NO = [("yes", "Yes"), ("no", "No")]


class RefusalMixin:
    """Puts a service's refusal on the field it names, or on the form as a whole."""

    def refuse(self, refused: Refused) -> None:
        field = refused.field if refused.field in self.fields else None
        self.add_error(field, refused.message)


class Form(RefusalMixin, GovukForm):
    pass


def _radios(choices, *, label, required=True, hints=None, error=None):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=GovukRadios(hints=hints),
        error_messages={"required": error or f"Choose {label[0].lower()}{label[1:]}"},
    )


def _text(label, *, required=True, error=None, hint="", max_length=None, textarea=False):
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        max_length=max_length,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages={"required": error or f"Enter {label[0].lower()}{label[1:]}"},
    )


def _count(label, *, required=False, hint=""):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=999,
        help_text=hint,
        error_messages={
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be 999 or fewer",
            "required": f"Enter {label[0].lower()}{label[1:]}",
        },
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _organisations(queryset, *, label, error, required=True, empty=None):
    return OrganisationChoiceField(
        queryset=queryset,
        label=label,
        required=required,
        empty_label=empty,
        error_messages={"required": error, "invalid_choice": error},
    )


SENSITIVITY_HINTS = {
    Sensitivity.NONE: "Anyone who may see the meeting sees it.",
    Sensitivity.COMMERCIAL: "Only the group's participants see it.",
    Sensitivity.CONFIDENTIAL: "Only the group's participants see it.",
    Sensitivity.EMBARGOED: "Only the group's participants see it until the embargo ends.",
}


class SensitivityMixin(forms.Form):
    sensitivity = forms.ChoiceField(
        label="Is it restricted?",
        choices=Sensitivity.choices,
        required=False,
        widget=GovukRadios(hints={str(k): v for k, v in SENSITIVITY_HINTS.items()}),
    )
    embargo_until = GovukDateField(what="the date the embargo ends", required=False)


# Groups --------------------------------------------------------------------------------------


class GroupForm(Form):
    name = _text("Name of the group", max_length=200)
    kind = _radios(GroupKind.choices, label="Kind of group", error="Choose the kind of group")
    compact = forms.ModelChoiceField(
        queryset=None,
        label="Compact it works under",
        empty_label=None,
        widget=GovukRadios,
        error_messages={"required": "Choose the compact", "invalid_choice": "Choose the compact"},
    )
    set_up_on = GovukDateField(what="the date the group was set up")

    def __init__(self, *args, compacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compact"].queryset = compacts
        self.fields["compact"].label_from_instance = lambda c: c.name


class TermsForm(Form):
    aims_and_tasks = _text(
        "Aims and tasks", required=False, textarea=True, hint="What the group is for and does."
    )
    authority = _radios(
        Authority.choices, label="What authority does the group have?", required=False
    )
    decision_method = _radios(DecisionMethod.choices, label="How does it decide?", required=False)
    finality = _radios(Finality.choices, label="Are its decisions final?", required=False)
    overturned_where = _text(
        "Where can its decisions be overturned?",
        required=False,
        max_length=300,
        hint="Only if they can be, for example the council's cabinet.",
    )
    quorum = forms.IntegerField(
        label="Quorum",
        required=False,
        min_value=1,
        max_value=99,
        help_text="How many voting members must be present to decide.",
        error_messages={
            "invalid": "Quorum must be a whole number",
            "min_value": "Quorum must be 1 or more",
            "max_value": "Quorum must be 99 or fewer",
        },
    )
    representation_sought = _text(
        "Whose interests does the group need represented?",
        required=False,
        textarea=True,
        hint="A particular organisation or service, or a wider constituency.",
    )
    electronic_means = _text(
        "Electronic means of deciding",
        required=False,
        max_length=200,
        hint="For example e-mail or video calls. Leave blank if it only decides in meetings.",
    )


class MemberForm(Form):
    name = _text("Name of the member", max_length=200, error="Enter the member's name")
    organisation = _organisations(
        None, label="Organisation they act for", error="Choose the organisation they act for"
    )
    role = _radios(
        Role.choices,
        label="Role",
        error="Choose the member's role",
        hints={"decision_making": "Takes part in decisions.", "advisory": "Advises; no vote."},
    )
    voting = _radios(YES_NO, label="Do they vote?", error="Say whether they vote")
    represents = _radios(
        Represents.choices, label="Who do they represent?", error="Choose who they represent"
    )
    constituency = _text(
        "The wider constituency",
        required=False,
        max_length=300,
        hint="Only if they represent more than their own organisation.",
    )
    joined_on = GovukDateField(what="the date they joined")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MemberChangeForm(Form):
    role = MemberForm.base_fields["role"]
    voting = MemberForm.base_fields["voting"]
    represents = MemberForm.base_fields["represents"]
    constituency = MemberForm.base_fields["constituency"]


class LeaveForm(Form):
    left_on = GovukDateField(what="the date they left")


class InterestForm(Form):
    description = _text("The interest", max_length=500, error="Describe the interest")
    registered_on = GovukDateField(what="the date it was registered")


class NominationRequestForm(Form):
    infrastructure_body = _organisations(
        None, label="Infrastructure body to ask", error="Choose the infrastructure body"
    )
    constituency = _text(
        "Whose interests the representative speaks for",
        max_length=300,
        error="Say whose interests the representative speaks for",
    )
    role_description = _text(
        "Role description", textarea=True, error="Enter the representative's role description"
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["infrastructure_body"].queryset = bodies


class NominationForm(Form):
    nominee_name = _text("Name of the representative", max_length=200)
    term_starts_on = GovukDateField(what="the date the term starts")
    term_ends_on = GovukDateField(what="the date the term ends")
    voting = _radios(YES_NO, label="Do they vote?", error="Say whether they vote")


class CalendarForm(Form):
    year_kind = _radios(YearKind.choices, label="Which year?", error="Choose the kind of year")
    year = forms.IntegerField(
        label="Year it starts",
        min_value=2000,
        max_value=2100,
        help_text="For example 2026 (a financial year starts on 1 April).",
        error_messages={
            "required": "Enter the year it starts",
            "invalid": "Year must be a number, like 2026",
            "min_value": "Year must be 2000 or later",
            "max_value": "Year must be 2100 or earlier",
        },
    )


class MeetingForm(Form):
    title = _text("Title", max_length=200, error="Enter the meeting's title")
    date = GovukDateField(what="the date of the meeting")
    time = forms.TimeField(
        label="Start time",
        input_formats=["%H:%M", "%H.%M"],
        help_text="In 24-hour time, for example 14:30.",
        error_messages={
            "required": "Enter the start time",
            "invalid": "Start time must be a time like 14:30",
        },
    )
    location = _text("Where", required=False, max_length=300)
    decision_making = _radios(
        YES_NO,
        label="Will the meeting take decisions?",
        error="Say whether the meeting will take decisions",
        hints={"yes": "Only when the terms of reference are complete."},
    )


class NoticeForm(Form):
    given_on = GovukDateField(what="the date notice was given")
    short_reason = _text(
        "Reason for short notice",
        required=False,
        textarea=True,
        hint="Needed if notice is shorter than the compact asks for.",
    )


class ItemForm(SensitivityMixin, Form):
    title = _text("Title of the item", max_length=300, error="Enter the item's title")
    description = _text("Description", required=False, textarea=True)
    field_order = ["title", "description", "sensitivity", "embargo_until"]


class PaperForm(SensitivityMixin, Form):
    title = _text("Title of the paper", max_length=300, error="Enter the paper's title")
    item = forms.ModelChoiceField(
        queryset=None, label="Agenda item", required=False, empty_label="None"
    )
    sent_on = GovukDateField(what="the date it was sent", required=False)
    tabled = forms.BooleanField(label="Tabled at the meeting (not sent in advance)", required=False)
    tabled_reason = _text("Why it was tabled", required=False, textarea=True)
    file = DocumentField(what="the paper's file", required=False, label="The paper (optional)")
    field_order = ["title", "item", "file", "sent_on", "tabled", "tabled_reason", "sensitivity"]

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class SentForm(Form):
    sent_on = GovukDateField(what="the date it was sent")


class DeclarationForm(Form):
    item = forms.ModelChoiceField(
        queryset=None,
        label="Agenda item",
        empty_label=None,
        error_messages={
            "required": "Choose the agenda item",
            "invalid_choice": "Choose the agenda item",
        },
    )
    member = forms.ModelChoiceField(
        queryset=None,
        label="Member",
        empty_label=None,
        error_messages={"required": "Choose the member", "invalid_choice": "Choose the member"},
    )
    interest = _text("The interest", max_length=500, error="Describe the interest")
    participation = _radios(
        Participation.choices,
        label="How did they take part in the item?",
        error="Say how they took part in the item",
    )

    def __init__(self, *args, items, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.name} ({m.organisation.name})"


class AttendanceForm(Form):
    """One radio group per member, named `member_<pk>`."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"{member.name} ({member.organisation.name}"
                f"{', voting' if member.voting else ', no vote'})",
                choices=[("present", "Present"), ("apologies", "Apologies"), ("absent", "Absent")],
                widget=GovukRadios(attrs={"class": "govuk-radios--inline"}),
                error_messages={"required": f"Say whether {member.name} attended"},
            )

    def statuses(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"member_{m.pk}"] for m in self.members}


class DecisionForm(Form):
    text = _text("The decision", textarea=True, error="Enter the decision")
    method = _radios(
        DecisionMethod.choices, label="How was it decided?", error="Choose how it was decided"
    )
    votes_for = _count("Votes for")
    votes_against = _count("Votes against")
    abstentions = _count("Abstentions")


class MeetingDecisionForm(DecisionForm):
    item = forms.ModelChoiceField(
        queryset=None, label="Agenda item", required=False, empty_label="None"
    )
    field_order = ["item", "text", "method"]

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class ElectronicDecisionForm(DecisionForm):
    means = _radios(
        [(Means.EMAIL, Means.EMAIL.label), (Means.VIDEO, Means.VIDEO.label)],
        label="How was it taken?",
        error="Choose how the decision was taken",
    )
    decided_on = GovukDateField(what="the date of the decision")
    field_order = ["text", "means", "method"]


class ObjectionForm(Form):
    member = forms.ModelChoiceField(
        queryset=None,
        label="Member objecting",
        empty_label=None,
        error_messages={"required": "Choose the member", "invalid_choice": "Choose the member"},
    )
    objection = _text("The objection", textarea=True, error="Enter the objection")
    how_represented = _text(
        "How the difference will be represented outside the meeting",
        required=False,
        textarea=True,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.name} ({m.organisation.name})"


class MinutesForm(Form):
    minutes = _text("Minutes", textarea=True, error="Enter the minutes")


class ConfirmForm(Form):
    pass


# Acting, confidentiality, FOI ---------------------------------------------------------------


class RequestForm(Form):
    to_organisation = _organisations(
        None, label="Partner asked to act", error="Choose the partner asked to act"
    )
    compact = forms.ModelChoiceField(
        queryset=None,
        label="Compact",
        empty_label=None,
        widget=GovukRadios,
        error_messages={"required": "Choose the compact", "invalid_choice": "Choose the compact"},
    )
    title = _text("What is asked", max_length=200, error="Say what is asked")
    details = _text("Details", textarea=True, error="Enter the details")
    received_on = GovukDateField(what="the date the partner receives the request")
    action_due_on = GovukDateField(what="the date action is due")
    emergency = forms.BooleanField(label="This is an emergency", required=False)
    emergency_reason = _text("What the emergency is", required=False, textarea=True)

    def __init__(self, *args, organisations, compacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations
        self.fields["compact"].queryset = compacts
        self.fields["compact"].label_from_instance = lambda c: c.name


class DoneForm(Form):
    done_on = GovukDateField(what="the date it was done")
    note = _text("What was done", required=False, textarea=True)


class WithheldForm(Form):
    about = _organisations(
        None, label="Partner that withheld it", error="Choose the partner that withheld it"
    )
    compact = forms.ModelChoiceField(
        queryset=None,
        label="Compact",
        empty_label=None,
        widget=GovukRadios,
        error_messages={"required": "Choose the compact", "invalid_choice": "Choose the compact"},
    )
    information = _text("What information was withheld", textarea=True)
    risk = _text("How it put your organisation at risk", textarea=True)

    def __init__(self, *args, organisations, compacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].queryset = organisations
        self.fields["compact"].queryset = compacts
        self.fields["compact"].label_from_instance = lambda c: c.name


class OutcomeForm(Form):
    outcome = _text("What the support team did", textarea=True, error="Say what was done")


class ConsentForm(Form):
    about = _organisations(
        None, label="Organisation the information is about", error="Choose the organisation"
    )
    compact = forms.ModelChoiceField(
        queryset=None,
        label="Compact",
        empty_label=None,
        widget=GovukRadios,
        error_messages={"required": "Choose the compact", "invalid_choice": "Choose the compact"},
    )
    information = _text("The information", textarea=True, error="Describe the information")
    recipient = _text("Who it would be passed to", max_length=300)
    legal_basis = _text(
        "Legal requirement",
        required=False,
        max_length=300,
        hint="Only if the law requires it to be passed on: then no consent is asked, and "
        "the organisation is told.",
    )

    def __init__(self, *args, organisations, compacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].queryset = organisations
        self.fields["compact"].queryset = compacts
        self.fields["compact"].label_from_instance = lambda c: c.name


class ConsentDecisionForm(Form):
    decision = _radios(
        [("give", "Give consent"), ("refuse", "Refuse consent")],
        label="Your decision",
        error="Choose whether to give or refuse consent",
    )
    note = _text("Note", required=False, textarea=True)


class FoiForm(Form):
    organisation = _organisations(
        None, label="Organisation whose material it concerns", error="Choose the organisation"
    )
    compact = forms.ModelChoiceField(
        queryset=None,
        label="Compact",
        empty_label=None,
        widget=GovukRadios,
        error_messages={"required": "Choose the compact", "invalid_choice": "Choose the compact"},
    )
    reference = _text("Your reference", required=False, max_length=60)
    request_summary = _text("What was asked for", textarea=True)
    material = _text("The organisation's material concerned", textarea=True)
    received_on = GovukDateField(what="the date the request was received")

    def __init__(self, *args, organisations, compacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["compact"].queryset = compacts
        self.fields["compact"].label_from_instance = lambda c: c.name


class FoiCommentForm(Form):
    comment = _text(
        "Your comment on what should be disclosed", textarea=True, error="Enter your comment"
    )


class FoiDecisionForm(Form):
    outcome = _radios(
        FoiRequest.Outcome.choices, label="What was disclosed?", error="Choose what was disclosed"
    )
    reasons = _text("Reasons", textarea=True, error="Give the reasons")


class SearchForm(Form):
    q = forms.CharField(label="Search groups", required=False, max_length=100)
