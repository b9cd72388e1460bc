from django.apps import AppConfig


class CodesConfig(AppConfig):
    name = "alongside.codes"
    verbose_name = "Code lists"
