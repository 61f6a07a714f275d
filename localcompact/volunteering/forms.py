"""Forms of the volunteering and equality pages, in GOV.UK markup."""

from django import forms

from localcompact.core.forms import (
    GovukCheckboxes,
    GovukDateField,
    GovukForm,
    GovukRadios,
    GovukTextarea,
    GovukTextInput,
)

from .models import EqualityPolicy, Format, FormatRequest, Group, ImpactAssessment, Skill, TimeAsked


def text(label, *, required=True, max_length=None, textarea=False, help_text="", what=None):
    what = what or label[0].lower() + label[1:]
    messages = {"required": f"Enter {what}"}
    if max_length:
        messages["max_length"] = f"{label} must be {max_length} characters or fewer"
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=GovukTextarea() if textarea else GovukTextInput(),
        error_messages=messages,
    )


def number(label, *, what, required=True):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10_000_000,
        required=required,
        widget=GovukTextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a whole number",
            "min_value": f"Enter {what} as 0 or more",
            "max_value": f"Enter {what} as 10,000,000 or fewer",
        },
    )


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Words from the role or the organisation",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    area = forms.CharField(label="Area", required=False, max_length=100)
    skill = forms.ChoiceField(
        label="Skills", required=False, choices=[("", "Any skills"), *Skill.choices]
    )
    time = forms.ChoiceField(
        label="Time you can give", required=False, choices=[("", "Any"), *TimeAsked.choices]
    )
    with_expenses = forms.BooleanField(
        label="Only opportunities that repay expenses", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].error_messages["invalid_choice"] = "Choose skills from the list"
        self.fields["time"].error_messages["invalid_choice"] = "Choose a time from the list"


class OpportunityForm(GovukForm):
    title = text("Title", max_length=200)
    role = text("What the volunteer does", textarea=True, what="what the volunteer does")
    skills = forms.MultipleChoiceField(
        label="Skills used or developed",
        choices=Skill.choices,
        widget=GovukCheckboxes(),
        error_messages={"required": "Choose at least one kind of skill"},
    )
    skills_developed = text(
        "Skills and experience the volunteer gains", required=False, textarea=True
    )
    area = text("Area", max_length=200, help_text="Where the volunteering happens")
    time_asked = forms.ChoiceField(
        label="Time asked",
        choices=TimeAsked.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose how much time the role asks for"},
    )
    time_detail = text("More about the time", required=False, max_length=200)
    accessibility = text(
        "Access and support for disabled volunteers",
        textarea=True,
        what="the access and support for disabled volunteers",
    )
    expenses_policy = text(
        "Expenses repaid",
        required=False,
        textarea=True,
        help_text="Which reasonable out-of-pocket expenses you repay, and how. The compacts ask "
        "that volunteering costs volunteers nothing: an opportunity without this is flagged.",
    )
    training = text("Training offered", required=False, textarea=True)
    recognition = text("How volunteers are thanked and recognised", required=False, textarea=True)
    contact_name = text("Key contact for volunteers", max_length=200, what="the key contact's name")
    contact_email = forms.EmailField(
        label="Key contact's e-mail address",
        widget=GovukTextInput(attrs={"type": "email", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the key contact's e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.org",
        },
        help_text="We send expressions of interest here, and to your officers.",
    )


class InterestForm(GovukForm):
    name = text("Your name", max_length=200, what="your name")
    email = forms.EmailField(
        label="Your e-mail address",
        widget=GovukTextInput(attrs={"type": "email", "autocomplete": "email"}),
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.org",
        },
        help_text="The organisation uses it to reply to you, and for nothing else.",
    )
    message = text(
        "Anything you would like them to know",
        required=False,
        textarea=True,
        help_text="For example when you are free, or support you would need.",
    )


class PolicyForm(GovukForm):
    recruitment = text("How you recruit volunteers", required=False, textarea=True)
    development = text("How you train and develop them", required=False, textarea=True)
    retention = text("How you keep and thank them", required=False, textarea=True)
    key_contact = text("Key contact for volunteers", required=False, max_length=200)
    expenses = text("Expenses you repay", required=False, textarea=True)


class FiguresForm(GovukForm):
    year = forms.IntegerField(
        label="Year",
        min_value=2000,
        max_value=2100,
        widget=GovukTextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the year",
            "invalid": "Enter the year as four digits, like 2026",
            "min_value": "Enter a year from 2000",
            "max_value": "Enter the year as four digits, like 2026",
        },
    )
    volunteers = number("Volunteers", what="the number of volunteers")
    hours = number("Hours given", what="the hours given")
    business_volunteers = number(
        "Of whom business volunteers",
        what="the number of business volunteers",
    )


class EqualityPolicyForm(GovukForm):
    kind = forms.ChoiceField(
        label="Is it a policy or a statement?",
        choices=EqualityPolicy.Kind.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose a policy or a statement"},
    )
    summary = text("What it commits you to", textarea=True)
    monitoring = text(
        "How you check your services reach everyone fairly",
        required=False,
        textarea=True,
        help_text="City Together asks for monitoring that shows services are delivered "
        "without discrimination.",
    )
    adopted_on = GovukDateField(what="the date it was adopted")
    review_on = GovukDateField(what="the date it is next reviewed")
    url = forms.URLField(
        label="Link to it",
        required=False,
        assume_scheme="https",
        widget=GovukTextInput(),
        error_messages={"invalid": "Enter a web address, like https://example.org/equality"},
    )


class AssessmentForm(GovukForm):
    title = text("What was assessed", max_length=200, what="what was assessed")
    subject = forms.ChoiceField(
        label="What kind of thing is it?",
        choices=ImpactAssessment.Subject.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose what kind of thing was assessed"},
    )
    subject_url = forms.URLField(
        label="Link to it",
        required=False,
        assume_scheme="https",
        widget=GovukTextInput(),
        help_text="For example the consultation's page on this site.",
        error_messages={"invalid": "Enter a web address, like https://example.org/plan"},
    )
    assessed_on = GovukDateField(what="the date of the assessment")
    groups = forms.MultipleChoiceField(
        label="Groups considered",
        choices=Group.choices,
        widget=GovukCheckboxes(),
        help_text="The Redcar & Cleveland equality and diversity code lists these groups.",
        error_messages={"required": "Choose the groups the assessment considered"},
    )
    findings = text("What it found", textarea=True, what="what it found")
    actions = text("What will be done", required=False, textarea=True)


class FormatRequestForm(GovukForm):
    subject = text(
        "What you would like in another format", max_length=300, what="what you would like"
    )
    format = forms.ChoiceField(
        label="Format or language",
        choices=Format.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose the format or language"},
    )
    language = text("Which language", required=False, max_length=100)
    details = text("Anything else they should know", required=False, textarea=True)
    needed_by = GovukDateField(what="the date you need it by", required=False)
    name = text("Your name", max_length=200, what="your name")
    email = forms.EmailField(
        label="Your e-mail address",
        widget=GovukTextInput(attrs={"type": "email", "autocomplete": "email"}),
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.org",
        },
    )
    subject_url = forms.CharField(required=False, widget=forms.HiddenInput())


class AnswerForm(GovukForm):
    status = forms.ChoiceField(
        label="Was it provided?",
        choices=[
            (FormatRequest.Status.PROVIDED, "Yes, it was provided"),
            (FormatRequest.Status.DECLINED, "No, it could not be provided"),
        ],
        widget=GovukRadios(),
        error_messages={"required": "Choose whether it was provided"},
    )
    answer = text(
        "What was provided, or why it could not be",
        textarea=True,
        what="what was provided, or why it could not be",
        help_text="The person who asked sees this.",
    )
