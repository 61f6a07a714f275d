"""Reads about organisations, signatures and compact roles."""

from django.db.models import QuerySet

from localcompact.compacts.models import Compact

from .models import CompactRole, Organisation, Signature


def signatories_current(*, compact: Compact) -> QuerySet[Organisation]:
    """Organisations whose signature of the compact stands (not withdrawn)."""
    return Organisation.objects.filter(
        signatures__compact=compact, signatures__withdrawn_on__isnull=True
    )


def is_current_signatory(*, organisation: Organisation, compact: Compact) -> bool:
    """Whether the organisation may use the compact's own procedures (e.g. disagreements)."""
    return Signature.objects.current().filter(organisation=organisation, compact=compact).exists()


def compact_roles_of(user) -> QuerySet[CompactRole]:
    if not user.is_authenticated:
        return CompactRole.objects.none()
    return CompactRole.objects.current().filter(user=user).select_related("compact")
