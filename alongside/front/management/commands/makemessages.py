"""makemessages that also finds strings marked with `_l` (gettext_lazy imported under that name
throughout Alongside), which xgettext would otherwise skip."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
