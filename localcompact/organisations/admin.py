"""The admin, for staff: every change to an organisation, its identifiers, memberships,
compact roles and signatures keeps its history (django-simple-history's "History"
button). Day-to-day changes go through the pages, which write the audit log; the admin
is for putting a record right.

Invitations keep no history of their own (their model has none), so theirs is a plain
admin, read-only but for revoking: a token cannot be shown, only its hash.
"""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import CompactRole, Identifier, Invitation, Membership, Organisation, Signature


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class IdentifierInline(admin.TabularInline):
    model = Identifier
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sector", "kind", "verified_on"]
    list_filter = ["sector", "kind", "verified_on"]
    search_fields = ["name", "identifiers__value"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified_on", "verified_by", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [IdentifierInline, MembershipInline]


@admin.register(Identifier)
class IdentifierAdmin(SimpleHistoryAdmin):
    list_display = ["org_id", "organisation"]
    list_filter = ["scheme"]
    search_fields = ["value", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "email", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["organisation__name", "email"]
    readonly_fields = [
        "organisation",
        "email",
        "role",
        "token_hash",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    ]

    def has_add_permission(self, request):
        return False  # invitations are sent from the members page, which e-mails the link


@admin.register(CompactRole)
class CompactRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "case", "compact", "granted_by", "granted_at", "revoked_at"]
    list_filter = ["compact", "kind"]
    search_fields = ["user__username", "user__email", "case"]
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_by", "granted_at", "revoked_by"]


@admin.register(Signature)
class SignatureAdmin(SimpleHistoryAdmin):
    list_display = [
        "organisation_name",
        "compact",
        "signed_on",
        "method",
        "received_on",
        "withdrawn_on",
    ]
    list_filter = ["compact", "method"]
    search_fields = ["organisation_name", "organisation__name", "signatory_name"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["organisation"]
    readonly_fields = ["recorded_by", "recorded_at", "withdrawal_recorded_by"]
