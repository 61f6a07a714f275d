from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("", views.index, name="index"),
    path("funders/", views.funders, name="funders"),
    path("funders/<slug:slug>/", views.funder, name="funder"),
    path("recipients/", views.recipients, name="recipients"),
    path("recipients/<slug:slug>/", views.recipient, name="recipient"),
    path("programmes/", views.programmes, name="programmes"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/involvement/", views.plan_involvement, name="plan_involvement"),
    path("plans/<int:pk>/advance/", views.plan_advance, name="plan_advance"),
    path("opportunities/<slug:code>/", views.opportunity, name="opportunity"),
    path("opportunities/<slug:code>/open/", views.opportunity_open, name="opportunity_open"),
    path("opportunities/<slug:code>/close/", views.opportunity_close, name="opportunity_close"),
    path("opportunities/<slug:code>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path(
        "applications/<int:pk>/notified/", views.application_notified, name="application_notified"
    ),
    path("awards/<int:pk>/", views.award, name="award"),
    path("awards/<int:pk>/confirm/", views.award_confirm, name="award_confirm"),
    path("awards/<int:pk>/monitoring/", views.award_monitoring, name="award_monitoring"),
    path("awards/<int:pk>/payments/new/", views.payment_new, name="payment_new"),
    path("awards/<int:pk>/payments/<int:payment>/paid/", views.payment_paid, name="payment_paid"),
    path("awards/<int:pk>/returns/new/", views.return_new, name="return_new"),
    path(
        "awards/<int:pk>/returns/<int:item>/received/",
        views.return_received,
        name="return_received",
    ),
    path("awards/<int:pk>/returns/<int:item>/review/", views.return_review, name="return_review"),
    path("awards/<int:pk>/risks/new/", views.risk_new, name="risk_new"),
    path("awards/<int:pk>/end-notice/", views.end_notice, name="end_notice"),
    path("awards/<int:pk>/changes/new/", views.change_new, name="change_new"),
    path("awards/<int:pk>/terms/", views.recipient_terms, name="recipient_terms"),
    path("awards/<int:pk>/wind-down/", views.wind_down, name="wind_down"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("organisations/<slug:slug>/plans/new/", views.plan_new, name="plan_new"),
    path(
        "organisations/<slug:slug>/opportunities/new/",
        views.opportunity_new,
        name="opportunity_new",
    ),
    path("organisations/<slug:slug>/awards/new/", views.award_new, name="award_new"),
    path("data/", views.data, name="data"),
    path("data/360giving.json", views.data_360_json, name="data_360_json"),
    path("data/360giving.csv", views.data_360_csv, name="data_360_csv"),
    path("data/ocds.json", views.data_ocds, name="data_ocds"),
]
