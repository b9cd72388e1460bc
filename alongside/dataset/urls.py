from django.urls import path

from . import views

urlpatterns = [
    path("exports/", views.exports, name="exports"),
    path("imports/", views.imports, name="imports"),
]
