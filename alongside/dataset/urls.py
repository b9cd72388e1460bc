from django.urls import path

from . import views

urlpatterns = [
    path("", views.exports, name="exports"),
    path("<int:pk>/", views.export_status, name="export"),
    path("<int:pk>/download/", views.export_download, name="export_download"),
]
