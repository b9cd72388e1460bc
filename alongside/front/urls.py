from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import (
    caseload,
    community_map,
    data_quality,
    exits,
    good_life,
    introductions,
    recording,
    stories,
    views,
)

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="front/sign_in.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("caseload/", caseload.caseload, name="caseload"),
    path("quality/", data_quality.data_quality, name="data_quality"),
    path("introductions/new/", introductions.new_introduction, name="introduction_new"),
    path("people/<str:reference>/", views.person, name="person"),
    path("people/<str:reference>/introduction/", introductions.reintroduction, name="reintroduction"),
    path("people/<str:reference>/conversation/", good_life.conversation, name="conversation"),
    path("people/<str:reference>/agreement/", good_life.agreement, name="agreement"),
    path("people/<str:reference>/agreement/<int:agreement_id>/review/", good_life.review,
         name="review"),
    path("people/<str:reference>/close/", exits.exit_or_wait, name="exit"),
    path("people/<str:reference>/record/<slug:what>/", recording.record_for_person, name="record"),
    path("community/", community_map.community_map, name="community_map"),
    path("community/groups/new/", community_map.group_new, name="group_new"),
    path("community/groups/<int:pk>/", community_map.group, name="group"),
    path("community/groups/<int:pk>/edit/", community_map.group_edit, name="group_edit"),
    path("community/groups/<int:pk>/support/", community_map.group_support, name="group_support"),
    path("community/groups/<int:pk>/work/", community_map.group_activity, name="group_activity"),
    path("community/gaps/new/", community_map.gap_new, name="gap_new"),
    path("community/drop-ins/new/", community_map.drop_in_new, name="drop_in_new"),
    path("stories/", stories.stories, name="stories"),
    path("stories/new/", stories.story_new, name="story_new"),
    path("stories/<int:pk>/", stories.story, name="story"),
    path("overview/", views.overview, name="overview"),
]
