"""alongside audit verify: walk the audit trail's hash chain and say whether it is intact."""

from django.core.management.base import BaseCommand, CommandError

from alongside.audit import chain


class Command(BaseCommand):
    help = "Check that no audit trail entry has been changed or removed since it was written."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        verdict = chain.verify()
        if not verdict.intact:
            raise CommandError(f"audit trail altered: entry {verdict.broken_at} {verdict.reason} "
                               f"({verdict.rows - 1:,} entries before it are intact)")
        self.stdout.write(f"audit trail intact: {verdict.rows:,} entries checked")
