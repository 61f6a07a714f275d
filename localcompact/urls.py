from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("localcompact.core.urls")),
    path("compacts/", include("localcompact.compacts.urls")),
    path("admin/", admin.site.urls),
]
