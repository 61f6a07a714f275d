"""The accounts app's rows of the permission matrix (tests/quality/test_permission_matrix.py).

Only our own pages are here; allauth's pages under /accounts/ are left out with the
reason given in tests/quality/routes.py.

- Deleting one's account, and seeing or downloading what is held about oneself, are for
  the person signed in: anyone signed in, each about themselves.
- The deletion requests and erasing an account are for staff only (`rules.py`); the
  compact support team is refused like anyone else. A request not yet carried out has
  no "erased" page: staff are sent back to the page that erases it.
"""

from localcompact.accounts.models import DeletionRequest
from tests.quality.matrix import FORBIDDEN, OK, REDIRECT, Route, but, signed_in

STAFF_ONLY = but(signed_in(FORBIDDEN), staff=OK)


def prepare(world) -> None:
    world.objects.deletion = DeletionRequest.objects.create(
        user=world.user("outsider"), reason="I no longer use the site."
    )


def deletion(w) -> dict:
    return {"pk": w.objects.deletion.pk}


MATRIX = {
    "account_delete": Route(signed_in(OK)),
    "account_personal_data": Route(signed_in(OK)),
    "account_personal_data_download": Route(signed_in(OK)),
    "account_deletion_requests": Route(STAFF_ONLY),
    "account_erase": Route(STAFF_ONLY, kwargs=deletion),
    "account_erased": Route(
        but(STAFF_ONLY, staff=REDIRECT), kwargs=deletion, state="not erased yet"
    ),
}
