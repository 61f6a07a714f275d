"""The pages: raising a case, taking a step, the case page, and constant query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.disputes import selectors, views
from localcompact.disputes.models import Case, CaseDocument

from .conftest import TODAY, pdf, raise_leicester, step, to_appeal


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(views, "today", lambda: TODAY)


def raise_form(cast, **changes):
    data = {
        "compact": "leicester",
        "organisation": cast.charity.pk,
        "others": [cast.council.pk, cast.trust.pk],
        "about": "compact",
        "title": "Youth services review",
        "informal-failure-day": "27",
        "informal-failure-month": "2",
        "informal-failure-year": "2026",
    }
    data.update(changes)
    return data


class TestRaising:
    def test_the_compact_is_chosen_first(self, client, cast):
        client.force_login(cast.charity_admin)
        page = client.get(reverse("disputes:raise"))
        assert "Which compact is the disagreement under?" in page.content.decode()
        assert client.get(reverse("disputes:raise"), {"compact": "nowhere"}).status_code == 400

    def test_only_signatories_are_offered_and_the_exclusions_are_choices(self, client, cast):
        client.force_login(cast.charity_admin)
        text = client.get(reverse("disputes:raise"), {"compact": "leicester"}).content.decode()
        assert "Riverside Youth Trust" in text
        assert "Lone Street Club" not in text
        assert "handled under that contract" in text

    def test_a_contract_dispute_is_refused_and_what_was_typed_is_kept(self, client, cast):
        client.force_login(cast.charity_admin)
        page = client.post(
            reverse("disputes:raise") + "?compact=leicester",
            raise_form(cast, about="contract-disputes"),
        )
        text = page.content.decode()
        assert page.status_code == 400
        assert "There is a problem" in text
        assert "This procedure is not for that." in text
        assert 'value="Youth services review"' in text
        assert not Case.objects.exists()

    def test_raising_opens_the_case_and_shows_what_is_due(self, client, cast):
        client.force_login(cast.charity_admin)
        page = client.post(reverse("disputes:raise") + "?compact=leicester", raise_form(cast))
        case = Case.objects.get()
        assert page.status_code == 302 and page.url == case.get_absolute_url()
        text = client.get(page.url).content.decode()
        assert f"Disagreement {case.reference} raised" in text
        assert "Disagreement put in writing within five days" in text
        assert "4 March 2026" in text
        assert "Put the disagreement in writing" in text


class TestSteps:
    def test_a_missing_answer_is_shown_against_its_field_and_nothing_is_lost(self, client, cast):
        case = raise_leicester(cast)
        client.force_login(cast.charity_admin)
        url = reverse("disputes:step", args=[case.reference, "submit-in-writing"])
        page = client.post(
            url, {"revision": 0, "steps-already-taken": "Two meetings.", "outcome-sought": "X"}
        )
        text = page.content.decode()
        assert page.status_code == 400
        assert 'href="#why-steps-failed"' in text
        assert "Two meetings." in text

    def test_a_step_with_a_document_keeps_who_uploaded_it_and_when(self, client, cast):
        case = raise_leicester(cast)
        client.force_login(cast.charity_admin)
        url = reverse("disputes:step", args=[case.reference, "submit-in-writing"])
        page = client.post(
            url,
            {
                "revision": 0,
                "steps-already-taken": "Two meetings.",
                "why-steps-failed": "No change.",
                "outcome-sought": "Reopen it.",
                "stages-wanted": "Mediation.",
                "statement": pdf("our-statement.pdf"),
            },
        )
        assert page.status_code == 302
        document = CaseDocument.objects.get()
        assert (document.original_name, document.uploaded_by) == (
            "our-statement.pdf",
            cast.charity_admin,
        )
        assert document.uploaded_at is not None
        text = client.get(case.get_absolute_url()).content.decode()
        assert "our-statement.pdf" in text and "Charity Admin Tester" in text

    def test_a_file_that_is_not_what_it_says_is_refused(self, client, cast):
        case = raise_leicester(cast)
        client.force_login(cast.charity_admin)
        url = reverse("disputes:step", args=[case.reference, "submit-in-writing"])
        from django.core.files.uploadedfile import SimpleUploadedFile

        page = client.post(
            url,
            {"revision": 0, "statement": SimpleUploadedFile("x.pdf", b"<html>", "application/pdf")},
        )
        assert "is not a real PDF file" in page.content.decode()
        assert not CaseDocument.objects.exists()

    def test_a_step_from_a_page_that_is_out_of_date_says_so(self, client, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        client.force_login(cast.chair)
        url = reverse("disputes:step", args=[case.reference, "chair-proposes-mediation"])
        page = client.post(url, {"revision": 0})
        assert "The case has moved on since you opened this page" in page.content.decode()

    def test_a_closed_case_offers_no_steps_and_names_where_to_go_next(self, client, cast):
        case = to_appeal(cast, raise_leicester(cast))
        client.force_login(cast.charity_admin)
        text = client.get(case.get_absolute_url()).content.decode()
        assert "What you can do" not in text
        assert "Local Government Ombudsman" in text
        assert "Published finding" in text


def make_cases(cast, n):
    for i in range(n):
        case = raise_leicester(cast, today=TODAY - dt.timedelta(days=i))
        step(case, "submit-in-writing", cast.charity_admin)
    return Case.objects.first()


@pytest.mark.parametrize("name", ["charity_admin", "chair"])
def test_the_list_issues_the_same_queries_for_1_or_6_cases(client, cast, name):
    client.force_login(cast.users[name])
    make_cases(cast, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("disputes:index"))
    make_cases(cast, 5)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("disputes:index"))
    assert "6 cases" in page.content.decode()
    assert len(many) == len(few)


def test_the_case_page_issues_the_same_queries_however_long_its_history(client, cast):
    client.force_login(cast.charity_admin)
    short = raise_leicester(cast)
    step(short, "submit-in-writing", cast.charity_admin)
    long = to_appeal(cast, raise_leicester(cast))
    with CaptureQueriesContext(connection) as few:
        client.get(short.get_absolute_url())
    with CaptureQueriesContext(connection) as many:
        client.get(long.get_absolute_url())
    assert len(many) == len(few)


def test_the_findings_list_issues_the_same_queries_for_1_or_3_findings(client, cast):
    to_appeal(cast, raise_leicester(cast))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("disputes:findings"))
    to_appeal(cast, raise_leicester(cast))
    to_appeal(cast, raise_leicester(cast))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("disputes:findings"))
    assert len(many) == len(few)


def test_the_figures_count_stages_outcomes_and_time_taken(client, cast):
    to_appeal(cast, raise_leicester(cast))
    withdrawn = raise_leicester(cast)
    step(withdrawn, "submit-in-writing", cast.charity_admin)
    step(withdrawn, "withdraw", cast.charity_admin)
    step(withdrawn, "withdraw", cast.council_officer, today=TODAY + dt.timedelta(days=7))
    raise_leicester(cast)
    client.force_login(cast.support)
    page = client.get(reverse("disputes:figures"), {"compact": "leicester", "year": "2026"})
    figures = page.context["figures"]
    assert (figures.raised, figures.open, figures.closed) == (3, 1, 2)
    assert figures.by_stage == [
        ("Stage one: putting the disagreement in writing", 2),
        ("Stage three: appeal to the subgroup", 1),
    ]
    assert figures.by_outcome == [("Finding made", 1), ("Still open", 1), ("Withdrawn", 1)]
    assert figures.by_finding == [("Breach", 1)]
    assert (figures.median_working_days, figures.longest_working_days) == (2.5, 5)


class TestRoleDeadlines:
    """Limits a compact role owes have no owing organisation: the people holding the
    role find them on the disagreements page."""

    def test_the_chair_sees_what_the_subgroup_owes_and_a_party_does_not(self, client, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        owed = [o for o in selectors.obligations_of(case) if o.owed_by_id is None]
        assert owed, "the Leicester procedure gives the subgroup a time limit here"

        client.force_login(cast.chair)
        text = client.get(reverse("disputes:index")).content.decode()
        assert "Time limits owed by a compact role" in text
        for obligation in owed:
            if obligation.status in ("not_yet_due", "due_soon"):
                assert obligation.summary in text

        client.force_login(cast.charity_admin)
        text = client.get(reverse("disputes:index")).content.decode()
        assert "Time limits owed by a compact role" not in text

    def test_a_closed_case_owes_nothing_more(self, cast):
        case = raise_leicester(cast)
        step(case, "submit-in-writing", cast.charity_admin)
        assert selectors.role_deadlines(cast.chair)
        Case.objects.filter(pk=case.pk).update(is_final=True)
        assert selectors.role_deadlines(cast.chair) == []
