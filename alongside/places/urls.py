from django.urls import path

from alongside.accounts import people_pages

from . import settings_pages as pages

urlpatterns = [
    path("", pages.councils, name="settings"),
    path("councils/new/", pages.council_edit, name="settings_council_new"),
    path("councils/<int:pk>/", pages.council, name="settings_council"),
    path("councils/<int:pk>/edit/", pages.council_edit, name="settings_council_edit"),
    path("people/", people_pages.people, name="settings_people"),
    path("people/<int:pk>/<slug:action>/", people_pages.person_action, name="settings_person"),
]
