"""Drafting, publishing and withdrawing notices, and the obligation each one owes.

Reference case: Herefordshire's informing standard (003, 9.2.2) asks for the notice at
least four weeks before action is needed; with action needed on Wednesday 3 June 2026
the notice is due by Wednesday 6 May 2026.
"""

import pytest

from localcompact.notices.models import Notice, NoticeEvent, Restriction, Status
from localcompact.notices.services import (
    NoticeRefused,
    notice_create,
    notice_publish,
    notice_update,
    notice_withdraw,
)
from localcompact.notices.sources import notice_check, notice_due_on
from localcompact.obligations.models import Obligation
from localcompact.obligations.models import Status as O

from .conftest import DAY, NOW, TODAY, confidential, data, embargoed, notice_made

pytestmark = pytest.mark.django_db
ACTION = TODAY.replace(month=6, day=3)


def obligation_of(notice) -> Obligation:
    return Obligation.objects.get(source_id=notice.pk, source_type__model="notice")


def test_a_draft_owes_its_notice_by_the_compacts_period_before_the_action_date(world):
    notice = notice_made(world, publish=False, action_by=ACTION)
    obligation = obligation_of(notice)
    assert obligation.due_on == ACTION - 28 * DAY == notice_due_on(notice)
    assert obligation.status == O.NOT_YET_DUE
    assert obligation.owed_by == world.council
    assert obligation.standard.ident == "informing-notice-period"
    assert list(obligation.owed_to.all()) == []


def test_publishing_in_time_meets_it(world):
    notice = notice_made(world, action_by=ACTION)
    obligation = obligation_of(notice)
    assert notice.status == Status.PUBLISHED and notice.published_on == TODAY
    assert obligation.status == O.MET and obligation.met_on == TODAY
    verdict = notice_check(notice, today=TODAY)
    assert "9.2.2" in verdict.explanation


def test_publishing_late_needs_a_reason_and_is_met_late(world):
    notice = notice_made(world, publish=False, action_by=TODAY + 10 * DAY)
    with pytest.raises(NoticeRefused) as refused:
        notice_publish(notice=notice, by=world.user("officer"), today=TODAY, now=NOW)
    assert refused.value.field == "late_reason" and "9.2.2" in refused.value.message
    assert Notice.objects.get(pk=notice.pk).status == Status.DRAFT
    notice = notice_publish(
        notice=notice, by=world.user("officer"), today=TODAY, now=NOW, late_reason="Late budget"
    )
    assert obligation_of(notice).status == O.MET_LATE
    assert notice.published_late_reason == "Late budget"
    assert notice.events.last().note == "Published late: Late budget"


def test_a_compact_without_an_informing_standard_gives_no_obligation(world):
    notice = notice_made(world, compact=world.city)
    assert notice.standard() is None
    assert not Obligation.objects.filter(source_id=notice.pk, source_type__model="notice")
    assert notice_check(notice, today=TODAY) is None


def test_withdrawing_a_draft_means_nothing_is_owed(world):
    notice = notice_made(world, publish=False)
    notice_withdraw(notice=notice, reason="Reversed", by=world.user("officer"), today=TODAY)
    assert obligation_of(notice).status == O.CANCELLED


def test_withdrawing_a_published_notice_keeps_its_record(world):
    notice = notice_made(world)
    notice_withdraw(notice=notice, reason="Reversed", by=world.user("officer"), today=TODAY)
    assert obligation_of(notice).status == O.MET
    with pytest.raises(NoticeRefused):
        notice_withdraw(notice=notice, reason="Again", by=world.user("officer"), today=TODAY)


def test_withdrawing_needs_a_reason(world):
    notice = notice_made(world)
    with pytest.raises(NoticeRefused) as refused:
        notice_withdraw(notice=notice, reason=" ", by=world.user("officer"), today=TODAY)
    assert refused.value.field == "reason"


def test_moving_the_action_date_redates_the_obligation(world):
    notice = notice_made(world, publish=False, action_by=ACTION)
    notice_update(
        notice=notice,
        data=data(action_by=ACTION + 7 * DAY),
        by=world.user("officer"),
        today=TODAY,
        now=NOW,
    )
    assert obligation_of(notice).due_on == ACTION - 21 * DAY
    event = notice.events.last()
    assert event.kind == NoticeEvent.Kind.EDITED and event.changed == ["action_by", "terms"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"action_by": TODAY - 30 * DAY}, "action_by"),
        ({"restriction": Restriction.EMBARGOED}, "embargo_until"),
        ({"restriction": Restriction.CONFIDENTIAL, "handling": "x"}, "shared_with"),
        ({"restriction": Restriction.EMBARGOED, "embargo_until": NOW + DAY}, "handling"),
    ],
)
def test_invalid_notices_are_refused_with_the_field(world, changes, field):
    with pytest.raises(NoticeRefused) as refused:
        notice_made(world, publish=False, **changes)
    assert refused.value.field == field
    assert not Notice.objects.exists()


def test_only_public_bodies_that_signed_issue_notices(world):
    with pytest.raises(NoticeRefused, match="public bodies"):
        notice_made(world, organisation=world.trust, publish=False)
    with pytest.raises(NoticeRefused, match="has not signed"):
        notice_made(world, organisation=world.other, compact=world.city, publish=False)


def test_a_notice_cannot_be_published_twice_or_after_its_action_date(world):
    notice = notice_made(world)
    with pytest.raises(NoticeRefused, match="Only a draft"):
        notice_publish(notice=notice, by=world.user("officer"), today=TODAY, now=NOW)
    draft = notice_made(world, publish=False, action_by=TODAY + DAY)
    with pytest.raises(NoticeRefused, match="has passed"):
        notice_publish(notice=draft, by=world.user("officer"), today=TODAY + 2 * DAY, now=NOW)


def test_an_embargo_that_has_passed_cannot_be_published(world):
    notice = notice_made(
        world,
        publish=False,
        restriction=Restriction.EMBARGOED,
        embargo_until=NOW + DAY,
        handling="Board only",
    )
    with pytest.raises(NoticeRefused, match="embargo date has passed"):
        notice_publish(notice=notice, by=world.user("officer"), today=TODAY, now=NOW + 2 * DAY)


def test_a_public_notice_once_published_cannot_be_restricted(world):
    notice = notice_made(world)
    with pytest.raises(NoticeRefused) as refused:
        notice_update(
            notice=notice,
            data=data(restriction=Restriction.CONFIDENTIAL, handling="x"),
            shared_with=[world.trust],
            by=world.user("officer"),
            today=TODAY,
            now=NOW,
        )
    assert refused.value.field == "restriction"


def test_an_embargo_can_be_lifted_sooner_but_not_extended(world):
    notice = embargoed(world)
    with pytest.raises(NoticeRefused):
        notice_update(
            notice=notice,
            data=data(restriction=Restriction.EMBARGOED, embargo_until=NOW + 9 * DAY, handling="x"),
            shared_with=[world.trust],
            by=world.user("officer"),
            today=TODAY,
            now=NOW,
        )
    notice = notice_update(
        notice=notice,
        data=data(restriction=Restriction.EMBARGOED, embargo_until=NOW + DAY, handling="x"),
        shared_with=[world.trust],
        by=world.user("officer"),
        today=TODAY,
        now=NOW,
    )
    assert notice.embargo_until == NOW + DAY


def test_the_named_organisations_are_owed_the_notice_once_published(world):
    notice = confidential(world)
    assert list(obligation_of(notice).owed_to.all()) == [world.trust]


def test_the_issuing_body_is_never_among_the_named(world):
    notice = embargoed(world, shared_with=[world.trust, world.council])
    assert list(notice.shared_with.all()) == [world.trust]


def test_a_restricted_notices_title_stays_out_of_its_obligation_and_name(world):
    notice = embargoed(world)
    assert "Secret" not in obligation_of(notice).summary
    assert "Secret" not in str(notice)


def test_history_is_append_only(world):
    notice = notice_made(world)
    kinds = list(notice.events.values_list("kind", flat=True))
    assert kinds == ["created", "published"]
    event = notice.events.first()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_a_withdrawn_notice_cannot_be_changed(world):
    notice = notice_made(world)
    notice_withdraw(notice=notice, reason="Reversed", by=world.user("officer"), today=TODAY)
    with pytest.raises(NoticeRefused, match="withdrawn"):
        notice_update(notice=notice, data=data(), by=world.user("officer"), today=TODAY, now=NOW)


def test_create_with_the_issuing_body_not_public_leaves_nothing(world):
    with pytest.raises(NoticeRefused):
        notice_create(
            organisation=world.trust,
            compact=world.herefordshire,
            data=data(),
            by=world.user("trust_member"),
            today=TODAY,
            now=NOW,
        )
    assert not Notice.objects.exists() and not Obligation.objects.exists()
