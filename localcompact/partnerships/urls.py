"""Partnership groups and meetings, requests to act, withheld information, consents and
freedom-of-information requests. Who may use each page is in `rules.py`."""

from django.urls import path

from . import views

app_name = "partnerships"

group = "groups/<slug:slug>"
meeting = f"{group}/meetings/<int:pk>"

urlpatterns = [
    path("", views.index, name="index"),
    path(f"{group}/", views.group_detail, name="group"),
    path(f"{group}/meetings.ics", views.calendar_feed, name="feed"),
    path(f"{group}/history/", views.history, name="history"),
    path(f"{group}/terms/", views.terms, name="terms"),
    path(f"{group}/members/new/", views.member_new, name="member_new"),
    path(f"{group}/members/<int:pk>/interests/", views.interests, name="interests"),
    path(f"{group}/members/<int:pk>/interests/new/", views.interest_new, name="interest_new"),
    path(f"{group}/members/<int:pk>/", views.member_change, name="member_change"),
    path(f"{group}/members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path(f"{group}/members/<int:pk>/access/", views.access_confirm, name="access"),
    path(f"{group}/nominations/new/", views.nomination_new, name="nomination_new"),
    path(f"{group}/nominations/<int:pk>/", views.nomination, name="nomination"),
    path(f"{group}/calendars/new/", views.calendar_new, name="calendar_new"),
    path(f"{group}/calendars/<int:pk>/publish/", views.calendar_publish, name="calendar_publish"),
    path(f"{group}/meetings/new/", views.meeting_new, name="meeting_new"),
    path(f"{meeting}/", views.meeting_detail, name="meeting"),
    path(f"{meeting}/notice/", views.notice, name="notice"),
    path(f"{meeting}/items/new/", views.item_new, name="item_new"),
    path(f"{meeting}/papers/new/", views.paper_new, name="paper_new"),
    path(f"{meeting}/papers/<int:paper>/sent/", views.paper_sent, name="paper_sent"),
    path(f"{meeting}/papers/<int:paper>/file/", views.paper_document, name="paper_document"),
    path(f"{meeting}/attendance/", views.attendance, name="attendance"),
    path(f"{meeting}/declarations/new/", views.declaration_new, name="declaration_new"),
    path(f"{meeting}/decisions/new/", views.decision_new, name="decision_new"),
    path(f"{meeting}/minutes/", views.minutes, name="minutes"),
    path(f"{meeting}/minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path(f"{meeting}/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(f"{group}/decisions/<int:pk>/objections/new/", views.objection_new, name="objection_new"),
    path(f"{group}/decisions/electronic/", views.decision_electronic, name="decision_electronic"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("organisations/<slug:slug>/groups/new/", views.group_new, name="group_new"),
    path("organisations/<slug:slug>/requests/new/", views.request_new, name="request_new"),
    path("organisations/<slug:slug>/withheld/new/", views.withheld_new, name="withheld_new"),
    path("organisations/<slug:slug>/consents/new/", views.consent_new, name="consent_new"),
    path("organisations/<slug:slug>/foi/new/", views.foi_new, name="foi_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/done/", views.request_done, name="request_done"),
    path("withheld/<int:pk>/", views.withheld_detail, name="withheld"),
    path("compacts/<slug:slug>/withheld/", views.withheld_list, name="withheld_list"),
    path("consents/<int:pk>/", views.consent_detail, name="consent"),
    path("foi/<int:pk>/", views.foi_detail, name="foi"),
]
