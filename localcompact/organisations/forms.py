"""Forms for managing organisations, their members, the pledge and the support team's
records. Every form renders in GOV.UK markup (`GovukForm`); cross-record checks (is the
identifier taken, is there a current signature) are the services' and come back as
errors on the field they concern.
"""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model

from localcompact.core.forms import GovukDateField, GovukForm, GovukRadios

from .models import CompactRoleKind, IncomeBand, Kind, Role, Scheme, Sector
from .services import Refused, identifier_clean, identifier_owner

ROLE_HINTS = {
    Role.MEMBER: "Sees the organisation's private pages.",
    Role.OFFICER: "Also acts for it: responds to consultations, raises disagreements, "
    "records what it does.",
    Role.ADMINISTRATOR: "Also manages its members and signs compact pledges for it.",
}


def role_choices():
    return [(value, label.split(" (")[0]) for value, label in Role.choices]


def role_radios() -> GovukRadios:
    return GovukRadios(hints={str(role): hint for role, hint in ROLE_HINTS.items()})


class TelInput(forms.TextInput):
    input_type = "tel"


class SearchInput(forms.TextInput):
    input_type = "search"


class RefusalMixin:
    """Puts a service's refusal on the field it names, or on the form as a whole."""

    def refuse(self, refused: Refused) -> None:
        field = refused.field if refused.field in self.fields else None
        self.add_error(field, refused.message)


# Organisations -----------------------------------------------------------------------------

IDENTIFIER_SLOTS = (1, 2)
FLAG_CHOICES = [
    ("bme_led", "Led by and for black and minority ethnic communities"),
    ("equality_and_diversity", "Works for equality and diversity"),
    ("receives_public_funding", "Receives public funding"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]


class OrganisationForm(RefusalMixin, GovukForm):
    name = forms.CharField(
        label="Organisation's full name",
        max_length=200,
        help_text="As it appears on its governing document or register entry.",
        error_messages={
            "required": "Enter the organisation's full name",
            "max_length": "The organisation's name must be 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the organisation's sector"},
    )
    kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=[("", "Choose a kind"), *Kind.choices],
        error_messages={"required": "Choose what kind of organisation it is"},
    )
    scheme_1 = forms.ChoiceField(
        label="Register", choices=[("", "No identifier"), *Scheme.choices], required=False
    )
    value_1 = forms.CharField(label="Number or code", max_length=40, required=False)
    scheme_2 = forms.ChoiceField(
        label="Register", choices=[("", "No identifier"), *Scheme.choices], required=False
    )
    value_2 = forms.CharField(label="Number or code", max_length=40, required=False)
    area_served = forms.CharField(
        label="Area it serves (optional)",
        max_length=200,
        required=False,
        help_text="For example, a city, a district or a neighbourhood.",
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a website address, like https://example.org"},
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
    )
    public_email = forms.EmailField(
        label="E-mail address for the public (optional)",
        required=False,
        help_text="Shown on the public register.",
        error_messages={"invalid": "Enter an e-mail address, like name@example.org"},
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    public_phone = forms.CharField(
        label="Telephone number for the public (optional)",
        max_length=40,
        required=False,
        help_text="Shown on the public register.",
        widget=TelInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
    )
    income_band = forms.ChoiceField(
        label="Yearly income (optional)", choices=IncomeBand.choices, required=False
    )
    flags = forms.MultipleChoiceField(
        label="Which of these describe it? (optional)",
        choices=FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. The compacts use these to keep a balance of voices "
        "on their groups.",
    )
    has_equality_policy = forms.ChoiceField(
        label="Does it have an equality and diversity policy or statement?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether it has an equality and diversity policy or statement"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = None  # an organisation that already holds a given identifier
        for n in IDENTIFIER_SLOTS:
            self.fields[f"scheme_{n}"].label = f"Identifier {n}: register"
            self.fields[f"value_{n}"].label = f"Identifier {n}: number or code"
            self.fields[f"value_{n}"].widget.attrs.update(
                {
                    "spellcheck": "false",
                    "autocapitalize": "characters",
                    "class": "govuk-input--width-10",
                }
            )

    def clean(self):
        data = super().clean()
        seen = set()
        for n in IDENTIFIER_SLOTS:
            scheme, value = data.get(f"scheme_{n}", ""), data.get(f"value_{n}", "").strip()
            if not scheme and not value:
                continue
            if not scheme:
                self.add_error(f"scheme_{n}", "Choose the register the identifier comes from")
                continue
            if not value:
                self.add_error(f"value_{n}", f"Enter the {Scheme(scheme).label} number or code")
                continue
            try:
                value = identifier_clean(scheme=scheme, value=value)
            except Refused as refused:
                self.add_error(f"value_{n}", refused.message)
                continue
            if (scheme, value) in seen:
                self.add_error(f"value_{n}", "Give each identifier once")
                continue
            seen.add((scheme, value))
            data[f"value_{n}"] = value
            owner = identifier_owner(scheme=scheme, value=value)
            if owner is not None:
                self.taken = owner
                self.add_error(
                    f"value_{n}", f"{scheme}-{value} already belongs to {owner.name} on this site"
                )
        return data

    def identifiers(self) -> list[tuple[str, str, str]]:
        """(scheme, value, field name) of each identifier given."""
        data = self.cleaned_data
        return [
            (data[f"scheme_{n}"], data[f"value_{n}"], f"value_{n}")
            for n in IDENTIFIER_SLOTS
            if data.get(f"scheme_{n}") and data.get(f"value_{n}")
        ]

    def details(self) -> dict:
        data = self.cleaned_data
        flags = set(data.get("flags") or [])
        return {
            "area_served": data.get("area_served", ""),
            "website": data.get("website", ""),
            "public_email": data.get("public_email", ""),
            "public_phone": data.get("public_phone", ""),
            "income_band": data.get("income_band", ""),
            "bme_led": "bme_led" in flags,
            "equality_and_diversity": "equality_and_diversity" in flags,
            "receives_public_funding": "receives_public_funding" in flags,
            "has_equality_policy": data.get("has_equality_policy") == "yes",
        }


class CommunityGroupForm(RefusalMixin, GovukForm):
    """The short way in for a small, unconstituted community group: a name, where it
    works, and (optionally) how the public can reach it. The person registering it is
    its contact."""

    name = forms.CharField(
        label="The group's name",
        max_length=200,
        help_text="The name people know it by.",
        error_messages={
            "required": "Enter the group's name",
            "max_length": "The group's name must be 200 characters or fewer",
        },
    )
    area = forms.CharField(
        label="Neighbourhood or area it works in",
        max_length=200,
        help_text="For example, a street, an estate, a village or a ward.",
        error_messages={
            "required": "Enter the neighbourhood or area the group works in",
            "max_length": "The neighbourhood or area must be 200 characters or fewer",
        },
    )
    public_email = forms.EmailField(
        label="E-mail address for the public (optional)",
        required=False,
        help_text="Shown on the public register. Leave it empty to show none.",
        error_messages={"invalid": "Enter an e-mail address, like name@example.org"},
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    public_phone = forms.CharField(
        label="Telephone number for the public (optional)",
        max_length=40,
        required=False,
        help_text="Shown on the public register.",
        error_messages={"max_length": "The telephone number must be 40 characters or fewer"},
        widget=TelInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
    )


# Claims ------------------------------------------------------------------------------------


class ClaimForm(RefusalMixin, GovukForm):
    reason = forms.CharField(
        label="Who are you, and why should you act for this organisation?",
        max_length=1000,
        widget=forms.Textarea,
        help_text="For example, your position in the organisation and how it can be checked. "
        "Its administrators, or the compact support team if it has none, will read this.",
        error_messages={
            "required": "Say who you are and why you should act for the organisation",
            "max_length": "Your reason must be 1,000 characters or fewer",
        },
    )


class ClaimDecisionForm(RefusalMixin, GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the claim"), ("refuse", "Refuse the claim")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse the claim"},
    )
    role = forms.ChoiceField(
        label="If you approve, which role do they get?",
        choices=role_choices(),
        widget=role_radios(),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("role"):
            self.add_error("role", "Choose the role to give them")
        return data


# Members -----------------------------------------------------------------------------------


class InvitationForm(RefusalMixin, GovukForm):
    email = forms.EmailField(
        label="Their e-mail address",
        help_text="They must accept with an account that uses this address.",
        error_messages={
            "required": "Enter the e-mail address to send the invitation to",
            "invalid": "Enter an e-mail address, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Their role",
        choices=role_choices(),
        initial=Role.MEMBER,
        widget=role_radios(),
        error_messages={"required": "Choose the role to give them"},
    )


class RoleForm(RefusalMixin, GovukForm):
    role = forms.ChoiceField(
        label="Role",
        choices=role_choices(),
        widget=role_radios(),
        error_messages={"required": "Choose a role"},
    )


# The pledge --------------------------------------------------------------------------------


class PledgeForm(RefusalMixin, GovukForm):
    """Names, a position, a date and the confirmation: nothing that could carry an
    amendment or a condition."""

    organisation_name = forms.CharField(
        label="Organisation's full name",
        max_length=200,
        error_messages={
            "required": "Enter the organisation's full name",
            "max_length": "The organisation's name must be 200 characters or fewer",
        },
    )
    signatory_name = forms.CharField(
        label="Name of the person signing",
        max_length=200,
        error_messages={
            "required": "Enter the name of the person signing",
            "max_length": "The name must be 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    signatory_position = forms.CharField(
        label="Their position in the organisation",
        max_length=200,
        help_text="For example, chair of trustees or chief executive.",
        error_messages={
            "required": "Enter the position of the person signing",
            "max_length": "The position must be 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    signed_on = GovukDateField(
        what="the date of signing", help_text="For example, 27 3 2026. Today, unless you change it."
    )
    confirmed = forms.BooleanField(
        error_messages={
            "required": "Confirm that the organisation will keep to the compact's ethos and "
            "commitments"
        },
    )

    def __init__(self, *args, organisation, compact, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed"].label = (
            f"I confirm that {organisation.name} abides by the ethos and commitments of the "
            f"{compact.name}, and will work with both sectors to improve how they work "
            "together, for their benefit and the community's"
        )
        self.today = today

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value and value > self.today:
            raise forms.ValidationError("The date of signing must be today or in the past")
        return value


class PaperPledgeForm(PledgeForm):
    received_on = GovukDateField(
        what="the date it was received", help_text="The day the paper pledge arrived by post."
    )

    field_order = [
        "organisation_name",
        "signatory_name",
        "signatory_position",
        "signed_on",
        "received_on",
        "confirmed",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].help_text = "The date written on the paper pledge."
        self.fields["signatory_name"].widget.attrs.pop("autocomplete", None)
        self.fields["signatory_position"].widget.attrs.pop("autocomplete", None)
        self.fields[
            "confirmed"
        ].label = (
            "The paper pledge is complete and was signed as printed, with nothing added or changed"
        )
        self.fields["confirmed"].error_messages["required"] = (
            "Confirm that the paper pledge was signed as printed, with nothing added or changed"
        )

    def clean(self):
        data = super().clean()
        signed, received = data.get("signed_on"), data.get("received_on")
        if received and received > self.today:
            self.add_error("received_on", "The date it was received must be today or in the past")
        elif signed and received and received < signed:
            self.add_error(
                "received_on",
                "The date it was received must be the same as or after the date it was signed",
            )
        return data


class WithdrawalForm(RefusalMixin, GovukForm):
    withdrawn_on = GovukDateField(
        what="the date of withdrawal",
        help_text="The date of the notice. Today, unless you change it.",
    )
    reason = forms.CharField(
        label="Reason (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea,
        help_text="Shown on the public register, with the date.",
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )

    def __init__(self, *args, signed_on: dt.date, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_on, self.today = signed_on, today

    def clean_withdrawn_on(self):
        value = self.cleaned_data["withdrawn_on"]
        if value and value > self.today:
            raise forms.ValidationError("The date of withdrawal must be today or in the past")
        if value and value < self.signed_on:
            raise forms.ValidationError(
                "The date of withdrawal must be on or after the date the pledge was signed, "
                f"{self.signed_on:%-d %B %Y}"
            )
        return value


# The support team --------------------------------------------------------------------------


class OrganisationSearchForm(GovukForm):
    q = forms.CharField(
        label="Organisation's name or identifier",
        max_length=100,
        required=False,
        widget=SearchInput(),
    )


class RoleGrantForm(RefusalMixin, GovukForm):
    email = forms.EmailField(
        label="Their e-mail address",
        help_text="The address on their account. They must have signed in here before.",
        error_messages={
            "required": "Enter the e-mail address of the person to give the role to",
            "invalid": "Enter an e-mail address, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label="Role",
        choices=CompactRoleKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the role to give"},
    )
    case = forms.CharField(
        label="Case reference (mediators only)",
        max_length=40,
        required=False,
        help_text="The reference of the disagreement the mediator is appointed for.",
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        users = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
        if not users:
            raise forms.ValidationError("No one with that e-mail address has an account here")
        if len(users) > 1:
            raise forms.ValidationError(
                "More than one account uses that e-mail address; ask an administrator of the "
                "site to sort it out"
            )
        self.user = users[0]
        return email

    def clean(self):
        data = super().clean()
        kind, case = data.get("kind"), (data.get("case") or "").strip()
        if kind == CompactRoleKind.MEDIATOR and not case:
            self.add_error("case", "Enter the reference of the case the mediator is for")
        elif kind and kind != CompactRoleKind.MEDIATOR and case:
            self.add_error("case", "Only a mediator is appointed for a case; leave this empty")
        return data
