from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import SignInForm

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
            # LoginView names the site after the request's host; the header shows ours.
            extra_context={
                "page_title": "Sign in",
                "nav_section": "sign-in",
                "site_name": settings.SITE_NAME,
            },
        ),
        name="login",
    ),
    # POST only (Django's LogoutView): the navigation's sign-out button is a small form.
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
]
