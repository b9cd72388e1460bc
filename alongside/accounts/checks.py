"""A deployment must never show two-factor codes on the page (the demo's convenience)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_codes_not_in_production(app_configs, **kwargs):
    if settings.ALONGSIDE_DEMO:
        return [Error("ALONGSIDE_DEMO=1 shows every user's two-factor code on the sign-in page",
                      hint="Unset ALONGSIDE_DEMO; it is for the demo started by scripts/start only.",
                      id="alongside.E001")]
    return []
