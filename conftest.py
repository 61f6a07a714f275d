"""Fixtures shared by every app's tests."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture
def shipped_compacts(db):
    """The compact definitions the project ships, loaded."""
    call_command("load_compacts", dir=settings.COMPACT_DEFINITIONS_DIR, stdout=io.StringIO())
