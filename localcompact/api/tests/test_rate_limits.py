import pytest
from django.core.cache import cache

from .conftest import ApiClient, token_for


@pytest.fixture(autouse=True)
def low_limits(settings):
    settings.API_RATE_PUBLIC = "3/min"
    settings.API_RATE_TOKEN = "5/min"
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
class TestRateLimits:
    def test_callers_without_a_token_are_limited_by_address(self):
        client = ApiClient()
        assert [client.get("/api/compacts").status_code for _ in range(4)] == [200] * 3 + [429]
        response = client.get("/api/compacts")
        assert 0 < int(response["Retry-After"]) <= 60
        assert response.json()["detail"].startswith("Too many requests")
        # another address has its own allowance
        assert client.get("/api/compacts", REMOTE_ADDR="192.0.2.9").status_code == 200

    def test_a_token_has_its_own_larger_allowance(self, officer):
        anonymous, with_token = ApiClient(), ApiClient(token=token_for(officer))
        for _ in range(3):
            anonymous.get("/api/compacts")
        assert anonymous.get("/api/compacts").status_code == 429
        codes = [with_token.get("/api/me").status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
