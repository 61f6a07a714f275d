"""Volunteering, equality and format-request writes, and the checks against the codes."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from localcompact.notices.tests.conftest import person
from localcompact.organisations.models import CompactRole, CompactRoleKind, IncomeBand
from localcompact.volunteering import selectors
from localcompact.volunteering.models import FormatRequest, Interest, Opportunity
from localcompact.volunteering.services import (
    Refused,
    assessment_record,
    equality_policy_save,
    figures_record,
    format_request_answer,
    format_request_make,
    interest_express,
    opportunity_set_status,
    volunteering_policy_save,
)

from .conftest import DAY, TODAY, opportunity_made

pytestmark = pytest.mark.django_db


def express(opportunity, **kw):
    return interest_express(
        opportunity=opportunity,
        name=kw.get("name", "Sam"),
        email="sam@example.org",
        message="Free on Wednesdays",
        user=None,
        site_url="https://compact.example.org",
    )


def test_interest_tells_the_key_contact_and_the_hosts_officers(
    world, django_capture_on_commit_callbacks
):
    opportunity = opportunity_made(world)
    with django_capture_on_commit_callbacks(execute=True):
        interest = express(opportunity)
    assert interest.notified == 3  # the key contact, the officer and the administrator
    (message,) = mail.outbox
    assert set(message.to) == {
        "volunteers@example.org",
        "officer@example.org",
        "administrator@example.org",
    }
    assert message.reply_to == ["sam@example.org"]
    assert "Befriending volunteer" in message.subject
    assert "https://compact.example.org/volunteering/opportunities/" in message.body


def test_a_closed_opportunity_takes_no_interest(world):
    opportunity = opportunity_made(world)
    opportunity_set_status(opportunity=opportunity, status="closed", by=world.user("officer"))
    with pytest.raises(Refused, match="closed"):
        express(opportunity)
    assert not Interest.objects.exists()
    with pytest.raises(Refused):
        opportunity_set_status(opportunity=opportunity, status="closed", by=world.user("officer"))


def test_an_opportunity_without_an_expenses_policy_is_flagged(world):
    assert opportunity_made(world).has_expenses_policy
    assert not opportunity_made(world, expenses_policy="  ").has_expenses_policy


def test_the_search_finds_by_area_skills_time_and_expenses(world):
    opportunity_made(
        world, title="Alpha", area="East ward", skills=["digital"], time_asked="one_off"
    )
    opportunity_made(world, title="Beta", expenses_policy="")
    closed = opportunity_made(world, title="Gamma")
    opportunity_set_status(opportunity=closed, status="closed", by=world.user("officer"))

    def titles(**kw):
        return sorted(o.title for o in selectors.opportunities_found(**kw))

    assert titles() == ["Alpha", "Beta"]
    assert titles(area="east") == ["Alpha"]
    assert titles(skill="digital") == ["Alpha"]
    assert titles(skill="care") == ["Beta"]
    assert titles(time="one_off") == ["Alpha"]
    assert titles(with_expenses=True) == ["Alpha"]
    assert titles(query="testshire alpha") == ["Alpha"]


def test_a_policy_is_checked_against_city_togethers_volunteering_code(world):
    policy = volunteering_policy_save(
        organisation=world.trust,
        by=world.user("trust_officer"),
        data={
            "recruitment": "Ads",
            "development": "",
            "retention": "",
            "key_contact": "Jo",
            "expenses": "",
        },
    )
    checks = selectors.compact_checks(
        organisation=world.trust, applies_to="volunteering-arrangements", record=policy.as_record()
    )
    by_ident = {c.standard.ident: c for c in checks}
    assert by_ident["volunteering-policies"].verdict.status == "missed"
    assert "development policy" in by_ident["volunteering-policies"].verdict.explanation
    assert "joint undertaking 4" in by_ident["volunteering-policies"].verdict.explanation
    assert by_ident["volunteering-key-contact"].verdict.status == "met"
    assert all(c.signed for c in checks)


def test_figures_replace_a_year_and_are_checked(world):
    officer = world.user("officer")
    figures_record(
        organisation=world.council,
        year=2025,
        volunteers=10,
        hours=100,
        business_volunteers=2,
        by=officer,
        today=TODAY,
    )
    figures_record(
        organisation=world.council,
        year=2025,
        volunteers=12,
        hours=120,
        business_volunteers=2,
        by=officer,
        today=TODAY,
    )
    figures_record(
        organisation=world.trust,
        year=2025,
        volunteers=5,
        hours=50,
        business_volunteers=0,
        by=officer,
        today=TODAY,
    )
    (year,) = selectors.figures_by_year()
    assert (year.year, year.organisations, year.volunteers, year.hours) == (2025, 2, 17, 170)
    with pytest.raises(Refused) as refused:
        figures_record(
            organisation=world.council,
            year=2025,
            volunteers=1,
            hours=1,
            business_volunteers=2,
            by=officer,
            today=TODAY,
        )
    assert refused.value.field == "business_volunteers"
    with pytest.raises(Refused):
        figures_record(
            organisation=world.council,
            year=2027,
            volunteers=1,
            hours=1,
            business_volunteers=0,
            by=officer,
            today=TODAY,
        )


def equality_data(**changes):
    return {
        "kind": "statement",
        "summary": "We welcome everyone.",
        "monitoring": "",
        "adopted_on": TODAY - 100 * DAY,
        "review_on": TODAY + 100 * DAY,
        "url": "",
        **changes,
    }


def test_an_equality_policy_needs_a_later_review_date_and_is_checked(world):
    with pytest.raises(Refused) as refused:
        equality_policy_save(
            organisation=world.trust,
            by=world.user("trust_officer"),
            data=equality_data(review_on=TODAY - 200 * DAY),
        )
    assert refused.value.field == "review_on"
    policy = equality_policy_save(
        organisation=world.trust, by=world.user("trust_officer"), data=equality_data()
    )
    checks = {
        c.standard.ident: c
        for c in selectors.compact_checks(
            organisation=world.trust, applies_to="equality-policy", record=policy.as_record()
        )
    }
    assert checks["equality-policy-adopted"].verdict.status == "met"
    assert not checks["equality-policy-adopted"].signed  # Redcar: guidance only here
    assert checks["inclusive-city-policy-and-monitoring"].verdict.status == "missed"


def assessment_data(**changes):
    return {
        "title": "Hall charges",
        "subject": "policy",
        "subject_url": "",
        "assessed_on": TODAY,
        "groups": ["older", "disability"],
        "findings": "Some effect.",
        "actions": "",
        **changes,
    }


def test_impact_assessments_are_for_public_bodies_with_groups_from_the_list(world):
    with pytest.raises(Refused, match="public bodies"):
        assessment_record(
            organisation=world.trust,
            data=assessment_data(),
            by=world.user("trust_officer"),
            today=TODAY,
        )
    with pytest.raises(Refused):
        assessment_record(
            organisation=world.council,
            data=assessment_data(groups=["martians"]),
            by=world.user("officer"),
            today=TODAY,
        )
    with pytest.raises(Refused):
        assessment_record(
            organisation=world.council,
            data=assessment_data(assessed_on=TODAY + DAY),
            by=world.user("officer"),
            today=TODAY,
        )
    assessment = assessment_record(
        organisation=world.council, data=assessment_data(), by=world.user("officer"), today=TODAY
    )
    assert assessment.group_labels == ["Older people", "Disabled people"]
    assert len(assessment.groups_not_considered) == 9


def request_data(**changes):
    return {
        "subject": "Bin notice",
        "subject_url": "/notices/1/",
        "format": "language",
        "language": "Polish",
        "details": "",
        "needed_by": TODAY + 7 * DAY,
        "name": "Ola",
        "email": "ola@example.org",
        **changes,
    }


def test_format_requests_are_made_and_answered_once(world):
    with pytest.raises(Refused) as refused:
        format_request_make(
            organisation=world.council, data=request_data(language=""), user=None, today=TODAY
        )
    assert refused.value.field == "language"
    made = format_request_make(
        organisation=world.council,
        data=request_data(subject_url="https://evil.example"),
        user=None,
        today=TODAY,
    )
    assert made.subject_url == "" and len(made.reference) >= 16
    with pytest.raises(Refused):
        format_request_answer(
            request=made, status="provided", answer=" ", by=world.user("officer"), today=TODAY
        )
    answered = format_request_answer(
        request=made, status="provided", answer="Sent", by=world.user("officer"), today=TODAY
    )
    assert answered.status == FormatRequest.Status.PROVIDED
    with pytest.raises(Refused, match="already"):
        format_request_answer(
            request=made, status="declined", answer="x", by=world.user("officer"), today=TODAY
        )


def test_a_format_request_goes_to_an_organisation_or_a_compact_never_both(world):
    with pytest.raises(ValueError):
        format_request_make(data=request_data(), user=None, today=TODAY)
    made = format_request_make(compact=world.city, data=request_data(), user=None, today=TODAY)
    assert made.addressee == "the support team of The City Together Compact"
    for organisation, compact in ((world.council, world.city), (None, None)):
        with pytest.raises(IntegrityError), transaction.atomic():
            FormatRequest.objects.filter(pk=made.pk).update(
                organisation=organisation, compact=compact
            )


def test_a_format_request_tells_those_who_answer_it_after_it_is_committed(
    world, django_capture_on_commit_callbacks
):
    helper = person("helper")
    CompactRole.objects.create(compact=world.city, user=helper, kind=CompactRoleKind.SUPPORT_TEAM)
    CompactRole.objects.create(
        compact=world.redcar, user=world.user("outsider"), kind="support_team"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        to_council = format_request_make(
            organisation=world.council, data=request_data(), user=None, today=TODAY
        )
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    *told, acknowledged = mail.outbox
    assert sorted(m.to[0] for m in told) == ["administrator@example.org", "officer@example.org"]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    for message in told:
        html = message.alternatives[0][0]
        assert "Bin notice" in message.subject
        for part in (message.body, html):
            assert "Another language: Polish" in part and "11 March 2026" in part
            assert f"/organisations/testshire-council/format-requests/{to_council.pk}/" in part
            assert "ola@example.org" not in part
        assert message.body.count("http") == 1 and "://" in message.body
    assert acknowledged.to == ["ola@example.org"]
    assert f"/format-requests/{to_council.reference}/" in acknowledged.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        to_compact = format_request_make(
            compact=world.city, data=request_data(), user=None, today=TODAY
        )
    assert [m.to for m in mail.outbox] == [["helper@example.org"], ["ola@example.org"]]
    assert f"/compacts/city-together/format-requests/{to_compact.pk}/" in mail.outbox[0].body


def test_the_progress_report_counts_what_the_platform_holds(world):
    world.trust.income_band = IncomeBand.UNDER_10K
    world.trust.bme_led = True
    world.trust.save()
    officer = world.user("officer")
    equality_policy_save(organisation=world.trust, by=officer, data=equality_data())
    equality_policy_save(
        organisation=world.council,
        by=officer,
        data=equality_data(review_on=TODAY - DAY, adopted_on=TODAY - 400 * DAY),
    )
    assessment_record(organisation=world.council, data=assessment_data(), by=officer, today=TODAY)
    late = format_request_make(
        organisation=world.council,
        data=request_data(),
        user=None,
        today=TODAY - 20 * DAY + 14 * DAY,
    )
    format_request_answer(
        request=late, status="provided", answer="Sent", by=officer, today=TODAY + 10 * DAY
    )
    format_request_make(
        organisation=world.council, data=request_data(needed_by=None), user=None, today=TODAY
    )
    to_support = format_request_make(  # a meeting without a host: the compact is asked
        compact=world.city, data=request_data(), user=None, today=TODAY
    )
    format_request_answer(
        request=to_support, status="provided", answer="Sent", by=world.user("support"), today=TODAY
    )
    format_request_make(compact=world.redcar, data=request_data(), user=None, today=TODAY)
    opportunity_made(world, organisation=world.trust, expenses_policy="")
    progress = selectors.progress_figures(compact=world.city, year=2026, today=TODAY + 10 * DAY)
    assert progress.signatories == 2
    assert progress.with_equality_policy == 2 and progress.reviews_overdue == 1
    assert (progress.assessments, progress.assessing_bodies) == (1, 1)
    assert (progress.format_requests, progress.format_answered, progress.format_in_time) == (
        3,
        2,
        1,
    )
    assert (progress.small, progress.bme_led, progress.small_active, progress.bme_active) == (
        1,
        1,
        1,
        1,
    )
    assert (progress.opportunities, progress.without_expenses) == (1, 1)
    assert progress.active == 2
    earlier = selectors.progress_figures(compact=world.city, year=2025, today=TODAY)
    assert earlier.assessments == 0 and earlier.with_equality_policy == 2


def test_an_opportunity_record_keeps_its_fields(world):
    opportunity = opportunity_made(world)
    assert Opportunity.objects.get().skill_labels == ["Care and befriending"]
    assert opportunity.get_absolute_url() == f"/volunteering/opportunities/{opportunity.pk}/"


@pytest.mark.parametrize(
    "link, kept",
    [
        ("/notices/1/", "/notices/1/"),
        ("https://evil.example/", ""),
        ("//evil.example/notices/", ""),  # another site, to a browser
        ("/\\evil.example/notices/", ""),
    ],
)
def test_a_requests_link_back_is_kept_only_within_the_platform(world, link, kept):
    made = format_request_make(
        organisation=world.council, data=request_data(subject_url=link), user=None, today=TODAY
    )
    assert made.subject_url == kept
