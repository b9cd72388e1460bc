"""makemessages that also finds strings marked with `_l` (gettext_lazy imported under that name
throughout Alongside) and `N_` (gettext_noop: data kept in English, shown translated), which
xgettext would otherwise skip."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l", "--keyword=N_"]
