from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
]
