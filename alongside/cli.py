"""The `alongside` console command: Django's manage.py under the product's name."""

import os
import signal
import sys


def main() -> None:
    # `alongside quality | head` should stop quietly, as other Unix commands do.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sys.argv[1:2] == ["qca"]:
        # The evidence library runs without Django: no settings, no database.
        from alongside.evidence.qca.cli import main as qca

        sys.exit(qca(sys.argv[2:]))
    if sys.argv[1:2] and sys.argv[1] in ("sroi", "ccf", "scenario", "programme", "unit-costs"):
        from alongside.evidence.economics.cli import main as economics

        sys.exit(economics(sys.argv[1], sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alongside", *sys.argv[1:]])


if __name__ == "__main__":
    main()
