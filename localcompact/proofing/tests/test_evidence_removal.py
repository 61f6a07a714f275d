"""Removing a report as evidence: the same officers who attach it remove it, after a
page that says what stays public; the removal is a POST, kept in the evidence's history
and the audit log. A failing report attached nowhere else is private again; a report
still attached elsewhere, or one that passes (its mark's page links to it), stays public.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.accounts.personal_data import personal_data_collect
from localcompact.proofing import services
from localcompact.proofing.models import ProofingEvidence

from .conftest import NOW
from .factories import consultation as consultation_text
from .factories import report
from .test_evidence import a_consultation, a_plan, client_with

pytestmark = pytest.mark.django_db

LATER = NOW + dt.timedelta(days=3)


def failing(world, **kwargs):
    return report(world, kind="consultation", text=consultation_text(weeks=6), **kwargs)


def attached(world, made, **target):
    target = target or {"consultation": a_consultation(world)}
    return services.report_attach(report=made, **target, by=world.user("officer"), now=NOW)


def remove_url(evidence):
    return reverse("proofing:remove_evidence", args=[evidence.report_id, evidence.pk])


def test_removing_a_failing_reports_only_evidence_makes_it_private_with_a_history(world, caplog):
    made = failing(world)
    evidence = attached(world, made)
    with caplog.at_level("INFO", logger="localcompact.audit"):
        services.evidence_remove(evidence=evidence, by=world.user("administrator"), now=LATER)
    made.refresh_from_db()
    assert not made.is_public and not ProofingEvidence.objects.exists()
    added, removed = ProofingEvidence.history.order_by("history_date")
    assert (added.history_type, added.history_user, added.history_date) == (
        "+",
        world.user("officer"),
        NOW,
    )
    assert (removed.history_type, removed.history_user, removed.history_date) == (
        "-",
        world.user("administrator"),
        LATER,
    )
    assert removed.history_change_reason == "Removed as evidence; the report is no longer public"
    assert any("proofing.evidence-removed" in r.getMessage() for r in caplog.records)
    data = personal_data_collect(world.user("administrator"), now=LATER)
    assert data["compact_proofing_evidence_removed"] == [
        {
            "report": made.title,
            "removed_from": "Library opening hours",
            "removed": LATER.isoformat(),
        }
    ]


def test_a_report_still_attached_elsewhere_or_with_a_mark_stays_public(world):
    still_attached = failing(world)
    first = attached(world, still_attached)
    attached(world, still_attached, plan=a_plan(world))
    passing = report(world, title="Leaflet")
    services.evidence_remove(evidence=first, by=world.user("officer"), now=LATER)
    services.evidence_remove(evidence=attached(world, passing), by=world.user("officer"), now=LATER)
    for made in (still_attached, passing):
        made.refresh_from_db()
        assert made.published_at == NOW
    assert passing.evidence.count() == 0
    assert ProofingEvidence.history.get(history_type="-", report=passing).history_change_reason == (
        "Removed as evidence; the report stays public"
    )


def test_an_officer_confirms_then_the_report_leaves_the_consultation(client, world):
    made = failing(world, title="Library paper")
    evidence = attached(world, made)
    consultation = evidence.consultation
    client_with(client, world, "officer")
    page = client.get(made.get_absolute_url()).content.decode()
    assert remove_url(evidence) in page

    confirm = client.get(remove_url(evidence))
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "govuk-warning-text" in text
    assert "The report will no longer be public" in text
    assert "cannot recall what was public before" in text
    assert ProofingEvidence.objects.filter(pk=evidence.pk).exists()  # a GET changes nothing

    done = client.post(remove_url(evidence))
    assert done.status_code == 302 and done["Location"] == made.get_absolute_url()
    after = client.get(done["Location"]).content.decode()
    assert "It is no longer public" in after
    assert "Not attached to a consultation or plan" in after
    client.logout()
    assert (
        made.get_absolute_url() not in client.get(consultation.get_absolute_url()).content.decode()
    )
    assert client.get(made.get_absolute_url()).status_code == 302  # sign in first: private


def test_the_page_says_a_passing_report_stays_public(client, world):
    evidence = attached(world, report(world))
    text = client_with(client, world, "administrator").get(remove_url(evidence)).content.decode()
    assert "The report stays public: it passes" in text


@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", 302),
        ("outsider", 403),  # the report is public, so it is not hidden from them
        ("member", 403),
        ("support", 403),
        ("staff", 403),
        ("trust_officer", 403),
        ("administrator", 302),
    ],
)
def test_only_the_organisations_officers_remove_its_evidence(client, world, role, expected):
    evidence = attached(world, failing(world))
    if role != "anonymous":
        client_with(client, world, role)
    response = client.post(remove_url(evidence))
    assert response.status_code == expected
    removed = not ProofingEvidence.objects.filter(pk=evidence.pk).exists()
    assert removed == (role == "administrator")
    if role == "anonymous":
        assert response["Location"].startswith(reverse("core:login"))


def test_evidence_is_removed_only_through_its_own_report(client, world):
    ours = attached(world, failing(world))
    other = report(world, title="Another")
    url = reverse("proofing:remove_evidence", args=[other.pk, ours.pk])
    assert client_with(client, world, "officer").post(url).status_code == 404
    assert ProofingEvidence.objects.filter(pk=ours.pk).exists()


def test_the_confirmation_page_makes_the_same_number_of_queries_however_often_attached(
    client, world
):
    made = failing(world)
    evidence = attached(world, made)
    client_with(client, world, "officer")
    with CaptureQueriesContext(connection) as once:
        client.get(remove_url(evidence))
    for number in range(4):
        attached(world, made, plan=a_plan(world, title=f"Plan {number}"))
    with CaptureQueriesContext(connection) as five:
        page = client.get(remove_url(evidence)).content.decode()
    assert "still evidence for 4 other consultations or plans" in page
    assert len(once) == len(five)
