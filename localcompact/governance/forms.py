"""Forms for running a compact (GOV.UK fields from `core.forms`). Single-field checks
here; everything that needs other records is the services' job."""

import datetime as dt

from django import forms
from django.utils import timezone

from localcompact.consultations.access import OFFERED_FORMATS, VenueAccess
from localcompact.core.forms import GovukDateField, GovukForm
from localcompact.organisations.models import Organisation

from .models import Action, Meeting, Post, Revision


class RefusalMixin:
    def refuse(self, refused) -> None:
        field = refused.field if refused.field in self.fields else None
        self.add_error(field, refused.message)


class Form(RefusalMixin, GovukForm):
    pass


def _org_choices(queryset):
    return [("", "Choose an organisation")] + [(str(o.pk), o.name) for o in queryset]


class OrganisationChoiceField(forms.ChoiceField):
    """An organisation from a given list, by id; `.organisation` after cleaning."""

    def __init__(self, *, organisations, **kwargs):
        self.organisations = {str(o.pk): o for o in organisations}
        super().__init__(choices=_org_choices(organisations), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.organisations.get(value) if value else None


class CompositionForm(Form):
    body = forms.ChoiceField(label="Body", error_messages={"required": "Choose the body"})
    title = forms.CharField(
        label="Name for this make-up",
        max_length=200,
        help_text="For example, the steering group elected at the 2026 annual meeting",
        error_messages={"required": "Enter a name for this make-up"},
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b["id"], b["name"]) for b in bodies]


class MemberForm(Form):
    seat = forms.ChoiceField(label="Seat", error_messages={"required": "Choose the seat"})
    name = forms.CharField(
        label="Member's name",
        max_length=200,
        error_messages={"required": "Enter the member's name"},
    )
    email = forms.EmailField(
        label="Their account's e-mail address (optional)",
        required=False,
        help_text="If they have an account, they are given the body's role in the compact",
        error_messages={"invalid": "Enter an e-mail address like name@example.org"},
    )
    independent = forms.BooleanField(
        label="They sit independently, not for their organisation", required=False
    )
    how = forms.CharField(
        label="How they came to the seat (optional)",
        max_length=200,
        required=False,
        help_text="For example: nominated by the council; ex officio",
    )

    def __init__(self, *args, seats, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].choices = [("", "Choose a seat")] + [
            (s["id"], s["title"]) for s in seats
        ]
        self.fields["organisation"] = OrganisationChoiceField(
            organisations=organisations,
            label="Organisation (optional for an independent member)",
            required=False,
        )
        self.order_fields(["seat", "name", "organisation", "independent", "email", "how"])

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"]
        self.user = None
        if email:
            self.user = get_user_model().objects.filter(email__iexact=email).first()
            if self.user is None:
                raise forms.ValidationError("No account has that e-mail address")
        return email


class ActivateForm(Form):
    on = GovukDateField(what="the date it takes effect")


class PlanForm(Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the plan's title"}
    )
    starts_on = GovukDateField(what="the date the plan starts")
    ends_on = GovukDateField(what="the date the plan ends")


class AgreeForm(Form):
    on = GovukDateField(what="the date it was agreed")


class ActionForm(Form):
    title = forms.CharField(
        label="Action", max_length=200, error_messages={"required": "Enter the action"}
    )
    description = forms.CharField(
        label="More detail (optional)", widget=forms.Textarea, required=False
    )
    due_on = GovukDateField(what="the date it is due")

    def __init__(self, *args, outcomes, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = OrganisationChoiceField(
            organisations=Organisation.objects.order_by("name"),
            label="Owner",
            error_messages={"required": "Choose the organisation that owns the action"},
        )
        self.fields["outcome"] = forms.ChoiceField(
            label="Outcome it serves (optional)",
            required=False,
            choices=[("", "None")] + [(o["id"], o.get("title") or o["text"]) for o in outcomes],
        )
        self.codes = {str(c.pk): c for c in codes}
        self.fields["code"] = forms.ChoiceField(
            label="Code it serves (optional)",
            required=False,
            choices=[("", "None")] + [(str(c.pk), c.title) for c in codes],
        )
        self.order_fields(["title", "description", "owner", "due_on", "outcome", "code"])

    def clean_code(self):
        value = self.cleaned_data["code"]
        return self.codes.get(value) if value else None


class ProgressForm(Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status"},
    )
    text = forms.CharField(
        label="Progress",
        widget=forms.Textarea,
        error_messages={"required": "Say what progress has been made"},
    )


class MeetingAccessForm(Form):
    """Who hosts a meeting, the formats it offers and the access at its venue."""

    formats_offered = forms.MultipleChoiceField(
        label="Formats offered (optional)",
        choices=OFFERED_FORMATS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The formats and languages its papers can be had in.",
    )
    venue_access = forms.MultipleChoiceField(
        label="Access at the venue (optional)",
        choices=VenueAccess.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    venue_access_notes = forms.CharField(
        label="More about access at the venue (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, parking, the nearest bus stop, or the floor the room is on.",
    )

    def __init__(self, *args, hosts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"] = OrganisationChoiceField(
            organisations=hosts,
            label="Host organisation (optional)",
            required=False,
            help_text="It answers requests for another format or language for this meeting.",
        )
        self.order_fields(["host", "formats_offered", "venue_access", "venue_access_notes"])


class MeetingForm(MeetingAccessForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the meeting's title"}
    )
    on = GovukDateField(what="the date of the meeting")
    place = forms.CharField(label="Where (optional)", max_length=300, required=False)
    kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        initial=Meeting.Kind.ANNUAL,
        error_messages={"required": "Choose the kind of meeting"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["title", "on", "place", "kind", "host", "formats_offered", "venue_access"]
        )


class MinutesForm(Form):
    minutes = forms.CharField(
        label="Minutes",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the minutes"},
    )


class DecisionForm(Form):
    text = forms.CharField(
        label="Decision", widget=forms.Textarea, error_messages={"required": "Enter the decision"}
    )


class ElectionForm(Form):
    composition = forms.ChoiceField(
        label="Make-up the election fills",
        error_messages={"required": "Choose the make-up the election fills"},
    )

    def __init__(self, *args, compositions, **kwargs):
        super().__init__(*args, **kwargs)
        self.compositions = {str(c.pk): c for c in compositions}
        self.fields["composition"].choices = [("", "Choose")] + [
            (str(c.pk), c.title) for c in compositions
        ]

    def clean_composition(self):
        return self.compositions[self.cleaned_data["composition"]]


class NominationForm(Form):
    seat = forms.ChoiceField(label="Seat", error_messages={"required": "Choose the seat"})
    candidate = forms.CharField(
        label="Candidate's name",
        max_length=200,
        error_messages={"required": "Enter the candidate's name"},
    )
    statement = forms.CharField(label="Statement (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, seats, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].choices = [("", "Choose a seat")] + [
            (s["id"], s["title"]) for s, _ in seats
        ]
        self.fields["organisation"] = OrganisationChoiceField(
            organisations=organisations,
            label="Organisation the candidate stands for",
            error_messages={"required": "Choose the candidate's organisation"},
        )
        self.order_fields(["seat", "candidate", "organisation", "statement"])


class VoteForm(Form):
    def __init__(self, *args, nominations, places, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = {str(n.pk): n for n in nominations}
        self.fields["organisation"] = OrganisationChoiceField(
            organisations=organisations,
            label="Voting for",
            error_messages={"required": "Choose the organisation you vote for"},
        )
        self.fields["choices"] = forms.MultipleChoiceField(
            label=f"Choose up to {places}",
            choices=[(str(n.pk), f"{n.candidate} ({n.organisation.name})") for n in nominations],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one candidate"},
        )

    def clean_choices(self):
        return [self.nominations[v] for v in self.cleaned_data["choices"]]


class ReviewForm(Form):
    counts_from = GovukDateField(
        what="the date the review period counts from",
        help_text="For example, the date the compact or code was adopted",
    )
    due_on = GovukDateField(
        what="the date the review is due",
        required=False,
        help_text="Only where the compact sets no review period",
    )


class ReviewRecordForm(Form):
    done_on = GovukDateField(what="the date of the review")
    findings = forms.CharField(
        label="What the review found",
        widget=forms.Textarea,
        error_messages={"required": "Say what the review found"},
    )


class RevisionForm(Form):
    title = forms.CharField(
        label="Short title", max_length=200, error_messages={"required": "Enter a short title"}
    )
    reason_kind = forms.ChoiceField(
        label="Why",
        choices=Revision.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the compact should change"},
    )
    reason = forms.CharField(
        label="The reason, in full",
        widget=forms.Textarea,
        error_messages={"required": "Say why the compact should change"},
    )
    target_id = forms.ChoiceField(
        label="What it changes", error_messages={"required": "Choose what the revision changes"}
    )
    new_text = forms.CharField(
        label="New wording (for a change of wording)", widget=forms.Textarea, required=False
    )
    new_count = forms.IntegerField(
        label="New number (for a change of period)",
        required=False,
        min_value=0,
        max_value=520,
        error_messages={"invalid": "Enter a whole number"},
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_id"].choices = [("", "Choose")] + [
            (f"{target}:{ident}", label) for target, ident, label in targets
        ]

    def clean_target_id(self):
        target, _, ident = self.cleaned_data["target_id"].partition(":")
        self.target = target
        return ident


class DecideForm(Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("adopt", "Adopt it as a new version"), ("reject", "Do not adopt it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to adopt the revision"},
    )
    on = GovukDateField(what="the date it was decided")


class PostForm(Form):
    kind = forms.ChoiceField(
        label="What it is",
        choices=Post.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are publishing"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    body = forms.CharField(
        label="Text", widget=forms.Textarea, error_messages={"required": "Enter the text"}
    )
    starts_on = GovukDateField(what="the date it starts", required=False, help_text="Events only")
    starts_time = forms.TimeField(
        label="Start time (events only, 24-hour, e.g. 14:30)",
        required=False,
        error_messages={"invalid": "Enter a time like 14:30"},
    )
    place = forms.CharField(label="Where (events only)", max_length=300, required=False)
    places = forms.IntegerField(
        label="Places (optional)",
        required=False,
        min_value=1,
        error_messages={"invalid": "Enter a whole number"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoiceField(
            organisations=organisations,
            label="Published for (optional)",
            required=False,
        )

    def starts_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("starts_on")
        if day is None:
            return None
        time = self.cleaned_data.get("starts_time") or dt.time(10, 0)
        return timezone.make_aware(dt.datetime.combine(day, time))


class StoryForm(Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    body = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        error_messages={"required": "Say what happened"},
    )
    worked = forms.ChoiceField(
        label="Did the compact work here?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the compact worked here"},
    )

    def __init__(self, *args, organisations, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoiceField(
            organisations=organisations,
            label="Your organisation",
            error_messages={"required": "Choose your organisation"},
        )
        self.codes = {str(c.pk): c for c in codes}
        self.fields["code"] = forms.ChoiceField(
            label="Code it is about (optional)",
            required=False,
            choices=[("", "None")] + [(str(c.pk), c.title) for c in codes],
        )

    def clean_code(self):
        value = self.cleaned_data["code"]
        return self.codes.get(value) if value else None


class StoryDecideForm(Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("publish", "Publish it"), ("decline", "Do not publish it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to publish the story"},
    )


class ConcernForm(Form):
    subject = forms.CharField(
        label="Subject", max_length=200, error_messages={"required": "Enter a subject"}
    )
    about = forms.ChoiceField(
        label="The undertaking or standard it is about",
        error_messages={"required": "Choose the undertaking or standard the concern is about"},
    )
    text = forms.CharField(
        label="Where the compact was not followed",
        widget=forms.Textarea,
        error_messages={"required": "Say where the compact was not followed"},
    )
    suggestion = forms.CharField(
        label="How things could improve (optional)", widget=forms.Textarea, required=False
    )

    def __init__(self, *args, organisations, others, undertakings, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoiceField(
            organisations=organisations,
            label="Raised by",
            error_messages={"required": "Choose your organisation"},
        )
        self.fields["raised_with"] = OrganisationChoiceField(
            organisations=others,
            label="Raised with",
            error_messages={"required": "Choose the organisation you raise it with"},
        )
        self.items = {f"u{u.pk}": u for u in undertakings} | {f"s{s.pk}": s for s in standards}
        self.fields["about"].choices = (
            [("", "Choose")]
            + [(f"s{s.pk}", f"Standard: {s.title}") for s in standards]
            + [(f"u{u.pk}", f"Undertaking: {u.summary[:90]}") for u in undertakings]
        )
        self.order_fields(["organisation", "raised_with", "subject", "about", "text", "suggestion"])

    def clean_about(self):
        return self.items[self.cleaned_data["about"]]


class ReplyForm(Form):
    reply = forms.CharField(
        label="Your reply", widget=forms.Textarea, error_messages={"required": "Enter your reply"}
    )


class SignUpForm(Form):
    pass
