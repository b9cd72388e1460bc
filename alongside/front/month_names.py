"""Month names that Alongside's Welsh catalogue spells over Django's.

Django's own Welsh catalogue spells July "Gorffenaf"; the standard spelling is "Gorffennaf"
(TermCymru; Geiriadur Prifysgol Cymru). Marking the names here puts them in Alongside's
catalogue, which Django reads before its own (LOCALE_PATHS), so every date in a Welsh page,
form and report is spelt right. Nothing needs to import this module: makemessages only has to
find the strings. The contexts are those of django/utils/dates.py.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

OVERRIDDEN = (
    gettext_noop("July"),                 # the "F" date format: "Gorffennaf"
    pgettext_lazy("alt. month", "July"),  # the "E" format, a month inside a full date
)
