from django import forms

from localcompact.core.forms import GovukCheckboxes, GovukDateField, GovukForm

from .models import Scope


class TokenForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="What the token is for, so you can tell it apart: for example, ‘Grants system’",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 80 characters or fewer",
        },
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do besides reading what is public? (optional)",
        choices=Scope.choices,
        required=False,
        widget=GovukCheckboxes(),
        help_text="It can only ever do what you yourself may do.",
        error_messages={"invalid_choice": "Choose from the list"},
    )
    expires_on = GovukDateField(
        what="the date the token stops working",
        label="Expiry date (optional)",
        required=False,
        help_text="For example, 31 3 2027. Without one, it works until you revoke it.",
    )
