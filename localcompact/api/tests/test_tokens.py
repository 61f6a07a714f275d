"""Personal API tokens: made, shown once, kept only as a digest, revoked, expired."""

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from localcompact.api.models import ApiToken, Scope
from localcompact.api.services import (
    TOKENS_PER_PERSON,
    Refused,
    token_authenticate,
    token_create,
    token_revoke,
)
from localcompact.organisations.tests.test_register_fixtures import person_made

NOW = timezone.now()


@pytest.mark.django_db
class TestTokens:
    def test_only_the_digest_is_kept(self):
        user = person_made("pat")
        token, text = token_create(user=user, name="Grants", scopes=[], expires_on=None, now=NOW)
        stored = ApiToken.objects.get()
        assert text.startswith(f"lc_{token.prefix}_")
        assert stored.digest == hashlib.sha256(text.encode()).hexdigest()
        assert text not in str(list(ApiToken.objects.values()))

    def test_it_authenticates_and_records_its_use(self):
        user = person_made("pat")
        _, text = token_create(user=user, name="G", scopes=[], expires_on=None, now=NOW)
        found = token_authenticate(text, now=NOW)
        assert found.user == user
        assert ApiToken.objects.get().last_used_at == NOW

    @pytest.mark.parametrize("text", ["", "lc_", "lc_nope", "Bearer", "x" * 500])
    def test_anything_else_is_not_a_token(self, text):
        person_made("pat")
        assert token_authenticate(text, now=NOW) is None

    def test_a_revoked_token_no_longer_works(self):
        user = person_made("pat")
        token, text = token_create(user=user, name="G", scopes=[], expires_on=None, now=NOW)
        token_revoke(token=token, by=user, now=NOW)
        assert token_authenticate(text, now=NOW) is None
        with pytest.raises(Refused, match="already revoked"):
            token_revoke(token=token, by=user, now=NOW)

    def test_an_expired_token_no_longer_works(self):
        user = person_made("pat")
        tomorrow = timezone.localdate(NOW) + dt.timedelta(days=1)
        _, text = token_create(user=user, name="G", scopes=[], expires_on=tomorrow, now=NOW)
        assert token_authenticate(text, now=NOW) is not None
        assert token_authenticate(text, now=NOW + dt.timedelta(days=2)) is None

    def test_a_deactivated_person_s_token_no_longer_works(self):
        user = person_made("pat")
        _, text = token_create(user=user, name="G", scopes=[], expires_on=None, now=NOW)
        user.is_active = False
        user.save()
        assert token_authenticate(text, now=NOW) is None

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"name": "  "}, "Enter a name for the token"),
            ({"scopes": ["everything"]}, "Choose what the token may do from the list"),
            ({"expires_on": dt.date(2000, 1, 1)}, "The expiry date must be in the future"),
        ],
    )
    def test_bad_requests_are_refused_saying_what_to_fix(self, kwargs, message):
        user = person_made("pat")
        arguments = {"name": "G", "scopes": [], "expires_on": None, **kwargs}
        with pytest.raises(Refused, match=message):
            token_create(user=user, now=NOW, **arguments)
        assert not ApiToken.objects.exists()

    def test_there_is_a_limit_to_how_many_one_person_has_in_use(self):
        user = person_made("pat")
        for _ in range(TOKENS_PER_PERSON):
            token_create(user=user, name="G", scopes=[], expires_on=None, now=NOW)
        with pytest.raises(Refused, match="Revoke one"):
            token_create(user=user, name="G", scopes=[], expires_on=None, now=NOW)


@pytest.mark.django_db
class TestThePages:
    def test_anonymous_visitors_are_sent_to_sign_in(self, client):
        for url in (reverse("api_tokens"), reverse("api_token_revoke", args=[1])):
            response = client.get(url)
            assert response.status_code == 302
            assert "sign-in" in response["Location"]

    def test_the_guide_is_public(self, client):
        response = client.get(reverse("api_guide"))
        assert response.status_code == 200
        assert "Authorization: Bearer" in response.content.decode()

    def test_making_a_token_shows_it_once(self, client):
        user = person_made("pat")
        client.force_login(user)
        response = client.post(
            reverse("api_tokens"),
            {"name": "Grants system", "scopes": [Scope.OBLIGATIONS_READ]},
        )
        assert response.status_code == 200
        text = response.context["text"]
        assert text in response.content.decode()
        assert token_authenticate(text, now=timezone.now()).scopes == ["obligations:read"]
        listing = client.get(reverse("api_tokens")).content.decode()
        assert "Grants system" in listing and text not in listing

    def test_a_bad_form_keeps_what_was_typed_and_says_what_to_fix(self, client):
        client.force_login(person_made("pat"))
        response = client.post(
            reverse("api_tokens"),
            {
                "name": "Grants",
                "expires_on-day": "31",
                "expires_on-month": "2",
                "expires_on-year": "2030",
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "must be a real date" in page and 'value="Grants"' in page
        assert not ApiToken.objects.exists()

    def test_people_see_and_revoke_only_their_own_tokens(self, client):
        owner, other = person_made("pat"), person_made("sam")
        token, _ = token_create(user=owner, name="Mine", scopes=[], expires_on=None, now=NOW)
        client.force_login(other)
        assert "Mine" not in client.get(reverse("api_tokens")).content.decode()
        url = reverse("api_token_revoke", args=[token.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_revoking_asks_first_then_revokes(self, client):
        owner = person_made("pat")
        token, _ = token_create(user=owner, name="Mine", scopes=[], expires_on=None, now=NOW)
        client.force_login(owner)
        url = reverse("api_token_revoke", args=[token.pk])
        assert "Revoke the token" in client.get(url).content.decode()
        response = client.post(url, follow=True)
        assert "was revoked" in response.content.decode()
        token.refresh_from_db()
        assert token.revoked_at is not None
