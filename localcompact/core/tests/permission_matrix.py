"""Core's rows of the permission matrix (tests/quality/test_permission_matrix.py).

The public pages are for everyone. Signing in is for visitors: someone already signed in
is sent on to their dashboard. Signing out shows its button (a GET signs no one out) to
anyone signed in; a visitor is sent home.
"""

from tests.quality.matrix import OK, REDIRECT, Route, but, everyone, signed_in

MATRIX = {
    "core:home": Route(everyone(OK)),
    "core:accessibility": Route(everyone(OK)),
    "core:cookies": Route(everyone(OK)),
    "core:healthz": Route(everyone(OK)),
    "core:login": Route(but(everyone(REDIRECT), anonymous=OK)),
    "core:logout": Route(but(signed_in(OK), anonymous=REDIRECT)),
}
