from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("localcompact.core.urls")),
    path("compacts/", include("localcompact.compacts.urls")),
    # Dashboards, activities, calendar feeds, and /compacts/<slug>/compliance/.
    path("", include("localcompact.obligations.urls")),
    # The register, organisation pages, members, the pledge, the support team's pages.
    path("", include("localcompact.organisations.urls")),
    # Signing up, e-mail addresses, passwords, two-factor authentication (allauth).
    path("accounts/", include("localcompact.accounts.urls")),
    path("admin/", admin.site.urls),
]
