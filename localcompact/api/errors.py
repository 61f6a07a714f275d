"""Refusals the API's own code raises; `api.py` turns each into the common error body."""


class Invalid(Exception):
    """Input that passed the schema but not the rules: (field, message) pairs, the field
    named as in a schema error ('body.end_on')."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors
