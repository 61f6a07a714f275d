"""Admin pages for staff: to look things up. Changes belong in the app's own pages,
which go through the services (obligations, history, refusals)."""

from django.contrib import admin

from .models import (
    Consent,
    FoiRequest,
    GroupEvent,
    Meeting,
    PartnershipGroup,
    RequestToAct,
    WithheldReport,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartnershipGroup)
class GroupAdmin(ReadOnly):
    list_display = ["name", "convener", "compact", "terms_complete_on", "closed_on"]
    search_fields = ["name", "convener__name"]
    list_select_related = ["convener", "compact"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ["title", "group", "starts_at", "notice_given_on", "minutes_status"]
    list_select_related = ["group"]
    date_hierarchy = "starts_at"


@admin.register(GroupEvent)
class GroupEventAdmin(ReadOnly):
    list_display = ["at", "group", "kind", "text", "by"]
    list_filter = ["kind"]
    list_select_related = ["group", "by"]


@admin.register(RequestToAct)
class RequestToActAdmin(ReadOnly):
    list_display = ["title", "from_organisation", "to_organisation", "action_due_on", "done_on"]
    list_select_related = ["from_organisation", "to_organisation"]


@admin.register(WithheldReport)
class WithheldReportAdmin(ReadOnly):
    list_display = ["reported_on", "reported_by", "about", "considered_on"]
    list_select_related = ["reported_by", "about"]


@admin.register(Consent)
class ConsentAdmin(ReadOnly):
    list_display = ["asked_on", "holder", "about", "status"]
    list_select_related = ["holder", "about"]


@admin.register(FoiRequest)
class FoiRequestAdmin(ReadOnly):
    list_display = ["received_on", "public_body", "organisation", "disclosure_due_on", "decided_on"]
    list_select_related = ["public_body", "organisation"]
