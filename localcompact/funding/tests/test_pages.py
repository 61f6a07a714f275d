"""What the pages say and how the forms behave; query counts at two data sizes."""

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.funding import services
from localcompact.funding.models import Application, Award, CommissioningPlan, Opportunity

from .factories import (  # noqa: F401
    DAY,
    TODAY,
    application_made,
    award_made,
    opportunity_made,
    sign_in,
    story_fixture,
    world_fixture,
)


def date(name, day):
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def test_the_award_page_shows_the_annex_undertakings_for_each_side(client, story):
    page = client.get(reverse("funding:award", args=[story.things["award"].pk])).content.decode()
    assert "Undertakings that apply" in page
    funder_part, recipient_part = page.split("(the recipient)")
    assert "Funders plan services with the groups they fund." in funder_part
    assert "Funded groups share what they learn with their funder." in recipient_part
    assert "Annex F b" in recipient_part


def test_the_award_page_flags_monitoring_above_its_band(client, story):
    award = story.things["award"]  # £10,000: the small band, one return a year
    services.award_monitoring_set(
        award=award,
        monitoring_requirements="Quarterly returns.",
        returns_per_year=4,
        proportionality_statement="Our standard.",
        outcome_measures="Attendance.",
        by=story.user("council_officer"),
        today=TODAY,
    )
    sign_in(client, story, "charity_member")
    page = client.get(reverse("funding:award", args=[award.pk])).content.decode()
    assert "4 returns a year is more than the small band allows" in page


def test_an_opportunity_that_excludes_overheads_is_flagged_on_its_page(client, world):
    opportunity_made(world, overheads_eligible=False)
    page = client.get(reverse("funding:opportunity", args=["community-grants"])).content.decode()
    assert "Overheads are not eligible" in page and "full cost recovery" in page


def test_opening_without_criteria_is_refused_on_the_page(client, world):
    officer = world.user("council_officer")
    services.opportunity_create(
        by=officer,
        today=TODAY,
        version=world.version,
        funder=world.council,
        plan=None,
        kind="grant",
        code="no-criteria",
        title="No criteria yet",
        description="Draft.",
        amount_available=Decimal("1000"),
        opens_on=TODAY,
        closes_on=TODAY + 30 * DAY,
        decisions_by=TODAY + 40 * DAY,
        service_starts_on=TODAY + 90 * DAY,
    )
    sign_in(client, world, "council_officer")
    response = client.post(reverse("funding:opportunity_open", args=["no-criteria"]), {})
    assert response.status_code == 400
    assert "Annex B e" in response.content.decode()
    assert Opportunity.objects.get(code="no-criteria").status == "draft"


def test_a_decision_without_reasons_keeps_what_was_typed(client, story):
    second = opportunity_made(story, code="second-round")
    pending = application_made(story, second, story.charity, by=story.user("charity_officer"))
    sign_in(client, story, "council_officer")
    response = client.post(
        reverse("funding:application_decide", args=[pending.pk]),
        {"outcome": "unsuccessful", "reasons": "", **date("decided_on", TODAY)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Give the reasons" in page
    assert 'value="unsuccessful" checked' in page
    assert Application.objects.get(pk=pending.pk).status == "submitted"


def test_the_applicant_withdraws_from_the_application_page(client, story):
    second = opportunity_made(story, code="second-round")
    pending = application_made(story, second, story.charity, by=story.user("charity_officer"))
    url = reverse("funding:application_withdraw", args=[pending.pk])
    sign_in(client, story, "council_officer")
    assert url not in client.get(pending.get_absolute_url()).content.decode()
    sign_in(client, story, "charity_officer")
    assert url in client.get(pending.get_absolute_url()).content.decode()

    response = client.post(url, {"reason": "Merged with another bid."})

    assert response.status_code == 302
    assert Application.objects.get(pk=pending.pk).status == "withdrawn"
    page = client.get(pending.get_absolute_url()).content.decode()
    assert "Withdrawn" in page and url not in page
    again = client.post(url, {})
    assert again.status_code == 400
    assert "Only an application that has not been decided can be withdrawn" in (
        again.content.decode()
    )


def test_a_form_with_a_bad_date_says_which(client, story):
    sign_in(client, story, "council_officer")
    response = client.post(
        reverse("funding:award_confirm", args=[story.things["award"].pk]),
        {"confirmed_on-day": "31", "confirmed_on-month": "2", "confirmed_on-year": "2026"},
    )
    assert response.status_code == 400
    assert "must be a real date" in response.content.decode()


def test_an_award_can_be_recorded_from_a_successful_application(client, story):
    second = opportunity_made(story, code="second-round")
    pending = application_made(story, second, story.rival, by=story.user("rival_officer"))
    services.application_decide(
        application=pending,
        successful=True,
        reasons="",
        decided_on=TODAY,
        notified_on=TODAY,
        by=story.user("council_officer"),
        today=TODAY,
    )
    sign_in(client, story, "council_officer")
    url = reverse("funding:award_new", args=["fundshire-council"]) + f"?application={pending.pk}"
    form = client.get(url).content.decode()
    assert "Rival Trust&#x27;s project" in form or "Rival Trust's project" in form
    response = client.post(
        url,
        {
            "compact": "fundshire",
            "recipient": story.rival.pk,
            "kind": "grant",
            "title": "Rival grant",
            "description": "Work.",
            "amount": "10000",
            "overheads": "1000",
            **date("award_date", TODAY),
            **date("agreed_on", TODAY),
            **date("starts_on", TODAY + 70 * DAY),
            **date("ends_on", TODAY + 400 * DAY),
        },
    )
    award = Award.objects.get(title="Rival grant")
    assert response.status_code == 302 and response["Location"] == award.get_absolute_url()
    assert award.application == pending and award.opportunity == second


def test_the_plan_page_shows_each_stage(client, story):
    page = client.get(reverse("funding:plan", args=[story.things["plan"].pk])).content.decode()
    for stage in ("1. Analyse", "2. Plan", "3. Do", "4. Review"):
        assert stage in page
    assert "No sector involvement recorded in this stage yet" in page


def test_totals_by_funder_recipient_and_programme(client, story):
    award_made(story, title="Second grant", amount=Decimal("2500"), overheads=Decimal(0))
    for name, args, text in [
        ("funding:funders", [], "£12,500"),
        ("funding:recipients", [], "£12,500"),
        ("funding:funder", ["fundshire-council"], "2 awards, worth £12,500"),
        ("funding:programmes", [], "£10,000"),
        ("funding:index", [], "2 awards recorded, worth £12,500"),
    ]:
        assert text in client.get(reverse(name, args=args)).content.decode(), name


# --- Query counts -------------------------------------------------------------------------


_grown = itertools.count()


def _grow(world, n: int) -> None:
    """n more plans, opportunities, applications and awards with payments."""
    officer = world.user("council_officer")
    for _ in range(n):
        i = next(_grown)
        services.plan_create(
            version=world.version,
            commissioner=world.council,
            title=f"Plan {i}",
            summary="A plan.",
            by=officer,
            today=TODAY,
        )
        opportunity = opportunity_made(world, code=f"round-{i}")
        application = application_made(world, opportunity, world.rival, by=officer)
        services.application_decide(
            application=application,
            successful=True,
            reasons="",
            decided_on=TODAY,
            notified_on=TODAY,
            by=officer,
            today=TODAY,
        )
        award = award_made(world, application=application, title=f"Grant {i}")
        services.payment_schedule(
            award=award,
            due_on=TODAY,
            amount=Decimal("100"),
            expenditure_starts_on=TODAY,
            note="",
            by=officer,
            today=TODAY,
        )
        services.risk_record(
            award=award,
            description="Risk",
            held_by="shared",
            mitigation="",
            by=officer,
            today=TODAY,
        )
        services.involvement_record(
            plan=CommissioningPlan.objects.get(title=f"Plan {i}"),
            kind="other",
            held_on=TODAY,
            description="Met.",
            organisations=[world.charity, world.rival],
            consultation="",
            by=officer,
            today=TODAY,
        )


PAGES = [
    ("funding:index", lambda s: []),
    ("funding:funders", lambda s: []),
    ("funding:recipients", lambda s: []),
    ("funding:funder", lambda s: ["fundshire-council"]),
    ("funding:programmes", lambda s: []),
    ("funding:plans", lambda s: []),
    ("funding:plan", lambda s: [s.things["plan"].pk]),
    ("funding:opportunity", lambda s: ["community-grants"]),
    ("funding:award", lambda s: [s.things["award"].pk]),
    ("funding:organisation", lambda s: ["fundshire-council"]),
    ("funding:data_360_json", lambda s: []),
    ("funding:data_ocds", lambda s: []),
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_issue_the_same_number_of_queries_whatever_the_data(client, story):
    sign_in(client, story, "council_officer")
    urls = [reverse(name, args=args(story)) for name, args in PAGES]
    # the plan and the award grow too: involvement, payments, risks
    officer = story.user("council_officer")
    award, plan = story.things["award"], story.things["plan"]

    def grow_own(n):
        for _ in range(n):
            services.payment_schedule(
                award=award,
                due_on=TODAY,
                amount=Decimal("1"),
                expenditure_starts_on=TODAY,
                note="",
                by=officer,
                today=TODAY,
            )
            services.risk_record(
                award=award,
                description="R",
                held_by="funder",
                mitigation="",
                by=officer,
                today=TODAY,
            )
            services.involvement_record(
                plan=plan,
                kind="other",
                held_on=TODAY,
                description="Met.",
                organisations=[story.charity],
                consultation="",
                by=officer,
                today=TODAY,
            )

    _grow(story, 1)
    grow_own(1)
    small = [_count(client, url) for url in urls]
    _grow(story, 4)
    grow_own(4)
    large = [_count(client, url) for url in urls]
    assert dict(zip(urls, small, strict=True)) == dict(zip(urls, large, strict=True))


@pytest.mark.parametrize("name", ["funding:funders", "funding:programmes", "funding:plans"])
def test_long_lists_are_paginated(client, world, name, monkeypatch):
    from localcompact.funding import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    _grow(world, 3)
    # three funders are needed for the funders list: give two more organisations awards
    for n in range(2):
        from localcompact.organisations.models import Organisation

        funder = Organisation.objects.create(
            name=f"Funder {n}", slug=f"funder-{n}", sector="public"
        )
        services.award_create(
            funder=funder,
            recipient=world.charity,
            version=world.version,
            by=world.user("council_officer"),
            today=TODAY,
            kind="grant",
            title="G",
            description="G",
            amount=Decimal("5"),
            overheads=Decimal(0),
            award_date=TODAY,
            agreed_on=TODAY,
            starts_on=TODAY,
            ends_on=TODAY,
        )
    page = client.get(reverse(name)).content.decode()
    assert "govuk-pagination" in page and "?page=2" in page
    assert client.get(reverse(name) + "?page=2").status_code == 200
