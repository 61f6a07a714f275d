"""Planning against each compact's standards, the lifecycle, responses and feedback."""

import datetime as dt

import pytest
from django.core import mail

from localcompact.obligations.models import Obligation, ObligationEvent
from localcompact.obligations.models import Status as O

from .. import services
from ..models import ConsultationEvent, Level, Response, ResponseKind, Status, Tag
from ..obligations import consultation_declared
from .conftest import TODAY

pytestmark = pytest.mark.django_db


def obligations(source):
    return {
        o.key: o
        for o in Obligation.objects.filter(
            source_id=source.pk, source_type__model=source._meta.model_name
        )
    }


# --- Timing against the compact -----------------------------------------------------------


def test_herefordshire_refuses_a_ten_week_consultation_without_a_recorded_agreement(world):
    with pytest.raises(services.Refused) as refused:
        world.plan("herefordshire", weeks=10)
    assert refused.value.field == "closes_on"
    assert "10.2.1" in refused.value.message and "only by agreement" in refused.value.message
    assert not ConsultationEvent.objects.exists()


def test_herefordshire_refuses_an_agreement_that_does_not_say_who_agreed(world):
    with pytest.raises(services.Refused) as refused:
        world.plan("herefordshire", weeks=10, short_reason="The budget deadline.")
    assert refused.value.field == "short_agreed_by"
    assert "Say who agreed" in refused.value.message


def test_herefordshire_takes_ten_weeks_by_agreement_and_excuses_the_obligation(world):
    c = world.plan(
        "herefordshire",
        weeks=10,
        short_reason="The budget must be set by law before the usual period ends.",
        short_agreed_by="VCS Forum chair, 3 February",
    )
    assert c.short_period_kind == "by_agreement"
    assert c.short_period_agreed_by == "VCS Forum chair, 3 February"
    minimum = obligations(c)["consultation-minimum-period"]
    assert minimum.status == O.EXCUSED
    assert minimum.excuse_agreed_by == "VCS Forum chair, 3 February"


def test_twelve_weeks_under_herefordshire_needs_no_exception_and_is_met_when_it_runs(world):
    c = world.plan("herefordshire", weeks=12)
    minimum = obligations(c)["consultation-minimum-period"]
    assert minimum.due_on == c.opens_on + dt.timedelta(weeks=12)
    assert minimum.status == O.NOT_YET_DUE
    assert c.short_period_kind == ""


def test_leicester_allows_a_shorter_period_only_where_the_law_prevents_twelve_weeks(world):
    with pytest.raises(services.Refused) as refused:
        world.plan("leicester", weeks=8)
    assert "where the law makes it impossible" in refused.value.message
    c = world.plan("leicester", weeks=8, short_reason="The regulations fix a six-week window.")
    assert c.short_period_kind == "where_legally_impossible"
    assert obligations(c)["consultation-minimum-period"].status == O.EXCUSED


def test_city_together_shows_stated_reasons_and_asks_for_an_agreed_feedback_date(world):
    with pytest.raises(services.Refused) as refused:
        world.plan("city-together", weeks=12, feedback_by=None)
    assert refused.value.field == "feedback_by"
    c = world.plan("city-together", weeks=6, short_reason="Government guidance sets the deadline.")
    assert c.short_period_kind == "stated_reasons"
    feedback = obligations(c)["consultation-feedback"]
    assert feedback.due_on == c.feedback_by


def test_redcar_needs_announcing_before_opening_and_reasons_for_a_shorter_period(world):
    with pytest.raises(services.Refused) as refused:
        world.plan("redcar-cleveland", opens_on=TODAY)
    assert refused.value.field == "opens_on"
    with pytest.raises(services.Refused):
        world.plan("redcar-cleveland", weeks=9)
    c = world.plan("redcar-cleveland", weeks=9, short_reason="Generally twelve; urgent repairs.")
    assert obligations(c)["consultation-announced-in-advance"].status == O.MET


def test_a_vcs_body_consulting_its_stakeholders_owes_only_what_all_parties_owe(world):
    c = world.plan("leicester", lead=world.charity, by=world.charity_officer, weeks=4)
    # Leicester's 12 weeks are owed by the public sector, not by a charity
    assert "consultation-minimum-period" not in obligations(c)


def test_a_public_body_that_has_not_signed_cannot_lead_one(world):
    world.council.signatures.all().delete()
    with pytest.raises(services.Refused) as refused:
        world.plan("herefordshire")
    assert refused.value.field == "lead"


def test_only_officers_of_the_lead_body_plan(world):
    with pytest.raises(services.Refused):
        world.plan("herefordshire", by=world.member)
    with pytest.raises(services.Refused):
        world.plan("herefordshire", by=world.other_officer)


def test_an_informing_level_record_is_not_held_to_the_consulting_standards(world):
    c = world.plan("herefordshire", level=Level.INFORMING, weeks=2)
    assert consultation_declared(c) == []
    assert not c.anonymous_allowed


def test_herefordshire_obligations_cover_methods_anonymity_petitions_and_notification(world):
    c = world.plan("herefordshire")
    keys = set(obligations(c))
    assert keys == {
        "consultation-minimum-period",
        "consultation-response-methods",
        "consultation-anonymous-responses",
        "consultation-petitions-considered",
        "consultation-decision-feedback",
    }
    assert obligations(c)["consultation-response-methods"].met_on == TODAY


# --- The lifecycle ------------------------------------------------------------------------


def test_the_lifecycle_moves_in_order_with_an_event_each_and_meets_the_feedback_obligations(
    world,
):
    c = world.plan("herefordshire")
    with pytest.raises(services.Refused):
        services.consultation_open(consultation=c, by=world.officer, today=TODAY)
    services.consultation_open(consultation=c, by=world.officer, today=c.opens_on)
    with pytest.raises(services.Refused):
        services.consultation_close(consultation=c, by=world.officer, today=c.closes_on)
    after = c.closes_on + dt.timedelta(days=1)
    services.consultation_close(consultation=c, by=world.officer, today=after)
    with pytest.raises(services.Refused):
        services.consultation_decide(
            consultation=c,
            decision="d",
            reasons="r",
            effect="e",
            petitions_considered="",
            by=world.officer,
            today=after,
        )
    services.consultation_start_analysis(consultation=c, by=world.officer, today=after)
    services.consultation_decide(
        consultation=c,
        decision="Libraries open later on Thursdays.",
        reasons="Most respondents work in the day.",
        effect="We added Thursday evenings because of the responses.",
        petitions_considered="",
        by=world.officer,
        today=after,
    )
    services.consultation_publish_feedback(
        consultation=c, what_you_told_us="You asked for evenings.", by=world.officer, today=after
    )
    c.refresh_from_db()
    assert c.status == Status.FEEDBACK
    assert [e.kind for e in c.events.all()] == [
        "planned",
        "opened",
        "closed",
        "analysis",
        "decided",
        "feedback",
    ]
    by_key = obligations(c)
    assert by_key["consultation-decision-feedback"].status == O.MET
    assert by_key["consultation-petitions-considered"].status == O.MET
    assert by_key["consultation-minimum-period"].status == O.MET


def test_the_daily_move_opens_and_closes_by_date_and_is_idempotent(world):
    c = world.plan("herefordshire")
    assert services.consultations_advance(today=c.opens_on) == (1, 0)
    assert services.consultations_advance(today=c.opens_on) == (0, 0)
    assert services.consultations_advance(today=c.closes_on + dt.timedelta(days=1)) == (0, 1)
    c.refresh_from_db()
    assert c.status == Status.CLOSED


def test_history_rows_cannot_be_changed_or_deleted(world):
    c = world.plan()
    event = c.events.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


# --- Responses ----------------------------------------------------------------------------


def test_an_anonymous_response_keeps_no_identity_even_when_sent_by_a_signed_in_person(world):
    c = world.opened()
    response, code = services.response_save(
        consultation=c,
        kind=ResponseKind.ANONYMOUS,
        by=None,
        today=c.opens_on,
        submit=True,
        answer="Open on Sundays please.",
        consent_to_publish=True,
    )
    response.refresh_from_db()
    assert response.user_id is None and response.organisation_id is None
    assert response.respondent_name == "" and response.petition_organiser == ""
    assert response.receipt_hash and code not in response.receipt_hash
    assert services.response_by_receipt(code) == response
    assert services.response_by_receipt(code.lower().replace("-", " ")) == response
    assert services.response_by_receipt("AAAA-BBBB-CCCC-DDDD") is None
    acknowledgement = obligations(response)["consultation-responses-acknowledged"]
    assert acknowledgement.status == O.MET
    assert not ObligationEvent.objects.filter(obligation=acknowledgement).exclude(by=None).exists()


def test_a_database_constraint_refuses_identity_on_an_anonymous_response(world):
    from django.db import IntegrityError, transaction

    c = world.opened()
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            consultation=c, kind=ResponseKind.ANONYMOUS, user=world.outsider, started_on=TODAY
        )


def test_anonymous_responses_are_refused_where_the_consultation_does_not_take_them(world):
    c = world.opened(anonymous_allowed=False)
    with pytest.raises(services.Refused):
        services.response_save(
            consultation=c,
            kind=ResponseKind.ANONYMOUS,
            by=None,
            today=c.opens_on,
            submit=True,
            answer="x",
        )


def test_an_organisation_response_says_whom_it_represents_and_how_views_were_gathered(world):
    c = world.opened()
    common = {
        "consultation": c,
        "kind": ResponseKind.ORGANISATION,
        "by": world.charity_officer,
        "today": c.opens_on,
        "organisation": world.charity,
        "answer": "Our view.",
    }
    with pytest.raises(services.Refused) as refused:
        services.response_save(submit=True, represents="", views_gathered="", **common)
    assert refused.value.field == "represents"
    draft, code = services.response_save(submit=False, represents="", views_gathered="", **common)
    assert code is None and draft.state == Response.State.DRAFT
    sent, _ = services.response_save(
        submit=True,
        response=draft,
        represents="Our 40 members",
        views_gathered="A survey",
        **common,
    )
    assert sent.pk == draft.pk and sent.submitted_on == c.opens_on
    with pytest.raises(services.Refused):
        services.response_save(
            submit=True,
            represents="x",
            views_gathered="y",
            **{**common, "by": world.outsider},
        )


def test_responses_cannot_be_sent_or_changed_once_closed(world):
    c = world.opened()
    with pytest.raises(services.Refused):
        services.response_save(
            consultation=c,
            kind=ResponseKind.ANONYMOUS,
            by=None,
            today=c.closes_on + dt.timedelta(days=1),
            submit=True,
            answer="late",
        )


def test_no_acknowledgement_is_owed_when_the_consultation_said_so_at_the_start(world):
    c = world.opened(acknowledged=False)
    response, _ = services.response_save(
        consultation=c,
        kind=ResponseKind.ANONYMOUS,
        by=None,
        today=c.opens_on,
        submit=True,
        answer="x",
    )
    assert response.acknowledged_on is None
    assert obligations(response) == {}


def test_petitions_and_joint_responses_feed_the_analysis_by_size_and_signatures(world):
    from ..selectors import analysis_of

    c = world.opened()
    day = c.opens_on
    services.response_save(
        consultation=c,
        kind=ResponseKind.PETITION,
        by=world.outsider,
        today=day,
        submit=True,
        petition_organiser="Friends of the Library",
        petition_signatures=812,
        answer="Keep it open",
    )
    services.response_save(
        consultation=c,
        kind=ResponseKind.JOINT,
        by=world.charity_officer,
        today=day,
        submit=True,
        organisation=world.charity,
        joint_organisations=[world.big_charity],
        represents="Two charities",
        views_gathered="Meetings",
        answer="Joint view",
    )
    services.response_save(
        consultation=c,
        kind=ResponseKind.ORGANISATION,
        by=world.charity_officer,
        today=day,
        submit=True,
        organisation=world.big_charity,
        represents="Staff",
        views_gathered="Staff meeting",
        answer="Big view",
    )
    analysis = analysis_of(c)
    bands = dict(analysis.by_band)
    assert bands["Under £10,000"] == 1 and bands["Over £10 million"] == 1
    assert analysis.petition_signatures == 812
    assert analysis.by_kind["joint"] == 1 and analysis.by_kind["petition"] == 1
    after = c.closes_on + dt.timedelta(days=1)
    services.consultation_close(consultation=c, by=world.officer, today=after)
    services.consultation_start_analysis(consultation=c, by=world.officer, today=after)
    with pytest.raises(services.Refused) as refused:
        services.consultation_decide(
            consultation=c,
            decision="d",
            reasons="r",
            effect="e",
            petitions_considered="",
            by=world.officer,
            today=after,
        )
    assert refused.value.field == "petitions_considered"


def test_publishing_a_response_needs_the_respondents_consent(world):
    c = world.opened()
    without, _ = services.response_save(
        consultation=c,
        kind=ResponseKind.ANONYMOUS,
        by=None,
        today=c.opens_on,
        submit=True,
        answer="Mine",
        consent_to_publish=False,
    )
    with pytest.raises(services.Refused):
        services.response_publish(response=without, text="Mine", by=world.officer, today=TODAY)
    agreed, _ = services.response_save(
        consultation=c,
        kind=ResponseKind.ANONYMOUS,
        by=None,
        today=c.opens_on,
        submit=True,
        answer="I am Jo Bloggs of 1 High Street",
        consent_to_publish=True,
    )
    services.response_publish(
        response=agreed, text="I am [name removed]", by=world.officer, today=TODAY
    )
    agreed.refresh_from_db()
    assert agreed.published_text == "I am [name removed]"


# --- Coordination -------------------------------------------------------------------------


def test_overlapping_consultations_on_the_same_topics_in_the_same_weeks_are_found(world):
    topic = services.tags_from_text(Tag.Kind.TOPIC, "Libraries")
    first = world.plan("herefordshire", topics=topic)
    found = services.overlapping(
        compact=world.compacts["herefordshire"],
        tags=topic,
        opens_on=first.closes_on,
        closes_on=first.closes_on + dt.timedelta(weeks=12),
    )
    assert list(found) == [first]
    later = first.closes_on + dt.timedelta(weeks=2)
    assert not services.overlapping(
        compact=world.compacts["herefordshire"],
        tags=topic,
        opens_on=later,
        closes_on=later + dt.timedelta(weeks=12),
    ).exists()
    second = world.plan(
        "herefordshire",
        lead=world.other_council,
        by=world.other_officer,
        topics=topic,
        joint_with=[first],
    )
    assert list(first.joint_with.all()) == [second]


def test_followers_are_emailed_new_consultations_and_feedback(world):
    libraries = services.tags_from_text(Tag.Kind.TOPIC, "Libraries")
    services.subscriptions_set(user=world.outsider, tags=libraries)
    c = world.plan("herefordshire", topics=libraries)
    assert services.new_consultation_email(consultation=c, url="http://x/") == 1
    assert mail.outbox[0].to == ["outsider@example.org"]
    assert "Library opening hours" in mail.outbox[0].subject


def test_the_advance_command_opens_by_date(world):
    import io

    from django.core.management import call_command

    c = world.plan("herefordshire")
    out = io.StringIO()
    call_command("advance_consultations", "--today", c.opens_on.isoformat(), stdout=out)
    assert out.getvalue().strip() == "1 opened, 0 closed"


def test_respondents_with_an_address_are_emailed_the_decision_and_anonymous_ones_are_not(world):
    c = world.opened()
    services.response_save(
        consultation=c,
        kind=ResponseKind.INDIVIDUAL,
        by=world.outsider,
        today=c.opens_on,
        submit=True,
        respondent_name="Out Sider",
        answer="Mine",
    )
    services.response_save(
        consultation=c,
        kind=ResponseKind.ANONYMOUS,
        by=None,
        today=c.opens_on,
        submit=True,
        answer="Anonymous view",
    )
    after = c.closes_on + dt.timedelta(days=1)
    services.consultation_close(consultation=c, by=world.officer, today=after)
    services.consultation_start_analysis(consultation=c, by=world.officer, today=after)
    c = services.consultation_decide(
        consultation=c,
        decision="Go ahead",
        reasons="Budget",
        effect="Added evenings",
        petitions_considered="",
        by=world.officer,
        today=after,
    )
    c = services.consultation_publish_feedback(
        consultation=c, what_you_told_us="Evenings", by=world.officer, today=after
    )
    assert services.feedback_email(consultation=c, url="http://x/") == 1
    assert mail.outbox[-1].to == ["outsider@example.org"]
    assert "Added evenings" in mail.outbox[-1].body
