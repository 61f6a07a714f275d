"""Every route of the project against every role, compared with the apps' tables.

The routes come from Django's URL resolver (`routes.project_routes`), so a route added
to any app's URLconf is checked as soon as it exists: if its app's table
(`localcompact/<app>/tests/permission_matrix.py`, see `matrix.py`) has no row for it,
its test fails. An app still being built (`routes.AWAITING_MATRIX`) whose table does not
exist yet has its routes marked xfail ("no permission matrix yet") instead.

Each route is one test: the world is made once (`world.py`, then the app's `prepare`),
then each person's request runs inside a savepoint rolled back after it, so an action
done by one person does not change what the next one meets. Every mismatch is listed
before the test fails.
"""

import importlib
import importlib.util
from types import ModuleType, SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from .matrix import LOGIN, ROLES, Route
from .routes import AWAITING_MATRIX, SKIPPED, Found, project_routes
from .world import world_made

try:
    ALL_ROUTES = project_routes()
    URLCONF_ERROR = None
except Exception as error:  # a broken URLconf: one failing test says why, not a crash
    ALL_ROUTES, URLCONF_ERROR = [], f"{type(error).__name__}: {error}"
APP_ROUTES = [found for found in ALL_ROUTES if found.app]


def matrix_module(app: str) -> ModuleType | None:
    name = f"localcompact.{app}.tests.permission_matrix"
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:  # the app has no tests package
        return None
    return importlib.import_module(name) if spec else None


def _param(found: Found):
    marks = ()
    if found.app in AWAITING_MATRIX and matrix_module(found.app) is None:
        # not strict: a table written while the run is under way makes it pass (XPASS)
        marks = pytest.mark.xfail(reason="no permission matrix yet", strict=False)
    return pytest.param(found, id=found.name, marks=marks)


def rows_for(found: Found, module: ModuleType | None) -> list[Route]:
    """The table's rows for the route; fails naming the file when there are none."""
    where = f"localcompact/{found.app}/tests/permission_matrix.py"
    if module is None:
        pytest.fail(f"{found.name} ({found.pattern}): the app has no permission matrix ({where})")
    rows = module.MATRIX.get(found.name)
    if not rows:
        pytest.fail(f"{found.name} ({found.pattern}) is missing from MATRIX in {where}")
    return rows if isinstance(rows, list) else [rows]


def people(world, module: ModuleType) -> dict:
    cast = dict(world.users)
    for name, make in getattr(module, "EXTRA_ROLES", {}).items():
        cast[name] = make(world)
    return cast


def outcome(response) -> int | str:
    if response.status_code == 302:
        login_pages = (reverse("core:login"), reverse("account_login"))
        if response["Location"].split("?")[0] in login_pages:
            return LOGIN
    return response.status_code


def call(name: str, row: Route, world, user) -> int | str:
    """One person's request, in a savepoint rolled back afterwards."""
    with transaction.atomic():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        if row.before:
            row.before(world, client)
        url = reverse(name, kwargs=row.kwargs(world))
        if row.query:
            url += "?" + row.query
        if row.method == "get":
            response = client.get(url)
        else:
            response = client.post(url, row.data(world) if row.data else {})
        transaction.set_rollback(True)
    return outcome(response)


@pytest.fixture
def world(db):
    return world_made()


@pytest.mark.parametrize("found", [_param(found) for found in APP_ROUTES])
def test_each_role_meets_what_the_table_says(found, db):
    module = matrix_module(found.app)
    rows = rows_for(found, module)  # before making the world: a missing row fails fast
    world = world_made()
    if prepare := getattr(module, "prepare", None):
        prepare(world)
    cast = people(world, module)
    problems = []
    for row in rows:
        assert set(row.expect) == set(cast), (
            f"{found.name}: the row names {sorted(row.expect)}, the people are {sorted(cast)}"
        )
        label = f"{row.method.upper()} {found.name}" + (f" [{row.state}]" if row.state else "")
        for role, user in cast.items():
            got = call(found.name, row, world, user)
            if got != row.expect[role]:
                problems.append(f"{label} as {role}: got {got}, the table says {row.expect[role]}")
    assert not problems, "\n".join(problems)


def test_the_url_configuration_loads():
    assert URLCONF_ERROR is None, URLCONF_ERROR


def test_every_route_belongs_to_an_app_or_is_skipped_with_a_reason():
    unaccounted = [f"{f.name} ({f.pattern}) from {f.module}" for f in ALL_ROUTES]
    unaccounted = [
        line for line, f in zip(unaccounted, ALL_ROUTES, strict=True) if not (f.app or f.skipped)
    ]
    assert not unaccounted, "routes with no app and no reason to skip them:\n" + "\n".join(
        unaccounted
    )
    # What is skipped is the admin site and allauth's own URLconfs, nothing of ours.
    for f in ALL_ROUTES:
        if f.skipped:
            assert f.pattern.startswith("admin/") or f.module.startswith("allauth."), f
    assert set(SKIPPED) == {"admin", "allauth"}


@pytest.mark.parametrize("app", sorted({f.app for f in APP_ROUTES}))
def test_a_table_has_no_row_for_a_route_that_does_not_exist(app):
    module = matrix_module(app)
    if module is None:
        if app in AWAITING_MATRIX:
            pytest.skip("no permission matrix yet")
        pytest.fail(f"localcompact/{app} has routes and no tests/permission_matrix.py")
    names = {f.name for f in APP_ROUTES if f.app == app}
    stale = set(module.MATRIX) - names
    assert not stale, f"rows for routes that {app} does not have: {sorted(stale)}"
    extra = set(getattr(module, "EXTRA_ROLES", {}))
    for name, rows in module.MATRIX.items():
        for row in rows if isinstance(rows, list) else [rows]:
            assert set(row.expect) == set(ROLES) | extra, name
            assert row.method in ("get", "post"), name


def test_a_route_missing_from_a_table_fails():
    """The collector's own check: a table without the route fails, naming the file."""
    found = Found(
        "organisations:members", "organisations/<slug>/members/", "m", "organisations", None
    )
    with pytest.raises(pytest.fail.Exception, match="missing from MATRIX in localcompact/organi"):
        rows_for(found, SimpleNamespace(MATRIX={}))
    with pytest.raises(pytest.fail.Exception, match="has no permission matrix"):
        rows_for(found, None)


def test_the_admin_site_is_for_staff_only(world):
    expected = {role: LOGIN for role in ROLES}
    expected["staff"] = 200
    admin_login = reverse("admin:login")
    for role in ROLES:
        client = Client()
        if world.user(role):
            client.force_login(world.user(role))
        response = client.get(reverse("admin:index"))
        got = response.status_code
        if got == 302 and response["Location"].startswith(admin_login):
            got = LOGIN
        assert got == expected[role], role
