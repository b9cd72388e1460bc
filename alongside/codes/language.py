"""The page's language, for the words that come from data (code lists, measures, unit costs)
rather than from the catalogue: each carries its own Welsh beside the English."""

from django.utils.translation import get_language


def page_language() -> str:
    """"cy" on a Welsh page (or a Welsh report being written), "en" otherwise."""
    return "cy" if (get_language() or "").startswith("cy") else "en"


# Each language named in itself, as the language switch does.
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]


def language_field(**kwargs):
    """Which language a record is in, or a person prefers: English, Cymraeg, or not said."""
    from django.db import models

    # db_default: rows written by bulk loaders that name their columns get "" too.
    return models.CharField(max_length=2, blank=True, choices=LANGUAGES, default="", db_default="", **kwargs)
