from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.compact, name="compact"),
    path("<slug:slug>/<int:year>/", views.report, name="report"),
    path("<slug:slug>/<int:year>/report.pdf", views.pdf, name="pdf"),
    path("<slug:slug>/<int:year>/figures.csv", views.figures_csv, name="csv"),
    path("<slug:slug>/<int:year>/generate/", views.generate, name="generate"),
]
