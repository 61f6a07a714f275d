from django.urls import path, re_path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:dataset>/fields/", views.fields, name="fields"),
    re_path(r"^(?P<dataset>[a-z-]+)\.(?P<fmt>csv|json)$", views.download, name="download"),
    path("compacts/<slug:slug>/calendar.ics", views.calendar, name="calendar"),
    re_path(r"^feeds/(?P<kind>[a-z]+)\.atom$", views.feed, name="feed"),
]
