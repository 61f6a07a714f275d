"""The error raised when a compact definition gives a rule something it cannot use."""

from __future__ import annotations

from collections.abc import Sequence

Path = tuple[str | int, ...]


class RuleError(ValueError):
    """A rule's parameters, or a procedure's definition, are not usable.

    ``path`` says where in the definition the problem is, for example
    ``("params", "period", "unit")``; the loader prefixes it with the standard's place
    in the file. ``str(error)`` is the message alone.
    """

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path: Path = tuple(path)
