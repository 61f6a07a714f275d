"""Disagreements in Chromium, as the people who run them.

A charity raises a Leicester disagreement (first choosing a contract dispute, which the
procedure points elsewhere), puts it in writing with a statement (forgetting an answer
first); the subgroup chair, who must use two-factor authentication, names the appeal
stage; after both sides send their papers the chair sets the meeting date, a subgroup
member records who met and the finding; anyone can then read the published finding,
and the support team reads the year's figures. A second case is withdrawn by both
sides. axe checks every page and state visited (zero WCAG A/AA problems).
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from localcompact.accounts.testing import browser_sign_in
from localcompact.compacts.models import Compact
from localcompact.disputes import services, views
from localcompact.disputes.models import Case
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
    Role,
    Signature,
)

from .conftest import check_accessibility

TODAY = dt.date(2026, 3, 2)
PASSWORD = "correct horse battery staple"


def make_user(username, first, last):
    return get_user_model().objects.create_user(
        username,
        email=f"{username}@example.org",
        password=PASSWORD,
        first_name=first,
        last_name=last,
    )


@pytest.fixture
def people(compacts, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: TODAY)
    leicester = Compact.objects.get(slug="leicester")
    users = {
        "cara": make_user("cara", "Cara", "Charity"),
        "olivia": make_user("olivia", "Olivia", "Officer"),
        "diane": make_user("diane", "Diane", "Deputy"),
        "sunil": make_user("sunil", "Sunil", "Subgroup"),
        "sam": make_user("sam", "Sam", "Support"),
    }
    orgs = {}
    for slug, name, sector, who in [
        ("charity", "Northfield Community Action", "vcs", "cara"),
        ("council", "Northfield City Council", "public", "olivia"),
    ]:
        orgs[slug] = Organisation.objects.create(name=name, slug=slug, sector=sector)
        Membership.objects.create(user=users[who], organisation=orgs[slug], role=Role.ADMINISTRATOR)
        Signature.objects.create(
            compact=leicester,
            version=leicester.current_version,
            organisation=orgs[slug],
            organisation_name=name,
            signatory_name="A Signatory",
            signatory_position="Chair",
            signed_on=dt.date(2025, 1, 6),
            method=Signature.Method.ONLINE,
        )
    for who, kind in [
        ("diane", CompactRoleKind.SUBGROUP_CHAIR),
        ("sunil", CompactRoleKind.SUBGROUP_MEMBER),
        ("sam", CompactRoleKind.SUPPORT_TEAM),
    ]:
        CompactRole.objects.create(compact=leicester, user=users[who], kind=kind)
    return {**users, **orgs, "leicester": leicester}


def visit(page, url, name, status=200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)


def submit(page, button):
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def sign_in(page, base, user):
    browser_sign_in(page, base, user, PASSWORD)


def sign_out(page):
    with page.expect_navigation():
        page.click("header button:has-text('Sign out')")


def move(case, name, by, answers, documents=None):
    case.refresh_from_db()
    return services.case_move(
        case=case,
        move=name,
        by=by,
        revision=case.revision,
        today=TODAY,
        answers=answers,
        documents=documents or {},
    )


def test_a_leicester_disagreement_from_raising_to_a_published_finding(
    page, live_server, people, tmp_path
):
    base = live_server.url
    sign_in(page, base, people["cara"])
    visit(page, f"{base}/disagreements/", "disputes-01-index-empty")
    with page.expect_navigation():
        page.click("main a:has-text('Raise a disagreement')")
    check_accessibility(page, "disputes-02-choose-compact")
    page.check("label:has-text('Leicester Compact')")
    submit(page, "Continue")
    check_accessibility(page, "disputes-03-raise-form")
    page.check("label:has-text('Northfield City Council')")
    page.check("label:has-text('Contract disputes')")
    page.fill("#title", "Day services consultation cut short")
    page.fill("#informal-failure-day", "27")
    page.fill("#informal-failure-month", "2")
    page.fill("#informal-failure-year", "2026")
    submit(page, "Raise the disagreement")
    assert "This procedure is not for that." in page.inner_text(".govuk-error-summary")
    assert page.input_value("#title") == "Day services consultation cut short"
    check_accessibility(page, "disputes-04-raise-refused")
    page.check("label:has-text('kept to the compact')")
    submit(page, "Raise the disagreement")
    case = Case.objects.get()
    assert f"Disagreement {case.reference} raised" in page.inner_text("main")
    assert "4 March 2026" in page.inner_text("main")  # five days from 27 February
    check_accessibility(page, "disputes-05-case-raised")

    with page.expect_navigation():
        page.click("main a:has-text('Put the disagreement in writing')")
    check_accessibility(page, "disputes-06-step-form")
    page.fill("#steps-already-taken", "Two meetings with the service manager.")
    submit(page, "Record")
    assert "There is a problem" in page.inner_text("main")
    check_accessibility(page, "disputes-07-step-refused")
    assert page.input_value("#steps-already-taken") == "Two meetings with the service manager."
    page.fill("#why-steps-failed", "The council would not change the timetable.")
    page.fill("#outcome-sought", "The consultation reopened for twelve weeks.")
    page.fill("#stages-wanted", "Mediation first.")
    statement = tmp_path / "statement.txt"
    statement.write_text("Our statement of the disagreement.\n")
    page.set_input_files("#statement", str(statement))
    submit(page, "Record")
    assert "statement.txt" in page.inner_text("main")
    check_accessibility(page, "disputes-08-case-submitted")
    sign_out(page)

    sign_in(page, base, people["diane"])
    visit(page, f"{base}/disagreements/", "disputes-09-chair-list")
    with page.expect_navigation():
        page.click(f"main a:has-text('{case.reference}')")
    with page.expect_navigation():
        page.click("main a:has-text('Chair names the appeal stage as next')")
    page.fill("#notice", "Mediation will not help here; stage three will be used.")
    submit(page, "Record")
    assert "Appeal papers due" in page.inner_text("main")
    check_accessibility(page, "disputes-10-appeal-papers-due")

    for who in ("cara", "olivia"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        move(
            case,
            "submit-appeal-papers",
            people[who],
            {
                "mediation-was-used": False,
                "outcome-sought": "A finding.",
                "reasons-requested": False,
            },
            {"bundle": SimpleUploadedFile("bundle.txt", b"Papers\n", "text/plain")},
        )
    page.goto(f"{base}{case.get_absolute_url()}")
    with page.expect_navigation():
        page.click("main a:has-text('Everyone has all the papers')")
    page.fill("#subgroup-meeting-day", "30")
    page.fill("#subgroup-meeting-month", "3")
    page.fill("#subgroup-meeting-year", "2026")
    check_accessibility(page, "disputes-11-date-step")
    submit(page, "Record")
    for who in ("cara", "olivia"):
        move(case, "send-written-comments", people[who], {"comments": "Our comments."})
    sign_out(page)

    sign_in(page, base, people["sunil"])
    page.goto(f"{base}{case.get_absolute_url()}")
    with page.expect_navigation():
        page.click("main a:has-text('The subgroup meets')")
    page.check("label:has-text('Diane Deputy')")
    page.check("label:has-text('Sunil Subgroup')")
    check_accessibility(page, "disputes-12-meeting-step")
    submit(page, "Record")
    with page.expect_navigation():
        page.click("main a:has-text('The subgroup makes its findings')")
    page.check("label:text-is('Breach')")
    page.fill("#statement-of-disagreement", "Whether the council consulted for long enough.")
    check_accessibility(page, "disputes-13-findings-step")
    submit(page, "Record")
    assert "Published finding" in page.inner_text("main")
    assert Case.objects.get().finding == "breach"
    assert "Local Government Ombudsman" in page.inner_text("main")
    check_accessibility(page, "disputes-14-finding-made")
    sign_out(page)

    visit(page, f"{base}/disagreements/findings/", "disputes-15-findings-public")
    assert case.reference in page.inner_text("main")
    visit(page, f"{base}/disagreements/findings/{case.reference}/", "disputes-16-finding-public")
    assert "Whether the council consulted for long enough." in page.inner_text("main")
    assert "Two meetings with the service manager." not in page.content()
    visit(page, f"{base}{case.get_absolute_url()}", "disputes-17-case-hidden", status=200)
    assert "/sign-in/" in page.url  # the case itself is not public

    sign_in(page, base, people["sam"])
    visit(page, f"{base}/disagreements/figures/?compact=leicester&year=2026", "disputes-18-figures")
    assert "Cases raised" in page.inner_text("main")
    visit(page, f"{base}{case.get_absolute_url()}", "disputes-19-support-not-found", status=404)


def test_both_sides_withdraw_a_disagreement(page, live_server, people):
    base = live_server.url
    case = services.case_raise(
        compact=people["leicester"],
        organisation=people["charity"],
        others=[people["council"]],
        about="compact",
        title="Use of the shared minibus",
        opening={"informal-failure": TODAY},
        by=people["cara"],
        today=TODAY,
    )
    for who in ("cara", "olivia"):
        sign_in(page, base, people[who])
        page.goto(f"{base}{case.get_absolute_url()}")
        with page.expect_navigation():
            page.click("main a:has-text('Withdraw by agreement')")
        page.fill("#withdrawal-note", "We have settled it between us.")
        check_accessibility(page, f"disputes-20-withdraw-{who}")
        submit(page, "Record")
        check_accessibility(page, f"disputes-21-after-withdraw-{who}")
        sign_out(page)
    case.refresh_from_db()
    assert case.state == "withdrawn"
