from django.urls import path

from . import views

urlpatterns = [
    path("", views.reports, name="reports"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/view/", views.report_html, name="report_html"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
