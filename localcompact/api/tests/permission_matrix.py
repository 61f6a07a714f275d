"""The API's rows of the permission matrix (tests/quality/test_permission_matrix.py).

- The guide, the OpenAPI schema, the interactive documentation and every public read
  are the same for everyone.
- A signed-in session does not authenticate the API: the operations that need a token
  answer 401 to everyone here (the matrix's people carry no token), which is also why
  the API needs no CSRF protection. Who may do what with a token is tested in
  localcompact/api/tests/test_private.py, role by role.
- The tokens page is for anyone signed in, about their own tokens; someone else's token
  is "not found", so its existence is not given away.
"""

from localcompact.api.services import token_create
from tests.quality.matrix import LOGIN, NOT_FOUND, OK, Route, everyone, signed_in

UNAUTHORISED = 401


def prepare(world) -> None:
    world.objects.token, _ = token_create(
        user=world.user("officer"), name="Matrix", scopes=[], expires_on=None, now=world.now
    )


def leicester(w):
    return {"slug": w.compact.slug}


def organisation(w):
    return {"slug": w.organisation.slug}


MATRIX = {
    "api_guide": Route(everyone(OK)),
    "api:api-root": Route(everyone(OK)),
    "api_tokens": Route(signed_in(OK)),
    "api_token_revoke": Route(
        {**everyone(NOT_FOUND), "anonymous": LOGIN, "officer": OK},
        kwargs=lambda w: {"pk": w.objects.token.pk},
    ),
    "api:openapi-json": Route(everyone(OK)),
    "api:openapi-view": Route(everyone(OK)),
    "api:compacts": Route(everyone(OK)),
    "api:compact": [
        Route(everyone(OK), kwargs=leicester),
        Route(everyone(NOT_FOUND), kwargs=lambda w: {"slug": "nowhere"}, state="no such compact"),
    ],
    "api:standards": Route(everyone(OK), kwargs=leicester),
    "api:compliance": Route(everyone(OK), kwargs=leicester),
    "api:organisations": Route(everyone(OK)),
    "api:organisation": Route(everyone(OK), kwargs=organisation),
    "api:me": Route(everyone(UNAUTHORISED)),
    "api:obligations": Route(everyone(UNAUTHORISED), kwargs=organisation),
    "api:activity_create": Route(
        everyone(UNAUTHORISED), kwargs=organisation, method="post", data=lambda w: {}
    ),
}
