from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("", views.guide, name="api_guide"),
    path("tokens/", views.tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="api_token_revoke"),
    path("", api.urls),
]
