"""Fixtures for the compacts tests: a small synthetic definition to bend and break.

The synthetic compact cites a made-up source file name; its text is invented for the
tests and says nothing about any real compact.
"""

import copy
from pathlib import Path

import pytest
import yaml

DOC = "999_0000000000000000.txt"


def clause(ref: str) -> dict:
    return {"document": DOC, "ref": ref}


def tiny_definition(*, undertakings: int = 2, standards: int = 1, glossary: int = 1) -> dict:
    """A valid definition with as many undertakings, standards and terms as asked."""
    return {
        "slug": "testshire",
        "name": "Testshire Compact",
        "area": "Testshire",
        "nation": "england-and-wales",
        "documents": [{"file": DOC, "title": "Testshire Compact (invented for tests)"}],
        "summary": "An invented compact used by the tests.",
        "covers": "Invented public bodies and charities of Testshire.",
        "parties": [
            {"id": "public-sector", "name": "Public bodies", "sectors": ["public"]},
            {"id": "vcs", "name": "Voluntary and community groups", "sectors": ["vcs"]},
            {"id": "joint", "name": "Both sectors together", "sectors": ["public", "vcs"]},
        ],
        "principles": [{"id": "p1", "text": "Work together honestly.", "clause": clause("1")}],
        "codes": [
            {
                "slug": "consultation",
                "title": "Consultation code",
                "summary": "How consultation is run.",
                "clause": clause("2"),
                "undertakings": [
                    {
                        "id": f"consultation-u{n}",
                        "party": ["public-sector", "vcs", "joint"][n % 3],
                        "summary": f"Invented undertaking number {n}.",
                        "clause": clause(f"2.{n}"),
                    }
                    for n in range(undertakings)
                ],
            }
        ],
        "standards": [
            {
                "id": f"consultation-period-{n}",
                "title": f"Consultation lasts twelve weeks ({n})",
                "summary": "Consultations stay open at least twelve weeks.",
                "code": "consultation",
                "applies_to": "consultation",
                "owed_by": "public-sector",
                "owed_to": "respondents",
                "rule": "minimum_period",
                "params": {
                    "period": {"count": 12, "unit": "weeks"},
                    "start": "opens",
                    "end": "closes",
                },
                "strictness": "should",
                "exception": {"kind": "by_agreement", "summary": "Shorter if all agree."},
                "clause": clause(f"3.{n}"),
            }
            for n in range(standards)
        ],
        "glossary": [
            {"term": f"Term {n}", "definition": f"Meaning number {n}.", "clause": clause("9")}
            for n in range(glossary)
        ],
    }


def write(folder: Path, data: dict, name: str | None = None) -> Path:
    path = folder / (name or f"{data['slug']}.yaml")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def definition():
    return copy.deepcopy(tiny_definition())
