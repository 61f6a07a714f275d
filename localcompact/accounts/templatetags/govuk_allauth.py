"""Rendering allauth's forms with our GOV.UK form helpers (localcompact.core.forms)."""

import re

from django import template

from localcompact.core.forms import GovukBoundField, GovukForm

register = template.Library()


@register.simple_tag
def govuk_form(form):
    """Make an allauth form render as GOV.UK form groups, with ids that are field names.

    Changes the form in place (before any of its fields is rendered), so that the
    layout's error summary and the page's fields agree.
    """
    if form is None or not hasattr(form, "fields") or getattr(form, "_govuk", False):
        return form
    form.renderer = GovukForm.default_renderer
    form.bound_field_class = GovukBoundField
    form.use_required_attribute = False
    form.auto_id = "%s"
    form._bound_fields_cache = {}
    for field in form.fields.values():
        # GOV.UK asks for labels and hints, never placeholders.
        field.widget.attrs.pop("placeholder", None)
    form._govuk = True
    return form


@register.filter
def squash(value) -> str:
    """Whitespace collapsed, for a page title built from a template block."""
    return re.sub(r"\s+", " ", str(value)).strip()


@register.filter
def has_tag(attrs, tag: str) -> bool:
    return tag in (attrs.get("tags") or []) if hasattr(attrs, "get") else False
