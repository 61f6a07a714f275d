"""Lists and pages issue the same number of queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.volunteering.models import Interest, VolunteeringFigures
from localcompact.volunteering.services import assessment_record, format_request_make

from .conftest import TODAY, client_for, opportunity_made

pytestmark = pytest.mark.django_db


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(world, n, start=0):
    for i in range(start, start + n):
        o = opportunity_made(world, title=f"Role {i}")
        Interest.objects.create(opportunity=o, name=f"P{i}", email="p@example.org")
        VolunteeringFigures.objects.create(
            organisation=world.council, year=2000 + i, volunteers=i, hours=i
        )
        assessment_record(
            organisation=world.council,
            data={
                "title": f"A{i}",
                "subject": "policy",
                "subject_url": "",
                "assessed_on": TODAY,
                "groups": ["older"],
                "findings": "x",
                "actions": "",
            },
            by=world.user("officer"),
            today=TODAY,
        )
        format_request_make(
            organisation=world.council,
            data={
                "subject": "s",
                "subject_url": "",
                "format": "braille",
                "language": "",
                "details": "",
                "needed_by": None,
                "name": "n",
                "email": "e@example.org",
            },
            user=None,
            today=TODAY,
        )


@pytest.mark.parametrize(
    "name", ["index", "figures", "equality", "assessments", "organisation", "progress"]
)
def test_pages_are_constant(client, world, name):
    client = client_for(client, world, "officer")
    args = {"organisation": [world.council.slug], "progress": ["city-together"]}.get(name, [])
    url = reverse(f"volunteering:{name}", args=args)
    grow(world, 2)
    small = count(client, url)
    grow(world, 8, start=2)
    assert count(client, url) == small
