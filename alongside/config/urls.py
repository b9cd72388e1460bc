from django.contrib import admin
from django.urls import include, path

from alongside.accounts.people_pages import accept as accept_invitation
from alongside.api.v1 import api
from alongside.operations.health import healthz
from alongside.operations.metrics import metrics
from alongside.people.views import retention

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("reports/", include("alongside.reports.urls")),
    path("", include("alongside.dataset.urls")),
    path("work/", include("alongside.operations.urls")),
    path("retention/", retention, name="retention"),
    path("settings/", include("alongside.places.urls")),
    path("invitation/<str:token>/", accept_invitation, name="invitation"),
    path("", include("alongside.front.urls")),
]
