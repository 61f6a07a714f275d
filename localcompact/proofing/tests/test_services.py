"""Making a compact-proofing report: what it finds, against the shipped compacts."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from localcompact.compacts.models import Standard
from localcompact.proofing import services
from localcompact.proofing.checks import proof
from localcompact.proofing.models import ProofingDocument

from .conftest import NOW
from .factories import consultation, report

pytestmark = pytest.mark.django_db


def kinds(report, level=None):
    return [f["kind"] for f in report.findings if level is None or f["level"] == level]


def finding(report, kind):
    return next(f for f in report.findings if f["kind"] == kind)


def test_a_consultation_shorter_than_the_compacts_minimum_does_not_pass(world):
    made = report(world, kind="consultation", text=consultation(weeks=6))
    period = finding(made, "consultation-period")
    standard = Standard.objects.get(
        version=world.leicester.current_version, ident="consultation-minimum-period"
    )
    assert period["level"] == "blocking"
    assert period["clause"] == f"{standard.source.file} {standard.clause_ref}"
    assert "must run until at least" in period["detail"]
    assert standard.exception_summary in period["detail"]
    assert not made.passes and made.blocking == 1
    assert made.mark == ""


def test_a_consultation_as_long_as_the_minimum_passes_and_carries_the_mark(world):
    version = world.leicester.current_version
    standard = Standard.objects.get(version=version, ident="consultation-minimum-period")
    weeks = standard.params["period"]["count"]  # from the definition, not from here
    made = report(world, kind="consultation", text=consultation(weeks=weeks))
    assert finding(made, "consultation-period")["level"] == "ok"
    assert made.passes and made.blocking == 0
    assert made.mark == f"Compact-proofed against the {version.name}, 4 March 2026"


def test_a_consultation_is_checked_in_the_compacts_own_words_and_period(world):
    # Herefordshire: a "should" with an exception by agreement, at its own clause
    made = report(
        world,
        compact=world.herefordshire,
        kind="consultation",
        text=consultation(weeks=4, compact_name="Herefordshire Compact"),
    )
    period = finding(made, "consultation-period")
    assert period["level"] == "blocking"
    assert period["clause"].endswith("10.2.1")


def test_a_best_practice_period_that_is_missed_is_advice_not_a_block(world):
    city = world.leicester.__class__.objects.get(slug="city-together")
    made = report(
        world,
        compact=city,
        kind="consultation",
        text=consultation(weeks=4, compact_name="City Together Compact"),
    )
    assert finding(made, "consultation-period")["level"] == "warning"
    assert made.passes


def test_a_consultation_without_dates_is_asked_for_them(world):
    made = report(
        world,
        kind="consultation",
        text="We want your views on the library, as the Leicester Compact asks. Reply online.",
    )
    dates = finding(made, "consultation-dates")
    assert dates["level"] == "blocking"
    assert dates["title"] == "The draft does not say when it opens or when it closes"


def test_a_closing_date_before_the_opening_date_is_refused(world):
    text = (
        "Under the Leicester Compact we consult. The consultation opens on 4 March 2026. "
        "It closes on 1 March 2026."
    )
    made = report(world, kind="consultation", text=text)
    assert (
        finding(made, "consultation-dates")["title"]
        == "The closing date is before the opening date"
    )


def test_a_draft_that_does_not_refer_to_the_compact_does_not_pass(world):
    made = report(world, text="We will repair the roof of the town hall next spring.")
    reference = finding(made, "compact-reference")
    assert reference["level"] == "blocking"
    assert not made.passes


def test_the_redcar_glossary_entry_on_compact_proofing_is_cited(world):
    made = report(world, compact=world.redcar, text="Nothing about any agreement here.")
    assert finding(made, "compact-reference")["clause"] == (
        "002_41c5fa4d4a1baeb0.txt Jargon Buster, Compact-proofing and branding"
    )


def test_the_compact_may_be_named_with_and_for_an_ampersand(world):
    made = report(world, compact=world.redcar, text="We follow the Redcar and Cleveland Compact.")
    assert finding(made, "compact-reference")["level"] == "ok"


def test_a_compact_mentioned_but_not_named_is_a_warning(world):
    made = report(world, text="We follow the Compact in all we do.")
    assert finding(made, "compact-reference")["level"] == "warning"
    assert made.passes


def test_jargon_the_glossary_explains_is_told_apart_from_jargon_it_does_not(world):
    text = (
        "Under the Leicester Compact, stakeholders will see a step change, going forward. "
        "Co-production means designing the service with the people who use it."
    )
    made = report(world, text=text)
    glossary = finding(made, "jargon-glossary")
    unexplained = finding(made, "jargon-unexplained")
    assert glossary["level"] == "info"
    assert any(
        item.startswith("Stakeholders (004_2de5eed66f52019d.txt") for item in glossary["items"]
    )
    assert unexplained["level"] == "warning"
    assert [item.split("\u201d")[0].lstrip("\u201c") for item in unexplained["items"]] == [
        "going forward",
        "step change",
    ]
    assert finding(made, "jargon-explained")["items"] == ["co-production"]


def test_an_abbreviation_spelt_out_in_brackets_counts_as_explained(world):
    made = report(
        world, text="The voluntary and community sector (VCS) and the Leicester Compact. The VCS."
    )
    assert "jargon-unexplained" not in kinds(made)


def test_the_plain_english_measures_are_kept(world):
    long = "We " + " ".join(["really"] * 30) + " want to hear from you."
    made = report(world, text=f"The Leicester Compact. {long} The plan was agreed by us.")
    assert made.measures["sentences"] == 3
    assert made.measures["long_sentences"] == 1
    assert made.measures["passive_sentences"] == 1
    assert finding(made, "long-sentences")["level"] == "warning"
    assert finding(made, "passive-voice")["items"] == [
        "The plan was agreed by us. (\u201cwas agreed\u201d)"
    ]


def test_a_funding_plan_is_checked_for_what_the_compacts_funding_standards_ask(world):
    text = (
        "This funding plan keeps to the Leicester Compact. Every grant includes a share of "
        "overheads. Payments are made in advance."
    )
    made = report(world, kind="funding_plan", text=text)
    titles = {f["title"]: f for f in made.findings if f["kind"] == "funding-element"}
    overheads = titles["Covered: Grants include overhead costs"]
    assert overheads["level"] == "ok"
    assert overheads["clause"] == "004_2de5eed66f52019d.txt Annex B n"
    assert titles["Covered: Payment offered ahead of spending"]["level"] == "ok"
    missing = titles["Missing: Funding confirmed two months before a project starts"]
    assert missing["level"] == "blocking"
    assert not made.passes


def test_a_funding_plan_without_overheads_or_notice_of_ending_is_told_so(world):
    made = report(
        world,
        compact=world.redcar,
        kind="funding_plan",
        text="Our plan under the Redcar & Cleveland Compact funds three projects.",
    )
    missing = [
        f for f in made.findings if f["kind"] == "funding-element" and f["level"] == "blocking"
    ]
    titles = {f["title"] for f in missing}
    assert "Missing: Enough notice of the end of a grant or contract" in titles
    assert all(f["clause"].startswith("002_41c5fa4d4a1baeb0.txt") for f in missing)


def test_an_element_the_tool_cannot_look_for_is_left_to_a_person(world, monkeypatch):
    from localcompact.proofing import checks

    monkeypatch.delitem(checks.ELEMENT_CUES, "overhead-costs-included")
    proofed = proof(
        text="Leicester Compact funding plan.",
        kind="funding_plan",
        version=world.leicester.current_version,
    )
    by_hand = [
        f for f in proofed.findings if f["title"] == "Check by hand: Grants include overhead costs"
    ]
    assert by_hand and by_hand[0]["level"] == "info"


def test_other_publications_get_no_date_or_funding_checks(world):
    made = report(world, kind="other", text="Leicester Compact. Opens 1 March 2026.")
    assert not {"consultation-period", "consultation-dates", "funding-element"} & set(kinds(made))


def test_an_uploaded_text_file_is_checked_and_kept(world):
    upload = SimpleUploadedFile(
        "parks draft.txt", consultation(weeks=6).encode("utf-8"), content_type="text/plain"
    )
    made = services.report_create(
        organisation=world.council,
        compact=world.leicester,
        kind="consultation",
        title="Parks",
        uploaded=upload,
        by=world.user("officer"),
        now=NOW,
    )
    document = ProofingDocument.objects.get(report=made)
    assert document.original_name == "parks draft.txt"
    assert document.uploaded_by == world.user("officer")
    assert "library service" in made.text
    assert not made.passes


def test_a_file_that_is_not_utf8_is_refused(world):
    upload = SimpleUploadedFile("draft.txt", "caf\xe9 ".encode("latin-1") * 5)
    with pytest.raises(services.Refused) as refused:
        services.report_create(
            organisation=world.council,
            compact=world.leicester,
            kind="other",
            title="Draft",
            uploaded=upload,
            by=world.user("officer"),
            now=NOW,
        )
    assert refused.value.field == "document"


@pytest.mark.parametrize(
    "changes, field",
    [({"text": "   "}, "text"), ({"kind": "poem"}, "kind"), ({"text": "x" * 200_001}, "text")],
)
def test_a_draft_that_cannot_be_checked_is_refused_with_the_field_to_fix(world, changes, field):
    arguments = {
        "organisation": world.council,
        "compact": world.leicester,
        "kind": "other",
        "title": "Draft",
        "text": "Some text.",
        "by": world.user("officer"),
        "now": NOW,
        **changes,
    }
    with pytest.raises(services.Refused) as refused:
        services.report_create(**arguments)
    assert refused.value.field == field


def test_making_a_report_is_audited(world, caplog):
    with caplog.at_level(logging.INFO, logger="localcompact.audit"):
        made = report(world)
    assert any(
        "proofing.report-made" in r.getMessage()
        or getattr(r, "event", "") == "proofing.report-made"
        for r in caplog.records
    ), [r.getMessage() for r in caplog.records]
    assert made.created_by == world.user("officer") and made.created_at == NOW


def test_the_check_uses_the_version_current_when_the_report_is_made(world):
    made = report(world)
    assert made.version_id == world.leicester.current_version_id
