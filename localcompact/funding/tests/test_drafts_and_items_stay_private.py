"""Two leaks found while writing the permission matrix, and closed.

- A plan's page listed every opportunity made from it, drafts too, to anyone: a draft's
  title showed on a public page while its own page answers "not found".
- Recording a payment as paid, or a return as received or reviewed, looked the payment
  or return up before checking the permission, so anyone could tell which exist on an
  award (404 for none, 403 for one) though the schedule and returns are private.
"""

import pytest
from django.urls import reverse

from localcompact.funding import services

from .factories import ROLES, TODAY, sign_in, story_fixture, world_fixture  # noqa: F401


def _draft_on_the_plan(story):
    return services.opportunity_create(
        by=story.user("council_officer"),
        today=TODAY,
        version=story.version,
        funder=story.council,
        plan=story.things["plan"],
        kind="grant",
        code="plan-draft",
        title="Unannounced draft programme",
        description="Draft.",
        amount_available=1000,
        opens_on=TODAY,
        closes_on=TODAY,
        decisions_by=TODAY,
        service_starts_on=TODAY,
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_plan_shows_its_draft_opportunities_only_to_the_funder_s_officers(client, story, role):
    _draft_on_the_plan(story)
    sign_in(client, story, role)
    page = client.get(reverse("funding:plan", args=[story.things["plan"].pk])).content.decode()
    assert ("Unannounced draft programme" in page) is (role == "council_officer")


@pytest.mark.parametrize("role", ["outsider", "rival_officer", "council_member", "charity_officer"])
@pytest.mark.parametrize("name,key", [("payment_paid", "payment"), ("return_review", "item")])
def test_whether_a_payment_or_return_exists_is_not_shown(client, story, role, name, key):
    sign_in(client, story, role)
    award = story.things["award"].pk
    real = story.things[key].pk
    for item in (real, 999999):
        response = client.get(reverse(f"funding:{name}", args=[award, item]))
        assert response.status_code == 403, (role, item)
    sign_in(client, story, "council_officer")
    assert client.get(reverse(f"funding:{name}", args=[award, 999999])).status_code == 404
    assert client.get(reverse(f"funding:{name}", args=[award, real])).status_code == 200
