"""The list and a notice's page issue the same number of queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import client_for, confidential, embargoed, notice_made

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(world, n):
    for i in range(n):
        notice_made(world, title=f"Bulk {i}")
        embargoed(world, title=f"Embargoed bulk {i}")
        confidential(world, title=f"Confidential bulk {i}")


@pytest.mark.parametrize("role", ["anonymous", "trust_member", "officer"])
def test_the_list_is_constant(client, world, role):
    client = client_for(client, world, role)
    grow(world, 2)
    small = count(client, reverse("notices:index") + "?q=bulk")
    grow(world, 10)
    assert count(client, reverse("notices:index") + "?q=bulk") == small


@pytest.mark.parametrize("role", ["anonymous", "trust_member", "officer"])
def test_a_notice_page_is_constant(client, world, role):
    client = client_for(client, world, role)
    notice = notice_made(world) if role == "anonymous" else embargoed(world)
    url = reverse("notices:detail", args=[notice.pk])
    small = count(client, url)
    grow(world, 5)
    notice.terms.create(term="Extra", explanation="More")
    notice.shared_with.add(world.club)
    assert count(client, url) == small


def test_an_organisations_page_is_constant(client, world):
    client = client_for(client, world, "officer")
    url = reverse("notices:organisation", args=[world.council.slug])
    grow(world, 1)
    small = count(client, url)
    grow(world, 6)
    assert count(client, url) == small
