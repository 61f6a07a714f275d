"""The report's figures, counted by hand from small fixtures, section by section."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from localcompact.reports.selectors import figure_rows, governance_section, report_figures

from .conftest import TODAY, YEAR, obligation, signature

D = dt.date


def AT(*ymd, hour=12):
    return timezone.make_aware(dt.datetime(*ymd, hour))


def section(figures, key):
    return next(s for s in figures["sections"] if s["key"] == key)


def value(figures, section_key, figure_key):
    f = next(f for f in section(figures, section_key)["figures"] if f["key"] == figure_key)
    return f["this"], f["previous"], f["change"]


def test_a_compact_with_no_activity_has_zeros_and_none_not_errors(world):
    from localcompact.organisations.models import Signature

    Signature.objects.all().delete()
    figures = report_figures(compact=world.leicester, year=YEAR, today=TODAY)
    assert value(figures, "signatories", "joined") == (0, 0, 0)
    assert value(figures, "consultations", "opened") == (0, 0, 0)
    assert value(figures, "consultations", "minimum-period") == (None, None, None)
    assert "informing-notices" not in [f["key"] for f in section(figures, "notices")["figures"]]
    assert value(figures, "disagreements", "raised") == (0, 0, 0)
    assert value(figures, "disagreements", "median-days") == (None, None, None)
    assert value(figures, "governance", "actions-due") == (0, 0, 0)
    assert value(figures, "volunteering", "volunteers") == (0, 0, 0)
    assert value(figures, "compliance", "all") == (None, None, None)
    assert section(figures, "compliance")["by_code"] == []
    assert all(len(row) == 5 for row in figure_rows(figures))


def test_signatories_joined_withdrawn_and_standing_year_on_year(world):
    from localcompact.organisations.models import Organisation

    late = Organisation.objects.create(name="Late Joiner", slug="late", sector="vcs")
    gone = Organisation.objects.create(name="Gone Away", slug="gone", sector="vcs")
    signature(world.leicester, late, D(2025, 6, 1))
    signature(world.leicester, gone, D(2024, 3, 1), withdrawn_on=D(2025, 9, 1))
    figures = report_figures(compact=world.leicester, year=YEAR, today=TODAY)
    assert value(figures, "signatories", "joined") == (1, 3, -2)
    assert value(figures, "signatories", "withdrawn") == (1, 0, 1)
    # end of 2025: council, trust, late joiner; end of 2024: council, trust, gone away
    assert value(figures, "signatories", "standing") == (3, 3, 0)


def test_consultation_shares_are_kept_on_time_out_of_those_decided(world):
    c = world.leicester
    for status in ("met", "met", "met", "missed"):
        obligation(c, "consultation-minimum-period", D(2025, 4, 1), status)
    obligation(
        c,
        "consultation-minimum-period",
        D(2025, 5, 1),
        "excused",
        excuse_reason="A statutory deadline left eight weeks",
        summary="Minimum: Parks",
    )
    obligation(c, "consultation-minimum-period", D(2024, 5, 1), "met")
    obligation(c, "consultation-minimum-period", D(2024, 6, 1), "met_late")
    obligation(c, "consultation-feedback", D(2025, 7, 1), "met")
    obligation(c, "consultation-feedback", D(2025, 8, 1), "met_late")
    obligation(c, "consultation-feedback", D(2023, 8, 1), "missed")  # outside both years
    figures = report_figures(compact=c, year=YEAR, today=TODAY)
    assert value(figures, "consultations", "minimum-period") == (75, 50, 25)
    assert value(figures, "consultations", "feedback") == (50, None, None)
    assert value(figures, "consultations", "exceptions") == (1, 0, 1)
    kind = c.current_version.standards.get(ident="consultation-minimum-period").exception_kind
    assert value(figures, "consultations", f"exceptions-{kind}") == (1, 0, 1)
    [listed] = section(figures, "consultations")["lists"]
    assert listed["items"] == [
        "Minimum: Parks (due 1 May 2025): legally impossible: A statutory deadline left eight weeks"
    ]


def test_consultations_count_those_that_opened_in_the_year(world):
    from localcompact.consultations.models import Consultation

    def consultation(opens_on, status="open", level="consulting"):
        return Consultation.objects.create(
            compact=world.leicester,
            version=world.leicester.current_version,
            lead=world.council,
            level=level,
            title="A consultation",
            summary="s",
            open_to_change="o",
            who_affected="w",
            announced_on=opens_on,
            opens_on=opens_on,
            closes_on=opens_on + dt.timedelta(days=90),
            status=status,
            status_changed_on=opens_on,
        )

    consultation(D(2025, 2, 1))
    consultation(D(2025, 3, 1), status="feedback", level="informing")
    consultation(D(2025, 11, 1), status="planned")  # never opened: not counted
    consultation(D(2024, 2, 1), status="closed")
    figures = report_figures(compact=world.leicester, year=YEAR, today=TODAY)
    assert value(figures, "consultations", "opened") == (2, 1, 1)
    assert value(figures, "consultations", "consulting") == (1, 1, 0)


def test_notices_from_the_informing_and_meeting_standards(world_two):
    h = world_two.herefordshire
    obligation(h, "informing-notice-period", D(2025, 1, 10), "met")
    obligation(h, "informing-notice-period", D(2025, 1, 11), "missed")
    obligation(h, "meeting-notice", D(2025, 2, 10), "met")
    obligation(h, "meeting-notice", D(2024, 2, 10), "missed")
    obligation(h, "meeting-notice", D(2025, 12, 30), "not_yet_due")
    figures = report_figures(compact=h, year=YEAR, today=TODAY)
    assert value(figures, "notices", "informing-notices") == (50, None, None)
    assert value(figures, "notices", "meeting-notices") == (100, 0, 100)
    rows = {r["ident"]: r for r in section(figures, "notices")["standards"]}
    assert rows["meeting-notice"]["this"]["open"] == 1


def test_funding_awards_payments_and_standards(world):
    from localcompact.funding.models import Award, Payment

    c = world.leicester

    def award(on, amount):
        return Award.objects.create(
            version=c.current_version,
            funder=world.council,
            recipient=world.trust,
            kind="grant",
            title="A grant",
            description="d",
            amount=amount,
            award_date=on,
            agreed_on=on,
            starts_on=on,
            ends_on=on + dt.timedelta(days=365),
        )

    a = award(D(2025, 3, 1), 1000)
    award(D(2025, 4, 1), 500)
    award(D(2024, 4, 1), 2000)
    Payment.objects.create(
        award=a,
        due_on=D(2025, 4, 1),
        amount=100,
        expenditure_starts_on=D(2025, 4, 1),
        paid_on=D(2025, 3, 30),
    )
    obligation(c, "funding-confirmed-before-start", D(2025, 1, 1), "met")
    obligation(c, "funding-confirmed-before-start", D(2025, 1, 2), "missed")
    obligation(c, "payment-on-time", D(2025, 5, 1), "met")
    obligation(c, "payment-in-advance", D(2025, 5, 1), "met_late")
    obligation(c, "funding-decision-notice", D(2024, 5, 1), "met")
    figures = report_figures(compact=c, year=YEAR, today=TODAY)
    assert value(figures, "funding", "awards") == (2, 1, 1)
    assert value(figures, "funding", "awarded") == (1500.0, 2000.0, -500.0)
    assert value(figures, "funding", "payments") == (1, 0, 1)
    assert value(figures, "funding", "funding-confirmed") == (50, None, None)
    assert value(figures, "funding", "paid-on-time") == (100, None, None)
    assert value(figures, "funding", "paid-in-advance") == (0, None, None)
    assert value(figures, "funding", "decision-notice") == (None, 100, None)


def test_governance_actions_and_outcome_indicators(world):
    from localcompact.governance.models import Action, ActionPlan

    c = world.leicester
    plan = ActionPlan.objects.create(
        compact=c,
        version=c.current_version,
        title="Plan",
        starts_on=D(2024, 1, 1),
        ends_on=D(2026, 12, 31),
        agreed_on=D(2024, 1, 1),
    )
    draft = ActionPlan.objects.create(
        compact=c,
        version=c.current_version,
        title="Draft",
        starts_on=D(2024, 1, 1),
        ends_on=D(2026, 12, 31),
    )

    def action(p, due, status, done_on=None):
        # Added before history was kept: counted as it stands, having existed by then.
        a = Action.objects.create(
            plan=p, title="x", owner=world.council, due_on=due, status=status, done_on=done_on
        )
        a.history.all().delete()
        Action.objects.filter(pk=a.pk).update(created_at=AT(2024, 1, 1))

    action(plan, D(2025, 3, 1), "done", D(2025, 2, 1))
    action(plan, D(2025, 3, 1), "done", D(2025, 4, 1))
    action(plan, D(2025, 6, 1), "in_progress")
    action(plan, D(2025, 6, 1), "dropped")
    action(plan, D(2024, 6, 1), "done", D(2024, 6, 1))
    action(draft, D(2025, 6, 1), "not_started")  # not agreed: not counted
    # Added after the year's end with no history by then: left out.
    Action.objects.create(plan=plan, title="x", owner=world.council, due_on=D(2025, 6, 1))
    obligation(c, "consultation-minimum-period", D(2025, 4, 1), "met")
    obligation(c, "consultation-minimum-period", D(2024, 4, 1), "missed")
    figures = report_figures(compact=c, year=YEAR, today=TODAY)
    assert value(figures, "governance", "actions-due") == (4, 1, 3)
    assert value(figures, "governance", "actions-done") == (2, 1, 1)
    assert value(figures, "governance", "actions-on-time") == (25, 100, -75)
    assert value(figures, "governance", "actions-overdue") == (1, 0, 1)
    outcome = next(
        o for o in section(figures, "governance")["outcomes"] if o["id"] == "consultation"
    )
    indicator = next(
        i for i in outcome["indicators"] if i["ident"] == "consultation-minimum-period"
    )
    assert (indicator["this"], indicator["previous"], indicator["change"]) == (100, 0, 100)


def _plan(c):
    from localcompact.governance.models import ActionPlan

    return ActionPlan.objects.create(
        compact=c,
        version=c.current_version,
        title="Plan",
        starts_on=D(2024, 1, 1),
        ends_on=D(2026, 12, 31),
        agreed_on=D(2024, 1, 1),
    )


def _tracked(plan, owner, due, *changes):
    """An action added on 1 February 2025, then changed: (when, status, done_on)..."""
    from localcompact.governance.models import Action

    a = Action(plan=plan, title="x", owner=owner, due_on=due)
    a._history_date = AT(2025, 2, 1)
    a.save()
    for at, status, done_on in changes:
        a.status, a.done_on, a._history_date = status, done_on, at
        a.save()
    return a


def test_actions_are_counted_as_they_stood_at_the_years_end(world):
    c = world.leicester
    plan = _plan(c)
    # Done before the end of 2025, and done a fortnight after it (late, so not on time).
    _tracked(plan, world.council, D(2025, 12, 15), (AT(2025, 12, 20), "done", D(2025, 12, 20)))
    _tracked(
        plan,
        world.council,
        D(2025, 12, 15),
        (AT(2025, 6, 1), "in_progress", None),
        (AT(2026, 1, 10), "done", D(2026, 1, 10)),
    )
    # Due in 2026 and done in it, before the day the report is made.
    _tracked(plan, world.council, D(2026, 2, 1), (AT(2026, 1, 20), "done", D(2026, 1, 20)))
    last = report_figures(compact=c, year=2025, today=TODAY)
    assert value(last, "governance", "actions-done")[0] == 1
    assert value(last, "governance", "actions-in-progress")[0] == 1
    assert value(last, "governance", "actions-overdue")[0] == 1
    # The next year's report: the same figures for 2025, and 2026's done by its own date.
    after = report_figures(compact=c, year=2026, today=D(2027, 1, 5))
    assert value(after, "governance", "actions-done")[:2] == (1, 1)
    assert value(after, "governance", "actions-in-progress")[:2] == (0, 1)
    assert value(after, "governance", "actions-overdue")[:2] == (0, 1)
    # Looked at during 2025, before the first was done: neither is.
    during = report_figures(compact=c, year=2025, today=D(2025, 12, 1))
    assert value(during, "governance", "actions-done")[0] == 0


def test_dated_progress_counts_for_the_day_it_gives(world):
    # Recorded in January as done on 20 December; and an action older than its history
    # whose progress was logged in the year: the progress log's dates decide.
    from localcompact.governance import services
    from localcompact.governance.models import Action

    c = world.leicester
    plan = _plan(c)
    backdated = services.action_add(
        plan=plan, title="x", owner=world.council, due_on=D(2025, 12, 15), by=world.user("support")
    )
    services.action_progress(
        action=backdated, status="done", text="Done", on=D(2025, 12, 20), by=world.user("support")
    )
    older = services.action_add(
        plan=plan, title="y", owner=world.council, due_on=D(2025, 12, 15), by=world.user("support")
    )
    services.action_progress(
        action=older, status="in_progress", text="Begun", on=D(2025, 6, 1), by=world.user("support")
    )
    services.action_progress(
        action=older, status="done", text="Done", on=D(2026, 1, 10), by=world.user("support")
    )
    older.history.all().delete()
    Action.objects.filter(pk__in=[backdated.pk, older.pk]).update(created_at=AT(2026, 1, 12))
    figures = report_figures(compact=c, year=2025, today=D(2026, 2, 1))
    assert value(figures, "governance", "actions-due")[0] == 2
    assert value(figures, "governance", "actions-done")[0] == 1
    assert value(figures, "governance", "actions-in-progress")[0] == 1


def test_the_action_counts_take_the_same_queries_whatever_the_number(world):
    c = world.leicester
    plan = _plan(c)
    version = c.current_version
    standards = list(version.standards.order_by("position"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            governance_section(c, 2025, standards, {}, {}, TODAY)
        return len(queries)

    _tracked(plan, world.council, D(2025, 6, 1), (AT(2025, 7, 1), "done", D(2025, 7, 1)))
    count()  # the compact's version and outcomes, read once
    before = count()
    for n in range(4):
        _tracked(
            plan,
            world.trust,
            D(2025, 3, 1 + n),
            (AT(2025, 4, 1), "in_progress", None),
            (AT(2026, 1, 2), "done", D(2026, 1, 2)),
        )
    assert count() == before


def test_volunteering_counts_signatories_figures(world):
    from localcompact.organisations.models import Organisation
    from localcompact.volunteering.models import VolunteeringFigures

    stranger = Organisation.objects.create(name="Not signed", slug="not-signed", sector="vcs")
    VolunteeringFigures.objects.create(
        organisation=world.trust, year=2025, volunteers=40, hours=900, business_volunteers=3
    )
    VolunteeringFigures.objects.create(
        organisation=world.council, year=2025, volunteers=10, hours=100
    )
    VolunteeringFigures.objects.create(
        organisation=world.trust, year=2024, volunteers=30, hours=800
    )
    VolunteeringFigures.objects.create(organisation=stranger, year=2025, volunteers=99, hours=99)
    figures = report_figures(compact=world.leicester, year=YEAR, today=TODAY)
    assert value(figures, "volunteering", "reporting") == (2, 1, 1)
    assert value(figures, "volunteering", "volunteers") == (50, 30, 20)
    assert value(figures, "volunteering", "hours") == (1000, 800, 200)
    assert value(figures, "volunteering", "business") == (3, 0, 3)


def test_compliance_agrees_with_the_compliance_page(world):
    from localcompact.obligations.selectors import compliance_figures

    c = world.leicester
    obligation(c, "consultation-minimum-period", D(2025, 4, 1), "met")
    obligation(c, "payment-on-time", D(2025, 4, 1), "missed")
    obligation(c, "payment-on-time", D(2025, 4, 2), "cancelled")  # no longer owed: left out
    obligation(c, "payment-on-time", D(2024, 4, 2), "met")
    figures = report_figures(compact=c, year=YEAR, today=TODAY)
    groups = compliance_figures(
        version=c.current_version, date_from=D(2025, 1, 1), date_to=D(2025, 12, 31)
    )
    page = {row.ident: row.counts for g in groups for row in g.rows}
    report = {
        r["ident"]: [r["this"][k] for k in ("met", "met_late", "missed", "excused", "open")]
        for r in section(figures, "compliance")["by_standard"]
    }
    assert report == page
    assert value(figures, "compliance", "all") == (50, 100, -50)
    assert value(figures, "compliance", "all-due") == (2, 1, 1)
    assert value(figures, "compliance", "standard-payment-on-time") == (0, 100, -100)


def test_disagreements_counts_only(world):
    figures = report_figures(compact=world.leicester, year=YEAR, today=TODAY)
    disagreements = section(figures, "disagreements")
    assert disagreements["published"] == []
    assert value(figures, "disagreements", "raised") == (0, 0, 0)


def test_the_csv_rows_have_every_figure(world):
    figures = report_figures(compact=world.leicester, year=YEAR, today=TODAY)
    rows = figure_rows(figures)
    assert len(rows) == sum(len(s["figures"]) for s in figures["sections"])
    assert ("Signatories", "Organisations that signed", 0, 2, -2) in rows
