"""alongside import FILE --mapping MAPPING.yaml [--dry-run]"""

import sys

from django.core.management.base import BaseCommand, CommandError

from alongside.dataset.importer import import_file


class Command(BaseCommand):
    help = ("Import a council's legacy spreadsheet (CSV or XLSX) through its mapping file. "
            "All or nothing: one problem anywhere and nothing is written.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", required=True, help="the YAML mapping file")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and count without writing anything")

    def handle(self, *args, file, mapping, dry_run, **options):
        def progress(done, total):
            sys.stderr.write(f"\r  {done:,} of {total:,} people written ({100 * done // total}%)")
            if done == total:
                sys.stderr.write("\n")

        report = import_file(file, mapping, dry_run=dry_run, progress=progress)
        if report.problems:
            for p in report.problems:
                self.stderr.write(str(p))
            raise CommandError(f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}; "
                               "nothing was written")
        self.stdout.write(report.summary() + ("" if report.written else " (dry run: nothing written)"))
        if report.possible_duplicates:
            n = report.possible_duplicate_count
            self.stdout.write(f"{n} possible duplicate{'s' if n != 1 else ''} to review "
                              "(imported as they are; a manager can merge two records of one person):")
            for line in report.possible_duplicates:
                self.stdout.write(f"  {line}")
            if n > len(report.possible_duplicates):
                self.stdout.write(f"  … and {n - len(report.possible_duplicates)} more")
