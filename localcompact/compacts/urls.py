from django.urls import path

from . import views

app_name = "compacts"

urlpatterns = [
    path("", views.compact_list, name="list"),
    path("<slug:slug>/", views.compact_detail, name="detail"),
    path("<slug:slug>/undertakings/", views.undertakings, name="undertakings"),
    path("<slug:slug>/codes/<slug:code>/", views.undertakings, name="code"),
    path("<slug:slug>/standards/", views.standards, name="standards"),
    path("<slug:slug>/glossary/", views.glossary, name="glossary"),
    path("<slug:slug>/disagreements/", views.procedure, name="procedure"),
    path("<slug:slug>/versions/<int:number>/", views.version_detail, name="version"),
]
