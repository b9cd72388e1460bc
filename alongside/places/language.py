"""The language a page opens in: the one the person chose (the switch's cookie), else their
council's first language, else Alongside's (ALONGSIDE_LANGUAGE, English by default)."""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation


def first_language(council_id: int) -> str:
    """The council's first language, remembered for a minute (no query on every page)."""
    from .models import Council

    def read() -> str:
        return Council.objects.filter(pk=council_id).values_list("first_language", flat=True).first() or "en"

    return cache.get_or_set(f"council-first-language:{council_id}", read, 60)


class CouncilFirstLanguage:
    """After sign-in is known: a Welsh-first council's staff see Welsh until they switch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            user = getattr(request, "user", None)
            council_id = getattr(user, "council_id", None) if user and user.is_authenticated else None
            language = first_language(council_id) if council_id else None
            if language and language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
