from allauth.account import views as account_views
from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("healthz", views.healthz, name="healthz"),
    # allauth's sign-in and sign-out (GOV.UK templates in localcompact/accounts); these
    # short addresses are the ones the site links to. Signing out is a POST: a GET
    # only shows the button (ACCOUNT_LOGOUT_ON_GET is off).
    path("sign-in/", account_views.login, name="login"),
    path("sign-out/", account_views.logout, name="logout"),
]
