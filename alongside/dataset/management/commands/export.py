"""alongside export --council NAME --format csv|xlsx|parquet --out DIR [--research --key-file FILE]"""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alongside.audit.models import AuditEvent
from alongside.dataset.export import FORMATS, export, read_key
from alongside.places.lookup import council_named
from alongside.places.models import Ward


class Command(BaseCommand):
    help = ("Export the minimum dataset of one council (or, with --research, of every council that "
            "shares with the LAC Network), pseudonymised with the council's key when --research.")

    def add_arguments(self, parser):
        parser.add_argument("--council", help="the council (required unless --research for the Network)")
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--out", required=True, help="folder to write into")
        parser.add_argument("--research", action="store_true",
                            help="pseudonymise: keyed hash for references, dates to the month, no free text")
        parser.add_argument("--key-file", help="the council's pseudonymisation key (needed with --research)")

    def handle(self, *args, council, format, out, research, key_file, **options):
        if council:
            wards = Ward.objects.filter(council=council_named(council))
        elif research:
            wards = Ward.objects.filter(council__shares_with_network=True)
        else:
            raise CommandError("name the council (--council); only a research export covers the Network")
        key = None
        if research:
            if not key_file:
                raise CommandError("--research needs the council's key: --key-file FILE")
            try:
                key = read_key(key_file)
            except ValueError as e:
                raise CommandError(str(e)) from None

        def progress(table, done, total):
            sys.stderr.write(f"\r  {table:<20} {done:>10,} of {total:,}")
            if done == total:
                sys.stderr.write("\n")

        start = time.perf_counter()
        written = export(wards, Path(out), format, key, progress)
        seconds = time.perf_counter() - start
        total = sum(written.values())
        AuditEvent.objects.create(username="export", role="command", action=AuditEvent.Action.EXPORT,
                                  path=f"export:{Path(out).resolve()}",
                                  detail={"council": council or "network", "research": research,
                                          "format": format, "rows": written})
        self.stdout.write(f"{total:,} rows in {seconds:.1f} s ({total / max(seconds, 1e-9):,.0f} rows/s) "
                          f"to {out}: " + ", ".join(f"{k} {v:,}" for k, v in written.items()))
