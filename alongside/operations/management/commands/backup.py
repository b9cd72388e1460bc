"""alongside backup FILE.zip: the whole database in one verifiable file (alongside/operations/backup.py)."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from alongside.operations.backup import backup


class Command(BaseCommand):
    help = "Write every table to one zip file with a manifest of row counts and SHA-256 digests."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup, e.g. alongside-2026-11-23.zip")

    def handle(self, *args, file, **options):
        start = time.perf_counter()
        summary = backup(Path(file), lambda label, n: sys.stderr.write(f"  {label:<32} {n:>10,}\n"))
        self.stdout.write(f"backed up {summary.rows:,} rows in {summary.tables} tables to {file} "
                          f"({Path(file).stat().st_size / 1e6:.1f} MB, {time.perf_counter() - start:.1f} s)")
