from django.urls import path

from . import settings_pages as pages

urlpatterns = [
    path("", pages.councils, name="settings"),
    path("councils/new/", pages.council_edit, name="settings_council_new"),
    path("councils/<int:pk>/", pages.council, name="settings_council"),
    path("councils/<int:pk>/edit/", pages.council_edit, name="settings_council_edit"),
]
