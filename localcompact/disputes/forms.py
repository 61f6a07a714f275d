"""Forms built from a procedure's data: what raising a case and each step record."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from localcompact.core.forms import GovukDateField, GovukForm, GovukRadios
from localcompact.core.uploads import DocumentField
from localcompact.rulebook.procedure import Record

from .services import ABOUT_THE_COMPACT

YES_NO = [("yes", "Yes"), ("no", "No")]


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def record_field(record: Record, *, findings: dict[str, str], members=None) -> forms.Field:
    """The form field for one record. Requiredness is checked by the service (it can
    depend on earlier answers), so every field here is optional."""
    label, hint = record.title, record.hint
    if record.kind == "text":
        return forms.CharField(label=label, help_text=hint, required=False, max_length=300)
    if record.kind == "long-text":
        return forms.CharField(
            label=label, help_text=hint, required=False, max_length=10000, widget=forms.Textarea
        )
    if record.kind == "date":
        return GovukDateField(what=lower_first(label), help_text=hint, required=False)
    if record.kind == "document":
        return DocumentField(what=lower_first(label), label=label, required=False)
    if record.kind == "finding":
        return forms.ChoiceField(
            label=label,
            help_text=hint,
            required=False,
            choices=list(findings.items()),
            widget=forms.RadioSelect,
        )
    if record.kind == "yes-no":
        return forms.ChoiceField(
            label=label, help_text=hint, required=False, choices=YES_NO, widget=forms.RadioSelect
        )
    if record.kind == "person":
        return forms.EmailField(label=label, help_text=hint, required=False)
    if record.kind == "subgroup-members":
        return forms.MultipleChoiceField(
            label=label,
            help_text=hint,
            required=False,
            choices=[(str(u.pk), u.get_full_name() or u.username) for u in (members or [])],
            widget=forms.CheckboxSelectMultiple,
        )
    raise ValueError(record.kind)  # pragma: no cover - the loader allows no other kind


class RecordsForm(GovukForm):
    """The records of a step (or of raising a case), one field each."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, records=(), findings=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = tuple(records)
        for record in self.records:
            self.fields[record.id] = record_field(record, findings=findings or {}, members=members)

    def record_fields(self):
        return [self[record.id] for record in self.records]

    def answers(self) -> dict:
        answers = {}
        for record in self.records:
            value = self.cleaned_data.get(record.id)
            if record.kind == "yes-no":
                value = {"yes": True, "no": False}.get(value)
            if record.kind != "document":
                answers[record.id] = value
        return answers

    def documents(self) -> dict:
        return {
            r.id: self.cleaned_data.get(r.id)
            for r in self.records
            if r.kind == "document" and self.cleaned_data.get(r.id)
        }


class RaiseForm(RecordsForm):
    organisation = forms.ModelChoiceField(
        label="Which organisation are you raising it for?",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose your organisation"},
    )
    others = forms.ModelMultipleChoiceField(
        label="Which organisation or organisations is it with?",
        help_text="There may be more than one.",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the organisation or organisations it is with"},
    )
    about = forms.ChoiceField(
        label="What is the disagreement about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Say what the disagreement is about"},
    )
    title = forms.CharField(
        label="A short title",
        help_text="Seen only by the people involved in the case.",
        max_length=200,
        error_messages={"required": "Enter a short title for the disagreement"},
    )

    def __init__(self, *args, acting, eligible, excluded, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = acting
        self.fields["others"].queryset = eligible
        about = self.fields["about"]
        about.choices = [
            (ABOUT_THE_COMPACT, "Whether an organisation has kept to the compact"),
            *[(item["id"], item["id"].replace("-", " ").capitalize()) for item in excluded],
        ]
        about.widget = GovukRadios(
            choices=about.choices, hints={item["id"]: item["summary"] for item in excluded}
        )
        order = ["organisation", "others", "about", "title", *[r.id for r in self.records]]
        self.order_fields(order)


def subgroup_members(compact):
    from localcompact.disputes.access import KINDS

    return (
        get_user_model()
        .objects.filter(
            compact_roles__compact=compact,
            compact_roles__revoked_at__isnull=True,
            compact_roles__kind__in=KINDS["subgroup-member"],
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
