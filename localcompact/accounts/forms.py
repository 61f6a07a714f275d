from django import forms

from localcompact.core.forms import GovukForm


class DeletionRequestForm(GovukForm):
    reason = forms.CharField(
        label="Why do you want your account deleted? (optional)",
        help_text="This helps the support team. You do not have to say.",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    confirm = forms.BooleanField(
        label="I understand that I will no longer be able to sign in once my account is deleted",
        error_messages={"required": "Confirm that you understand your account will be deleted"},
    )


class ErasureForm(GovukForm):
    confirm = forms.BooleanField(
        label=(
            "I have checked that this request came from the account's owner, and I "
            "understand that the erasure cannot be undone"
        ),
        error_messages={"required": "Confirm that you have checked the request"},
    )
