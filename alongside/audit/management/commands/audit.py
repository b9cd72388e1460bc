"""alongside audit verify | checkpoint: check the audit trail's chain and its signed checkpoints,
or write a checkpoint now (each worker writes one hourly)."""

from django.core.management.base import BaseCommand, CommandError

from alongside.audit import chain


class Command(BaseCommand):
    help = ("verify: check that no audit trail entry has been changed or removed since it was "
            "written, against the chain and the signed checkpoints; checkpoint: write one now.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint"])

    def handle(self, *args, action, **options):
        if action == "checkpoint":
            path = chain.checkpoint()
            self.stdout.write(f"checkpoint written to {path}" if path else "the trail is empty")
            return
        verdict = chain.verify()
        if not verdict.intact and verdict.broken_at is None:
            raise CommandError(f"audit trail altered: {verdict.reason}")
        if not verdict.intact:
            raise CommandError(f"audit trail altered: entry {verdict.broken_at} {verdict.reason} "
                               f"({max(verdict.rows - 1, 0):,} entries before it are intact)")
        self.stdout.write(f"audit trail intact: {verdict.rows:,} entries checked")
