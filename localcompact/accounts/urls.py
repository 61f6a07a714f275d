"""Mounted at /accounts/: our own account pages, then all of allauth's.

No namespace, so that allauth's names (``account_login``, ``mfa_index``...) stay as
allauth expects them.
"""

from django.urls import include, path

from . import views

urlpatterns = [
    path("delete/", views.delete_account, name="account_delete"),
    path("", include("allauth.urls")),
]
