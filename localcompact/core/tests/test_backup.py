"""Backup and restore give back exactly what was there, on SQLite and on PostgreSQL."""

import io

import pytest
from django.core.management import CommandError, call_command

from localcompact.compacts.models import Compact
from localcompact.core.backup import fingerprints


@pytest.mark.django_db(transaction=True)
def test_a_restore_gives_back_every_row_as_it_was(shipped_compacts, tmp_path):
    before = fingerprints()
    path = tmp_path / "backup.bin"
    call_command("backup", output=path, stdout=io.StringIO())

    Compact.objects.filter(slug="leicester").update(name="Changed after the backup")
    assert fingerprints() != before

    call_command("restore", path, yes=True, stdout=io.StringIO())

    assert fingerprints() == before
    assert Compact.objects.get(slug="leicester").name.startswith("Leicester Compact")


@pytest.mark.django_db
def test_restore_asks_for_confirmation_first(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", tmp_path / "x", stdout=io.StringIO())


@pytest.mark.django_db
def test_restoring_from_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", tmp_path / "nothing.bin", yes=True, stdout=io.StringIO())
