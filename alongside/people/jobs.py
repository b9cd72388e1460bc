"""The retention rule as background work, asked for by an administrator in the browser."""

from __future__ import annotations

from django.conf import settings

from alongside.operations.models import Job
from alongside.operations.work import Progress

from .privacy import apply_retention, due_for_erasure


def retention_work(job: Job, progress: Progress) -> dict:
    years = int(job.options.get("years", settings.ALONGSIDE_RETENTION_YEARS))
    dry_run = bool(job.options.get("dry_run", True))
    total = due_for_erasure(years).count()
    done = 0

    def each(person) -> None:
        nonlocal done
        done += 1
        if done % 50 == 0 or done == total:
            progress(5 + int(90 * done / max(total, 1)), f"{done:,} of {total:,} people")

    who = (job.requested_by.username, job.requested_by.role) if job.requested_by else ("retention", "worker")
    by_council = apply_retention(years, dry_run=dry_run, each=each, asked_by=who)
    return {"summary": {"years": years, "dry_run": dry_run, "by_council": by_council,
                        "people": sum(by_council.values())}}
