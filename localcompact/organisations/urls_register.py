"""The public register and each organisation's page; the support team's history page."""

from django.urls import path, re_path

from .views import register as views

# An organisation's slug, except the words that name other pages under /organisations/
# (organisations/new/ is in urls_manage.py; this list comes first in urls.py).
SLUG = r"(?!new/)(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register.csv", views.register_csv, name="register-csv"),
    path("register.json", views.register_json, name="register-json"),
    re_path(rf"^organisations/{SLUG}/$", views.detail, name="detail"),
    re_path(rf"^organisations/{SLUG}/history/$", views.history, name="history"),
]
