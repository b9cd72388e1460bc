from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "alongside.accounts"

    def ready(self):
        from . import checks, sign_in_limit  # noqa: F401  (the deploy check; the address limit)
