"""Who may open each notices page and do each action, for every role (see conftest).

Expected status per role: 200 seen, 302 after an action (or anonymous sent to sign in),
403 refused with a reason, 404 for a notice the person may not even know exists.
"""

import pytest
from django.urls import reverse

from localcompact.notices.models import Notice, Status

from .conftest import ROLES, client_for, notice_made

pytestmark = pytest.mark.django_db

SIGN_IN = 302


def table(**overrides):
    return {role: overrides.get(role, overrides.get("default")) for role in ROLES}


ACTORS = ("officer", "administrator")
ISSUER = ("member", *ACTORS)


def expected_change_page(role):
    if role == "anonymous":
        return SIGN_IN
    if role in ACTORS:
        return 200
    if role == "member":
        return 403
    return 404  # a draft: others may not know it exists


def expected_change_published(role):
    if role == "anonymous":
        return SIGN_IN
    if role in ACTORS:
        return 200
    return 403  # a public notice: everyone sees it, only the issuer's actors change it


@pytest.fixture
def draft(world):
    return notice_made(world, publish=False)


@pytest.fixture
def published(world):
    return notice_made(world, title="Published one")


@pytest.mark.parametrize("role", ROLES)
def test_the_list_and_feeds_are_for_everyone(client, world, role):
    client = client_for(client, world, role)
    for name in ("notices:index", "notices:feed_atom", "notices:feed_ics"):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_published_notice_is_for_everyone(client, world, published, role):
    url = reverse("notices:detail", args=[published.pk])
    assert client_for(client, world, role).get(url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["edit", "publish", "withdraw"])
def test_changing_a_draft_is_for_the_issuers_officers(client, world, draft, role, page):
    url = reverse(f"notices:{page}", args=[draft.pk])
    assert client_for(client, world, role).get(url).status_code == expected_change_page(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["edit", "withdraw"])
def test_changing_a_published_notice_is_for_the_issuers_officers(
    client, world, published, role, page
):
    url = reverse(f"notices:{page}", args=[published.pk])
    assert client_for(client, world, role).get(url).status_code == expected_change_published(role)


@pytest.mark.parametrize("role", ROLES)
def test_posting_a_withdrawal_is_refused_to_all_but_the_issuers_officers(
    client, world, published, role
):
    url = reverse("notices:withdraw", args=[published.pk])
    response = client_for(client, world, role).post(url, {"reason": "Changed our minds"})
    status = Notice.objects.get(pk=published.pk).status
    if role in ACTORS:
        assert response.status_code == 302 and status == Status.WITHDRAWN
    else:
        assert response.status_code in (SIGN_IN, 403) and status == Status.PUBLISHED


@pytest.mark.parametrize("role", ROLES)
def test_posting_publish_is_refused_to_all_but_the_issuers_officers(client, world, draft, role):
    url = reverse("notices:publish", args=[draft.pk])
    response = client_for(client, world, role).post(url, {})
    status = Notice.objects.get(pk=draft.pk).status
    if role in ACTORS:
        assert response.status_code == 302 and status == Status.PUBLISHED
    else:
        assert response.status_code in (SIGN_IN, 403, 404) and status == Status.DRAFT


@pytest.mark.parametrize("role", ROLES)
def test_history_is_for_the_issuers_members(client, world, published, role):
    url = reverse("notices:history", args=[published.pk])
    expected = SIGN_IN if role == "anonymous" else 200 if role in ISSUER else 403
    assert client_for(client, world, role).get(url).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_drafting_is_for_officers_of_a_public_body(client, world, role):
    client = client_for(client, world, role)
    council = client.get(reverse("notices:new", args=[world.council.slug])).status_code
    trust = client.get(reverse("notices:new", args=[world.trust.slug])).status_code
    if role == "anonymous":
        assert council == trust == SIGN_IN
    else:
        assert council == (200 if role in ACTORS else 403)
        assert trust == 403  # not a public body, whoever asks


@pytest.mark.parametrize("role", ROLES)
def test_an_organisations_notices_page_is_for_its_members(client, world, role):
    url = reverse("notices:organisation", args=[world.council.slug])
    expected = SIGN_IN if role == "anonymous" else 200 if role in ISSUER else 403
    assert client_for(client, world, role).get(url).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_posting_a_new_notice_is_refused_to_all_but_officers(client, world, role):
    url = reverse("notices:new", args=[world.council.slug])
    response = client_for(client, world, role).post(url, {"title": "x"})
    if role in ACTORS:
        assert response.status_code == 400  # through to the form, which wants more
    else:
        assert response.status_code in (SIGN_IN, 403)
    assert not Notice.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_document_is_for_the_issuers_officers(client, world, published, role):
    url = reverse("notices:document_add", args=[published.pk])
    assert client_for(client, world, role).get(url).status_code == expected_change_published(role)
