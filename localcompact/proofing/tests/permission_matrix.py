"""Compact-proofing's rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world Eastbrook Borough Council has had a consultation draft checked
against Leicester, from an uploaded plain-text file (it fails); a newsletter that passes
(so it has a mark); and a third draft attached as evidence to one of its consultations
(so it is public). Following `rules.py`:

- the index is for anyone signed in;
- the council's reports are listed for its members and staff;
- its officers and administrators check drafts for it (an empty form is 400);
- a report, and the file it was made from, are seen by the council's members,
  Leicester's support team and staff; anyone else signed in is told it does not exist;
  a report attached as evidence is public (anyone, signed in or not, reads it);
- its officers and administrators attach its reports (an empty choice is 400); the
  others who may read the report are refused (403), anyone else is told it does not
  exist;
- the same officers and administrators remove a report as evidence (a page to confirm,
  then a POST that redirects to the report); the report is public, so everyone else
  signed in is refused (403);
- anyone checks a compact mark, and gets a genuine mark's page and image.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from localcompact.consultations.models import Consultation
from localcompact.proofing import services
from tests.quality.matrix import (
    FORBIDDEN,
    INVALID,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Route,
    acting,
    but,
    everyone,
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
    world.objects.passing = services.report_create(
        organisation=world.organisation,
        compact=world.compact,
        kind="other",
        title="Newsletter",
        text="News from the council, which keeps to the Leicester Compact.",
        by=world.user("officer"),
        now=world.now,
    )
    consultation = Consultation.objects.create(
        compact=world.compact,
        version=world.compact.current_version,
        lead=world.organisation,
        title="Library opening hours",
        summary="Which hours suit you?",
        open_to_change="The hours.",
        who_affected="Library users.",
        announced_on=world.today,
        opens_on=world.today + dt.timedelta(days=14),
        closes_on=world.today + dt.timedelta(days=14 + 84),
        status_changed_on=world.today,
    )
    world.objects.public = services.report_create(
        organisation=world.organisation,
        compact=world.compact,
        kind="other",
        title="Library leaflet",
        text="Our libraries keep to the Leicester Compact.",
        by=world.user("officer"),
        now=world.now,
    )
    world.objects.evidence = services.report_attach(
        report=world.objects.public,
        consultation=consultation,
        by=world.user("officer"),
        now=world.now,
    )


def _slug(w):
    return {"slug": w.organisation.slug}


def _report(w):
    return {"pk": w.objects.report.pk}


def _public(w):
    return {"pk": w.objects.public.pk}


def _evidence(w):
    return {"pk": w.objects.public.pk, "evidence": w.objects.evidence.pk}


def _reference(w):
    return {"reference": w.objects.passing.reference}


SEE_REPORT = {
    "anonymous": LOGIN,
    "outsider": NOT_FOUND,
    "member": OK,
    "officer": OK,
    "administrator": OK,
    "support": OK,
    "staff": OK,
}


def ATTACH(outcome):  # noqa: N802 (reads as the other tables do)
    """The council's officers and administrators; the others who may read the report
    are refused; anyone else is told it does not exist."""
    return but(acting(outcome), outsider=NOT_FOUND, support=FORBIDDEN, staff=FORBIDDEN)


MATRIX = {
    "proofing:index": Route(signed_in(OK)),
    "proofing:list": Route(but(members(OK), staff=OK), kwargs=_slug),
    "proofing:new": [
        Route(acting(OK), kwargs=_slug),
        Route(acting(INVALID), kwargs=_slug, method="post", data=lambda w: {}),
    ],
    "proofing:report": [
        Route(SEE_REPORT, kwargs=_report),
        Route(everyone(OK), kwargs=_public, state="attached as evidence, so public"),
    ],
    "proofing:document": Route(SEE_REPORT, kwargs=_report),
    "proofing:attach": [
        Route(ATTACH(OK), kwargs=_report),
        Route(ATTACH(INVALID), kwargs=_report, method="post", data=lambda w: {}),
    ],
    "proofing:remove_evidence": [
        Route(acting(OK), kwargs=_evidence),
        Route(acting(REDIRECT), kwargs=_evidence, method="post", data=lambda w: {}),
    ],
    "proofing:verify": Route(everyone(OK)),
    "proofing:verified": Route(everyone(OK), kwargs=_reference),
    "proofing:mark": Route(everyone(OK), kwargs=_reference),
}
