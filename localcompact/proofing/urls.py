"""Compact-proofing: /proofing/... An organisation's reports and the form to proof a
draft for it; a report and the file it was made from."""

from django.urls import path

from . import views

app_name = "proofing"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/<slug:slug>/", views.report_list, name="list"),
    path("organisations/<slug:slug>/new/", views.report_new, name="new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/document/", views.report_document, name="document"),
]
