from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """£12,500 for whole pounds, £12,500.50 otherwise; £0 for nothing."""
    amount = Decimal(value or 0)
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"
