from django.apps import AppConfig


class LogicModelsConfig(AppConfig):
    name = "alongside.logic_models"
    verbose_name = "Logic models"
