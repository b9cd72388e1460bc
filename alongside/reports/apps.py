from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "alongside.reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import withdrawal  # noqa: F401 - consent withdrawn reaches the stored reports
