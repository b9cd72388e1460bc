from django.urls import path

from . import views

urlpatterns = [
    path("exports/", views.exports, name="exports"),
    path("exports/research/", views.research_export, name="research_export"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/undo/", views.import_undo, name="import_undo"),
]
