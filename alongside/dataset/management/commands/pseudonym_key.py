import os
import secrets
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Make a council's pseudonymisation key (64 random hex characters) in FILE, readable by its "
            "owner only. Keep it outside Alongside: whoever holds it can link pseudonyms to references.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        p = Path(file)
        if p.exists():
            raise CommandError(f"{p} exists: a new key would break the link to earlier exports")
        p.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        self.stdout.write(f"wrote {p}")
