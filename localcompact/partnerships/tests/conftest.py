"""The partnership tests' fixtures (see factories for the cast)."""

from .factories import cast_fixture, two_compacts_fixture  # noqa: F401
