from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "alongside.places"
