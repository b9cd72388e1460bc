"""alongside restore FILE.zip [--replace]: put a backup back, checking every table afterwards."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alongside.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by `alongside backup`: files checked first, everything in one "
            "transaction, every table's digest compared with the manifest afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true",
                            help="delete everything in this database first (needed unless it is empty)")

    def handle(self, *args, file, replace, **options):
        start = time.perf_counter()
        try:
            summary = restore(Path(file), replace,
                              lambda label, n: sys.stderr.write(f"  {label:<32} {n:>10,}\n"))
        except BackupError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"restored {summary.rows:,} rows in {summary.tables} tables from {file}; "
                          f"every table matches the backup's digest ({time.perf_counter() - start:.1f} s)")
