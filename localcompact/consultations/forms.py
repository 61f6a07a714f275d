"""Forms of the consultation pages, in GOV.UK markup (see `localcompact.core.forms`)."""

from __future__ import annotations

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
from localcompact.core.uploads import DocumentField
from localcompact.organisations.models import Organisation

from .access import OFFERED_FORMATS, VenueAccess
from .models import ExtraUnit, Level, Method, ResponseKind, Status, Tag


def _text(label: str, *, required: bool = True, max_length: int | None = None, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=kwargs.pop("widget", None) or GovukTextInput(),
        **kwargs,
    )


def _area(label: str, *, required: bool = True, rows: int = 4, **kwargs):
    return forms.CharField(
        label=label, required=required, widget=GovukTextarea(attrs={"rows": rows}), **kwargs
    )


class FilterForm(GovukForm):
    q = _text("Search", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Status.choices],
        widget=GovukSelect(),
    )

    def __init__(self, *args, compacts, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compact"] = forms.ChoiceField(
            label="Compact",
            required=False,
            choices=[("", "All compacts"), *[(c.slug, c.name) for c in compacts]],
            widget=GovukSelect(),
        )
        self.fields["tag"] = forms.ChoiceField(
            label="Topic or area",
            required=False,
            choices=[("", "All topics and areas")]
            + [(f"{t.kind}:{t.slug}", f"{t.get_kind_display()}: {t.name}") for t in tags],
            widget=GovukSelect(),
        )

    def chosen(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: data.get(k) or "" for k in ("q", "status", "compact", "tag")}


class StartForm(GovukForm):
    """Step 1 of planning: who leads it, and under which compact."""

    def __init__(self, *args, organisations, compacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"] = forms.ChoiceField(
            label="Which organisation is leading it?",
            choices=[(o.slug, o.name) for o in organisations],
            widget=GovukRadios(),
            error_messages={
                "required": "Choose the organisation leading it",
                "invalid_choice": "Choose the organisation leading it",
            },
        )
        self.fields["lead"].label_classes = "govuk-fieldset__legend--m"
        self.fields["compact"] = forms.ChoiceField(
            label="Which compact is it run under?",
            choices=[(c.slug, c.name) for c in compacts],
            widget=GovukRadios(),
            error_messages={
                "required": "Choose the compact it is run under",
                "invalid_choice": "Choose the compact it is run under",
            },
        )
        self.fields["compact"].label_classes = "govuk-fieldset__legend--m"


class _Offered(forms.MultipleChoiceField):
    """Choices offered on the page; what is chosen is matched again by the view, so a
    choice no longer offered is dropped rather than refused."""

    def valid_value(self, value) -> bool:
        return True


class PlanForm(GovukForm):
    level = forms.ChoiceField(
        label="Level of participation",
        choices=Level.choices,
        initial=Level.CONSULTING,
        widget=GovukRadios(
            hints={
                Level.INFORMING: "No responses are asked for. Use an informing notice where "
                "people must act by a date.",
                Level.CONSULTING: "Views are asked for before the decision: the compact's "
                "consultation standards apply.",
                Level.PARTNERSHIP: "Partners decide together; the partnership standards apply.",
            }
        ),
    )
    title = _text("Title", max_length=200, error_messages={"required": "Enter a title"})
    summary = _area(
        "Summary in plain English",
        help_text="What is proposed and why, in everyday words.",
        error_messages={"required": "Enter a summary in plain English"},
    )
    open_to_change = _area(
        "What is open to change",
        error_messages={"required": "Say what is open to change"},
    )
    not_open_to_change = _area("What is not open to change", required=False)
    who_affected = _area(
        "Who is affected", rows=3, error_messages={"required": "Say who is affected"}
    )
    topics = _text("Topics", required=False, help_text="Separate them with commas.")
    areas = _text("Areas", required=False, help_text="Wards, towns or the whole area.")
    audiences = _text(
        "Audiences", required=False, help_text="For example: young people, carers, charities."
    )
    glossary = _area(
        "Glossary of terms used",
        required=False,
        help_text="One term a line, then a colon and what it means. For example: "
        "‘Ward: one of the areas a councillor represents’.",
    )
    concerns_policies_and_plans = forms.BooleanField(
        label="It concerns a policy or a plan", required=False, initial=True
    )
    response_methods = forms.MultipleChoiceField(
        label="Ways to respond",
        choices=Method.choices,
        initial=[Method.ONLINE],
        required=False,
        widget=GovukCheckboxes(),
    )
    response_details = _area(
        "Details of the ways to respond",
        required=False,
        help_text="Addresses, meeting dates and places, and how to ask for other formats.",
    )
    accessible_information = _area(
        "Formats and languages the information is in", required=False, rows=2
    )
    participation_support = _area("Support offered to take part", required=False, rows=2)
    anonymous_allowed = forms.BooleanField(
        label="Responses may be anonymous", required=False, initial=True
    )
    acknowledged = forms.BooleanField(
        label="Each response will be acknowledged", required=False, initial=True
    )
    opens_on = GovukDateField(what="the date it opens")
    closes_on = GovukDateField(what="the date it closes")
    feedback_by = GovukDateField(
        what="the date feedback will be published by",
        required=False,
    )
    short_reason = _area("Reason for a shorter period", required=False, rows=3)
    short_agreed_by = _text("Who agreed to the shorter period", required=False, max_length=300)
    community_group_extra = forms.IntegerField(
        label="Extra time for community groups",
        min_value=0,
        max_value=365,
        initial=0,
        required=False,
        help_text="How much longer than everyone else community groups have to respond, "
        "after the closing date. 0 for none.",
        widget=GovukTextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-3", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter the extra time for community groups, or 0 for none",
            "invalid": "Enter the extra time for community groups as a whole number, like 14",
            "min_value": "The extra time for community groups must be 0 or more",
            "max_value": "The extra time for community groups must be 365 or fewer",
        },
    )
    community_group_extra_unit = forms.ChoiceField(
        label="Counted in",
        choices=ExtraUnit.choices,
        initial=ExtraUnit.DAYS,
        widget=GovukRadios(
            hints={ExtraUnit.WORKING_DAYS: "Not weekends or bank holidays."},
            attrs={"class": "govuk-radios--inline"},
        ),
        required=False,
    )
    formats_offered = forms.MultipleChoiceField(
        label="Formats offered",
        choices=OFFERED_FORMATS,
        required=False,
        widget=GovukCheckboxes(),
        help_text="The formats and languages you can provide the information in.",
    )
    venue_access = forms.MultipleChoiceField(
        label="Access at the venue of its meetings and events",
        choices=VenueAccess.choices,
        required=False,
        widget=GovukCheckboxes(),
        help_text="Leave empty if it has no meetings or events.",
    )
    venue_access_notes = _area(
        "More about access at the venue",
        required=False,
        rows=2,
        help_text="For example, parking, the nearest bus stop, or the floor the room is on.",
    )
    overlap_seen = forms.CharField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args, overlapping=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns_policies_and_plans"].widget = GovukCheckbox()
        self.fields["anonymous_allowed"].widget = GovukCheckbox()
        self.fields["acknowledged"].widget = GovukCheckbox()
        self.fields["level"].label_classes = "govuk-fieldset__legend--s"
        self.fields["response_methods"].label_classes = "govuk-fieldset__legend--s"
        for name in ("community_group_extra_unit", "formats_offered", "venue_access"):
            self.fields[name].label_classes = "govuk-fieldset__legend--s"
        self.overlapping = list(overlapping)
        self.fields["joint_with"] = _Offered(
            label="Run it jointly with",
            required=False,
            choices=[(str(c.pk), f"{c.title} ({c.lead.name})") for c in self.overlapping],
            widget=GovukCheckboxes(),
        )

    def refuse(self, refused) -> None:
        field = refused.field if refused.field in self.fields else None
        self.add_error(field, refused.message)


class DocumentForm(GovukForm):
    title = _text("Title of the document", max_length=200)
    file = DocumentField(what="the document")

    def refuse(self, refused) -> None:
        self.add_error(refused.field if refused.field in self.fields else None, refused.message)


class ResponseForm(GovukForm):
    """A response of one kind: the fields that kind asks for, then the answer."""

    def __init__(self, *args, kind: str, organisations=(), consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        orgs = list(organisations)
        if kind in (ResponseKind.ORGANISATION, ResponseKind.JOINT):
            self.fields["organisation"] = forms.ModelChoiceField(
                label="Which organisation is it from?"
                if kind == ResponseKind.ORGANISATION
                else "Which organisation is sending it?",
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in orgs]),
                widget=GovukRadios(),
                empty_label=None,
                error_messages={
                    "required": "Choose the organisation",
                    "invalid_choice": "Choose the organisation",
                },
            )
            self.fields["organisation"].label_classes = "govuk-fieldset__legend--s"
        if kind == ResponseKind.JOINT:
            self.fields["joint_organisations"] = forms.ModelMultipleChoiceField(
                label="The other organisations it is from",
                queryset=Organisation.objects.order_by("name"),
                required=False,
                widget=GovukCheckboxes(),
            )
            self.fields["joint_organisations"].label_classes = "govuk-fieldset__legend--s"
        if kind in (ResponseKind.ORGANISATION, ResponseKind.JOINT):
            self.fields["represents"] = _area(
                "Whom does it represent?",
                required=False,
                rows=3,
                help_text="For example: our 40 member groups, or the young people we work with.",
            )
            self.fields["views_gathered"] = _area(
                "How were the views in it gathered?",
                required=False,
                rows=3,
                help_text="For example: a members' meeting, a survey, staff views only.",
            )
        if kind == ResponseKind.INDIVIDUAL:
            self.fields["respondent_name"] = _text("Your name", required=False, max_length=200)
        if kind == ResponseKind.PETITION:
            self.fields["petition_organiser"] = _text(
                "Name of the petition's organiser", required=False, max_length=200
            )
            self.fields["petition_signatures"] = forms.IntegerField(
                label="Number of signatures",
                required=False,
                min_value=1,
                widget=GovukTextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}
                ),
                error_messages={
                    "invalid": "Enter the number of signatures as a whole number",
                    "min_value": "Enter the number of signatures as a whole number",
                },
            )
        self.fields["answer"] = _area(
            "Your response" if kind != ResponseKind.PETITION else "What the petition asks",
            required=False,
            rows=10,
        )
        self.fields["consent_to_publish"] = forms.BooleanField(
            label="The lead body may publish this response (it may remove personal details first)",
            required=False,
            widget=GovukCheckbox(),
        )

    def refuse(self, refused) -> None:
        self.add_error(refused.field if refused.field in self.fields else None, refused.message)


class ReceiptForm(GovukForm):
    code = _text(
        "Receipt code",
        max_length=40,
        help_text="It looks like ABCD-EF23-GH45-JK67.",
        error_messages={"required": "Enter your receipt code"},
        widget=GovukTextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class DecideForm(GovukForm):
    decision = _area("What was decided", rows=5)
    reasons = _area("The reasons for the decision", rows=4)
    effect = _area(
        "How the responses affected the decision",
        rows=4,
        help_text="Say what changed because of them, or why nothing did.",
    )
    petitions_considered = _area("How petitions were taken into account", required=False, rows=3)

    def refuse(self, refused) -> None:
        self.add_error(refused.field if refused.field in self.fields else None, refused.message)


class FeedbackForm(GovukForm):
    what_you_told_us = _area(
        "What respondents told you",
        rows=8,
        help_text="The main themes and views, in plain English. It is published with the "
        "decision, and respondents are told.",
        error_messages={"required": "Summarise what respondents told you"},
    )


class ThemeForm(GovukForm):
    name = _text("Theme", max_length=120, error_messages={"required": "Enter the theme's name"})
    summary = _area("Summary of the views on it", required=False, rows=3)

    def __init__(self, *args, responses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = {str(r.pk): r for r in responses}
        self.fields["responses"] = forms.MultipleChoiceField(
            label="Responses that raise it",
            required=False,
            choices=[(str(r.pk), f"Response {r.pk}") for r in responses],
            widget=GovukCheckboxes(),
        )

    def chosen_responses(self):
        return [self.responses[pk] for pk in self.cleaned_data.get("responses", [])]


class PublishForm(GovukForm):
    text = _area(
        "Text to publish",
        rows=10,
        help_text="Remove names, addresses and anything else that could identify a person.",
        error_messages={"required": "Enter the text to publish"},
    )


class FollowForm(GovukForm):
    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in ((Tag.Kind.TOPIC, "Topics"), (Tag.Kind.AREA, "Areas")):
            choices = [(str(t.pk), t.name) for t in tags if t.kind == kind]
            self.fields[kind] = forms.MultipleChoiceField(
                label=label, required=False, choices=choices, widget=GovukCheckboxes()
            )
            self.fields[kind].label_classes = "govuk-fieldset__legend--m"

    def chosen(self) -> list[int]:
        return [int(pk) for kind in ("topic", "area") for pk in self.cleaned_data.get(kind, [])]


def compacts_current():
    """Loaded compacts, names and slugs only (their definitions are large)."""
    return list(
        Compact.objects.filter(current_version__isnull=False)
        .only("pk", "slug", "name", "current_version_id")
        .order_by("name")
    )
