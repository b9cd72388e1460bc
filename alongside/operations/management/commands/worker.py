"""alongside worker: do the background work (reports, exports, imports, retention, e-mails)."""

import logging
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from alongside.audit import chain
from alongside.operations import work
from alongside.operations.models import WorkerBeat

log = logging.getLogger("alongside.worker")
BEAT_SECONDS = 5


def _checkpoint_when_due() -> None:
    """A signed checkpoint of the audit chain, hourly, from whichever worker is first to see
    that the last one is old (several at once do no harm: each is just another point)."""
    last = chain.last_checkpoint_at()
    if last is None or time.time() - last >= 60 * settings.ALONGSIDE_AUDIT_CHECKPOINT_MINUTES:
        chain.checkpoint()


class Command(BaseCommand):
    help = ("Do the background work queued in the database. Run one or more beside the web "
            "servers; each says it is alive every few seconds, and work left by one that stopped "
            "is tried again by the others.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between looks at the queue when it is empty (default 1)")
        parser.add_argument("--batch", action="store_true", help="do what is queued, then stop")
        parser.add_argument("--worker-id", default="", help="a name unique across the workers")

    def handle(self, *args, interval, batch, worker_id, **options):
        worker_id = worker_id or f"{get_random_string(12)}"
        started = timezone.now()
        stop = threading.Event()
        work.beat(worker_id, started)
        for line in work.recover_lost():
            log.warning("%s", line)

        def heartbeat():
            # Beats come from their own thread so that a long report still shows the worker
            # alive; recovery runs here too, so a busy worker still rescues a stopped one's work.
            while not stop.wait(BEAT_SECONDS):
                try:
                    work.beat(worker_id, started)
                    for line in work.recover_lost():
                        log.warning("%s", line)
                    _checkpoint_when_due()
                except Exception:  # a locked or briefly unreachable database: try at the next beat
                    log.exception("worker %s could not beat", worker_id)
            connection.close()

        beater = threading.Thread(target=heartbeat, name="worker-beat", daemon=True)
        if not batch:  # a batch run (cron, the tests) is over before anyone looks for its beat
            beater.start()
        self.stdout.write(f"Alongside worker {worker_id} is looking for work (Ctrl+C to stop)")
        try:
            worker = Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default",
                            startup_delay=not batch, max_tasks=None, worker_id=worker_id,
                            excluded_queue_names=[])
            # SIGTERM (a deploy, `docker stop`) finishes the task in hand, then stops.
            worker.configure_signals()
            worker.run()
        finally:
            stop.set()
            if beater.is_alive():
                beater.join(timeout=BEAT_SECONDS + 1)
            WorkerBeat.objects.filter(worker_id=worker_id).delete()
