"""makemessages that also finds strings marked with `_l` (gettext_lazy imported under that name
throughout Alongside) and `N_` (gettext_noop: data kept in English, shown translated), which
xgettext would otherwise skip."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l", "--keyword=N_"]

    def handle(self, *args, **options):
        # The tests name strings to check them, not to be translated; the virtualenv is not ours.
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), "tests/*", ".venv/*", "bench/*"]
        return super().handle(*args, **options)
