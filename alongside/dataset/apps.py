from django.apps import AppConfig


class DatasetConfig(AppConfig):
    name = "alongside.dataset"
    verbose_name = "Minimum dataset"
