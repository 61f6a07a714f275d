"""A person's partnership records in their personal data file, and what erasing their
account does to them (localcompact/partnerships/personal_data.py).

The trust's officer (`partner`) holds the trust's seat on the board: they confirm their
access to the group's e-mail, register an interest, declare interests at a meeting held
today (one on a confidential item) and ask the council to act. The council's officer set
up the board, runs its meetings and records the decision and the minutes.
"""

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.personal_data import FORMER_USER, account_erase, personal_data_collect
from localcompact.partnerships import services
from localcompact.partnerships.models import (
    Decision,
    Declaration,
    GroupEvent,
    GroupMember,
    Meeting,
    RegisteredInterest,
    RequestToAct,
)

from .factories import TODAY, at, held, meeting

pytestmark = pytest.mark.django_db
NOW = at(TODAY, 18)


@pytest.fixture
def records(cast):
    officer, partner = cast.officer, cast.user("partner")
    seat = cast.members["trust"]
    services.access_confirm(member=seat, by=partner, today=TODAY)
    services.interest_register(
        member=seat,
        description="Trustee of the Riverside Arts Fund",
        registered_on=TODAY,
        by=partner,
        today=TODAY,
    )
    today_meeting = held(cast, meeting(cast, days=0, title="Budget meeting"))
    open_item = services.item_add(
        meeting=today_meeting,
        title="Budget",
        description="",
        sensitivity="",
        embargo_until=None,
        by=officer,
        today=TODAY,
    )
    secret_item = services.item_add(
        meeting=today_meeting,
        title="Sale of the Mill Lane depot",
        description="",
        sensitivity="confidential",
        embargo_until=None,
        by=officer,
        today=TODAY,
    )
    for item, interest in ((open_item, "Grant applicant"), (secret_item, "Neighbour of the site")):
        services.declaration_record(
            item=item,
            member=seat,
            interest=interest,
            participation="left_room",
            by=officer,
            today=TODAY,
        )
    services.decision_record(
        meeting=today_meeting,
        item=open_item,
        text="Adopt the budget",
        method="consensus",
        votes_for=None,
        votes_against=None,
        abstentions=None,
        by=officer,
        today=TODAY,
    )
    services.minutes_save(meeting=today_meeting, minutes="We met.", by=officer, today=TODAY)
    services.request_make(
        compact=cast.compact,
        group=cast.group,
        from_organisation=cast.trust,
        to_organisation=cast.council,
        title="Send the grant figures",
        details="For the next round",
        received_on=TODAY,
        action_due_on=TODAY + dt.timedelta(days=28),
        emergency=False,
        emergency_reason="",
        by=partner,
        today=TODAY,
    )
    cast.meeting = today_meeting
    return cast


def erase(cast, role):
    deletion = DeletionRequest.objects.create(user=cast.user(role), reason="Please")
    return account_erase(deletion=deletion, by=cast.user("staff"), now=NOW)


def test_a_members_seat_interests_and_declarations_are_in_their_file(records):
    data = personal_data_collect(records.user("partner"), now=NOW)
    json.dumps(data, cls=DjangoJSONEncoder)  # the file can be written
    [seat] = data["partnership_group_seats"]
    assert seat["group"] == "Testshire Partnership Board"
    assert seat["organisation"] == "Testshire Community Trust"
    assert seat["access_confirmed"] == TODAY.isoformat()
    assert [i["description"] for i in data["partnership_interests_registered"]] == [
        "Trustee of the Riverside Arts Fund"
    ]
    declared = data["partnership_interests_declared"]
    assert sorted(d["interest"] for d in declared) == ["Grant applicant", "Neighbour of the site"]
    made = data["partnership_records_made"]
    assert [r["title"] for r in made["requests_to_act_made"]] == ["Send the grant figures"]
    assert [a["member"] for a in made["access_confirmed"]] == ["Trust Person"]
    assert len(made["interests_registered"]) == 1
    assert made["decisions_recorded"] == []


def test_a_restricted_items_title_is_left_out_of_the_file(records):
    text = json.dumps(personal_data_collect(records.user("partner"), now=NOW))
    assert "Neighbour of the site" in text
    assert "Mill Lane" not in text
    assert "(restricted)" in text


def test_what_the_convener_recorded_is_in_their_file(records):
    made = personal_data_collect(records.officer, now=NOW)["partnership_records_made"]
    assert [g["group"] for g in made["groups_set_up"]] == ["Testshire Partnership Board"]
    assert [m["meeting"] for m in made["meetings_scheduled"]] == ["Budget meeting"]
    assert [d["decision"] for d in made["decisions_recorded"]] == ["Adopt the budget"]
    assert len(made["declarations_recorded"]) == 2
    assert made["group_history_entries"]


def test_someone_with_no_partnership_records_gets_empty_sections(records):
    data = personal_data_collect(records.user("outsider"), now=NOW)
    assert data["partnership_group_seats"] == []
    assert data["partnership_interests_declared"] == []
    assert all(rows == [] for rows in data["partnership_records_made"].values())


def test_erasing_a_member_takes_their_name_off_the_seat_and_keeps_the_record(records):
    partner = records.user("partner")
    seat = records.members["trust"]
    assert GroupEvent.objects.filter(group=records.group, text__contains="Trust Person").exists()

    counts = erase(records, "partner")

    seat.refresh_from_db()
    assert (seat.name, seat.user_id) == (FORMER_USER, None)
    assert counts["group seats anonymised"] == 1
    assert counts["history entries anonymised"] >= 1
    assert not GroupEvent.objects.filter(text__contains="Trust Person").exists()
    assert GroupEvent.objects.filter(group=records.group, kind="member.erased").exists()
    # The group's record stays: the seat, its declarations, interests and attendance.
    assert Declaration.objects.filter(member=seat).count() == 2
    assert RegisteredInterest.objects.filter(member=seat, recorded_by=partner).exists()
    assert seat.attendance.exists()
    assert RequestToAct.objects.filter(made_by=partner).exists()
    assert personal_data_collect(partner, now=NOW)["partnership_group_seats"] == []


def test_erasing_the_convener_keeps_the_minutes_and_decisions(records):
    officer = records.officer
    erase(records, "officer")
    officer.refresh_from_db()
    decision = Decision.objects.get(text="Adopt the budget")
    assert decision.recorded_by_id == officer.pk  # the anonymised account
    meeting_ = Meeting.objects.get(pk=records.meeting.pk)
    assert meeting_.minutes == "We met." and meeting_.created_by_id == officer.pk
    assert GroupMember.objects.filter(group=records.group).count() == 3
    assert records.group.events.filter(by=officer).exists()


def test_erasure_is_rolled_back_with_the_rest_when_a_receiver_fails(records, monkeypatch):
    from localcompact.partnerships import personal_data

    def boom(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(personal_data, "audit_log", boom)
    with pytest.raises(RuntimeError):
        erase(records, "partner")
    seat = records.members["trust"]
    seat.refresh_from_db()
    assert seat.name == "Trust Person" and seat.user_id == records.user("partner").pk
