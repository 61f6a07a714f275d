from django.urls import path

from . import views

app_name = "disputes"

urlpatterns = [
    path("", views.index, name="index"),
    path("raise/", views.raise_case, name="raise"),
    path("findings/", views.findings, name="findings"),
    path("findings/<str:reference>/", views.finding, name="finding"),
    path("figures/", views.figures, name="figures"),
    path("<str:reference>/", views.case_detail, name="case"),
    path("<str:reference>/steps/<slug:move>/", views.case_step, name="step"),
    path("<str:reference>/documents/<int:pk>/", views.document, name="document"),
]
