from django.contrib import admin

from .models import ProofingDocument, ProofingEvidence, ProofingReport


@admin.register(ProofingReport)
class ProofingReportAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "compact", "kind", "passes", "created_at"]
    list_filter = ["passes", "kind", "compact"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation", "compact"]
    readonly_fields = [f.name for f in ProofingReport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # reports are made by the service, from a draft

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProofingDocument)
class ProofingDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "report", "size", "uploaded_at"]
    list_select_related = ["report"]
    readonly_fields = [f.name for f in ProofingDocument._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProofingEvidence)
class ProofingEvidenceAdmin(admin.ModelAdmin):
    list_display = ["report", "consultation", "plan", "attached_at"]
    list_select_related = ["report", "consultation", "plan"]
    readonly_fields = [f.name for f in ProofingEvidence._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # attached through the service, which makes the report public

    def has_change_permission(self, request, obj=None) -> bool:
        return False
