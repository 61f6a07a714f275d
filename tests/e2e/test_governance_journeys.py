"""Running the Leicester compact, in Chromium, as the people who do it.

A visitor reads the steering group (meeting its quotas), last year's group (failing one,
named), the action plan and its progress, the outcomes, the annual meeting's agenda, the
election's results and the news. The support team sets up the next annual meeting,
makes and publishes its agenda, and adopts a revision as a new version of the compact
(a mistake on the form first). A charity raises a concern with the council and the
council's officer replies. axe checks every page and state visited.
"""

import datetime as dt

import pytest

from localcompact.accounts.testing import browser_sign_in
from localcompact.compacts.models import Compact
from localcompact.governance import services, views
from localcompact.governance.models import Composition, Meeting, Revision
from localcompact.governance.tests.conftest import NOW, PASSWORD, TODAY, World
from localcompact.governance.tests.factories import steering_group

from .conftest import check_accessibility


@pytest.fixture
def world(compacts, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: TODAY)
    monkeypatch.setattr(views, "now", lambda: NOW)
    world = World()
    support = world.user("support")
    last_year = steering_group(world, title="Steering group elected last year", skip={"vcs-bme"})
    services.composition_activate(
        composition=last_year, on=TODAY - dt.timedelta(days=300), by=support, now=NOW
    )
    current = steering_group(world, title="Steering group now")
    services.composition_activate(composition=current, on=TODAY, by=support, now=NOW)
    plan = services.plan_create(
        compact=world.leicester,
        title="Action plan 2026 to 2029",
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=1000),
        by=support,
    )
    services.plan_agree(plan=plan, on=TODAY, by=support, today=TODAY)
    action = services.action_add(
        plan=plan,
        title="Joint training on consultation",
        owner=world.council,
        due_on=TODAY + dt.timedelta(days=60),
        outcome="consultation",
        by=support,
    )
    services.action_progress(
        action=action, status="in_progress", text="First session held", on=TODAY, by=support
    )
    meeting = services.meeting_create(
        compact=world.leicester,
        title="Annual meeting 2026",
        on=TODAY - dt.timedelta(days=1),
        by=support,
        today=TODAY - dt.timedelta(days=30),
    )
    draft = steering_group(
        world,
        title="Steering group to be elected",
        skip={"vcs-funded", "vcs-unfunded", "vcs-bme", "vcs-equality"},
    )
    election = services.election_create(meeting=meeting, composition=draft, by=support)
    nomination = services.nomination_add(
        election=election,
        seat="vcs-funded",
        candidate="Ann Candidate",
        organisation=world.advice,
        by=support,
    )
    services.voting_open(election=election, by=support)
    services.vote_cast(
        election=election,
        seat="vcs-funded",
        organisation=world.trust,
        choices=[nomination],
        by=support,
    )
    services.election_close(election=election, by=support, today=TODAY, now=NOW)
    services.meeting_record(
        meeting=meeting, minutes="The meeting agreed the plan.", by=support, today=TODAY, now=NOW
    )
    services.post_publish(
        compact=world.leicester,
        kind="training",
        title="Joint training: consulting well",
        body="For both sectors together.",
        organisation=None,
        starts_at=NOW + dt.timedelta(days=10),
        place="Library",
        today=TODAY,
        by=support,
    )
    next_meeting = services.meeting_create(
        compact=world.leicester,
        title="Special meeting to elect the unfunded seats",
        on=TODAY + dt.timedelta(days=20),
        by=support,
        today=TODAY,
    )
    next_group = steering_group(
        world, title="Steering group 2027", skip={"vcs-unfunded", "vcs-bme", "vcs-equality"}
    )
    world.open_election = services.election_create(
        meeting=next_meeting, composition=next_group, by=support
    )
    for candidate in ("Una Unfunded", "Vic Volunteer", "Wyn Worker"):
        services.nomination_add(
            election=world.open_election,
            seat="vcs-unfunded",
            candidate=candidate,
            organisation=world.trust,
            by=support,
        )
    services.voting_open(election=world.open_election, by=support)
    world.meeting = meeting
    world.election = election
    return world


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)
    return response


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def test_a_visitor_reads_how_the_compact_is_run(page, live_server, world):
    base = live_server.url
    visit(page, f"{base}/governance/", "governance-index")
    visit(page, f"{base}/governance/leicester/", "governance-home")
    page.click("text=Steering group now")
    check_accessibility(page, "governance-group-now")
    assert "meets every seat quota" in page.inner_text("#quotas-met")
    current = Composition.objects.get(title="Steering group elected last year")
    visit(page, f"{base}{current.get_absolute_url()}", "governance-group-failing")
    assert "black and minority ethnic group' needs 1 member and has 0" in page.inner_text(
        "#unmet-quotas"
    )
    visit(page, f"{base}/governance/leicester/", "governance-home-again")
    page.click("text=Action plan 2026 to 2029")
    check_accessibility(page, "governance-plan")
    assert "First session held" in page.inner_text("main")
    visit(page, f"{base}/governance/leicester/outcomes/", "governance-outcomes")
    visit(page, f"{base}{world.meeting.get_absolute_url()}", "governance-meeting-held")
    assert "The meeting agreed the plan." in page.inner_text("#minutes ~ div")
    visit(page, f"{base}{world.election.get_absolute_url()}", "governance-election-results")
    assert "Elected" in page.inner_text("main")
    assert "for the meeting to settle" in page.inner_text("main").lower()
    visit(page, f"{base}/governance/leicester/news/", "governance-news")
    page.click("text=Joint training: consulting well")
    check_accessibility(page, "governance-event")
    assert page.js_errors == []


def test_the_support_team_prepares_the_meeting_and_adopts_a_revision(page, live_server, world):
    base = live_server.url
    browser_sign_in(page, base, world.user("support"), PASSWORD)
    visit(page, f"{base}/governance/leicester/meetings/new/", "governance-meeting-new")
    page.fill("#title", "Annual meeting 2027")
    page.fill("#on-day", "3")
    page.fill("#on-month", "3")
    page.fill("#on-year", "2027")
    submit(page, "Set it up")
    check_accessibility(page, "governance-meeting-set-up")
    meeting = Meeting.objects.get(title="Annual meeting 2027")
    visit(page, f"{base}/governance/leicester/revisions/new/", "governance-revision-new")
    page.fill("#title", "Clearer services outcome")
    submit(page, "Propose it")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.input_value("#title") == "Clearer services outcome"
    check_accessibility(page, "governance-revision-error")
    page.check("input[name=reason_kind][value=review]")
    page.fill("#reason", "Hard to measure as worded")
    page.select_option("#target_id", "outcome:services")
    page.fill("#new_text", "Services improve for the people who use them.")
    submit(page, "Propose it")
    check_accessibility(page, "governance-revision-proposed")

    visit(page, f"{base}{meeting.get_absolute_url()}", "governance-meeting-to-prepare")
    page.click("text=Make the agenda")
    check_accessibility(page, "governance-agenda-confirm")
    submit(page, "Make the agenda")
    assert "Clearer services outcome" in page.inner_text("#agenda ~ ol")
    check_accessibility(page, "governance-agenda-made")
    page.click("text=Publish the agenda")
    submit(page, "Publish the agenda")
    check_accessibility(page, "governance-agenda-published")

    revision = Revision.objects.get(title="Clearer services outcome")
    visit(page, f"{base}{revision.get_absolute_url()}decide/", "governance-revision-decide")
    page.check("input[name=decision][value=adopt]")
    submit(page, "Record the decision")
    check_accessibility(page, "governance-revision-adopted")
    assert "Version 2 of the compact" in page.inner_text("main")
    assert Compact.objects.get(slug="leicester").current_version.number == 2
    assert page.js_errors == []


def test_a_charity_votes_follows_the_news_raises_a_concern_and_the_council_replies(
    page, live_server, world
):
    base = live_server.url
    browser_sign_in(page, base, world.user("trust_admin"), PASSWORD)
    visit(page, f"{base}{world.open_election.get_absolute_url()}", "governance-election-open")
    page.click("text=Vote for Voluntary and community members from unfunded groups")
    check_accessibility(page, "governance-vote")
    page.select_option("#organisation", str(world.trust.pk))
    for name in ("Una Unfunded", "Vic Volunteer", "Wyn Worker"):
        page.check(f"label:has-text('{name}')")
    submit(page, "Cast the vote")
    assert "Choose at most 2 candidates" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "governance-vote-error")
    page.uncheck("label:has-text('Wyn Worker')")
    submit(page, "Cast the vote")
    check_accessibility(page, "governance-voted")
    assert "Already voted: Testshire Community Trust" in page.inner_text("main")

    visit(page, f"{base}/governance/leicester/news/", "governance-news-signed-in")
    page.click("text=Get a weekly digest by e-mail")
    check_accessibility(page, "governance-digest-confirm")
    submit(page, "Get the digest")
    check_accessibility(page, "governance-digest-on")
    assert "Stop the weekly digest" in page.inner_text("main")

    visit(page, f"{base}/governance/leicester/concerns/", "governance-concerns-empty")
    page.click("text=Raise a concern")
    check_accessibility(page, "governance-concern-new")
    page.select_option("#organisation", str(world.trust.pk))
    page.select_option("#raised_with", str(world.council.pk))
    page.fill("#subject", "Six-week consultation")
    submit(page, "Send the concern")
    check_accessibility(page, "governance-concern-error")
    standard = world.leicester.current_version.standards.get(ident="consultation-minimum-period")
    page.select_option("#about", f"s{standard.pk}")
    page.fill("#text", "The parks consultation ran six weeks with no reason given.")
    submit(page, "Send the concern")
    check_accessibility(page, "governance-concern-sent")
    url = page.url

    page.context.clear_cookies()
    browser_sign_in(page, base, world.user("officer"), PASSWORD)
    visit(page, url, "governance-concern-to-answer")
    page.fill("#reply", "We will extend it by six weeks.")
    submit(page, "Send the reply")
    check_accessibility(page, "governance-concern-answered")
    assert "We will extend it by six weeks." in page.inner_text("main")

    page.context.clear_cookies()
    browser_sign_in(page, base, world.user("advice_officer"), PASSWORD)
    response = page.goto(url)
    assert response.status == 404
    assert page.js_errors == []


def test_the_support_team_records_a_meetings_formats_and_venue_access(page, live_server, world):
    """Formats and venue access on a meeting (City Together inclusive city code; Redcar
    consultation and engagement code, key principle 3), and the way to ask its host for
    another format or language."""
    base = live_server.url
    browser_sign_in(page, base, world.user("support"), PASSWORD)
    meeting = Meeting.objects.get(title="Special meeting to elect the unfunded seats")
    visit(page, f"{base}{meeting.get_absolute_url()}", "governance-meeting-no-access-yet")
    assert "Not recorded" in page.inner_text("#access ~ dl")
    with page.expect_navigation():
        page.click("text=Change the formats and venue access")
    check_accessibility(page, "governance-meeting-access-form")
    page.select_option("#host", label=world.trust.name)
    page.check("input[name=formats_offered][value=large_print]")
    page.check("input[name=formats_offered][value=bsl]")
    page.check("input[name=venue_access][value=step_free]")
    page.check("input[name=venue_access][value=hearing_loop]")
    page.fill("#venue_access_notes", "Level entrance from the car park.")
    submit(page, "Save")
    access = page.inner_text("#access ~ dl")
    assert "Large print" in access and "British Sign Language" in access
    assert "Step-free access" in access and "Level entrance from the car park." in access
    check_accessibility(page, "governance-meeting-access-saved")
    with page.expect_navigation():
        page.click("header button:has-text('Sign out')")
    visit(page, f"{base}{meeting.get_absolute_url()}", "governance-meeting-access-public")
    with page.expect_navigation():
        page.click(f"text=Ask {world.trust.name} for another format or language")
    assert page.input_value("#subject") == meeting.title
    check_accessibility(page, "governance-meeting-format-request")
    assert page.js_errors == []
