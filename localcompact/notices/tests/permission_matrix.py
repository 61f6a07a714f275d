"""Informing notices' rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world (tests/quality/world.py) Eastbrook Borough Council, a public body,
signs Leicester's pledge (a notice is issued under a compact its issuer has signed) and
`prepare` makes, through the notices services: a public published notice with a
document, a draft, a notice embargoed for a week and a confidential one (both published,
both naming Eastbrook Voluntary Action, the embargoed one with a document), and a
published notice since withdrawn.

One more person for these rows (`EXTRA_ROLES`): `partner`, an officer of Eastbrook
Voluntary Action, the organisation the restricted notices name. Following `rules.py`,
`Notice.objects.visible_to` and the views (issue #6: restricted notices are seen only by
the issuer and the organisations named, until an embargo lifts):

- the list, its search and the public feeds are for everyone;
- a public notice (or one withdrawn after it was published) and its documents are
  seen by everyone; a draft by the issuer's members only; an embargoed or confidential
  notice by the issuer's members and the named organisation's. Anyone else, the
  compact's support team and staff included, gets 404, exactly as for a notice that
  does not exist, on its page, its documents and every action on it;
- changing, publishing, withdrawing and documents are for the issuer's officers and
  administrators (403 for others who can see the notice); refused before the form is
  read; an empty form gives the people allowed its errors (400); publishing has no
  required field when the notice is on time, so an empty POST publishes (302);
- the history is for the issuer's members; an organisation's notices page for its
  members; issuing for officers and administrators of a public body only.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from localcompact.notices.models import Notice, Restriction
from localcompact.notices.services import (
    Explained,
    notice_create,
    notice_document_add,
    notice_publish,
    notice_withdraw,
)
from localcompact.organisations.models import Membership, Role
from localcompact.organisations.services import signature_sign
from tests.quality.matrix import (
    FORBIDDEN,
    INVALID,
    LOGIN,
    NOT_ALLOWED,
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

DAY = dt.timedelta(days=1)


def _partner(world):
    user = get_user_model().objects.create_user(
        "matrix-partner", email="partner@matrix.example.org", first_name="Partner"
    )
    Membership.objects.create(user=user, organisation=world.partner, role=Role.OFFICER)
    return user


EXTRA_ROLES = {"partner": _partner}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 matrix document", content_type="application/pdf")


def _notice(world, title: str, *, publish: bool = True, shared_with=(), **changes) -> Notice:
    officer = world.user("officer")
    data = {
        "title": title,
        "decision": "Opening hours of the borough's libraries change.",
        "decided_on": world.today - 7 * DAY,
        "decided_by": "Cabinet",
        "action_required": "Book rooms for the new hours.",
        "action_by": world.today + 60 * DAY,
        "affected": "Groups that use library rooms",
        "area": "Eastbrook",
        "more_information_url": "",
        "contact": "Libraries team, libraries@eastbrook.example.org",
        "formats": ["large_print"],
        "formats_note": "",
        "restriction": Restriction.PUBLIC,
        "embargo_until": None,
        "handling": "",
        **changes,
    }
    notice = notice_create(
        organisation=world.organisation,
        compact=world.compact,
        data=data,
        terms=[Explained("Room hire", "Booking a room for a fee.")],
        shared_with=list(shared_with),
        by=officer,
        today=world.today,
        now=world.now,
    )
    if publish:
        notice = notice_publish(notice=notice, by=officer, today=world.today, now=world.now)
    return notice


def prepare(world) -> None:
    officer = world.user("officer")
    signature_sign(
        organisation=world.organisation,
        compact=world.compact,
        organisation_name=world.organisation.name,
        signatory_name="Avery Leader",
        signatory_position="Leader of the council",
        signed_on=world.today - 30 * DAY,
        confirmed=True,
        by=world.user("administrator"),
        today=world.today,
    )
    o = world.objects
    o.public = _notice(world, "Library opening hours change")
    o.draft = _notice(world, "Draft: parking charges", publish=False)
    o.embargoed = _notice(
        world,
        "Embargoed: grants programme",
        restriction=Restriction.EMBARGOED,
        embargo_until=world.now + 7 * DAY,
        handling="The named organisations' boards only, until it lifts.",
        shared_with=[world.partner],
    )
    o.confidential = _notice(
        world,
        "Confidential: restructure",
        restriction=Restriction.CONFIDENTIAL,
        handling="Chief officers only.",
        shared_with=[world.partner],
    )
    o.withdrawn = notice_withdraw(
        notice=_notice(world, "Withdrawn: bin collections"),
        reason="The decision was reversed.",
        by=officer,
        today=world.today,
    )
    o.public_document = notice_document_add(
        notice=o.public,
        title="Cabinet report",
        uploaded=_pdf("report.pdf"),
        by=officer,
        today=world.today,
    )
    o.embargoed_document = notice_document_add(
        notice=o.embargoed,
        title="Grants report",
        uploaded=_pdf("grants.pdf"),
        by=officer,
        today=world.today,
    )


def with_partner(expect: dict, partner) -> dict:
    return {**expect, "partner": partner}


def notice(name: str):
    return lambda w: {"pk": getattr(w.objects, name).pk}


def document_of(name: str, document: str):
    return lambda w: {
        "pk": getattr(w.objects, name).pk,
        "document_pk": getattr(w.objects, document).pk,
    }


def council(w) -> dict:
    return {"slug": w.organisation.slug}


def embargo_lifted(w, client) -> None:
    Notice.objects.filter(pk=w.objects.embargoed.pk).update(embargo_until=w.now - DAY)


# Who sees what: a public notice, everyone; a draft, the issuer's members (others 404,
# visitors too on pages open to them); a restricted one, those and the named partner.
PUBLIC = with_partner(everyone(OK), OK)
DRAFT_SEEN = with_partner(
    but(members(OK), anonymous=NOT_FOUND, outsider=NOT_FOUND, support=NOT_FOUND, staff=NOT_FOUND),
    NOT_FOUND,
)
RESTRICTED_SEEN = {**DRAFT_SEEN, "partner": OK}
UNSEEN = dict(support=NOT_FOUND, staff=NOT_FOUND, outsider=NOT_FOUND)


def change(outcome, *, seen_by: str) -> dict:
    """A change to a notice (signed in only): the issuer's officers and administrators
    get `outcome`; others who see the notice 403; those who may not see it 404."""
    base = with_partner(acting(outcome), FORBIDDEN)
    if seen_by == "draft":
        return {**but(base, **UNSEEN), "partner": NOT_FOUND}
    if seen_by == "restricted":
        return but(base, **UNSEEN)
    return base


def issuer_members(*, seen_by: str) -> dict:
    """The history: the issuer's members; 403 for others who see it, 404 for the rest."""
    base = with_partner(members(OK), FORBIDDEN)
    if seen_by == "draft":
        return {**but(base, **UNSEEN), "partner": NOT_FOUND}
    if seen_by == "restricted":
        return but(base, **UNSEEN)
    return base


POST_ONLY = with_partner(signed_in(NOT_ALLOWED), NOT_ALLOWED)

MATRIX = {
    "notices:index": [
        Route(PUBLIC),
        Route(PUBLIC, query="q=embargoed+grants&upcoming=on", state="a search"),
        Route(
            with_partner(everyone(INVALID), INVALID),
            query="compact=nowhere",
            state="a compact that does not exist",
        ),
    ],
    "notices:feed_atom": Route(PUBLIC),
    "notices:feed_ics": Route(PUBLIC),
    "notices:detail": [
        Route(PUBLIC, kwargs=notice("public")),
        Route(PUBLIC, kwargs=notice("withdrawn"), state="withdrawn after publishing"),
        Route(DRAFT_SEEN, kwargs=notice("draft"), state="a draft"),
        Route(RESTRICTED_SEEN, kwargs=notice("embargoed"), state="embargoed"),
        Route(RESTRICTED_SEEN, kwargs=notice("confidential"), state="confidential"),
        Route(PUBLIC, kwargs=notice("embargoed"), before=embargo_lifted, state="embargo lifted"),
        Route(
            with_partner(everyone(NOT_FOUND), NOT_FOUND),
            kwargs=lambda w: {"pk": 999999},
            state="no such notice",
        ),
    ],
    "notices:edit": [
        Route(change(OK, seen_by="public"), kwargs=notice("public")),
        Route(change(INVALID, seen_by="public"), kwargs=notice("public"), method="post"),
        Route(change(OK, seen_by="draft"), kwargs=notice("draft"), state="a draft"),
        Route(
            change(INVALID, seen_by="restricted"),
            kwargs=notice("embargoed"),
            method="post",
            state="embargoed",
        ),
        Route(
            change(OK, seen_by="restricted"), kwargs=notice("confidential"), state="confidential"
        ),
        Route(
            change(REDIRECT, seen_by="public"),
            kwargs=notice("withdrawn"),
            state="withdrawn: back to the notice",
        ),
    ],
    "notices:publish": [
        Route(change(OK, seen_by="draft"), kwargs=notice("draft"), state="a draft"),
        Route(
            change(REDIRECT, seen_by="draft"),
            kwargs=notice("draft"),
            method="post",
            state="a draft, on time: nothing to fill in",
        ),
        Route(
            change(REDIRECT, seen_by="restricted"),
            kwargs=notice("embargoed"),
            method="post",
            state="already published",
        ),
    ],
    "notices:withdraw": [
        Route(change(OK, seen_by="public"), kwargs=notice("public")),
        Route(change(INVALID, seen_by="public"), kwargs=notice("public"), method="post"),
        Route(
            change(INVALID, seen_by="restricted"),
            kwargs=notice("confidential"),
            method="post",
            state="confidential",
        ),
        Route(change(OK, seen_by="draft"), kwargs=notice("draft"), state="a draft"),
    ],
    "notices:history": [
        Route(issuer_members(seen_by="public"), kwargs=notice("public")),
        Route(issuer_members(seen_by="draft"), kwargs=notice("draft"), state="a draft"),
        Route(issuer_members(seen_by="restricted"), kwargs=notice("embargoed"), state="embargoed"),
        Route(
            issuer_members(seen_by="restricted"),
            kwargs=notice("confidential"),
            state="confidential",
        ),
    ],
    "notices:document_add": [
        Route(change(OK, seen_by="public"), kwargs=notice("public")),
        Route(change(INVALID, seen_by="public"), kwargs=notice("public"), method="post"),
        Route(
            change(INVALID, seen_by="restricted"),
            kwargs=notice("embargoed"),
            method="post",
            state="embargoed",
        ),
    ],
    "notices:document": [
        Route(PUBLIC, kwargs=document_of("public", "public_document")),
        Route(
            RESTRICTED_SEEN,
            kwargs=document_of("embargoed", "embargoed_document"),
            state="an embargoed notice's",
        ),
        Route(
            with_partner(everyone(NOT_FOUND), NOT_FOUND),
            kwargs=document_of("public", "embargoed_document"),
            state="through another notice's address",
        ),
    ],
    "notices:document_remove": [
        Route(
            change(REDIRECT, seen_by="public"),
            kwargs=document_of("public", "public_document"),
            method="post",
        ),
        Route(
            change(REDIRECT, seen_by="restricted"),
            kwargs=document_of("embargoed", "embargoed_document"),
            method="post",
            state="an embargoed notice's",
        ),
        Route(
            {**POST_ONLY, "anonymous": LOGIN},
            kwargs=document_of("public", "public_document"),
            state="a GET",
        ),
    ],
    "notices:organisation": [
        Route(with_partner(members(OK), FORBIDDEN), kwargs=council),
        Route(
            with_partner(members(FORBIDDEN), OK),
            kwargs=lambda w: {"slug": w.partner.slug},
            state="the named partner's page",
        ),
        Route(
            with_partner(signed_in(NOT_FOUND), NOT_FOUND),
            kwargs=lambda w: {"slug": "nowhere"},
            state="no such organisation",
        ),
    ],
    "notices:new": [
        Route(with_partner(acting(OK), FORBIDDEN), kwargs=council),
        Route(with_partner(acting(INVALID), FORBIDDEN), kwargs=council, method="post"),
        Route(
            with_partner(signed_in(FORBIDDEN), FORBIDDEN),
            kwargs=lambda w: {"slug": w.partner.slug},
            state="a voluntary body: it issues none",
        ),
    ],
}
