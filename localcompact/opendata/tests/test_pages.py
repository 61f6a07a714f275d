"""The index and the fields pages: every dataset with its description, licence, update
frequency, formats and fields; the field descriptions agree with what the files write
(ours by construction, other apps' by these tests)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.compacts.models import Compact
from localcompact.obligations.views.compliance import CSV_HEADER
from localcompact.organisations.register import DOWNLOAD_FIELDS, JSON_EXTRA_FIELDS

from ..datasets import DATASETS, REGISTER_KINDS, catalogue


def test_every_field_of_every_dataset_is_described_once():
    for dataset in DATASETS.values():
        assert len(set(dataset.names)) == len(dataset.names), dataset.slug
        for field in dataset.fields:
            assert field.type and field.meaning and field.example, (dataset.slug, field.name)


def test_the_register_fields_described_here_are_the_ones_the_register_writes():
    assert set(REGISTER_KINDS) == {*DOWNLOAD_FIELDS, *JSON_EXTRA_FIELDS}


def test_the_per_compact_compliance_csv_is_described_column_for_column():
    entry = next(e for e in catalogue([]) if e.slug == "compliance-by-compact")
    assert [f.name for f in entry.fields] == CSV_HEADER


@pytest.fixture
def compacts(db):
    for slug, name in (("leicester", "Leicester Compact"), ("redcar", "Redcar Compact")):
        Compact.objects.create(slug=slug, name=name)


def test_the_index_lists_every_dataset_with_licence_frequency_formats_and_fields(client, compacts):
    page = client.get(reverse("opendata:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Open Government Licence v3.0" in text
    assert "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" in text
    assert "Personal data are excluded" in text
    assert "Generated on request from the live records" in text
    for entry in catalogue(list(Compact.objects.order_by("name"))):
        assert f'id="{entry.slug}"' in text
        assert entry.fields_url in text
        for link in entry.formats:
            assert link.url in text
    for url in (
        reverse("organisations:register-csv"),
        reverse("funding:data_360_json"),
        reverse("funding:data_ocds"),
        reverse("obligations:compliance_csv", args=["redcar"]),
        reverse("notices:feed_atom"),
        reverse("consultations:calendar"),
        reverse("opendata:calendar", args=["redcar"]),
        reverse("opendata:feed", args=["findings"]) + "?compact=redcar",
    ):
        assert url in text, url


def test_the_index_issues_the_same_queries_whatever_the_number_of_compacts(client, compacts):
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("opendata:index"))
    for n in range(5):
        Compact.objects.create(slug=f"c{n}", name=f"Compact {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("opendata:index"))
    assert len(many) == len(few)


@pytest.mark.parametrize("slug", [e.slug for e in catalogue([])])
def test_each_fields_page_describes_every_field(client, compacts, slug):
    entry = next(e for e in catalogue([]) if e.slug == slug)
    page = client.get(reverse("opendata:fields", args=[slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Open Government Licence v3.0" in text
    for field in entry.fields:
        assert f'id="field-{field.name}"' in text
        assert f"<code>{field.name}</code>" in text
    if entry.standard:
        assert entry.standard.url in text
    assert entry.fields or entry.standard


def test_an_unknown_dataset_has_no_fields_page(client, compacts):
    assert client.get(reverse("opendata:fields", args=["nothing"])).status_code == 404
