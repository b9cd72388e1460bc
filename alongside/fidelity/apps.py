from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "alongside.fidelity"
    default_auto_field = "django.db.models.BigAutoField"
