"""alongside retention [--years N] [--dry-run]: apply the retention rule "support ended + N years"
by erasing identifiers (people/privacy.py); --dry-run lists who would be erased and changes nothing."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alongside.people.privacy import apply_retention


class Command(BaseCommand):
    help = ("Erase the identifiers of people whose support ended more than N years ago "
            "(default ALONGSIDE_RETENTION_YEARS). Anonymous counts are kept.")

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=settings.ALONGSIDE_RETENTION_YEARS)
        parser.add_argument("--dry-run", action="store_true", help="list who would be erased; change nothing")
        parser.add_argument("--today", type=date.fromisoformat,
                            help="the date to apply the rule on (default today)")

    def handle(self, *args, years, dry_run, today, **options):
        if years < 1:
            raise CommandError(f"--years must be 1 or more (got {years}): a retention period of "
                               f"less than a year would erase people still being supported")
        verb = "would erase" if dry_run else "erased"

        def each(p):
            self.stdout.write(f"{verb} {p.reference} ({p.ward.council.name}, support ended "
                              f"{p.last_end or '—'}, last introduced {p.last_introduced or '—'})")

        by_council = apply_retention(years, today, dry_run, each)
        summary = ", ".join(f"{name} {n:,}" for name, n in sorted(by_council.items())) or "nobody"
        self.stdout.write(f"{'Dry run: ' if dry_run else ''}{verb} {sum(by_council.values()):,} people "
                          f"(support ended {years}+ years ago): {summary}")
