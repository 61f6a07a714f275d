"""Refusals the API's own code raises; `api.py` turns each into the common error body."""


class Invalid(Exception):
    """Input that passed the schema but not the rules: (field, message) pairs, the field
    named as in a schema error ('body.end_on')."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


def period_check(start, end, *, names: tuple[str, str] = ("date_from", "date_to")) -> None:
    """A period (two query dates, either may be missing) that ends before it starts is
    refused, naming the first date: every list and figure filtered by dates says so alike."""
    if start and end and start > end:
        first, last = names
        raise Invalid([(f"query.{first}", f"{first} must be the same as or before {last}")])
