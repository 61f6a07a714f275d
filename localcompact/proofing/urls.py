"""Compact-proofing: /proofing/... An organisation's reports and the form to proof a
draft for it; a report, the file it was made from, and attaching it as evidence (or
removing it); the compact mark of a passing report and the public page that verifies it."""

from django.urls import path

from . import views

app_name = "proofing"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/<slug:slug>/", views.report_list, name="list"),
    path("organisations/<slug:slug>/new/", views.report_new, name="new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/document/", views.report_document, name="document"),
    path("reports/<int:pk>/attach/", views.report_attach, name="attach"),
    path(
        "reports/<int:pk>/evidence/<int:evidence>/remove/",
        views.evidence_remove,
        name="remove_evidence",
    ),
    path("marks/", views.verify, name="verify"),
    path("marks/<str:reference>/", views.verified, name="verified"),
    path("marks/<str:reference>/mark.svg", views.mark, name="mark"),
]
