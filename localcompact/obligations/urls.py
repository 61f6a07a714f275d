from django.urls import path, re_path

from .views import activities, calendar, compliance, dashboards, obligation

app_name = "obligations"

urlpatterns = [
    path("obligations/", dashboards.index, name="dashboard"),
    path("obligations/<int:pk>/", obligation.detail, name="obligation"),
    path("obligations/<int:pk>/excuse/", obligation.excuse, name="excuse"),
    path("obligations/<int:pk>/excused/", obligation.excused, name="excused"),
    path("organisations/<slug:slug>/obligations/", dashboards.owing, name="owing"),
    path("organisations/<slug:slug>/obligations/owed/", dashboards.owed, name="owed"),
    path("organisations/<slug:slug>/obligations/calendar/", calendar.calendar, name="calendar"),
    path(
        "organisations/<slug:slug>/obligations/calendar/new/",
        calendar.calendar_create,
        name="calendar_create",
    ),
    path(
        "organisations/<slug:slug>/obligations/calendar/<int:feed>/revoke/",
        calendar.calendar_revoke,
        name="calendar_revoke",
    ),
    path("organisations/<slug:slug>/activities/new/", activities.new, name="activity_new"),
    path(
        "organisations/<slug:slug>/activities/new/<slug:compact>/<slug:standard>/",
        activities.new_details,
        name="activity_new_details",
    ),
    path("activities/<int:pk>/", activities.detail, name="activity"),
    path("activities/<int:pk>/recorded/", activities.recorded, name="activity_recorded"),
    path("activities/<int:pk>/done/", activities.done, name="activity_done"),
    path("activities/<int:pk>/withdraw/", activities.withdraw, name="activity_withdraw"),
    path("compacts/<slug:slug>/compliance/", compliance.compliance, name="compliance"),
    path("compacts/<slug:slug>/compliance.csv", compliance.compliance_csv, name="compliance_csv"),
    re_path(
        r"^feeds/obligations/(?P<token>[A-Za-z0-9_-]{16,128})\.ics$",
        calendar.feed,
        name="feed",
    ),
]
