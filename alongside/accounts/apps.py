from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alongside.accounts"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)
