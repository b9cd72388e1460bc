"""Files that background work makes: built in a folder of their own under tmp/, then moved into
place in one rename, so a download is either the whole file or not there at all."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.conf import settings


def work_dir() -> Path:
    d = Path(settings.ALONGSIDE_WORK_DIR)
    (d / "tmp").mkdir(parents=True, exist_ok=True, mode=0o700)
    return d


def partial_dir(job) -> Path:
    """An empty folder for this try's half-made files (what a stopped try left is removed)."""
    d = work_dir() / "tmp" / f"job-{job.pk}"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(mode=0o700)
    return d


def discard_partial(job) -> None:
    shutil.rmtree(work_dir() / "tmp" / f"job-{job.pk}", ignore_errors=True)


def keep(job, built: Path, name: str) -> str:
    """Move a finished file into the work folder (same file system, so the rename is atomic),
    readable by Alongside's own user only, and tidy away the try's folder."""
    final = work_dir() / f"job-{job.pk}-{name}"
    os.chmod(built, 0o600)
    os.replace(built, final)
    discard_partial(job)
    return final.name


def path_of(job) -> Path | None:
    if not job.file_name:
        return None
    p = work_dir() / job.file_name
    return p if p.is_file() else None


def upload_dir(job) -> Path:
    """Where a file sent for an import waits for the worker; removed when the import ends,
    whatever the outcome, since it holds people's details."""
    d = work_dir() / "uploads" / f"job-{job.pk}"
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    return d


def discard_upload(job) -> None:
    shutil.rmtree(work_dir() / "uploads" / f"job-{job.pk}", ignore_errors=True)
