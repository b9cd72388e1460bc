from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "alongside.audit"

    def ready(self) -> None:
        from .admin_log import connect

        connect()
