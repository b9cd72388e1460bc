from django.apps import AppConfig


class EconomicsConfig(AppConfig):
    name = "alongside.economics"
