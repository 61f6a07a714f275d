"""Consultations in the admin: read to support people; changes go through the pages, so
that every move writes its history and keeps its obligations in step."""

from django.contrib import admin

from .models import Consultation, Tag


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnly):
    list_display = ["title", "lead", "compact", "status", "opens_on", "closes_on"]
    list_filter = ["status", "compact"]
    search_fields = ["title"]
    list_select_related = ["lead", "compact"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name"]
