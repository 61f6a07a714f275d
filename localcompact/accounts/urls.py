"""Mounted at /accounts/: our own account pages, then all of allauth's.

No namespace, so that allauth's names (``account_login``, ``mfa_index``...) stay as
allauth expects them. The staff pages are under ``staff/``, which the two-factor
requirement does not exempt (see middleware.py), unlike the rest of /accounts/.
"""

from django.urls import include, path

from . import views

urlpatterns = [
    path("delete/", views.delete_account, name="account_delete"),
    path("personal-data/", views.personal_data, name="account_personal_data"),
    path(
        "personal-data/download/",
        views.personal_data_download,
        name="account_personal_data_download",
    ),
    path("staff/deletion-requests/", views.deletion_requests, name="account_deletion_requests"),
    path(
        "staff/deletion-requests/<int:pk>/",
        views.deletion_request_erase,
        name="account_erase",
    ),
    path(
        "staff/deletion-requests/<int:pk>/erased/",
        views.deletion_request_erased,
        name="account_erased",
    ),
    path("", include("allauth.urls")),
]
