"""alongside digest: the weekly e-mail to each Coordinator (references and counts only)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from alongside.front.caseload import QUIET_WEEKS
from alongside.front.digest import send_digests
from alongside.operations import work
from alongside.operations.models import Job


class Command(BaseCommand):
    help = ("Send each Coordinator this week's reviews due and people not in touch: queued for the "
            "worker (run it weekly from cron), or --now to send here")

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=QUIET_WEEKS,
                            help=f"not in touch for this many weeks (default {QUIET_WEEKS})")
        parser.add_argument("--now", action="store_true", help="send from this process, not the worker")

    def handle(self, *args, weeks, now, **options):
        if now:
            done = send_digests(weeks=weeks)
            self.stdout.write(f"{done['sent']} e-mails sent; {done['nothing_to_say']} Coordinators had "
                              "nothing due")
            return
        with transaction.atomic():
            job = Job.objects.create(kind=Job.Kind.DIGEST, options={"weeks": weeks})
            work.queue(job)
        self.stdout.write(f"queued (job {job.pk}): the worker sends the e-mails")
