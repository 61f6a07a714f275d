"""The permission matrix: what each app declares, and how the generic test reads it.

Each app owns its part of the table in `localcompact/<app>/tests/permission_matrix.py`:

- `MATRIX`: a dict from a route's full name (``"organisations:members"``, or the bare
  name for an app without a namespace) to a `Route`, or a list of them when the route
  is checked in several states or with several methods;
- `prepare(world)` (optional): makes the app's objects once per test and hangs them on
  `world.objects`, for the routes' `kwargs` to point at;
- `EXTRA_ROLES` (optional): more people for that app's routes only, by name, each a
  function of the world returning a user (a mediator, a subgroup member...). Every
  `Route.expect` of that app then names them too.

The people (`ROLES`) are those of `tests/quality/world.py`: a visitor who is not signed
in, a signed-in outsider, the member, officer and administrator of the organisation
concerned, the compact's support team and a member of staff.

Outcomes: a status code (200, 302 for a redirect that is not to the sign-in page, 400,
403, 404, 405) or `LOGIN` (a redirect to the sign-in page).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "outsider", "member", "officer", "administrator", "support", "staff")

LOGIN = "login"  # 302 to the sign-in page, with ?next=
OK = 200
REDIRECT = 302  # a redirect elsewhere than the sign-in page (an action done, a step on)
INVALID = 400  # a form sent with errors, or a request the service refuses
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405

Outcome = int | str


@dataclass(frozen=True)
class Route:
    """One way of calling a route, and what each person gets.

    `kwargs(world)`: the URL's arguments; `query`: a query string to add (without ?);
    `method`: "get" or "post"; `data(world)`: what a POST sends; `before(world, client)`:
    run before each person's request, with that person's client signed in, inside the
    savepoint that is rolled back after it (to put an object, or the person's session,
    in the state this row is about); `state`: says which state, for the report.
    """

    expect: dict[str, Outcome]
    kwargs: Callable = field(default=lambda w: {})
    method: str = "get"
    data: Callable | None = None
    query: str = ""
    before: Callable | None = None
    state: str = ""


# Shorthands for the usual patterns; `but(...)` changes some people's outcomes.


def but(base: dict[str, Outcome], **changes: Outcome) -> dict[str, Outcome]:
    unknown = set(changes) - set(base)
    if unknown:
        raise KeyError(f"not a role: {', '.join(sorted(unknown))}")
    return {**base, **changes}


def everyone(outcome: Outcome = OK) -> dict[str, Outcome]:
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome: Outcome = OK) -> dict[str, Outcome]:
    """Anyone signed in; visitors are sent to sign in."""
    return {**everyone(outcome), "anonymous": LOGIN}


def members(outcome: Outcome = OK) -> dict[str, Outcome]:
    """The organisation's members, officers and administrators."""
    return {
        **signed_in(FORBIDDEN),
        "member": outcome,
        "officer": outcome,
        "administrator": outcome,
    }


def acting(outcome: Outcome = OK) -> dict[str, Outcome]:
    """The organisation's officers and administrators."""
    return but(members(outcome), member=FORBIDDEN)


def administrators(outcome: Outcome = OK) -> dict[str, Outcome]:
    return but(members(outcome), member=FORBIDDEN, officer=FORBIDDEN)


def support_team(outcome: Outcome = OK) -> dict[str, Outcome]:
    """The compact's support team and staff."""
    return {**signed_in(FORBIDDEN), "support": outcome, "staff": outcome}
