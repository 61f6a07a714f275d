"""The form for proofing a draft (GOV.UK fields from `core.forms`)."""

from django import forms

from localcompact.compacts.models import Compact
from localcompact.core.forms import GovukForm, GovukRadios, GovukTextarea
from localcompact.core.uploads import DocumentField, extension_of

from .docx_text import OLE
from .models import DraftKind

DRAFT_TYPES = ("docx", "txt")


class DraftField(DocumentField):
    """An upload checked by `core.uploads`, saying first what the general check would
    not: a macro-enabled Word file is refused by name, and a password-protected .docx
    (which Word saves as an OLE file, not a ZIP) is called that, not a false .docx."""

    def clean(self, data, initial=None):
        if data and data is not initial:
            ext = extension_of(data.name)
            if ext in ("docm", "dotm"):
                raise forms.ValidationError(
                    "The selected file contains macros: save it from Word as a Word Document "
                    "(.docx), not a macro-enabled one, and upload it again",
                    code="type",
                )
            if ext == "docx":
                data.seek(0)
                head = data.read(len(OLE))
                data.seek(0)
                if head == OLE:
                    raise forms.ValidationError(
                        "The selected file is password-protected or an old Word format: "
                        "remove any password and save it as a Word Document (.docx)",
                        code="content",
                    )
        return super().clean(data, initial)


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
        help_text="Or upload it below as a Word document or a plain text file",
    )
    document = DraftField(
        what="a Word document or a plain text file",
        label="Or upload the draft",
        required=False,
        help_text="A Word document (.docx, without macros or a password) or a plain text "
        "file (.txt) saved as UTF-8",
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
        if document and extension_of(document.name) not in DRAFT_TYPES:
            raise forms.ValidationError(
                "The selected file must be a Word document (.docx) or a plain text (.txt) file",
                code="type",
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


class AttachForm(GovukForm):
    """Which of the organisation's consultations or commissioning plans to attach a
    report to: radios valued "consultation-<pk>" or "plan-<pk>"."""

    target = forms.ChoiceField(
        label="Attach the report to",
        widget=GovukRadios,
        error_messages={
            "required": "Choose a consultation or a commissioning plan",
            "invalid_choice": "Choose a consultation or a commissioning plan from the list",
        },
    )

    def __init__(self, *args, consultations, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {f"consultation-{c.pk}": ("consultation", c) for c in consultations}
        self.targets.update({f"plan-{p.pk}": ("plan", p) for p in plans})
        self.fields["target"].choices = [
            (f"consultation-{c.pk}", f"Consultation: {c.title} ({c.get_status_display()})")
            for c in consultations
        ] + [
            (f"plan-{p.pk}", f"Commissioning plan: {p.title} ({p.get_stage_display()} stage)")
            for p in plans
        ]

    def clean(self):
        data = super().clean()
        choice = data.get("target")
        if choice in self.targets:
            data["what"], data["target"] = self.targets[choice]
        return data

    def refuse(self, refused) -> None:
        self.add_error("target" if refused.field == "target" else None, refused.message)


class VerifyForm(GovukForm):
    reference = forms.CharField(
        label="Reference on the mark",
        max_length=40,
        help_text="It starts with CP-, for example CP-7KQ4-M2XH-9RTB",
        error_messages={"required": "Enter the reference printed on the compact mark"},
    )

    def clean_reference(self) -> str:
        value = "".join(self.cleaned_data["reference"].split()).upper()
        if not value.startswith("CP-"):
            value = f"CP-{value}"
        return value
