from django.urls import path

from . import views

app_name = "volunteering"

urlpatterns = [
    path("", views.index, name="index"),
    path("opportunities/<int:pk>/", views.opportunity, name="opportunity"),
    path("opportunities/<int:pk>/interest-sent/", views.interest_sent, name="interest_sent"),
    path("opportunities/<int:pk>/change/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/status/", views.opportunity_status, name="opportunity_status"),
    path("figures/", views.figures, name="figures"),
    path("equality/", views.equality, name="equality"),
    path("impact-assessments/", views.assessments, name="assessments"),
    path("impact-assessments/<int:pk>/", views.assessment, name="assessment"),
    path("progress/<slug:slug>/", views.progress, name="progress"),
    path("format-requests/<str:reference>/", views.format_request, name="format_request"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path(
        "organisations/<slug:slug>/opportunities/new/",
        views.opportunity_new,
        name="opportunity_new",
    ),
    path("organisations/<slug:slug>/policy/", views.policy_edit, name="policy"),
    path("organisations/<slug:slug>/figures/", views.figures_edit, name="figures_edit"),
    path("organisations/<slug:slug>/equality/", views.equality_edit, name="equality_edit"),
    path(
        "organisations/<slug:slug>/impact-assessments/new/",
        views.assessment_new,
        name="assessment_new",
    ),
    path(
        "organisations/<slug:slug>/format-requests/new/",
        views.format_request_new,
        name="format_request_new",
    ),
    path(
        "organisations/<slug:slug>/format-requests/<int:pk>/",
        views.format_request_answer_view,
        name="format_request_answer",
    ),
    path(
        "compacts/<slug:compact>/format-requests/",
        views.compact_format_requests,
        name="compact_format_requests",
    ),
    path(
        "compacts/<slug:compact>/format-requests/new/",
        views.format_request_new_compact,
        name="format_request_new_compact",
    ),
    path(
        "compacts/<slug:compact>/format-requests/<int:pk>/",
        views.compact_format_request_answer,
        name="compact_format_request_answer",
    ),
]
