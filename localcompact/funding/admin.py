"""Read-mostly admin for the support team; changes go through the pages and services."""

from django.contrib import admin

from .models import Application, Award, CommissioningPlan, FundingEvent, Opportunity, Payment


@admin.register(CommissioningPlan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "commissioner", "stage", "completed_on"]
    list_filter = ["stage"]
    search_fields = ["title", "commissioner__name"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "kind", "status", "opens_on", "closes_on"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "code", "funder__name"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["title", "applicant", "opportunity", "status", "submitted_on"]
    list_filter = ["status"]
    search_fields = ["title", "applicant__name"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "recipient", "amount", "starts_on", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["title", "funder__name", "recipient__name"]
    inlines = [PaymentInline]


@admin.register(FundingEvent)
class FundingEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "on", "by", "plan", "opportunity", "application", "award"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
