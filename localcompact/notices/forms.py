"""Forms of the notices pages, in GOV.UK markup (see `localcompact.core.forms`)."""

import datetime as dt
import re

from django import forms
from django.utils import timezone

from localcompact.compacts.models import Compact
from localcompact.core.forms import (
    GovukCheckboxes,
    GovukDateField,
    GovukForm,
    GovukRadios,
    GovukTextarea,
    GovukTextInput,
)
from localcompact.core.uploads import DocumentField
from localcompact.organisations.models import Organisation, Signature

from .models import Format, Notice, Restriction
from .services import Explained

TERM_ROWS_MIN = 3
TERM_ROWS_MAX = 12


def _text(label, *, required=True, max_length=None, textarea=False, **kwargs):
    what = label[0].lower() + label[1:]
    messages = {"required": f"Enter {what}"}
    if max_length:
        messages["max_length"] = f"{label} must be {max_length} characters or fewer"
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=GovukTextarea() if textarea else GovukTextInput(),
        error_messages=messages,
        **kwargs,
    )


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Search notices",
        required=False,
        max_length=100,
        help_text="Words from the title, the decision, the area or the issuing body",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    compact = forms.ChoiceField(label="Compact", required=False, choices=())
    upcoming = forms.BooleanField(
        label="Only notices whose action date is still to come", required=False
    )

    def __init__(self, *args, compacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compact"].choices = [("", "All compacts")] + [
            (c.slug, c.name) for c in compacts
        ]
        self.fields["compact"].error_messages["invalid_choice"] = "Choose a compact from the list"


NOTICE_FIELDS = [
    "title",
    "decision",
    "decided_on",
    "decided_by",
    "action_required",
    "action_by",
    "affected",
    "area",
    "more_information_url",
    "contact",
    "formats",
    "formats_note",
    "restriction",
    "handling",
]

TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class NoticeForm(GovukForm):
    """A notice's fields; explained terms are numbered rows (`term_0`, `explanation_0`...)."""

    def __init__(self, *args, organisation: Organisation, notice: Notice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.notice = notice
        signed = Compact.objects.filter(
            pk__in=Signature.objects.current()
            .filter(organisation=organisation)
            .values("compact_id")
        ).order_by("name")
        self.compacts = {c.slug: c for c in signed}
        if notice is None:
            self.fields["compact"] = forms.ChoiceField(
                label="Which compact is it made under?",
                choices=[(c.slug, c.name) for c in signed],
                widget=GovukRadios(),
                error_messages={
                    "required": "Choose the compact the notice is made under",
                    "invalid_choice": "Choose one of the compacts your organisation has signed",
                },
            )
        self.fields["title"] = _text("Title", max_length=200)
        self.fields["decision"] = _text(
            "What was decided",
            textarea=True,
            help_text="In plain English: the decision already taken. Nobody is asked to "
            "respond to it; say where to ask questions in the contact.",
        )
        self.fields["decided_on"] = GovukDateField(what="the date the decision was taken")
        self.fields["decided_by"] = _text(
            "Who took the decision",
            required=False,
            max_length=200,
            help_text="For example, the council's cabinet",
        )
        self.fields["action_required"] = _text("What people need to do", textarea=True)
        self.fields["action_by"] = GovukDateField(
            what="the date action is needed by",
            help_text="The compact's standard counts its notice period back from this date.",
        )
        self.fields["affected"] = _text("Who is affected", required=False, textarea=True)
        self.fields["area"] = _text("Area", required=False, max_length=200)
        self.fields["more_information_url"] = forms.URLField(
            assume_scheme="https",
            label="Link to more information",
            required=False,
            widget=GovukTextInput(),
            error_messages={"invalid": "Enter a web address, like https://example.org/decision"},
        )
        self.fields["contact"] = _text(
            "Who to contact",
            max_length=200,
            help_text="A name and an e-mail address or telephone number",
        )
        self.fields["formats"] = forms.MultipleChoiceField(
            label="Formats available on request",
            required=False,
            choices=Format.choices,
            widget=GovukCheckboxes(),
        )
        self.fields["formats_note"] = _text(
            "How to ask for another format or language", required=False, textarea=True
        )
        self.fields["restriction"] = forms.ChoiceField(
            label="Who may see it",
            choices=Restriction.choices,
            initial=Restriction.PUBLIC,
            widget=GovukRadios(
                hints={
                    Restriction.PUBLIC: "Anyone, once published.",
                    Restriction.EMBARGOED: "Only your organisation and the organisations "
                    "you choose, until the embargo lifts; then anyone.",
                    Restriction.CONFIDENTIAL: "Only your organisation and the organisations "
                    "you choose, always.",
                }
            ),
            error_messages={"required": "Choose who may see the notice"},
        )
        self.fields["embargo_on"] = GovukDateField(
            what="the date the embargo lifts", required=False
        )
        self.fields["embargo_time"] = _text(
            "Time the embargo lifts",
            required=False,
            max_length=5,
            help_text="24-hour clock, for example 09:30. Leave blank for the start of the day.",
        )
        self.fields["handling"] = _text(
            "Whether, when and to whom it may be passed on",
            required=False,
            textarea=True,
            help_text="For restricted notices: what those who see it may do with it.",
        )
        others = (
            Organisation.objects.filter(
                pk__in=Signature.objects.current()
                .filter(compact__in=signed)
                .values("organisation_id")
            )
            .exclude(pk=organisation.pk)
            .order_by("name")
        )
        self.fields["shared_with"] = forms.ModelMultipleChoiceField(
            label="Organisations that may see it while it is restricted",
            queryset=others,
            required=False,
            widget=GovukCheckboxes(),
        )
        existing = list(notice.terms.all()) if notice is not None else []
        rows = len(existing) + 2
        if self.is_bound:
            rows = max(
                [rows]
                + [
                    int(k.split("_")[1]) + 1
                    for k in self.data
                    if re.fullmatch(r"term_\d+", k) and int(k.split("_")[1]) < TERM_ROWS_MAX
                ]
            )
        self.term_rows = min(TERM_ROWS_MAX, max(TERM_ROWS_MIN, rows))
        for i in range(self.term_rows):
            self.fields[f"term_{i}"] = _text(f"Term {i + 1}", required=False, max_length=100)
            self.fields[f"explanation_{i}"] = _text(
                f"What term {i + 1} means", required=False, textarea=True
            )
            if i < len(existing) and not self.is_bound:
                self.initial[f"term_{i}"] = existing[i].term
                self.initial[f"explanation_{i}"] = existing[i].explanation
        if notice is not None and not self.is_bound:
            for name in NOTICE_FIELDS:
                self.initial[name] = getattr(notice, name)
            self.initial["shared_with"] = list(notice.shared_with.all())
            if notice.embargo_until:
                local = timezone.localtime(notice.embargo_until)
                self.initial["embargo_on"] = local.date()
                self.initial["embargo_time"] = local.strftime("%H:%M")

    @property
    def term_pairs(self):
        return [(self[f"term_{i}"], self[f"explanation_{i}"]) for i in range(self.term_rows)]

    def clean(self):
        data = super().clean()
        for i in range(self.term_rows):
            term, explanation = data.get(f"term_{i}"), data.get(f"explanation_{i}")
            if term and not explanation:
                self.add_error(f"explanation_{i}", f"Explain what ‘{term}’ means")
            if explanation and not term:
                self.add_error(f"term_{i}", "Enter the term this explains")
        if data.get("restriction") == Restriction.EMBARGOED:
            time_text = data.get("embargo_time") or "00:00"
            match = TIME.match(time_text)
            if not match:
                self.add_error("embargo_time", "Enter the time as hours and minutes, like 09:30")
            elif data.get("embargo_on") is None and "embargo_on" not in self.errors:
                self.add_error("embargo_on", "Enter the date the embargo lifts")
            elif data.get("embargo_on") is not None:
                data["embargo_until"] = timezone.make_aware(
                    dt.datetime.combine(
                        data["embargo_on"], dt.time(int(match.group(1)), int(match.group(2)))
                    )
                )
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("embargo_until", None)
        return data

    def terms(self) -> list[Explained]:
        return [
            Explained(self.cleaned_data[f"term_{i}"], self.cleaned_data[f"explanation_{i}"])
            for i in range(self.term_rows)
            if self.cleaned_data.get(f"term_{i}")
        ]

    def chosen_compact(self) -> Compact | None:
        return self.compacts.get(self.cleaned_data.get("compact", ""))


class PublishForm(GovukForm):
    def __init__(self, *args, late: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.late = late
        if late:
            self.fields["late_reason"] = _text(
                "Why it is being published late",
                textarea=True,
                required=False,
                help_text="This is kept in the notice's history and shown on the notice.",
            )


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why is the notice being withdrawn?",
        widget=GovukTextarea(),
        help_text="This is shown on the notice, which stays readable by those who could see it.",
        error_messages={"required": "Say why the notice is withdrawn"},
    )


class DocumentForm(GovukForm):
    title = _text(
        "Title of the document", max_length=200, help_text="For example, ‘Cabinet report’"
    )
    file = DocumentField(what="the document")
