"""Compact-proofing's rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world Eastbrook Borough Council has had a consultation draft checked
against Leicester, from an uploaded plain-text file. Following `rules.py`:

- the index is for anyone signed in;
- the council's reports are listed for its members and staff;
- its officers and administrators check drafts for it (an empty form is 400);
- a report, and the file it was made from, are seen by the council's members,
  Leicester's support team and staff; anyone else signed in is told it does not exist.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from localcompact.proofing import services
from tests.quality.matrix import (
    INVALID,
    LOGIN,
    NOT_FOUND,
    OK,
    Route,
    acting,
    but,
    members,
    signed_in,
)


def prepare(world) -> None:
    text = (
        "The council's draft library plan, under the Leicester Compact. The consultation "
        "opens on 1 March 2027 and closes on 15 March 2027."
    )
    world.objects.report = services.report_create(
        organisation=world.organisation,
        compact=world.compact,
        kind="consultation",
        title="Library plan",
        uploaded=SimpleUploadedFile("library.txt", text.encode("utf-8")),
        by=world.user("officer"),
        now=world.now,
    )


def _slug(w):
    return {"slug": w.organisation.slug}


def _report(w):
    return {"pk": w.objects.report.pk}


SEE_REPORT = {
    "anonymous": LOGIN,
    "outsider": NOT_FOUND,
    "member": OK,
    "officer": OK,
    "administrator": OK,
    "support": OK,
    "staff": OK,
}

MATRIX = {
    "proofing:index": Route(signed_in(OK)),
    "proofing:list": Route(but(members(OK), staff=OK), kwargs=_slug),
    "proofing:new": [
        Route(acting(OK), kwargs=_slug),
        Route(acting(INVALID), kwargs=_slug, method="post", data=lambda w: {}),
    ],
    "proofing:report": Route(SEE_REPORT, kwargs=_report),
    "proofing:document": Route(SEE_REPORT, kwargs=_report),
}
