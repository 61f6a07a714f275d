"""Compacts are loaded from their definition files, never edited here: the admin only reads.

Editing a standard in place would change what records made under it were judged by;
a change to a compact is a change to its file, loaded as a new version.
"""

from django.contrib import admin

from .models import Compact, CompactVersion, Standard, Undertaking


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Compact)
class CompactAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "current_version"]
    list_select_related = ["current_version"]


@admin.register(CompactVersion)
class CompactVersionAdmin(ReadOnlyAdmin):
    list_display = ["name", "number", "loaded_at", "source_file"]
    list_filter = ["compact"]
    exclude = ["definition"]


@admin.register(Standard)
class StandardAdmin(ReadOnlyAdmin):
    list_display = ["title", "ident", "rule_kind", "strictness", "version"]
    list_filter = ["version__compact", "rule_kind", "strictness"]
    list_select_related = ["version"]
    search_fields = ["title", "ident", "summary"]


@admin.register(Undertaking)
class UndertakingAdmin(ReadOnlyAdmin):
    list_display = ["ident", "party", "code", "version"]
    list_filter = ["version__compact"]
    list_select_related = ["party", "code", "version"]
    search_fields = ["summary", "ident"]
