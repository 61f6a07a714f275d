"""Every list operation of the API issues the same number of queries whatever the size of
the data and of the page: measured at two data sizes and two page sizes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from localcompact.api.api import api
from localcompact.funding.services import award_create
from localcompact.governance.services import decision_add, meeting_create
from localcompact.obligations.services import activity_record
from localcompact.organisations.tests.test_register_fixtures import organisation_made, signed

from .conftest import ApiClient, consultation_planned, days, token_for


def _more(scene, n: int) -> None:
    """n more of everything the lists show, each with its related rows."""
    from localcompact.compacts.models import Standard

    today = timezone.localdate()
    standard = Standard.objects.get(
        version=scene.leicester.current_version, ident="consultation-minimum-period"
    )
    for i in range(n):
        tag = f"Topic {scene.rounds}-{i}"
        made = consultation_planned(scene.council, scene.officer, title=f"More {scene.rounds}-{i}")
        made.tags.create(kind="topic", name=tag, slug=tag.lower().replace(" ", "-"))
        organisation = organisation_made(
            f"Group {scene.rounds}-{i}", identifiers=(f"GB-CHC-{scene.rounds}{i:04d}",)
        )
        signed(organisation, scene.leicester, days(-100))
        meeting = meeting_create(
            compact=scene.leicester, title=f"Meeting {i}", on=days(i), by=scene.support, today=today
        )
        decision_add(meeting=meeting, text="Agreed", by=scene.support)
        award_create(
            funder=scene.council,
            recipient=organisation,
            version=scene.leicester.current_version,
            by=scene.officer,
            today=today,
            kind="grant",
            title=f"Grant {i}",
            description="A grant.",
            amount=Decimal("100"),
            overheads=Decimal("0"),
            award_date=days(-i),
            agreed_on=days(-i),
            starts_on=days(1),
            ends_on=days(100),
            length_reason="",
        )
        activity_record(
            organisation=scene.council,
            standard=standard,
            title=f"Activity {i}",
            description="",
            start_on=today + dt.timedelta(days=7),
            end_on=today + dt.timedelta(days=7 + 7 * 13),
            agreed_due_on=None,
            owed_to=[organisation],
            owed_to_label="",
            by=None,
            today=today,
        )
    scene.rounds += 1


def _lists(council_slug: str) -> dict[str, str]:
    """Every list operation of the schema, with the URL that calls it."""
    return {
        "/api/organisations": "/api/organisations?compact=leicester",
        "/api/consultations": "/api/consultations",
        "/api/meetings": "/api/meetings?compact=leicester",
        "/api/awards": "/api/awards",
        "/api/organisations/{slug}/obligations": (f"/api/organisations/{council_slug}/obligations"),
    }


def test_every_paginated_operation_is_measured(db):
    schema = api.get_openapi_schema(path_prefix="/api/")
    paginated = {
        path
        for path, item in schema["paths"].items()
        for operation in item.values()
        if any(p["name"] == "page_size" for p in operation.get("parameters", []))
    }
    assert paginated == set(_lists("any"))


@pytest.mark.django_db
def test_lists_issue_a_constant_number_of_queries(scene):
    scene.rounds = 0
    token = token_for(scene.officer, "obligations:read")
    client = ApiClient(token=token)
    client.get("/api/me")  # the token's first use is recorded: not part of the counts
    lists = _lists(scene.council.slug)

    def count(url, page_size) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": page_size})
            assert response.status_code == 200, response.content
        return len(queries)

    _more(scene, 2)
    small = {name: (count(url, 1), count(url, 50)) for name, url in lists.items()}
    _more(scene, 12)
    large = {name: (count(url, 1), count(url, 50)) for name, url in lists.items()}
    assert large == small
    for name, (one, fifty) in small.items():
        assert one == fifty, name
