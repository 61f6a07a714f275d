"""Governance records made through the services, for the tests."""

from localcompact.governance import services

from .conftest import NOW


def steering_group(world, *, title="Steering group", skip=(), by=None):
    """A Leicester steering-group make-up with every seat filled as the quotas ask,
    except the seats named in `skip`."""
    by = by or world.user("support")
    composition = services.composition_create(
        compact=world.leicester, body="steering-group", title=title, by=by
    )
    rows = [
        ("independent-chair", "Chair Person", world.trust, True),
        ("independent-deputy-chair", "Deputy Person", world.advice, True),
        ("vice-chair-val", "Val Vice", world.trust, False),
        ("vice-chair-public", "Public Vice", world.council, False),
        ("secretary", "Sec Retary", world.council, False),
        ("public-nominees", "Nominee One", world.council, False),
        ("public-nominees", "Nominee Two", world.council, False),
        ("public-nominees", "Nominee Three", world.council, False),
        ("public-nominees", "Nominee Four", world.health, False),
        ("public-nominees", "Nominee Five", world.health, False),
        ("public-nominees", "Nominee Six", world.health, False),
        ("vcs-funded", "Funded One", world.advice, False),
        ("vcs-funded", "Funded Two", world.advice, False),
        ("vcs-unfunded", "Unfunded One", world.trust, False),
        ("vcs-unfunded", "Unfunded Two", world.trust, False),
        ("vcs-bme", "Forum Member", world.forum, False),
        ("vcs-equality", "Equality Member", world.equality, False),
    ]
    for seat, name, org, independent in rows:
        if seat in skip:
            continue
        services.member_add(
            composition=composition,
            seat=seat,
            name=name,
            organisation=org,
            independent=independent,
            by=by,
            now=NOW,
        )
    return composition
