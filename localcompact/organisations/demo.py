"""Demo data of the organisations app: an unconstituted community group, registered the
short way (name, area, a contact with a confirmed e-mail address; no identifier)."""

from . import services


def seed(demo) -> str:
    group = services.community_group_register(
        name="Marsh Lane Neighbours",
        area="Marsh Lane and the Brook Street estate, Northfield",
        public_email="marshlane.neighbours@example.org",
        created_by=demo.people["mo"],
    )
    demo.organisations[group.slug] = group
    return f"Organisations: {group.name}, an unconstituted community group (Mo is its contact)."
