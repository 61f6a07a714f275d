"""The form for proofing a draft (GOV.UK fields from `core.forms`)."""

from django import forms

from localcompact.compacts.models import Compact
from localcompact.core.forms import GovukForm, GovukRadios, GovukTextarea
from localcompact.core.uploads import DocumentField, extension_of

from .models import DraftKind

KIND_HINTS = {
    DraftKind.CONSULTATION: "Its opening and closing dates are checked against the compact's "
    "minimum period, and what it must say when it opens",
    DraftKind.FUNDING_PLAN: "Checked for what the compact's funding standards ask a plan to "
    "cover, such as overheads and notice of ending",
    DraftKind.OTHER: "Checked for plain English, jargon and reference to the compact",
}


class ProofForm(GovukForm):
    title = forms.CharField(
        label="Name of the draft",
        max_length=200,
        help_text="For example, \u201cDraft parks strategy, version 2\u201d",
        error_messages={"required": "Enter the name of the draft"},
    )
    compact = forms.ChoiceField(
        label="Compact to check it against",
        error_messages={"required": "Choose the compact", "invalid_choice": "Choose the compact"},
    )
    kind = forms.ChoiceField(
        label="What is the draft?",
        choices=DraftKind.choices,
        widget=GovukRadios(hints=KIND_HINTS),
        error_messages={"required": "Select what the draft is"},
    )
    text = forms.CharField(
        label="Paste the text of the draft",
        required=False,
        widget=GovukTextarea(attrs={"rows": 14}),
        help_text="Or upload it below as a plain text file",
    )
    document = DocumentField(
        what="a plain text file",
        label="Or upload the draft",
        required=False,
        help_text="A plain text file (.txt) saved as UTF-8; from Word, use Save As and "
        "choose Plain Text",
    )

    def __init__(self, *args, compacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.compacts = {str(c.pk): c for c in compacts}
        self.fields["compact"].choices = [("", "Choose a compact")] + [
            (str(c.pk), c.name) for c in compacts
        ]

    def clean_compact(self) -> Compact:
        return self.compacts[self.cleaned_data["compact"]]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and extension_of(document.name) != "txt":
            raise forms.ValidationError(
                "The selected file must be a plain text (.txt) file", code="type"
            )
        return document

    def clean(self):
        data = super().clean()
        text, document = (data.get("text") or "").strip(), data.get("document")
        if "document" in self.errors:
            return data
        if text and document:
            self.add_error("text", "Paste the text or upload a file, not both")
        elif not text and not document:
            self.add_error("text", "Paste the text of the draft or upload it as a file")
        return data

    def refuse(self, refused) -> None:
        self.add_error(refused.field if refused.field in self.fields else None, refused.message)
