from django.urls import path

from . import mapping_builder, views

urlpatterns = [
    path("exports/", views.exports, name="exports"),
    path("exports/research/", views.research_export, name="research_export"),
    path("imports/", views.imports, name="imports"),
    path("imports/mapping/columns/", mapping_builder.columns, name="mapping_columns"),
    path("imports/mapping/values/", mapping_builder.values, name="mapping_values"),
    path("imports/mapping/save/", mapping_builder.save, name="mapping_save"),
    path("imports/mapping/cancel/", mapping_builder.cancel, name="mapping_cancel"),
    path("imports/mappings/<int:pk>/", mapping_builder.saved_mapping, name="saved_mapping"),
    path("imports/<int:pk>/undo/", views.import_undo, name="import_undo"),
]
