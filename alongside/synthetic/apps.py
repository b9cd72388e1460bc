from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "alongside.synthetic"
    verbose_name = "Synthetic data"
