from django.urls import path

from alongside.accounts import people_pages
from alongside.api import token_pages
from alongside.codes import settings_pages as code_pages

from . import settings_pages as pages

urlpatterns = [
    path("", pages.councils, name="settings"),
    path("councils/new/", pages.council_edit, name="settings_council_new"),
    path("councils/<int:pk>/", pages.council, name="settings_council"),
    path("councils/<int:pk>/edit/", pages.council_edit, name="settings_council_edit"),
    path("people/", people_pages.people, name="settings_people"),
    path("people/<int:pk>/<slug:action>/", people_pages.person_action, name="settings_person"),
    path("tokens/", token_pages.token_list, name="settings_tokens"),
    path("tokens/<int:pk>/revoke/", token_pages.token_revoke, name="settings_token_revoke"),
    path("codes/", code_pages.code_lists, name="settings_code_lists"),
    path("codes/<slug:name>/", code_pages.code_list, name="settings_code_list"),
    path("codes/code/<int:pk>/", code_pages.code_edit, name="settings_code_edit"),
]
