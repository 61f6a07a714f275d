"""The compacts' rows of the permission matrix (tests/quality/test_permission_matrix.py).

Every page of a compact is public: the same for everyone, signed in or not. A compact,
code or version that does not exist is not found, for everyone.
"""

from tests.quality.matrix import NOT_FOUND, OK, Route, everyone


def leicester(**more):
    return lambda w: {"slug": w.compact.slug, **more}


MATRIX = {
    "compacts:list": Route(everyone(OK)),
    "compacts:detail": [
        Route(everyone(OK), kwargs=leicester()),
        Route(everyone(NOT_FOUND), kwargs=lambda w: {"slug": "nowhere"}, state="no such compact"),
    ],
    "compacts:undertakings": Route(everyone(OK), kwargs=leicester()),
    "compacts:code": [
        Route(everyone(OK), kwargs=leicester(code="commitments")),
        Route(everyone(NOT_FOUND), kwargs=leicester(code="no-such-code"), state="no such code"),
    ],
    "compacts:standards": Route(everyone(OK), kwargs=leicester()),
    "compacts:glossary": Route(everyone(OK), kwargs=leicester()),
    "compacts:procedure": Route(everyone(OK), kwargs=leicester()),
    "compacts:version": [
        Route(everyone(OK), kwargs=leicester(number=1)),
        Route(everyone(NOT_FOUND), kwargs=leicester(number=99), state="no such version"),
    ],
}
