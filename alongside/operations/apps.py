from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "alongside.operations"
    verbose_name = "Operations"
