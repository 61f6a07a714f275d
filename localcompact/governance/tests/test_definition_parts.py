"""The definition parts governance reads: outcome indicators and the change log."""

import copy

import jsonschema
import pytest
from django.conf import settings

from localcompact.compacts.loader import check_meaning, read_definition, schema


@pytest.fixture(scope="module")
def leicester() -> dict:
    return read_definition(settings.COMPACT_DEFINITIONS_DIR / "leicester.yaml").data


def test_leicester_measures_consultation_and_funding_by_its_standards(leicester):
    indicators = {o["id"]: o.get("indicators", []) for o in leicester["outcomes"]}
    assert indicators["consultation"] == ["consultation-minimum-period", "consultation-feedback"]
    assert "funding-confirmed-before-start" in indicators["funding"]


def test_an_indicator_must_name_a_standard(leicester):
    data = copy.deepcopy(leicester)
    data["outcomes"][0]["indicators"] = ["no-such-standard"]
    problems = list(check_meaning(data))
    assert ("outcomes[0].indicators", "names 'no-such-standard', not a standard") in problems


def test_the_change_log_is_checked_by_the_schema(leicester):
    data = copy.deepcopy(leicester)
    data["change_log"] = [{"adopted_on": "2026-03-04", "summary": "A change", "reason": "Why"}]
    assert not list(jsonschema.Draft202012Validator(schema()).iter_errors(data))
    data["change_log"] = [{"adopted_on": "4 March", "summary": "A change", "reason": "Why"}]
    assert list(jsonschema.Draft202012Validator(schema()).iter_errors(data))
