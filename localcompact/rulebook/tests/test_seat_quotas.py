"""Seat quotas, on Leicester's Compact Steering Group (004_2de5eed66f52019d.txt 6f-6g)."""

import pytest

from localcompact.rulebook import Clause, RuleError, SeatQuotas, Status, build

LEICESTER = "004_2de5eed66f52019d.txt"


def seat(id, title, count, appointment, sector, **more):
    return {
        "id": id,
        "title": title,
        "count": count,
        "appointment": appointment,
        "sector": sector,
        "clause": {"document": LEICESTER, "ref": "6f"},
        **more,
    }


# The body as a compact definition writes it (the schema's ``body``).
STEERING_GROUP = {
    "id": "steering-group",
    "name": "Compact Steering Group",
    "kind": "steering_group",
    "summary": "Manages the compact day to day; elected at the annual meeting.",
    "clause": {"document": LEICESTER, "ref": "6e"},
    "chair_seat": "chair",
    "growth": {
        "threshold": 6,
        "seats": ["public-nominees", "vcs-additional"],
        "summary": "Beyond six public signatories, one more public and one more VCS member each.",
        "clause": {"document": LEICESTER, "ref": "6g"},
    },
    "seats": [
        seat("chair", "Independent chair", 1, "independent", "independent"),
        seat("deputy-chair", "Independent deputy chair", 1, "independent", "independent"),
        seat(
            "vcs-vice-chair", "Vice-chair from Voluntary Action Leicester", 1, "ex_officio", "vcs"
        ),
        seat("public-vice-chair", "Vice-chair from the public sector", 1, "ex_officio", "public"),
        seat("secretary", "Secretary", 1, "ex_officio", "public", voting=False),
        seat(
            "public-nominees",
            "Member nominated by a public-sector signatory",
            6,
            "nominated",
            "public",
            from_signatories=True,
            each_signatory_represented=True,
        ),
        seat(
            "vcs-funded",
            "Member from an organisation that receives public funding",
            2,
            "elected",
            "vcs",
            requires_flags=["receives_public_funding"],
            from_signatories=True,
        ),
        seat(
            "vcs-unfunded",
            "Member from an unfunded group",
            2,
            "elected",
            "vcs",
            requires_flags=["unfunded"],
            from_signatories=True,
        ),
        seat(
            "vcs-bme",
            "Member from black and minority ethnic groups",
            1,
            "elected",
            "vcs",
            requires_flags=["bme_led"],
            from_signatories=True,
        ),
        seat(
            "vcs-equality",
            "Member from an equality and diversity group",
            1,
            "elected",
            "vcs",
            requires_flags=["equality_and_diversity"],
            from_signatories=True,
        ),
        # Only growth fills this seat: it needs ``count: 0`` (see the lead's note).
        seat("vcs-additional", "Additional VCS member", 0, "elected", "vcs", from_signatories=True),
    ],
}

PUBLIC_SIGNATORIES = [
    "leicester-city-council",
    "leicestershire-police",
    "nhs-leicester-city",
    "leicestershire-fire",
    "jobcentre-plus",
    "leicester-college",
]


def member(name, seat, sector, flags=(), organisation=None, is_signatory=False):
    return {
        "name": name,
        "seat": seat,
        "sector": sector,
        "flags": set(flags),
        "organisation": organisation,
        "is_signatory": is_signatory,
    }


def vcs(name, seat, *flags, organisation=None):
    return member(name, seat, "vcs", flags, organisation or name.lower(), True)


FULL_GROUP = [
    member("Ann Chair", "chair", "independent"),
    member("Bob Deputy", "deputy-chair", "independent"),
    member("Cat VAL", "vcs-vice-chair", "vcs", (), "voluntary-action-leicester", True),
    member("Dev Council", "public-vice-chair", "public", (), "leicester-city-council", True),
    member("Eve Partnership", "secretary", "public", (), "leicester-partnership"),
    *[
        member(f"Nominee {org}", "public-nominees", "public", (), org, True)
        for org in PUBLIC_SIGNATORIES
    ],
    vcs("Age UK Leicester", "vcs-funded", "receives_public_funding"),
    vcs("Leicester Carers", "vcs-funded", "receives_public_funding"),
    vcs("Braunstone Allotments", "vcs-unfunded", "unfunded"),
    vcs("Belgrave Book Club", "vcs-unfunded", "unfunded"),
    vcs("Highfields Centre", "vcs-bme", "bme_led", "receives_public_funding"),
    vcs("Leicester LGBT Centre", "vcs-equality", "equality_and_diversity"),
]

steering_quotas = build(
    "seat_quotas",
    {"body": "steering-group"},
    clause=Clause(LEICESTER, "6f"),
    exception=None,
)


def check(members, signatories=PUBLIC_SIGNATORIES):
    return steering_quotas.check(
        body=STEERING_GROUP,
        members=members,
        public_signatories=len(signatories),
        public_signatory_ids=signatories,
    )


def test_a_steering_group_that_meets_its_quotas_is_met():
    verdict = check(FULL_GROUP)
    assert verdict.status is Status.MET
    assert verdict.explanation == (
        "Compact Steering Group meets every seat quota (004_2de5eed66f52019d.txt 6f)."
    )
    assert verdict.clause == Clause(LEICESTER, "6f")


def test_a_steering_group_without_a_bme_member_fails_that_seat():
    members = [m for m in FULL_GROUP if m["seat"] != "vcs-bme"]
    verdict = check(members)
    assert verdict.status is Status.MISSED
    assert verdict.missing == (
        "Seat 'Member from black and minority ethnic groups' needs 1 member and has 0",
    )
    assert verdict.explanation == (
        "Compact Steering Group: Seat 'Member from black and minority ethnic groups' needs 1 "
        "member and has 0 (004_2de5eed66f52019d.txt 6f)."
    )


def test_a_bme_seat_filled_from_an_organisation_not_marked_bme_led_fails():
    members = [m for m in FULL_GROUP if m["seat"] != "vcs-bme"]
    members.append(vcs("City Choir", "vcs-bme", "unfunded"))
    assert check(members).missing == (
        "Seat 'Member from black and minority ethnic groups' needs an organisation that is a "
        "black and minority ethnic group, and City Choir's is not marked so",
    )


def test_with_eight_public_signatories_the_group_must_grow_on_both_sides():
    signatories = [*PUBLIC_SIGNATORIES, "de-montfort-university", "university-of-leicester"]
    verdict = check(FULL_GROUP, signatories)
    assert verdict.status is Status.MISSED
    assert verdict.missing == (
        "Seat 'Member nominated by a public-sector signatory' needs 8 members and has 6",
        "Seat 'Member nominated by a public-sector signatory' has no member from signatory "
        "'de-montfort-university'",
        "Seat 'Member nominated by a public-sector signatory' has no member from signatory "
        "'university-of-leicester'",
        "Seat 'Additional VCS member' needs 2 members and has 0",
    )


def test_with_eight_public_signatories_a_grown_group_is_met():
    signatories = [*PUBLIC_SIGNATORIES, "de-montfort-university", "university-of-leicester"]
    members = [
        *FULL_GROUP,
        member("Nominee DMU", "public-nominees", "public", (), "de-montfort-university", True),
        member("Nominee UoL", "public-nominees", "public", (), "university-of-leicester", True),
        vcs("Leicester Mencap", "vcs-additional"),
        vcs("Saffron Lane Youth", "vcs-additional"),
    ]
    assert check(members, signatories).status is Status.MET


def test_required_places_grow_only_for_the_seats_listed():
    body, seats = STEERING_GROUP, {s["id"]: s for s in STEERING_GROUP["seats"]}
    assert SeatQuotas.required_places(seats["public-nominees"], body, 8) == 8
    assert SeatQuotas.required_places(seats["vcs-additional"], body, 8) == 2
    assert SeatQuotas.required_places(seats["vcs-funded"], body, 8) == 2
    assert SeatQuotas.required_places(seats["public-nominees"], body, 4) == 6


def test_wrong_sector_too_many_and_non_signatory_members_are_each_named():
    members = [m for m in FULL_GROUP if m["seat"] != "vcs-unfunded"]
    members += [
        member("Ivy Police", "vcs-unfunded", "public", {"unfunded"}, "leicestershire-police", True),
        member("Joe Club", "vcs-unfunded", "vcs", {"unfunded"}, "joe-club", False),
        vcs("Kim Group", "vcs-unfunded", "unfunded"),
        member("Lou Somewhere", "treasurer", "vcs"),
    ]
    assert check(members).missing == (
        "Lou Somewhere is in seat 'treasurer', which this body does not have",
        "Seat 'Member from an unfunded group' has 3 members but only 2 places",
        "Seat 'Member from an unfunded group' is for the vcs sector but Ivy Police is public",
        "Seat 'Member from an unfunded group' is for signatories but Joe Club's organisation "
        "has not signed",
    )


def test_the_body_checked_must_be_the_one_the_standard_names():
    with pytest.raises(RuleError, match="checks the body 'steering-group'"):
        steering_quotas.check(
            body={**STEERING_GROUP, "id": "dispute-subgroup"}, members=[], public_signatories=0
        )


def test_a_seat_representing_every_signatory_needs_the_signatory_ids():
    with pytest.raises(RuleError, match="pass public_signatory_ids"):
        steering_quotas.check(body=STEERING_GROUP, members=FULL_GROUP, public_signatories=6)
