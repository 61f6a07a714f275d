"""Write a dataset as CSV or JSON, streamed: the header (or metadata) first, then one
record at a time, so a large download never sits whole in memory."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator

from .datasets import LICENCE, PERSONAL_DATA, Dataset

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns what it is given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value):
    """A cell as text: booleans as true/false, nothing as empty, and no text a
    spreadsheet would run as a formula (a leading ' is added)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(dataset: Dataset, records: Iterable) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(dataset.names)
    for record in records:
        yield writer.writerow([csv_cell(v) for v in dataset.values(record)])


def field_list(dataset: Dataset) -> list[dict]:
    return [
        {"name": f.name, "type": f.type, "meaning": f.meaning, "example": f.example}
        for f in dataset.fields
    ]


def json_chunks(
    dataset: Dataset, records: Iterable, *, generated_at: dt.datetime, compact: str | None
) -> Iterator[str]:
    head = {
        "dataset": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "licence": {**LICENCE, "personal_data": PERSONAL_DATA},
        "generated_at": generated_at.isoformat(),
        "compact": compact,
        "fields": field_list(dataset),
    }
    opening = json.dumps(head, ensure_ascii=False)
    yield opening[:-1] + ', "records": ['
    separator = "\n"
    for record in records:
        row = dict(zip(dataset.names, dataset.values(record), strict=True))
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"
