from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("localcompact.core.urls")),
    path("compacts/", include("localcompact.compacts.urls")),
    # Dashboards, activities, calendar feeds, and /compacts/<slug>/compliance/.
    path("", include("localcompact.obligations.urls")),
    # The register, organisation pages, members, the pledge, the support team's pages.
    path("", include("localcompact.organisations.urls")),
    path("consultations/", include("localcompact.consultations.urls")),
    path("notices/", include("localcompact.notices.urls")),
    path("partnerships/", include("localcompact.partnerships.urls")),
    path("funding/", include("localcompact.funding.urls")),
    path("disagreements/", include("localcompact.disputes.urls")),
    path("volunteering/", include("localcompact.volunteering.urls")),
    path("governance/", include("localcompact.governance.urls")),
    path("proofing/", include("localcompact.proofing.urls")),
    # The annual compact report: HTML, PDF and CSV, year on year.
    path("reports/", include("localcompact.reports.urls")),
    # Open data: downloads with field descriptions and licence, feeds and calendars.
    path("open-data/", include("localcompact.opendata.urls")),
    # The JSON API, its OpenAPI schema and documentation, and personal API tokens.
    path("api/", include("localcompact.api.urls")),
    # Signing up, e-mail addresses, passwords, two-factor authentication (allauth).
    path("accounts/", include("localcompact.accounts.urls")),
    path("admin/", admin.site.urls),
]
