"""Compact-proofing's part of a person's data: the download lists the reports they made
and the files they uploaded; erasure keeps them (the organisation's record), naming
"a former user" (see proofing/personal_data.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.personal_data import account_erase, personal_data_collect
from localcompact.proofing import services
from localcompact.proofing.models import ProofingDocument, ProofingReport

from .conftest import NOW
from .factories import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(world):
    pasted = report(world, title="Pasted draft")
    uploaded = services.report_create(
        organisation=world.council,
        compact=world.leicester,
        kind="other",
        title="Uploaded draft",
        uploaded=SimpleUploadedFile("draft.txt", b"We keep to the Leicester Compact."),
        by=world.user("officer"),
        now=NOW,
    )
    return pasted, uploaded


def test_the_download_lists_the_reports_they_made_and_files_they_uploaded(world, done):
    data = personal_data_collect(world.user("officer"), now=NOW)
    assert [r["title"] for r in data["compact_proofing_reports_made"]] == [
        "Pasted draft",
        "Uploaded draft",
    ]
    assert data["compact_proofing_reports_made"][0]["organisation"] == "Testshire Council"
    assert [d["file_name"] for d in data["compact_proofing_files_uploaded"]] == ["draft.txt"]
    assert "Leicester Compact" not in str(data["compact_proofing_reports_made"][0].get("text", ""))


def test_someone_else_gets_none_of_it(world, done):
    data = personal_data_collect(world.user("member"), now=NOW)
    assert data["compact_proofing_reports_made"] == []
    assert data["compact_proofing_files_uploaded"] == []


def test_erasure_keeps_the_reports_naming_a_former_user(client, world, done):
    officer = world.user("officer")
    deletion = DeletionRequest.objects.create(user=officer)
    counts = account_erase(deletion=deletion, by=world.user("staff"), now=NOW)
    assert counts["compact-proofing records kept"] == 3  # two reports and a file
    assert ProofingReport.objects.filter(created_by=officer).count() == 2
    assert ProofingDocument.objects.get().uploaded_by_id == officer.pk
    client.force_login(world.user("member"))
    page = client.get(done[0].get_absolute_url()).content.decode()
    assert "a former user" in page
