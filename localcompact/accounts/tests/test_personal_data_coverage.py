"""Every model that points at a person is accounted for by the personal-data hooks.

The table below says, for each foreign key to the user model in LocalCompact's apps,
what erasure does with it. A new model (or field) that points at a user fails this test
until it is added here, with its app's `personal_data_requested` / `account_erased`
receivers updated (see localcompact/accounts/__init__.py). django-simple-history's copies
(Historical...) are kept: the history of the compact's records names "a former user".

Apps being built in this session are listed in AWAITING: their fields are reported, not
failed, until their receivers land; remove an app from there once they have.
"""

import pytest
from django.apps import apps
from django.conf import settings

ERASED = "erased"  # deleted or blanked by the app's account_erased receiver
KEPT = "kept"  # a record the compact keeps, naming the anonymised account
ENDED = "ended"  # the relationship ends (deleted with history, or revoked)

# model label.field -> what erasure does with it
ACCOUNTED = {
    "accounts.DeletionRequest.user": KEPT,  # the record that the erasure was done
    "accounts.DeletionRequest.erased_by": KEPT,
    "organisations.Organisation.verified_by": KEPT,
    "organisations.Membership.user": ENDED,
    "organisations.Invitation.invited_by": KEPT,
    "organisations.Invitation.accepted_by": KEPT,
    "organisations.CompactRole.user": ENDED,
    "organisations.CompactRole.granted_by": KEPT,
    "organisations.CompactRole.revoked_by": KEPT,
    "organisations.Signature.recorded_by": KEPT,
    "organisations.Signature.withdrawal_recorded_by": KEPT,
    "organisations.Claim.user": ERASED,  # the reason they gave is cleared
    "organisations.Claim.decided_by": KEPT,
    "obligations.Obligation.excused_by": KEPT,
    "obligations.ObligationEvent.by": KEPT,
    "obligations.Activity.recorded_by": KEPT,
    "obligations.Reminder.recipient": ERASED,  # queued ones are stopped
    "obligations.CalendarFeed.created_by": KEPT,
}

AWAITING = {
    "consultations",
    "notices",
    "partnerships",
    "funding",
    "disputes",
    "volunteering",
    "governance",
    "api",
}


def user_fields() -> dict[str, str]:
    """label.field -> app label, for every foreign key or one-to-one to the user model
    in LocalCompact's own apps (history copies left out)."""
    found = {}
    for model in apps.get_models():
        if not model.__module__.startswith("localcompact."):
            continue
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if field.many_to_many or not getattr(field, "is_relation", False):
                continue
            if not field.concrete or field.related_model is None:
                continue
            if field.related_model._meta.label == settings.AUTH_USER_MODEL:
                found[f"{model._meta.label}.{field.name}"] = model._meta.app_label
    return found


def test_every_field_that_points_at_a_person_is_accounted_for():
    missing = sorted(
        name for name, app in user_fields().items() if name not in ACCOUNTED and app not in AWAITING
    )
    assert missing == [], (
        "These fields point at a user but erasure does not account for them: " + ", ".join(missing)
    )


def test_the_table_names_no_field_that_is_gone():
    assert sorted(set(ACCOUNTED) - set(user_fields())) == []


def test_apps_still_being_built_are_reported():
    waiting = sorted(name for name, app in user_fields().items() if app in AWAITING)
    if waiting:
        pytest.skip("Not yet accounted for (apps being built): " + ", ".join(waiting))
