"""Forms of the obligations pages, in GOV.UK markup (see `localcompact.core.forms`)."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django import forms

from localcompact.compacts.models import Compact, Standard
from localcompact.compacts.presentation import EXCEPTION_LABEL, describe_rule, event, period_text
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
from localcompact.rulebook import ExceptionKind, Status, long_date

from .models import Obligation
from .selectors import FilterOptions

AGREED_KINDS = (ExceptionKind.BY_AGREEMENT, ExceptionKind.EXTENDED_BY_AGREEMENT)


def _text(label: str, *, required: bool = True, max_length: int | None = None, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=kwargs.pop("widget", None) or GovukTextInput(),
        **kwargs,
    )


# --- Dashboards ------------------------------------------------------------------------


def _grouped(options: list[tuple[str, str, str]], several: bool):
    """Choices, grouped by compact when there are several compacts."""
    if not several:
        return [(value, title) for value, title, _ in options]
    groups: dict[str, list[tuple[str, str]]] = {}
    for value, title, compact in options:
        groups.setdefault(compact, []).append((value, title))
    return list(groups.items())


class DashboardFilterForm(GovukForm):
    def __init__(self, *args, options: FilterOptions, **kwargs):
        super().__init__(*args, **kwargs)
        several = len(options.compacts) > 1
        self.fields["compact"] = forms.ChoiceField(
            label="Compact",
            required=False,
            choices=[("", "All compacts"), *options.compacts],
            widget=GovukSelect(),
            error_messages={"invalid_choice": "Choose a compact from the list"},
        )
        self.fields["code"] = forms.ChoiceField(
            label="Code of practice",
            required=False,
            choices=[("", "All codes"), *_grouped(options.codes, several)],
            widget=GovukSelect(),
            error_messages={"invalid_choice": "Choose a code of practice from the list"},
        )
        self.fields["standard"] = forms.ChoiceField(
            label="Standard",
            required=False,
            choices=[("", "All standards"), *_grouped(options.standards, several)],
            widget=GovukSelect(attrs={"class": "govuk-!-width-full"}),
            error_messages={"invalid_choice": "Choose a standard from the list"},
        )

    @property
    def chosen(self) -> dict[str, str]:
        """The valid choices; an invalid one is left out (the page says so)."""
        data = getattr(self, "cleaned_data", {})
        return {key: data[key] for key in ("compact", "code", "standard") if data.get(key)}


# --- Excusing an obligation ------------------------------------------------------------

EXCUSABLE = (Status.NOT_YET_DUE, Status.DUE_SOON, Status.MISSED, Status.MET_LATE)

REASON_LABEL = {
    ExceptionKind.STATED_REASONS: "The reasons, as they were stated",
    ExceptionKind.BY_AGREEMENT: "What was agreed, and why",
    ExceptionKind.WHERE_LEGALLY_IMPOSSIBLE: "Why the law made it impossible",
    ExceptionKind.WHERE_NOT_POSSIBLE: "Why it was not possible",
    ExceptionKind.EMERGENCY: "What the emergency was",
    ExceptionKind.STATED_AT_START: "What was said at the start, and when",
    ExceptionKind.EXTENDED_BY_AGREEMENT: "Why more time was agreed",
}


class ExcuseForm(GovukForm):
    """Excuse an obligation under the one exception its standard allows.

    Blank answers are not refused here: the rules package refuses them, with a message
    naming the clause, so that the page says exactly what the compact requires.
    """

    kind = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, obligation: Obligation, **kwargs):
        super().__init__(*args, **kwargs)
        self.obligation = obligation
        standard = obligation.standard
        kind = standard.exception_kind
        self.fields["kind"].initial = kind
        try:
            allowed = ExceptionKind(kind) if kind else None
        except ValueError:
            allowed = None
        self.fields["reason"] = forms.CharField(
            label=REASON_LABEL.get(allowed, "Why the exception applies"),
            required=False,
            widget=GovukTextarea(),
            help_text="This is kept in the obligation's history, with your name and today's date.",
        )
        if allowed in AGREED_KINDS:
            self.fields["agreed_by"] = _text(
                "Who agreed",
                required=False,
                max_length=300,
                help_text="The people or organisations who agreed, for example "
                "‘the chair of the VCS Forum, by e-mail on 3 March’.",
                error_messages={"max_length": "Who agreed must be 300 characters or fewer"},
            )
        if allowed == ExceptionKind.EXTENDED_BY_AGREEMENT:
            self.fields["extended_to"] = GovukDateField(
                what="the new due date",
                required=False,
                help_text=f"It is due now on {long_date(obligation.due_on)}. For example, "
                f"{numeric(obligation.due_on + dt.timedelta(days=14))}",
            )

    def clean_extended_to(self):
        value = self.cleaned_data.get("extended_to")
        if value is not None and value <= self.obligation.due_on:
            raise forms.ValidationError(
                f"The new due date must be after the current one, "
                f"{long_date(self.obligation.due_on)}"
            )
        return value

    def field_refused(self) -> str:
        """The field an ExcuseRefused is about, for the error summary's link."""
        data = self.cleaned_data
        if data.get("kind") == self.obligation.standard.exception_kind:
            if not data.get("reason", "").strip():
                return "reason"
            if "agreed_by" in self.fields and not data.get("agreed_by", "").strip():
                return "agreed_by"
            if "extended_to" in self.fields and not data.get("extended_to"):
                return "extended_to"
        return "reason"


# --- Recording an activity --------------------------------------------------------------


class CompactChoiceForm(GovukForm):
    step = forms.CharField(widget=forms.HiddenInput(), initial="compact", required=False)

    def __init__(self, *args, compacts: list[Compact], **kwargs):
        super().__init__(*args, **kwargs)
        self.compacts = {c.slug: c for c in compacts}
        self.fields["compact"] = forms.ChoiceField(
            label="Which compact is it under?",
            choices=[(c.slug, c.name) for c in compacts],
            widget=GovukRadios(),
            error_messages={
                "required": "Choose the compact it is under",
                "invalid_choice": "Choose the compact it is under",
            },
        )
        self.fields["compact"].label_classes = "govuk-fieldset__legend--m"

    def compact(self) -> Compact:
        return self.compacts[self.cleaned_data["compact"]]


class StandardChoiceForm(GovukForm):
    step = forms.CharField(widget=forms.HiddenInput(), initial="standard", required=False)
    compact = forms.CharField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args, standards: list[Standard], body_names: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"] = forms.ChoiceField(
            label="Which standard does it come under?",
            choices=[(s.ident, s.title) for s in standards],
            widget=GovukRadios(
                hints={s.ident: describe_rule(s.rule_kind, s.params, body_names) for s in standards}
            ),
            error_messages={
                "required": "Choose the standard it comes under",
                "invalid_choice": "Choose the standard it comes under",
            },
        )
        self.fields["standard"].label_classes = "govuk-fieldset__legend--m"


def when(slug: str) -> str:
    """How a date is named in a question: 'the date of the opening', 'the date it is
    received'."""
    phrase = event(slug)
    if phrase.startswith("day "):
        return f"the date {phrase.removeprefix('day ')}"
    return f"the date of the {phrase}"


def numeric(day: dt.date) -> str:
    """A date as typed in a GOV.UK date input's hint: '3 4 2026'."""
    return f"{day.day} {day.month} {day.year}"


def capital(text: str) -> str:
    """A label from a date's name: 'the date of the opening' -> 'Date of the opening'."""
    text = text.removeprefix("the ")
    return text[0].upper() + text[1:]


def _example(today: dt.date) -> str:
    return f"For example, {numeric(today + relativedelta(months=1))}"


class ActivityForm(GovukForm):
    """What happened, with the dates its standard counts from, labelled for its rule."""

    title = _text(
        "Title",
        max_length=200,
        help_text="What it is, in a few words: for example, ‘Consultation on library "
        "opening hours’",
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=GovukTextarea()
    )

    def __init__(self, *args, standard: Standard, organisation: Organisation, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.rule = standard.rule()
        self.too_short = None
        params = standard.params
        kind = standard.rule_kind
        example = _example(today)
        agreed = False
        if kind == "minimum_period":
            period = period_text(params["period"])
            start, end = when(params["start"]), when(params["end"])
            self.fields["start_on"] = GovukDateField(
                what=start,
                label=capital(start),
                help_text=f"The period counts from this date. {example}",
            )
            self.fields["end_on"] = GovukDateField(
                what=end,
                label=capital(end),
                help_text=f"The standard asks for at least {period} from {start}.",
            )
        elif kind == "notice_before_event":
            agreed = params["notice"] == "agreed"
            what = when(params["event"])
            if agreed:
                hint = "The notice due before it is agreed case by case: give the date below."
            elif params["notice"]["count"] == 0:
                hint = "It is due no later than this date."
            else:
                hint = f"Notice is due {period_text(params['notice'])} before this date."
            self.fields["start_on"] = GovukDateField(
                what=what, label=capital(what), help_text=f"{hint} {example}"
            )
        elif kind == "respond_within":
            agreed = params["limit"] == "agreed"
            what = when(params["after"])
            hint = (
                "The time allowed is agreed case by case: give the agreed date below."
                if agreed
                else f"The {period_text(params['limit'])} allowed are counted from this date."
            )
            self.fields["start_on"] = GovukDateField(
                what=what, label=capital(what), help_text=f"{hint} {example}"
            )
        else:  # required_record
            by = f" (the {event(params['by'])})" if params.get("by") else ""
            self.fields["start_on"] = GovukDateField(
                what="the date the record is needed by",
                label="Date the record is needed by",
                help_text=f"When the record must exist{by}. {example}",
            )
        if agreed:
            self.fields["agreed_due_on"] = GovukDateField(
                what="the agreed due date",
                label="Agreed due date",
                help_text="The compact leaves this date to be agreed case by case.",
            )
        self.fields["owed_to"] = forms.ModelMultipleChoiceField(
            label="Which organisations is it owed to? (optional)",
            queryset=Organisation.objects.exclude(pk=organisation.pk).order_by("name"),
            required=False,
            widget=GovukCheckboxes(),
            help_text="Organisations on this site. Their members will see it and its "
            "obligation. (All organisations are listed for now; a search will replace "
            "this list when there are many.)",
            error_messages={"invalid_choice": "Choose organisations from the list"},
        )
        self.fields["owed_to_label"] = _text(
            "Who else is it owed to? (optional)",
            required=False,
            max_length=120,
            help_text="For example, ‘everyone who responds’",
            error_messages={"max_length": "Who else it is owed to must be 120 characters or fewer"},
        )
        if kind == "minimum_period" and standard.exception_kind:
            self.exception = ExceptionKind(standard.exception_kind)
            self.fields["record_exception"] = forms.BooleanField(
                label=f"Record the exception the standard allows: "
                f"{EXCEPTION_LABEL.get(standard.exception_kind, '').lower()}",
                required=False,
                widget=GovukCheckbox(),
                help_text=standard.exception_summary,
            )
            self.fields["exception_reason"] = forms.CharField(
                label=REASON_LABEL[self.exception],
                required=False,
                widget=GovukTextarea(),
            )
            if self.exception in AGREED_KINDS:
                self.fields["exception_agreed_by"] = _text(
                    "Who agreed",
                    required=False,
                    max_length=300,
                    error_messages={"max_length": "Who agreed must be 300 characters or fewer"},
                )
        else:
            self.exception = None

    @property
    def date_fields(self):
        return [
            self[name] for name in ("start_on", "end_on", "agreed_due_on") if name in self.fields
        ]

    @property
    def exception_fields(self):
        return [
            self[name]
            for name in ("exception_reason", "exception_agreed_by")
            if name in self.fields
        ]

    def clean(self):
        data = super().clean()
        if self.standard.rule_kind != "minimum_period":
            return data
        start, end = data.get("start_on"), data.get("end_on")
        if start is None or end is None:
            return data
        if end < start:
            self.add_error(
                "end_on",
                f"{self.fields['end_on'].noun} must be the same as or after "
                f"{self.fields['start_on'].what}",
            )
            return data
        verdict = self.rule.check(start=start, end=end, cal=self.standard.version.calendar)
        if verdict.status == Status.MISSED:
            self.too_short = verdict
            if not data.get("record_exception"):
                message = verdict.explanation
                if self.exception is not None:
                    message += " If the exception applies, record it below."
                self.add_error("end_on", message)
        return data

    @property
    def excuse(self) -> dict | None:
        """The exception to record once the activity exists, if the period is short."""
        if self.too_short is None or not self.cleaned_data.get("record_exception"):
            return None
        return {
            "kind": self.exception.value,
            "reason": self.cleaned_data.get("exception_reason", ""),
            "agreed_by": self.cleaned_data.get("exception_agreed_by", ""),
        }

    def field_refused(self) -> str:
        data = self.cleaned_data
        if data.get("exception_reason", "").strip() and "exception_agreed_by" in self.fields:
            return "exception_agreed_by"
        return "exception_reason"


class DoneForm(GovukForm):
    done_on = GovukDateField(what="the date it was done", label="When was it done?")
    done_note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=GovukTextarea(),
        help_text="For example, where the notice was published",
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["done_on"].help_text = f"For example, {numeric(today)}"

    def clean_done_on(self):
        value = self.cleaned_data["done_on"]
        if value > self.today:
            raise forms.ValidationError("The date it was done must be today or in the past")
        return value


class WithdrawForm(GovukForm):
    reason = _text(
        "Why is it being withdrawn?",
        max_length=300,
        widget=GovukTextarea(),
        help_text="For example, ‘The meeting was cancelled’. Members of the organisations "
        "it is owed to will see this.",
        error_messages={
            "required": "Enter why the activity is being withdrawn",
            "max_length": "The reason must be 300 characters or fewer",
        },
    )


# --- Compliance ------------------------------------------------------------------------


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 months, up to and including today."""
    return today - relativedelta(years=1) + dt.timedelta(days=1), today


class CompliancePeriodForm(GovukForm):
    """The period the figures cover (due dates from `from` to `to`), read from a GET."""

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = default_period(today)
        self.fields["from"] = GovukDateField(
            what="the start of the period",
            label="From",
            required=False,
            initial=self.defaults[0],
            help_text=f"For example, {numeric(self.defaults[0])}",
        )
        self.fields["to"] = GovukDateField(
            what="the end of the period",
            label="To",
            required=False,
            initial=self.defaults[1],
            help_text=f"For example, {numeric(self.defaults[1])}",
        )

    def clean(self):
        data = super().clean()
        if "from" in self.errors or "to" in self.errors:
            return data
        start = data.get("from") or self.defaults[0]
        end = data.get("to") or self.defaults[1]
        if start > end:
            self.add_error("from", "The start of the period must be the same as or before its end")
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period, or the default one where a date is missing or wrong."""
        if not self.is_bound or self.errors:
            return self.defaults
        return (
            self.cleaned_data.get("from") or self.defaults[0],
            self.cleaned_data.get("to") or self.defaults[1],
        )
