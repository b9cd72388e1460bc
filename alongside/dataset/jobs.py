"""The minimum dataset's background work: a council's export, built by a worker into a zip file
that appears only when it is whole (operations/files.py), and the import of a council's earlier
records, all or nothing in one transaction."""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from alongside.operations import replica
from alongside.operations.files import discard_upload, keep, partial_dir, upload_dir
from alongside.operations.models import Job
from alongside.operations.work import Progress, Refused
from alongside.places.models import Ward

from .export import FORMATS, TABLES, export, read_key
from .importer import import_file
from .legacy import Mapping, MappingError


def export_work(job: Job, progress: Progress) -> dict:
    fmt = job.options.get("format", "csv")
    if fmt not in FORMATS:
        raise Refused(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    key = None
    if job.kind == Job.Kind.RESEARCH:
        # Every sharing council, pseudonymised. The key stays on the worker's machine (a file
        # named by ALONGSIDE_RESEARCH_KEY_FILE): it never passes through a browser or the database.
        key = _research_key()
        wards = Ward.objects.filter(council__shares_with_network=True)
    else:
        # The council's own records, for its own manager.
        wards = Ward.objects.filter(council=job.council)
    tables = list(TABLES)
    folder = partial_dir(job)
    tables_dir = folder / "tables"

    def tick(table: str, done: int, total: int) -> None:
        i = tables.index(table)
        share = (done / total) if total else 1
        progress(int(5 + 85 * (i + share) / len(tables)), f"Writing {table} ({done:,} of {total:,} rows)")

    with replica.reading_from_replica():
        written = export(wards, tables_dir, fmt, key, tick)
    progress(92, "Putting the tables in one zip file")
    name = _name(job, fmt)
    built = folder / name
    with zipfile.ZipFile(built, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for f in sorted(tables_dir.iterdir()):
            z.write(f, arcname=f.name)
    summary = {"rows": written, "format": fmt}
    if key is not None:
        summary["councils"] = sorted({w.council.name for w in wards.select_related("council")})
    return {"file_name": keep(job, built, name), "summary": summary}


def _research_key() -> bytes:
    path = getattr(settings, "ALONGSIDE_RESEARCH_KEY_FILE", "")
    if not path:
        raise Refused("No research key is set up. On the machine the workers run on, make one with "
                      "'alongside pseudonym_key FILE' and set ALONGSIDE_RESEARCH_KEY_FILE=FILE.")
    try:
        return read_key(path)
    except ValueError as e:
        raise Refused(f"The research key cannot be used: {e}") from None


def _name(job: Job, fmt: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    whose = job.council.name if job.council else "lac-network-research"
    return f"export-{whose}-{stamp}-{fmt}.zip".replace(" ", "-").lower()


def rows_in(path: Path) -> int:
    """How many rows a kept export holds, from the file itself (the download page checks it)."""
    with zipfile.ZipFile(path) as z:
        return sum(max(0, z.read(n).count(b"\n") - 1) for n in z.namelist() if n.endswith(".csv"))


def import_work(job: Job, progress: Progress) -> dict:
    folder = upload_dir(job)
    try:
        data, mapping = folder / job.options["file"], folder / job.options["mapping"]
        try:
            council = Mapping.load(mapping).council
        except MappingError:
            council = None  # import_file reports what is wrong with it, line by line
        if job.council and council and council != job.council.name:
            raise Refused(f"{mapping.name}: the mapping is for {council}, not {job.council.name}; "
                          f"nothing was written.")
        progress(5, "Checking every row")

        def tick(done: int, total: int) -> None:
            progress(10 + int(85 * done / max(total, 1)), f"Writing {done:,} of {total:,} people")

        report = import_file(data, mapping, dry_run=job.options.get("dry_run", False), progress=tick,
                             user=job.requested_by, job=job)
    finally:
        discard_upload(job)
    summary = {"summary": report.summary(), "written": report.written,
               "problems": [str(p) for p in report.problems[:500]], "problem_count": len(report.problems),
               "possible_duplicates": report.possible_duplicates[:500],
               "possible_duplicate_count": report.possible_duplicate_count}
    if report.problems:
        n = len(report.problems)
        raise Refused(f"{n} problem{'s' if n != 1 else ''} in the file; nothing was written.", summary)
    return {"summary": summary}
