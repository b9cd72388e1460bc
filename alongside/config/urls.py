from django.contrib import admin
from django.urls import include, path

from alongside.api.v1 import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("reports/", include("alongside.reports.urls")),
    path("exports/", include("alongside.dataset.urls")),
    path("", include("alongside.front.urls")),
]
