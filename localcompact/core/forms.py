"""GOV.UK Frontend form rendering: widgets, a date input, and a form base that uses them.

A `GovukForm` renders each field as a GOV.UK form group (`{{ form.name.as_field_group }}`)
with its label or legend, hint, error message and error styling; `core/forms/
error_summary.html` lists a form's errors, each linking to its field. The templates are
in `core/templates/core/forms/`. Django itself sets `aria-invalid` and links the hint
and the error to the input (`aria-describedby`).
"""

import datetime as dt
import re
from collections.abc import Mapping

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


class GovukRenderer(DjangoTemplates):
    field_template_name = "core/forms/field.html"
    form_template_name = "core/forms/form.html"


class GovukBoundField(BoundField):
    def __init__(self, form, field, name):
        # The form's own copy of the field: swapping its widget changes no other form.
        field.widget = govuk_widget(field.widget)
        super().__init__(form, field, name)

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the field's first input."""
        return self.field.widget.anchor_for(self.auto_id)

    @property
    def label_classes(self) -> str:
        return getattr(self.field, "label_classes", "")


class _Govuk:
    """Shared by the widgets: the GOV.UK class, its error modifier and the extra classes."""

    govuk_class = ""

    def anchor_for(self, id_: str) -> str:
        return id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        attrs = dict(widget["attrs"])
        extra = attrs.pop("class", "")
        widget["has_error"] = attrs.get("aria-invalid") == "true"
        classes = [self.govuk_class]
        if widget["has_error"] and self.govuk_class:
            classes.append(f"{self.govuk_class}--error")
        widget["classes"] = " ".join(c for c in [*classes, extra] if c)
        widget["attrs"] = attrs
        return context


class GovukTextInput(_Govuk, forms.TextInput):
    govuk_class = "govuk-input"
    template_name = "core/forms/widgets/input.html"


class GovukPasswordInput(_Govuk, forms.PasswordInput):
    govuk_class = "govuk-input"
    template_name = "core/forms/widgets/input.html"


class GovukTextarea(_Govuk, forms.Textarea):
    govuk_class = "govuk-textarea"
    template_name = "core/forms/widgets/textarea.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 4, **(attrs or {})})


class GovukSelect(_Govuk, forms.Select):
    govuk_class = "govuk-select"
    template_name = "core/forms/widgets/select.html"


class _Choices(_Govuk):
    """Radios and checkboxes: each choice may have a hint (`hints`, by value)."""

    hints: Mapping[str, str] = {}  # replaced per instance

    def __init__(self, attrs=None, choices=(), hints: Mapping[str, str] | None = None):
        super().__init__(attrs, choices)
        self.hints = dict(hints or {})

    def anchor_for(self, id_: str) -> str:
        return f"{id_}_0"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


class GovukRadios(_Choices, forms.RadioSelect):
    govuk_class = "govuk-radios"
    template_name = "core/forms/widgets/radios.html"


class GovukCheckboxes(_Choices, forms.CheckboxSelectMultiple):
    govuk_class = "govuk-checkboxes"
    template_name = "core/forms/widgets/checkboxes.html"


class GovukCheckbox(_Govuk, forms.CheckboxInput):
    """One checkbox (a yes-or-no question); its label is the field's label."""

    govuk_class = "govuk-checkboxes__input"
    template_name = "core/forms/widgets/checkbox.html"


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes named `<name>-day`, `<name>-month`, `<name>-year`.

    A single ISO date in `<name>` (from a link such as `?from=2026-01-31`) is read too.
    """

    template_name = "core/forms/widgets/date.html"
    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput() for _ in self.parts], attrs)
        self.widgets_names = [f"-{key}" for key, _, _ in self.parts]

    def anchor_for(self, id_: str) -> str:
        return f"{id_}-day"

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else ""

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        if not any(values) and data.get(name):
            try:
                return self.decompress(dt.date.fromisoformat(data[name]))
            except ValueError:
                return ["", "", str(data[name])[:20]]
        return values

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        invalid = widget["attrs"].get("aria-invalid") == "true"
        id_ = widget["attrs"].get("id") or name
        widget["has_error"] = invalid
        widget["items"] = [
            {
                "name": f"{name}-{key}",
                "id": f"{id_}-{key}",
                "label": label,
                "width": width,
                "value": sub["value"] or "",
            }
            for (key, label, width), sub in zip(self.parts, widget["subwidgets"], strict=True)
        ]
        return context


class GovukDateField(forms.Field):
    """A date from a GOV.UK date input, with GOV.UK's error messages.

    `what` names the date in a sentence ("the date the consultation opens"): "Enter the
    date the consultation opens", "Date the consultation opens must include a year",
    "Date the consultation opens must be a real date".
    """

    widget = GovukDateInput

    def __init__(self, *, what: str = "the date", **kwargs):
        self.what = what
        kwargs.setdefault("label", what[0].upper() + what[1:])
        custom = kwargs.pop("error_messages", None) or {}
        super().__init__(error_messages={"required": f"Enter {what}", **custom}, **kwargs)

    @property
    def noun(self) -> str:
        """'the date the consultation opens' -> 'Date the consultation opens'."""
        text = re.sub(r"^(the|a|an) ", "", self.what)
        return text[0].upper() + text[1:]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        parts = [str(v).strip() if v is not None else "" for v in value]
        parts = (parts + ["", "", ""])[:3]
        if not any(parts):
            return None
        keys = [key for key, _, _ in GovukDateInput.parts]
        missing = [key for key, part in zip(keys, parts, strict=True) if not part]
        if missing:
            listed = " and ".join(missing)
            raise forms.ValidationError(f"{self.noun} must include a {listed}", code="incomplete")
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(f"{self.noun} must be a real date", code="invalid")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.noun} must be a real date", code="invalid"
            ) from None

    def prepare_value(self, value):
        return value


def govuk_widget(widget: forms.Widget) -> forms.Widget:
    """The GOV.UK version of one of Django's own widgets (others are left as they are)."""
    if isinstance(widget, _Govuk | GovukDateInput) or widget.is_hidden:
        return widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        new = GovukCheckboxes(widget.attrs)
    elif isinstance(widget, forms.RadioSelect):
        new = GovukRadios(widget.attrs)
    elif isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        new = GovukSelect(widget.attrs)
    elif isinstance(widget, forms.Textarea):
        return GovukTextarea(widget.attrs)
    elif isinstance(widget, forms.CheckboxInput):
        return GovukCheckbox(widget.attrs, widget.check_test)
    elif isinstance(widget, forms.PasswordInput):
        return GovukPasswordInput(widget.attrs, widget.render_value)
    elif isinstance(widget, forms.widgets.Input) and widget.input_type in TEXT_TYPES:
        new = GovukTextInput(widget.attrs)
        new.input_type = widget.input_type
        return new
    else:
        return widget
    new.choices = widget.choices
    return new


TEXT_TYPES = ("text", "email", "number", "search", "tel", "url")


class GovukForm(forms.Form):
    """A form whose fields render as GOV.UK form groups; ids are the field names.

    Django's own widgets are swapped for their GOV.UK versions, so a plain
    `forms.CharField()` renders as a GOV.UK text input.
    """

    # One renderer for every form, as Django's own default is: a renderer holds its own
    # template engine, so naming the class made a new engine, compiling the field
    # templates again, for every form on every request.
    default_renderer = GovukRenderer()
    bound_field_class = GovukBoundField
    use_required_attribute = False  # GOV.UK forms validate on the server, not in the browser

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
