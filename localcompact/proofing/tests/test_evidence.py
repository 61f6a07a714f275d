"""Attaching a report as evidence to a consultation or a commissioning plan, the public
report that follows, the `proofing_evidence` tag, and the compact mark with its public
verification page.

People as in conftest: the council's officer attaches its reports (two steps: choose,
then confirm that the report becomes public); a member may read but not attach; an
outsider is told a private report does not exist but reads a public one.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.consultations.models import Consultation
from localcompact.funding.models import CommissioningPlan
from localcompact.proofing import services
from localcompact.proofing.models import ProofingEvidence, ProofingReport

from .conftest import NOW, TODAY
from .factories import consultation as consultation_text
from .factories import report

pytestmark = pytest.mark.django_db


def a_consultation(world, *, lead=None, compact=None, title="Library opening hours"):
    compact = compact or world.leicester
    return Consultation.objects.create(
        compact=compact,
        version=compact.current_version,
        lead=lead or world.council,
        title=title,
        summary="Which hours suit you?",
        open_to_change="The hours.",
        who_affected="Library users.",
        announced_on=TODAY,
        opens_on=TODAY + dt.timedelta(days=14),
        closes_on=TODAY + dt.timedelta(days=98),
        status_changed_on=TODAY,
    )


def a_plan(world, *, commissioner=None, title="Youth services, 2027 to 2030"):
    return CommissioningPlan.objects.create(
        version=world.leicester.current_version,
        commissioner=commissioner or world.council,
        title=title,
        summary="What we will commission.",
    )


def attach_url(made):
    return reverse("proofing:attach", args=[made.pk])


# The service ---------------------------------------------------------------------------


def test_attaching_a_report_makes_it_public_once(world):
    made = report(world)
    first, second = a_consultation(world), a_plan(world)
    services.report_attach(report=made, consultation=first, by=world.user("officer"), now=NOW)
    later = NOW + dt.timedelta(days=1)
    services.report_attach(report=made, plan=second, by=world.user("officer"), now=later)
    made.refresh_from_db()
    assert made.published_at == NOW
    assert [e.target for e in made.evidence.order_by("pk")] == [first, second]


@pytest.mark.parametrize(
    "target, message",
    [
        (lambda w: {"consultation": a_consultation(w, lead=w.trust)}, "organisation it was made"),
        (lambda w: {"plan": a_plan(w, commissioner=w.trust)}, "organisation it was made"),
        (lambda w: {"consultation": a_consultation(w, compact=w.herefordshire)}, "another compact"),
        (lambda w: {}, "Choose a consultation or a commissioning plan"),
    ],
    ids=[
        "another-organisations-consultation",
        "another-organisations-plan",
        "other-compact",
        "none",
    ],
)
def test_a_report_is_attached_only_to_its_organisations_records_under_its_compact(
    world, target, message
):
    made = report(world)
    with pytest.raises(services.Refused, match=message):
        services.report_attach(report=made, **target(world), by=world.user("officer"), now=NOW)
    made.refresh_from_db()
    assert made.published_at is None and not ProofingEvidence.objects.exists()


def test_a_report_is_attached_to_a_consultation_once(world):
    made, consultation = report(world), a_consultation(world)
    services.report_attach(
        report=made, consultation=consultation, by=world.user("officer"), now=NOW
    )
    with pytest.raises(services.Refused, match="already attached"):
        services.report_attach(
            report=made, consultation=consultation, by=world.user("officer"), now=NOW
        )


def test_attaching_is_audited(world, caplog):
    made, consultation = report(world), a_consultation(world)
    with caplog.at_level("INFO", logger="localcompact.audit"):
        services.report_attach(
            report=made, consultation=consultation, by=world.user("officer"), now=NOW
        )
    assert any("proofing.report-attached" in r.getMessage() for r in caplog.records)


# The pages -------------------------------------------------------------------------------


def test_an_officer_chooses_then_confirms_and_the_report_becomes_public(client, world):
    made = report(world, kind="consultation", text=consultation_text(weeks=6))
    consultation = a_consultation(world)
    plan = a_plan(world)
    a_consultation(world, lead=world.trust, title="The trust's own consultation")
    client.force_login(world.user("officer"))

    page = client.get(attach_url(made)).content.decode()
    assert "attaching the report makes it public" in page
    assert "Consultation: Library opening hours (Planned)" in page
    assert "Commissioning plan: Youth services, 2027 to 2030 (Analyse stage)" in page
    assert "The trust&#x27;s own consultation" not in page

    chosen = {"target": f"consultation-{consultation.pk}"}
    confirm = client.post(attach_url(made), chosen)
    assert confirm.status_code == 200
    assert "The report will become public" in confirm.content.decode()
    assert "1 thing it says must be fixed" in confirm.content.decode()
    assert not ProofingEvidence.objects.exists()

    done = client.post(attach_url(made), {**chosen, "confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == made.get_absolute_url()
    made.refresh_from_db()
    assert made.is_public
    assert ProofingEvidence.objects.get().consultation == consultation

    client.logout()
    public = client.get(made.get_absolute_url())
    assert public.status_code == 200
    assert "Anyone: public since" in public.content.decode()
    assert "Library opening hours" in public.content.decode()
    assert "Attach as evidence" not in public.content.decode()
    # the uploaded file, if any, stays with the members: here there is none to link
    assert reverse("proofing:document", args=[made.pk]) not in public.content.decode()

    again = client_with(client, world, "officer").get(attach_url(made)).content.decode()
    assert "Library opening hours" not in again  # already attached
    assert plan.title in again


def client_with(client, world, role):
    client.force_login(world.user(role))
    return client


def test_choosing_nothing_says_what_to_do(client, world):
    made = report(world)
    a_consultation(world)
    response = client_with(client, world, "officer").post(attach_url(made), {"confirm": "yes"})
    assert response.status_code == 400
    assert "Choose a consultation or a commissioning plan" in response.content.decode()


def test_a_consultation_of_another_organisation_cannot_be_forged_into_the_form(client, world):
    made = report(world)
    theirs = a_consultation(world, lead=world.trust)
    response = client_with(client, world, "officer").post(
        attach_url(made), {"target": f"consultation-{theirs.pk}", "confirm": "yes"}
    )
    assert response.status_code == 400
    assert not ProofingEvidence.objects.exists()


def test_with_nothing_to_attach_to_the_page_says_so(client, world):
    made = report(world)
    page = client_with(client, world, "officer").get(attach_url(made)).content.decode()
    assert "has no consultation or commissioning plan" in page


@pytest.mark.parametrize(
    "role, expected",
    [("member", 403), ("support", 403), ("staff", 403), ("outsider", 404), ("trust_officer", 404)],
)
def test_only_the_organisations_officers_attach_its_reports(client, world, role, expected):
    made = report(world)
    assert client_with(client, world, role).get(attach_url(made)).status_code == expected


def test_a_public_report_keeps_its_uploaded_file_private(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = services.report_create(
        organisation=world.council,
        compact=world.leicester,
        kind="other",
        title="Leaflet",
        uploaded=SimpleUploadedFile("leaflet.txt", b"We keep to the Leicester Compact."),
        by=world.user("officer"),
        now=NOW,
    )
    services.report_attach(
        report=made, consultation=a_consultation(world), by=world.user("officer"), now=NOW
    )
    document = reverse("proofing:document", args=[made.pk])
    assert (
        document
        not in client_with(client, world, "outsider").get(made.get_absolute_url()).content.decode()
    )
    assert client.get(document).status_code == 404
    assert client_with(client, world, "member").get(document).status_code == 200


# The template tag ----------------------------------------------------------------------------


def render_tag(target) -> str:
    return Template("{% load proofing %}{% proofing_evidence target %}").render(
        Context({"target": target})
    )


def test_the_tag_lists_the_attached_reports_with_links(world):
    consultation = a_consultation(world)
    failing = report(world, kind="consultation", text=consultation_text(weeks=6), title="Paper")
    passing = report(world, title="Leaflet")
    for made in (failing, passing):
        services.report_attach(
            report=made, consultation=consultation, by=world.user("officer"), now=NOW
        )
    html = render_tag(consultation)
    assert "Compact-proofing" in html
    assert failing.get_absolute_url() in html and "1 to fix" in html
    assert passing.get_absolute_url() in html and "Passes" in html
    assert reverse("proofing:verified", args=[passing.reference]) in html


def test_the_tag_shows_nothing_when_no_report_is_attached(world):
    report(world)  # a private report of the same organisation is never shown
    assert render_tag(a_consultation(world)).strip() == ""
    assert render_tag(a_plan(world)).strip() == ""


def test_the_tag_makes_one_query_whatever_the_number_of_reports(world):
    plan = a_plan(world)
    services.report_attach(report=report(world), plan=plan, by=world.user("officer"), now=NOW)
    with CaptureQueriesContext(connection) as few:
        render_tag(plan)
    for number in range(5):
        services.report_attach(
            report=report(world, title=f"Draft {number}"),
            plan=plan,
            by=world.user("officer"),
            now=NOW,
        )
    with CaptureQueriesContext(connection) as many:
        html = render_tag(plan)
    assert html.count("<li>") == 6
    assert len(few) == len(many) == 1


def test_the_report_page_makes_the_same_number_of_queries_however_often_attached(client, world):
    made = report(world)
    client.force_login(world.user("member"))
    services.report_attach(
        report=made, consultation=a_consultation(world), by=world.user("officer"), now=NOW
    )
    with CaptureQueriesContext(connection) as once:
        client.get(made.get_absolute_url())
    for number in range(4):
        services.report_attach(
            report=made,
            plan=a_plan(world, title=f"Plan {number}"),
            by=world.user("officer"),
            now=NOW,
        )
    with CaptureQueriesContext(connection) as five:
        page = client.get(made.get_absolute_url()).content.decode()
    assert "Plan 3" in page
    assert len(once) == len(five)


# The compact mark ------------------------------------------------------------------------------


def test_a_passing_report_offers_the_mark_with_its_reference_and_alt_text(client, world):
    made = report(world)
    page = client_with(client, world, "member").get(made.get_absolute_url()).content.decode()
    assert made.reference.startswith("CP-") and len(made.reference) == 17
    mark_url = reverse("proofing:mark", args=[made.reference])
    assert f'src="{mark_url}"' in page
    assert f'alt="{made.mark_alt_text}"' in page
    assert "Download the compact mark" in page
    assert reverse("proofing:verified", args=[made.reference]) in page
    assert made.mark_alt_text == (
        f"Compact-proofed against the Leicester Compact: checked on 4 March 2026, "
        f"reference {made.reference}"
    )


def test_a_failing_report_has_no_reference_and_offers_no_mark(client, world):
    made = report(world, kind="consultation", text=consultation_text(weeks=6))
    page = client_with(client, world, "member").get(made.get_absolute_url()).content.decode()
    assert made.reference is None
    assert "Download the compact mark" not in page
    # no link to a mark of its own (the footer links the page that checks marks)
    assert re.search(r'/proofing/marks/[^"/]+/', page) is None


def test_the_mark_is_an_svg_naming_the_compact_reference_and_date(client, world):
    made = report(world, title='A <script>alert("x")</script> draft')
    response = client.get(reverse("proofing:mark", args=[made.reference]))
    svg = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert svg.startswith("<?xml")
    assert "Leicester Compact" in svg and made.reference in svg and "4 March 2026" in svg
    assert f'<title id="mark-title">{made.mark_alt_text}</title>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    download = client.get(reverse("proofing:mark", args=[made.reference]), {"download": ""})
    assert download["Content-Disposition"] == (
        f'attachment; filename="compact-mark-{made.reference}.svg"'
    )


def test_anyone_can_verify_a_genuine_mark(client, world):
    made = report(world, title="Newsletter, spring")
    response = client.get(reverse("proofing:verify"), {"reference": made.reference.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("proofing:verified", args=[made.reference])
    page = client.get(response["Location"]).content.decode()
    assert "This compact mark is genuine" in page
    assert "Newsletter, spring" in page and "Testshire Council" in page
    assert "4 March 2026" in page


@pytest.mark.parametrize("reference", ["CP-AAAA-BBBB-CCCC", "nonsense"])
def test_an_unknown_reference_is_not_a_mark(client, world, reference):
    response = client.get(reverse("proofing:verify"), {"reference": reference})
    assert response.status_code == 404
    assert "No compact mark has this reference" in response.content.decode()
    assert client.get(reverse("proofing:verified", args=[reference])).status_code == 404
    assert client.get(reverse("proofing:mark", args=[reference])).status_code == 404


def test_a_failing_report_cannot_be_verified_even_by_guessing(client, world):
    made = report(world, kind="consultation", text=consultation_text(weeks=6))
    ProofingReport.objects.filter(pk=made.pk).update(reference="CP-AAAA-BBBB-CCCC")
    assert client.get(reverse("proofing:verified", args=["CP-AAAA-BBBB-CCCC"])).status_code == 404


def test_an_empty_reference_is_asked_for(client, world):
    response = client.get(reverse("proofing:verify"), {"reference": ""})
    assert response.status_code == 400
    assert "Enter the reference printed on the compact mark" in response.content.decode()


def test_the_plan_page_and_the_consultation_page_show_their_evidence(client, world):
    plan, consultation = a_plan(world), a_consultation(world)
    made = report(world)
    services.report_attach(report=made, plan=plan, by=world.user("officer"), now=NOW)
    other = report(world)
    services.report_attach(
        report=other, consultation=consultation, by=world.user("officer"), now=NOW
    )
    plan_page = client.get(reverse("funding:plan", args=[plan.pk])).content.decode()
    assert "Compact-proofing" in plan_page and made.get_absolute_url() in plan_page
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Compact-proofing" in page and other.get_absolute_url() in page
