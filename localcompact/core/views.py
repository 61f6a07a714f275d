from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from localcompact.compacts.selectors import compacts_current


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/home.html", {"compacts": compacts_current(), "nav_section": "home"}
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", {"page_title": "Accessibility statement"})


@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html", {"page_title": "Cookies"})


REDIS_TIMEOUT_SECONDS = 2


def _database_ok() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis_ok(location: str | dict) -> None:
    import redis  # only needed, and only installed, where Redis is used

    options = {
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
    }
    client = (
        redis.Redis.from_url(location, **options)
        if isinstance(location, str)
        else redis.Redis(**{**location, **options})
    )
    try:
        client.ping()
    finally:
        client.close()


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the database and the task broker answer, else 503.

    The body is ``{"database": "ok", "broker": "ok"}``; a failing part says ``"error"``
    and ``detail`` names the kind of error (never its message). With the ORM broker the
    broker is the database; with Redis (``REDIS_URL``) it is pinged with a short timeout.
    """
    status: dict[str, str] = {}
    detail: dict[str, str] = {}

    def check(name: str, probe) -> None:
        try:
            probe()
        except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
            status[name] = "error"
            detail[name] = type(exc).__name__
        else:
            status[name] = "ok"

    check("database", _database_ok)
    broker = settings.Q_CLUSTER
    if broker.get("redis"):
        check("broker", lambda: _redis_ok(broker["redis"]))
    else:
        status["broker"] = status["database"]
        if "database" in detail:
            detail["broker"] = detail["database"]
    if detail:
        return JsonResponse({**status, "detail": detail}, status=503)
    return JsonResponse(status)
