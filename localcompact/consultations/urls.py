from django.urls import path

from . import views

app_name = "consultations"

c = "<int:pk>"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("forward-plan/", views.forward_plan, name="forward_plan"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("plan/", views.plan_start, name="plan_start"),
    path("plan/<slug:org>/<slug:compact>/", views.plan, name="plan"),
    path("receipt/", views.receipt, name="receipt"),
    path("responses/", views.my_responses, name="my_responses"),
    path("follow/", views.follow, name="follow"),
    path(f"{c}/", views.detail, name="detail"),
    path(f"{c}/planned/", views.planned, name="planned"),
    path(f"{c}/move/", views.move, name="move"),
    path(f"{c}/documents/new/", views.document_new, name="document_new"),
    path(f"{c}/documents/<int:doc>/", views.document_download, name="document"),
    path(f"{c}/respond/", views.respond_choose, name="respond_choose"),
    path(f"{c}/respond/<str:kind>/", views.respond, name="respond"),
    path(f"{c}/responses/", views.responses, name="responses"),
    path(f"{c}/responses/<int:rid>/", views.response_detail, name="response"),
    path(f"{c}/responses/<int:rid>/edit/", views.response_edit, name="response_edit"),
    path(f"{c}/responses/<int:rid>/sent/", views.response_sent, name="response_sent"),
    path(f"{c}/analysis/", views.analysis, name="analysis"),
    path(f"{c}/decide/", views.decide, name="decide"),
    path(f"{c}/feedback/", views.feedback, name="feedback"),
    path(f"{c}/feedback/publish/", views.publish_feedback, name="publish_feedback"),
]
