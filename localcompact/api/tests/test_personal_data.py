import pytest
from django.utils import timezone

from localcompact.api.models import ApiToken
from localcompact.api.personal_data import personal_data, personal_data_erase
from localcompact.api.services import token_create
from localcompact.organisations.tests.test_register_fixtures import person_made


@pytest.mark.django_db
def test_the_download_lists_the_tokens_without_anything_that_could_use_them():
    user = person_made("pat")
    token, text = token_create(
        user=user, name="Grants", scopes=["obligations:read"], expires_on=None, now=timezone.now()
    )
    [listed] = personal_data(user=user)["api_tokens"]
    assert listed["name"] == "Grants" and listed["scopes"] == ["obligations:read"]
    assert text not in str(listed) and token.digest not in str(listed)


@pytest.mark.django_db
def test_erasure_deletes_every_token_of_the_person_only():
    user, other = person_made("pat"), person_made("sam")
    for who in (user, user, other):
        token_create(user=who, name="T", scopes=[], expires_on=None, now=timezone.now())
    assert personal_data_erase(user=user, by=other) == {
        "API tokens deleted": 2,
        "API idempotency keys deleted": 0,
    }
    assert list(ApiToken.objects.values_list("user", flat=True)) == [other.pk]
