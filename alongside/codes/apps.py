from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CodesConfig(AppConfig):
    name = "alongside.codes"
    verbose_name = "Code lists"

    def ready(self) -> None:
        from .lookup import forget_codes
        from .models import Code

        post_save.connect(forget_codes, sender=Code, dispatch_uid="forget_codes_saved")
        post_delete.connect(forget_codes, sender=Code, dispatch_uid="forget_codes_deleted")
