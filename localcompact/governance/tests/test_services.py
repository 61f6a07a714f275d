"""The governance services, against the shipped Leicester and Herefordshire compacts."""

import datetime as dt

import pytest

from localcompact.compacts.models import Compact, Statement
from localcompact.governance import selectors, services
from localcompact.governance.models import (
    Composition,
    Election,
    GovernanceEvent,
    Meeting,
    Nomination,
    Revision,
    VoteCast,
)
from localcompact.governance.services import Refused
from localcompact.obligations.models import Obligation, Status
from localcompact.organisations.models import CompactRole, CompactRoleKind, Signature

from .conftest import NOW, TODAY
from .factories import steering_group

pytestmark = pytest.mark.django_db


def obligations_of(source):
    return list(
        Obligation.objects.filter(
            source_type__app_label="governance",
            source_type__model=source._meta.model_name,
            source_id=source.pk,
        )
    )


class TestComposition:
    def test_a_full_steering_group_meets_every_quota(self, world):
        check = selectors.composition_check(steering_group(world))
        assert check.verdict.status.value == "met"
        assert check.verdict.missing == ()
        assert "6.e to 6.g" in check.verdict.explanation

    def test_an_empty_seat_is_named_in_the_message(self, world):
        check = selectors.composition_check(steering_group(world, skip={"vcs-bme"}))
        assert check.verdict.missing == (
            "Seat 'Voluntary and community member from a black and minority ethnic group' "
            "needs 1 member and has 0",
        )

    def test_a_member_from_an_organisation_without_the_flag_breaks_the_quota(self, world):
        composition = steering_group(world, skip={"vcs-bme"})
        services.member_add(
            composition=composition,
            seat="vcs-bme",
            name="Wrong Org",
            organisation=world.trust,
            by=world.user("support"),
            now=NOW,
        )
        [problem] = selectors.composition_check(composition).verdict.missing
        assert "black and minority ethnic" in problem and "Wrong Org" in problem

    def test_a_public_signatory_without_a_nominee_is_named(self, world):
        composition = steering_group(world, skip={"public-nominees"})
        for n in range(6):
            services.member_add(
                composition=composition,
                seat="public-nominees",
                name=f"Council {n}",
                organisation=world.council,
                by=world.user("support"),
                now=NOW,
            )
        [problem] = selectors.composition_check(composition).verdict.missing
        assert "no member from signatory 'testshire-health'" in problem

    def test_a_withdrawn_organisation_is_flagged_and_breaks_the_signatory_rule(self, world):
        composition = steering_group(world)
        Signature.objects.filter(organisation=world.forum, compact=world.leicester).update(
            withdrawn_on=TODAY
        )
        check = selectors.composition_check(composition)
        assert [m.name for m in check.withdrawn] == ["Forum Member"]
        assert any("has not signed" in p for p in check.verdict.missing)

    def test_more_public_signatories_than_six_grow_both_sides(self, world):
        from .conftest import make_org, sign

        for n in range(5):
            sign(make_org(f"Extra Body {n}", "public"), world.leicester)
        missing = selectors.composition_check(steering_group(world)).verdict.missing
        assert "Seat 'Public sector nominees' needs 7 members and has 6" in missing
        assert "Seat 'Additional voluntary and community members' needs 1 member and has 0" in (
            missing
        )

    def test_a_seat_the_body_does_not_have_is_refused(self, world):
        composition = steering_group(world)
        with pytest.raises(Refused, match="seats"):
            services.member_add(
                composition=composition,
                seat="treasurer",
                name="X",
                organisation=world.trust,
                by=world.user("support"),
                now=NOW,
            )

    def test_the_dispute_subgroup_is_checked_against_its_own_seats(self, world):
        subgroup = services.composition_create(
            compact=world.leicester, body="dispute-subgroup", title="", by=world.user("support")
        )
        assert subgroup.title == "Dispute Resolution Subgroup"
        missing = selectors.composition_check(subgroup).verdict.missing
        assert any("Chair" in p for p in missing)


class TestRoles:
    def test_members_with_accounts_get_the_body_role_and_lose_it_with_the_seat(self, world):
        officer, admin = world.user("officer"), world.user("trust_admin")
        support = world.user("support")
        first = steering_group(world)
        services.member_add(
            composition=first,
            seat="public-nominees",
            name="Officer",
            organisation=world.council,
            user=officer,
            by=support,
            now=NOW,
        )
        services.composition_activate(composition=first, on=TODAY, by=support, now=NOW)
        assert (
            CompactRole.objects.current()
            .filter(user=officer, kind=CompactRoleKind.STEERING_GROUP)
            .exists()
        )

        second = steering_group(world, title="Next")
        services.member_add(
            composition=second,
            seat="vcs-unfunded",
            name="Admin",
            organisation=world.trust,
            user=admin,
            by=support,
            now=NOW,
        )
        services.composition_activate(composition=second, on=TODAY, by=support, now=NOW)
        first.refresh_from_db()
        assert first.status == Composition.Status.PAST and first.ended_on == TODAY
        current = set(
            CompactRole.objects.current()
            .filter(compact=world.leicester, kind=CompactRoleKind.STEERING_GROUP)
            .values_list("user__username", flat=True)
        )
        assert current == {admin.username}

    def test_a_role_given_by_hand_to_someone_without_a_seat_is_left_alone(self, world):
        support = world.user("support")
        CompactRole.objects.create(
            compact=world.leicester, user=world.user("member"), kind=CompactRoleKind.STEERING_GROUP
        )
        composition = steering_group(world)
        services.composition_activate(composition=composition, on=TODAY, by=support, now=NOW)
        assert CompactRole.objects.current().filter(user=world.user("member")).exists()

    def test_removing_a_member_ends_their_role(self, world):
        support, officer = world.user("support"), world.user("officer")
        composition = steering_group(world)
        member = services.member_add(
            composition=composition,
            seat="public-nominees",
            name="Officer",
            organisation=world.council,
            user=officer,
            by=support,
            now=NOW,
        )
        services.composition_activate(composition=composition, on=TODAY, by=support, now=NOW)
        assert CompactRole.objects.current().filter(user=officer).exists()
        services.member_remove(member=member, by=support, now=NOW)
        assert not CompactRole.objects.current().filter(user=officer).exists()

    def test_the_subgroup_chair_and_members_get_their_roles(self, world):
        support = world.user("support")
        subgroup = services.composition_create(
            compact=world.leicester, body="dispute-subgroup", title="", by=support
        )
        for seat, user in [
            ("subgroup-chair", world.user("officer")),
            ("members", world.user("trust_admin")),
        ]:
            services.member_add(
                composition=subgroup,
                seat=seat,
                name=user.first_name,
                organisation=world.trust,
                independent=seat == "subgroup-chair",
                user=user,
                by=support,
                now=NOW,
            )
        services.composition_activate(composition=subgroup, on=TODAY, by=support, now=NOW)
        kinds = dict(
            CompactRole.objects.current()
            .filter(compact=world.leicester)
            .exclude(kind=CompactRoleKind.SUPPORT_TEAM)
            .values_list("user__first_name", "kind")
        )
        assert kinds == {"Officer": "subgroup_chair", "Trust admin": "subgroup_member"}


class TestActionPlan:
    def test_an_agreed_plan_must_be_revised_within_twelve_months(self, world):
        support = world.user("support")
        plan = services.plan_create(
            compact=world.leicester,
            title="Plan 2026",
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=1000),
            by=support,
        )
        assert obligations_of(plan) == []  # not agreed yet: nothing owed
        services.plan_agree(plan=plan, on=TODAY, by=support, today=TODAY)
        [obligation] = obligations_of(plan)
        assert obligation.due_on == dt.date(2027, 3, 4)
        assert obligation.owed_by_role == "Compact Steering Group"
        assert obligation.standard.ident == "action-plan-revised"

        later = services.plan_create(
            compact=world.leicester,
            title="Plan 2027",
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=1000),
            by=support,
        )
        services.plan_agree(
            plan=later,
            on=TODAY + dt.timedelta(days=300),
            by=support,
            today=TODAY + dt.timedelta(days=300),
        )
        obligation.refresh_from_db()
        assert obligation.status == Status.MET

    def test_city_together_has_no_revision_standard_so_nothing_is_owed(self, world):
        city = Compact.objects.get(slug="city-together")
        plan = services.plan_create(
            compact=city,
            title="Annual plan",
            starts_on=TODAY,
            ends_on=TODAY,
            by=world.user("staff"),
        )
        services.plan_agree(plan=plan, on=TODAY, by=world.user("staff"), today=TODAY)
        assert obligations_of(plan) == []

    def test_actions_name_real_outcomes_and_keep_their_progress(self, world):
        support = world.user("support")
        plan = services.plan_create(
            compact=world.leicester, title="P", starts_on=TODAY, ends_on=TODAY, by=support
        )
        with pytest.raises(Refused, match="outcomes"):
            services.action_add(
                plan=plan, title="A", owner=world.council, due_on=TODAY, outcome="nope", by=support
            )
        action = services.action_add(
            plan=plan, title="A", owner=world.council, due_on=TODAY, outcome="funding", by=support
        )
        services.action_progress(
            action=action, status="done", text="Finished", on=TODAY, by=world.user("officer")
        )
        action.refresh_from_db()
        assert action.status == "done" and action.done_on == TODAY
        update = action.updates.get()
        with pytest.raises(ValueError):
            update.save()


class TestIndicators:
    def test_outcome_indicators_come_from_the_obligations_table(self, world):
        from localcompact.obligations.models import Activity
        from localcompact.obligations.services import obligations_sync

        standard = world.leicester.current_version.standards.get(ident="consultation-feedback")
        for n, done in enumerate(
            [TODAY - dt.timedelta(days=40), None, TODAY - dt.timedelta(days=2)]
        ):
            activity = Activity.objects.create(
                standard=standard,
                title=f"Consultation {n}",
                owed_by=world.council,
                start_on=TODAY - dt.timedelta(days=30),
                done_on=done,
            )
            obligations_sync(source=activity, today=TODAY)
        indicators = selectors.outcome_indicators(world.leicester)
        [feedback] = [i for i in indicators["consultation"] if i.ident == "consultation-feedback"]
        assert feedback.by_year == [{"year": 2026, "kept": 1, "late": 1, "missed": 1, "share": 33}]
        assert "funding" in indicators


class TestMeetings:
    def test_leicester_sets_no_notice_so_invitations_owe_nothing(self, world):
        support = world.user("support")
        meeting = services.meeting_create(
            compact=world.leicester,
            title="AGM",
            on=TODAY + dt.timedelta(days=40),
            by=support,
            today=TODAY,
        )
        assert services.meeting_invite(meeting=meeting, by=support, today=TODAY) == 6
        assert services.meeting_invite(meeting=meeting, by=support, today=TODAY) == 0
        assert obligations_of(meeting) == []

    def test_herefordshire_meetings_need_four_weeks_notice(self, world):
        staff = world.user("staff")
        meeting = services.meeting_create(
            compact=world.herefordshire,
            title="Working group annual meeting",
            on=dt.date(2026, 4, 29),
            by=staff,
            today=TODAY,
        )
        [notice] = obligations_of(meeting)
        assert notice.due_on == dt.date(2026, 4, 1)
        assert notice.status == Status.NOT_YET_DUE
        services.meeting_invite(meeting=meeting, by=staff, today=TODAY)
        notice.refresh_from_db()
        assert notice.status == Status.MET

    def test_a_held_annual_meeting_owes_the_next_within_a_year(self, world):
        support = world.user("support")
        meeting = services.meeting_create(
            compact=world.leicester, title="AGM 2026", on=TODAY, by=support, today=TODAY
        )
        services.meeting_record(meeting=meeting, minutes="Held.", by=support, today=TODAY, now=NOW)
        [next_one] = obligations_of(meeting)
        assert next_one.standard.ident == "annual-meeting-held"
        assert next_one.due_on == dt.date(2027, 3, 4)
        later = services.meeting_create(
            compact=world.leicester,
            title="AGM 2027",
            on=dt.date(2027, 2, 1),
            by=support,
            today=TODAY,
        )
        services.meeting_record(
            meeting=later, minutes="Held.", by=support, today=dt.date(2027, 2, 1), now=NOW
        )
        next_one.refresh_from_db()
        assert next_one.status == Status.MET

    def test_a_meeting_cannot_be_recorded_before_it_happens(self, world):
        support = world.user("support")
        meeting = services.meeting_create(
            compact=world.leicester,
            title="AGM",
            on=TODAY + dt.timedelta(days=1),
            by=support,
            today=TODAY,
        )
        with pytest.raises(Refused, match="before its date"):
            services.meeting_record(meeting=meeting, minutes="x", by=support, today=TODAY, now=NOW)

    def test_the_agenda_is_made_from_the_records(self, world):
        support = world.user("support")
        meeting = services.meeting_create(
            compact=world.leicester, title="AGM", on=TODAY, by=support, today=TODAY
        )
        services.revision_propose(
            compact=world.leicester,
            title="Clearer outcome",
            reason_kind="review",
            reason="Hard to measure",
            target="outcome",
            target_id="services",
            new_text="Services improve for the people who use them.",
            by=support,
        )
        items = services.agenda_generate(meeting=meeting, by=support, today=TODAY)
        kinds = [item.kind for item in items]
        assert kinds == ["outcomes", "next-action-plan", "breaches", "revisions"]
        assert len(items[0].lines) == 7  # Leicester's seven outcomes
        assert items[3].lines == ["Clearer outcome (a review of the compact)"]
        services.agenda_publish(meeting=meeting, by=support, today=TODAY)
        with pytest.raises(Refused, match="published"):
            services.agenda_generate(meeting=meeting, by=support, today=TODAY)


@pytest.fixture
def election(world):
    support = world.user("support")
    meeting = services.meeting_create(
        compact=world.leicester, title="AGM", on=TODAY, by=support, today=TODAY
    )
    composition = steering_group(
        world, skip={"vcs-funded", "vcs-unfunded", "vcs-bme", "vcs-equality"}
    )
    return services.election_create(meeting=meeting, composition=composition, by=support)


class TestElections:
    def nominate(self, world, election, seat, candidate, org):
        return services.nomination_add(
            election=election,
            seat=seat,
            candidate=candidate,
            organisation=org,
            by=world.user("support"),
        )

    def test_eligibility_is_checked_against_the_constituency(self, world, election):
        with pytest.raises(Refused, match="needs an organisation that receives public funding"):
            self.nominate(world, election, "vcs-funded", "X", world.trust)
        with pytest.raises(Refused, match="voluntary and community sector"):
            self.nominate(world, election, "vcs-unfunded", "X", world.council)
        with pytest.raises(Refused, match="black and minority ethnic"):
            self.nominate(world, election, "vcs-bme", "X", world.trust)
        with pytest.raises(Refused, match="seats being elected"):
            self.nominate(world, election, "public-nominees", "X", world.council)
        Signature.objects.filter(organisation=world.forum).update(withdrawn_on=TODAY)
        with pytest.raises(Refused, match="has not signed"):
            self.nominate(world, election, "vcs-bme", "X", world.forum)

    def test_one_vote_per_organisation_per_seat_and_a_secret_ballot(self, world, election):
        a = self.nominate(world, election, "vcs-unfunded", "A", world.trust)
        b = self.nominate(world, election, "vcs-unfunded", "B", world.trust)
        c = self.nominate(world, election, "vcs-unfunded", "C", world.trust)
        services.voting_open(election=election, by=world.user("support"))
        officer = world.user("advice_officer")
        with pytest.raises(Refused, match="at most 2"):
            services.vote_cast(
                election=election,
                seat="vcs-unfunded",
                organisation=world.advice,
                choices=[a, b, c],
                by=officer,
            )
        services.vote_cast(
            election=election,
            seat="vcs-unfunded",
            organisation=world.advice,
            choices=[a, b],
            by=officer,
        )
        with pytest.raises(Refused, match="already voted"):
            services.vote_cast(
                election=election,
                seat="vcs-unfunded",
                organisation=world.advice,
                choices=[c],
                by=officer,
            )
        with pytest.raises(Refused, match="public sector|voluntary and community"):
            services.vote_cast(
                election=election,
                seat="vcs-unfunded",
                organisation=world.council,
                choices=[c],
                by=officer,
            )
        # Who voted is kept; whom for is only a count: nothing on the record links them.
        cast = VoteCast.objects.get()
        assert cast.organisation == world.advice
        assert {f.name for f in VoteCast._meta.get_fields()} == {
            "id",
            "election",
            "seat",
            "organisation",
            "cast_by",
        }
        assert sorted(Nomination.objects.values_list("candidate", "votes")) == [
            ("A", 1),
            ("B", 1),
            ("C", 0),
        ]

    def test_results_a_tie_and_too_few_candidates_are_flagged(self, world, election):
        support = world.user("support")
        a = self.nominate(world, election, "vcs-unfunded", "A", world.trust)
        b = self.nominate(world, election, "vcs-unfunded", "B", world.trust)
        c = self.nominate(world, election, "vcs-unfunded", "C", world.trust)
        f = self.nominate(world, election, "vcs-funded", "F", world.advice)
        services.voting_open(election=election, by=support)
        for org, choices in [(world.advice, [a, b]), (world.forum, [a, c]), (world.equality, [a])]:
            services.vote_cast(
                election=election,
                seat="vcs-unfunded",
                organisation=org,
                choices=choices,
                by=support,
            )
        services.vote_cast(
            election=election, seat="vcs-funded", organisation=world.trust, choices=[f], by=support
        )
        services.election_close(election=election, by=support, today=TODAY, now=NOW)
        election.refresh_from_db()
        assert election.status == Election.Status.CLOSED
        assert set(Nomination.objects.filter(elected=True).values_list("candidate", flat=True)) == {
            "A",
            "F",
        }
        flags = " | ".join(election.flags)
        assert "a tie for the last 1 place(s) between B, C" in flags
        assert (
            "'Voluntary and community members from publicly funded organisations': "
            "2 places and 1 candidate" in flags
        )
        assert "black and minority ethnic group': 1 place and 0 candidates" in flags
        members = set(election.composition.members.values_list("seat", "name"))
        assert ("vcs-unfunded", "A") in members and ("vcs-funded", "F") in members

    def test_the_elected_make_up_takes_effect_from_the_meeting(self, world, election):
        support = world.user("support")
        services.voting_open(election=election, by=support)
        meeting = election.meeting
        with pytest.raises(Refused, match="Publish the results"):
            services.meeting_record(meeting=meeting, minutes="m", by=support, today=TODAY, now=NOW)
        services.election_close(election=election, by=support, today=TODAY, now=NOW)
        services.meeting_record(meeting=meeting, minutes="m", by=support, today=TODAY, now=NOW)
        composition = Composition.objects.get(pk=election.composition_id)
        assert composition.status == Composition.Status.CURRENT
        assert composition.takes_effect_on == meeting.on and composition.meeting == meeting


class TestReviewsAndRevisions:
    def test_herefordshire_reviews_after_a_year_owed_by_its_working_group(self, world):
        review = services.review_schedule(
            compact=world.herefordshire,
            counts_from=dt.date(2025, 6, 1),
            by=world.user("staff"),
            today=TODAY,
        )
        assert review.due_on == dt.date(2026, 6, 1)
        [obligation] = obligations_of(review)
        assert obligation.standard.ident == "code-review"
        assert obligation.owed_by_role == "Herefordshire Partnership Local Compact Working Group"
        services.review_record(
            review=review, done_on=TODAY, findings="Fine", by=world.user("staff"), today=TODAY
        )
        obligation.refresh_from_db()
        assert obligation.status == Status.MET

    def test_a_compact_without_a_review_standard_needs_a_date_and_owes_nothing(self, world):
        with pytest.raises(Refused, match="sets no review date"):
            services.review_schedule(
                compact=world.leicester, counts_from=TODAY, by=world.user("support"), today=TODAY
            )
        review = services.review_schedule(
            compact=world.leicester,
            counts_from=TODAY,
            due_on=TODAY + dt.timedelta(days=90),
            by=world.user("support"),
            today=TODAY,
        )
        assert obligations_of(review) == []

    def test_an_adopted_revision_is_a_new_version_and_old_records_keep_theirs(self, world):
        support = world.user("support")
        old = world.leicester.current_version
        plan = services.plan_create(
            compact=world.leicester, title="P", starts_on=TODAY, ends_on=TODAY, by=support
        )
        services.plan_agree(plan=plan, on=TODAY, by=support, today=TODAY)
        revision = services.revision_propose(
            compact=world.leicester,
            title="Ten weeks",
            reason_kind="dispute_finding",
            reason="A finding said the period was unclear",
            target="standard_period",
            target_id="consultation-minimum-period",
            new_count=14,
            by=support,
        )
        revision = services.revision_decide(
            revision=revision, adopt=True, on=TODAY, by=support, now=NOW
        )
        compact = Compact.objects.get(pk=world.leicester.pk)
        new = compact.current_version
        assert new.number == old.number + 1 and revision.adopted_version == new
        assert new.adopted_here and not old.adopted_here  # load_compacts keeps it current
        period = new.standards.get(ident="consultation-minimum-period").params["period"]
        assert period == {"count": 14, "unit": "weeks"}
        assert (
            old.standards.get(ident="consultation-minimum-period").params["period"]["count"] == 12
        )
        assert new.definition["change_log"][0]["changes"] == [
            "consultation-minimum-period: period 12 -> 14 weeks"
        ]
        plan.refresh_from_db()
        assert plan.version == old
        assert obligations_of(plan)[0].standard.version == old
        with pytest.raises(Refused, match="already been decided"):
            services.revision_decide(revision=revision, adopt=True, on=TODAY, by=support, now=NOW)

    def test_a_revision_against_an_old_version_must_be_proposed_again(self, world):
        support = world.user("support")
        first, second = (
            services.revision_propose(
                compact=world.leicester,
                title=f"Outcome {n}",
                reason_kind="other",
                reason="Because",
                target="outcome",
                target_id="services",
                new_text=f"Services get better, take {n}.",
                by=support,
            )
            for n in (1, 2)
        )
        services.revision_decide(revision=first, adopt=True, on=TODAY, by=support, now=NOW)
        assert Statement.objects.filter(
            version__compact=world.leicester, ident="services", text="Services get better, take 1."
        ).exists()
        with pytest.raises(Refused, match="propose it again"):
            services.revision_decide(revision=second, adopt=True, on=TODAY, by=support, now=NOW)
        services.revision_decide(revision=second, adopt=False, on=TODAY, by=support, now=NOW)
        assert Revision.objects.get(pk=second.pk).status == Revision.Status.REJECTED

    def test_history_is_append_only(self, world):
        services.plan_create(
            compact=world.leicester,
            title="P",
            starts_on=TODAY,
            ends_on=TODAY,
            by=world.user("support"),
        )
        event = GovernanceEvent.objects.get()
        with pytest.raises(ValueError):
            event.save()
        with pytest.raises(ValueError):
            event.delete()


class TestNewsStoriesConcerns:
    def test_an_event_takes_sign_ups_up_to_its_places(self, world):
        post = services.post_publish(
            compact=world.leicester,
            kind="event",
            title="Joint event",
            body="Come",
            organisation=world.council,
            starts_at=NOW + dt.timedelta(days=3),
            places=1,
            today=TODAY,
            by=world.user("officer"),
        )
        services.signup(post=post, user=world.user("officer"), organisation=None, now=NOW)
        with pytest.raises(Refused, match="full"):
            services.signup(post=post, user=world.user("member"), organisation=None, now=NOW)

    def test_news_needs_no_date_but_an_event_does(self, world):
        with pytest.raises(Refused, match="starts"):
            services.post_publish(
                compact=world.leicester,
                kind="training",
                title="T",
                body="B",
                organisation=None,
                today=TODAY,
                by=world.user("support"),
            )

    def test_a_concern_is_about_a_standard_and_replied_to_once(self, world):
        standard = world.leicester.current_version.standards.get(
            ident="consultation-minimum-period"
        )
        concern = services.concern_raise(
            compact=world.leicester,
            raised_by_organisation=world.trust,
            raised_with=world.council,
            subject="Short consultation",
            text="Six weeks",
            standard=standard,
            by=world.user("trust_admin"),
            today=TODAY,
        )
        services.concern_reply(
            concern=concern, reply="Sorry", by=world.user("officer"), today=TODAY
        )
        with pytest.raises(Refused, match="already been answered"):
            services.concern_reply(
                concern=concern, reply="Again", by=world.user("officer"), today=TODAY
            )
        # Its content is not in the compact's public history.
        assert not GovernanceEvent.objects.filter(subject__icontains="Short consultation").exists()

    def test_a_concern_needs_another_organisation(self, world):
        with pytest.raises(Refused, match="another organisation"):
            services.concern_raise(
                compact=world.leicester,
                raised_by_organisation=world.trust,
                raised_with=world.trust,
                subject="S",
                text="T",
                standard=None,
                by=world.user("trust_admin"),
                today=TODAY,
            )


def test_meeting_kinds_other_than_annual_declare_nothing(world):
    meeting = services.meeting_create(
        compact=world.herefordshire,
        title="Working group",
        on=TODAY,
        kind=Meeting.Kind.BODY,
        by=world.user("staff"),
        today=TODAY,
    )
    assert obligations_of(meeting) == []


class TestEmails:
    def test_invitations_are_e_mailed_to_each_signatorys_officers(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        support = world.user("support")
        meeting = services.meeting_create(
            compact=world.leicester, title="AGM", on=TODAY, by=support, today=TODAY
        )
        with django_capture_on_commit_callbacks() as sent_after_commit:
            services.meeting_invite(meeting=meeting, by=support, today=TODAY)
        assert mailoutbox == []  # nothing leaves before the invitations are committed
        for callback in sent_after_commit:
            callback()
        recipients = sorted(address for m in mailoutbox for address in m.to)
        assert recipients == sorted(
            [
                world.user("officer").email,
                world.user("trust_admin").email,
                world.user("advice_officer").email,
            ]
        )
        assert "Invitation: AGM" in mailoutbox[0].subject

    def test_the_digest_is_weekly_only_when_something_is_new_and_sent_once(self, world, mailoutbox):
        from localcompact.governance.models import Subscription

        member = world.user("member")
        assert services.subscription_toggle(user=member, compact=world.leicester, today=TODAY)
        assert services.digests_send(today=TODAY) == 0  # nothing new yet
        for n in range(3):
            services.post_publish(
                compact=world.leicester,
                kind="news",
                title=f"News {n}",
                body="B",
                organisation=None,
                today=TODAY,
                by=world.user("support"),
            )
        assert services.digests_send(today=TODAY) == 1
        assert services.digests_send(today=TODAY) == 0  # run twice: sent once
        assert "3 new items" in mailoutbox[0].subject
        services.post_publish(
            compact=world.leicester,
            kind="news",
            title="Later",
            body="B",
            organisation=None,
            today=TODAY + dt.timedelta(days=2),
            by=world.user("support"),
        )
        assert services.digests_send(today=TODAY + dt.timedelta(days=2)) == 0  # not a week yet
        assert services.digests_send(today=TODAY + dt.timedelta(days=7)) == 1
        assert "Later" in mailoutbox[1].body and "News 0" not in mailoutbox[1].body
        assert not services.subscription_toggle(user=member, compact=world.leicester, today=TODAY)
        assert not Subscription.objects.exists()
