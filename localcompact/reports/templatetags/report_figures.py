"""Figures as people read them: 75%, £12,500, "+5 points", "no change", "–" for none."""

from django import template

from localcompact.reports.disclosure import TEXT

register = template.Library()

DASH = "–"


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


@register.filter
def figure_value(value, unit: str = "count") -> str:
    if value is None:
        return DASH
    if unit == "percent":
        return f"{value}%"
    if unit == "money":
        return f"£{value:,.0f}"
    return _number(value)


@register.filter
def figure_change(value, unit: str = "count") -> str:
    if value is None:
        return DASH
    if value == 0:
        return "no change"
    sign = "+" if value > 0 else "−"
    magnitude = abs(value)
    if unit == "percent":
        return f"{sign}{_number(magnitude)} point{'s' if magnitude != 1 else ''}"
    if unit == "money":
        return f"{sign}£{magnitude:,.0f}"
    return f"{sign}{_number(magnitude)}"


@register.filter
def hidden_text(marker: str) -> str:
    """A value left out by disclosure control: "fewer than 5", "withheld"..."""
    return TEXT.get(marker, marker)
