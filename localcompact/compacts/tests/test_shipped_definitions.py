"""The four compacts the platform ships: each loads whole, and reads back the same."""

import io
import json

import pytest
from django.core.management import call_command

from localcompact.compacts.models import Compact, Standard, Undertaking

SHIPPED = {
    "city-together": "The City Together Compact",
    "herefordshire": (
        "Herefordshire Compact: Informing, Consulting and Partnership Code of Practice"
    ),
    "leicester": "Leicester Compact: Working Better Together",
    "redcar-cleveland": "Redcar & Cleveland Compact",
}


@pytest.mark.django_db
def test_all_four_shipped_compacts_load_and_are_listed(shipped_compacts):
    out = io.StringIO()
    call_command("compact", "list", stdout=out)
    listed = dict(line.split("\t") for line in out.getvalue().splitlines())
    assert listed == SHIPPED


@pytest.mark.django_db
def test_every_standard_of_every_shipped_compact_builds_its_rule(shipped_compacts):
    standards = list(Standard.objects.select_related("source"))
    assert len(standards) >= 50
    for standard in standards:
        rule = standard.rule()
        assert rule.clause == standard.clause


@pytest.mark.django_db
def test_every_undertaking_names_its_party_and_clause(shipped_compacts):
    for undertaking in Undertaking.objects.select_related("party", "source"):
        assert undertaking.party.name
        assert undertaking.clause_ref
        assert undertaking.source.file.endswith(".txt")


@pytest.mark.django_db
def test_loading_the_shipped_compacts_again_changes_nothing(shipped_compacts):
    out = io.StringIO()
    call_command("load_compacts", stdout=out)
    assert out.getvalue().count("(unchanged)") == len(SHIPPED)
    assert all(c.versions.count() == 1 for c in Compact.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_export_gives_back_the_definition_with_every_standard_field(shipped_compacts, slug):
    out = io.StringIO()
    call_command("compact", "export", slug, stdout=out)
    exported = json.loads(out.getvalue())
    assert exported["slug"] == slug
    for standard in exported["standards"]:
        assert {"id", "rule", "params", "strictness", "clause"} <= set(standard)
