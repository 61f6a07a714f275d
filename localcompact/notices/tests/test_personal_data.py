"""Notices' part of a person's data: the download lists what they did, erasure keeps it
all (the compact's record), naming "a former user" (see notices/personal_data.py)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.personal_data import account_erase, personal_data_collect
from localcompact.notices.models import Notice, NoticeDocument, NoticeEvent
from localcompact.notices.services import notice_document_add, notice_withdraw

from .conftest import NOW, TODAY, client_for, confidential, notice_made

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(world):
    """The officer drafted and published a public notice (with a document), withdrew it,
    and issued a confidential one."""
    officer = world.user("officer")
    public = notice_made(world, title="Library hours change")
    notice_document_add(
        notice=public,
        title="Cabinet report",
        uploaded=SimpleUploadedFile("cabinet.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        by=officer,
        today=TODAY,
    )
    notice_withdraw(notice=public, reason="Decision reversed", by=officer, today=TODAY)
    secret = confidential(world, title="Hush restructure of the depot")
    return public, secret


def test_the_download_lists_the_notices_they_drafted_and_changed(world, done):
    public, secret = done
    data = personal_data_collect(world.user("officer"), now=NOW)
    drafted = data["informing_notices_drafted"]
    assert [(n["reference"], n["status"]) for n in drafted] == [
        (public.reference, "Withdrawn"),
        (secret.reference, "Published"),
    ]
    assert drafted[0]["title"] == "Library hours change"
    assert drafted[0]["issued_by"] == "Testshire Council"
    changes = [(c["notice"], c["change"]) for c in data["informing_notice_changes_made"]]
    assert (public.reference, "Withdrawn") in changes
    assert (secret.reference, "Published") in changes
    withdrawn = next(c for c in data["informing_notice_changes_made"] if c["change"] == "Withdrawn")
    assert withdrawn["note"] == "Decision reversed"
    [document] = data["informing_notice_documents_uploaded"]
    assert (document["title"], document["file_name"]) == ("Cabinet report", "cabinet.pdf")


def test_a_restricted_notice_is_named_by_its_reference_only(world, done):
    _public, secret = done
    data = personal_data_collect(world.user("officer"), now=NOW)
    text = json.dumps(data)
    assert "Hush" not in text and "depot" not in text
    assert f"Restricted notice {secret.reference}" in text


def test_someone_else_gets_none_of_it(world, done):
    data = personal_data_collect(world.user("member"), now=NOW)
    assert data["informing_notices_drafted"] == []
    assert data["informing_notice_changes_made"] == []
    assert data["informing_notice_documents_uploaded"] == []


def test_erasure_keeps_the_record_naming_a_former_user(client, world, done):
    public, _secret = done
    officer = world.user("officer")
    events = NoticeEvent.objects.filter(by=officer).count()
    deletion = DeletionRequest.objects.create(user=officer)
    counts = account_erase(deletion=deletion, by=world.user("support"), now=NOW)
    assert counts["informing notice records kept"] == (
        Notice.objects.filter(created_by=officer).count() + events + 1  # + the document
    )
    assert Notice.objects.get(pk=public.pk).created_by_id == officer.pk
    assert NoticeEvent.objects.filter(by=officer).count() == events
    assert NoticeDocument.objects.get(notice=public).uploaded_by_id == officer.pk
    page = client_for(client, world, "member").get(reverse("notices:history", args=[public.pk]))
    assert page.status_code == 200
    assert "a former user" in page.content.decode()
