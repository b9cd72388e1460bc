"""Importing a legacy spreadsheet: a dry run that counts and lists problems, then an
all-or-nothing import in one transaction, idempotent on re-run.

Every row becomes a person (with a fresh pseudonymous reference), their consent where the
mapping gives one, an introduction, an engagement and, when it ended with a recorded reason,
an exit — the same records a Coordinator makes by hand, so imported people sit in the same
minimum dataset and the same scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from django.db import transaction

from alongside.accounts.models import User
from alongside.audit.models import AuditEvent
from alongside.codes.lookup import age_band
from alongside.codes.models import Code
from alongside.journeys.likeness import may_be_same, normalised
from alongside.journeys.models import Engagement, Exit, Introduction
from alongside.people.models import ConsentRecord, Person
from alongside.people.references import coordinator_for, new_references
from alongside.places.models import Council, Ward

from .legacy import CODED, FileReport, LegacyRow, Mapping, MappingError, Problem, rows
from .models import LegacyKey

BATCH = 2000
LISTED = 500  # possible duplicates kept to show; the rest are counted
CHECK_BATCH = 500  # rows a dry run holds at a time, to look their IDs and names up together
AUDIT_CHUNK = 500  # audit entries sealed per hold of the chain's lock (about 70 ms)


@dataclass
class ImportReport(FileReport):
    people: int = 0
    introductions: int = 0
    engagements: int = 0
    exits: int = 0
    consents: int = 0

    def duplicate(self, text: str) -> None:
        self.possible_duplicate_count += 1
        if len(self.possible_duplicates) < LISTED:
            self.possible_duplicates.append(text)

    def summary(self) -> str:
        read = ", ".join(x for x in (f"sheet {self.sheet!r}" if self.sheet else "",
                                     f"header on row {self.header_row}" if self.header_row != 1 else "",
                                     f"read as {self.encoding}" if self.encoding not in ("", "UTF-8") else "")
                         if x)
        read = f" ({read})" if read else ""
        return (f"{self.file}{read}: {self.rows:,} rows; {self.verb} {self.people:,} people, "
                f"{self.introductions:,} introductions, {self.engagements:,} engagements, "
                f"{self.exits:,} exits, {self.consents:,} consent records; "
                f"{self.already_imported:,} already imported (skipped)")


def _check_rows(rows: list[LegacyRow], m: Mapping, file: str) -> list[Problem]:
    """What the records need beyond what the spreadsheet reader checks."""
    problems = []
    for r in rows:
        v = r.values
        for fld in ("route", "level"):
            if not v.get(fld):
                problems.append(Problem(file, r.row, m.columns.get(fld) if isinstance(m.columns.get(fld), str)
                                        else None, None,
                                        f"{fld} is needed for an introduction: map a column or give "
                                        f"defaults.{fld}"))
        if v.get("consent") and not v.get("lawful_basis"):
            problems.append(Problem(file, r.row, None, None,
                                    "consent is recorded but no lawful basis: give defaults.lawful_basis"))
        if v.get("exit_outcome") and not v.get("exit_point"):
            problems.append(Problem(file, r.row, None, None,
                                    "an exit outcome needs an exit point: map a column or give "
                                    "defaults.exit_point"))
        if v.get("ended_on") and v.get("introduced_on") and v["ended_on"] < v["introduced_on"]:
            col = m.columns.get("ended_on")
            problems.append(Problem(file, r.row, col if isinstance(col, str) else None,
                                    v["ended_on"].isoformat(), "ends before the introduction"))
    return problems


def import_file(path: str | Path, mapping_path: str | Path, dry_run: bool = True,
                today: date | None = None, progress: Callable[[int, int], None] | None = None,
                user: User | None = None, job=None) -> ImportReport:
    """Check the whole file; unless it is a dry run and only if nothing is wrong, write it all.
    A mapping with `records: contacts` imports a contact log (dataset/contacts.py), one with
    `records: groups` a list of community groups (dataset/groups.py). `job`: the
    import's work row, kept with what it creates so that the import can be undone whole."""
    from .contacts import import_contacts, records_of
    from .groups import import_groups

    records = records_of(mapping_path)
    if records == "contacts":
        return import_contacts(path, mapping_path, dry_run, today, progress, user, job)
    if records == "groups":
        return import_groups(path, mapping_path, dry_run, today, progress, user, job)
    path = Path(path)
    report = ImportReport(path.name)
    today = today or date.today()
    try:
        m = Mapping.load(mapping_path)
    except MappingError as e:
        name = Path(mapping_path).name
        report.problems = [Problem(name, None, None, None, line.removeprefix(f"{name}: "))
                           for line in str(e).splitlines()]
        return report
    report.council = m.council
    council = Council.objects.filter(name=m.council).first()
    if council is None:
        report.problems = [Problem(Path(mapping_path).name, None, None, m.council,
                                   "no council of this name in Alongside")]
        return report
    wards = {w.ons_code: w for w in Ward.objects.filter(council=council)}
    lists = set(CODED.values())
    code_objects = {(c.list, c.code): c for c in Code.objects.filter(list__in=lists)}
    codes = {name: {c for (lst, c) in code_objects if lst == name} for name in lists}
    ward_codes = set(wards)
    # First pass: check every row, and count what would be written, holding only the IDs (to
    # find duplicates) and never the rows: a council's whole history can be one file.
    problems: list[Problem] = []
    known: set[str] = set()
    batch: list[tuple] = []  # ID, whether it has an exit, a consent, and the row
    # A hash of (name, date of birth) per row: enough to find a row repeated under another ID
    # without holding the rows' names (a file can be a council's whole history).
    named: dict[int, int] = {}

    def count(batch: list[tuple]) -> None:
        # SQLite allows a limited number of query parameters: IDs are looked up BATCH at a time
        found = set(LegacyKey.objects.filter(council=council, system=m.system,
                                             key__in=[b[0] for b in batch]).values_list("key", flat=True))
        known.update(found)
        new = [b for b in batch if b[0] not in found]
        report.people += len(new)
        report.exits += sum(1 for b in new if b[1])
        report.consents += sum(1 for b in new if b[2])
        for text in already_known(council, [(b[3][0], b[0], *b[3][1:]) for b in new if b[3]]):
            report.duplicate(text)

    before = 0  # rows() adds a row's problems before it gives the row
    about: dict = {}
    for r in rows(path, m, codes, ward_codes, today, problems, about):
        report.rows += 1
        # A value already refused on a row is not reported again as missing.
        refused = {(p.row, p.column) for p in problems[before:]}
        problems += [p for p in _check_rows([r], m, path.name) if (p.row, p.column) not in refused]
        before = len(problems)
        if not problems:
            born = r.values.get("birth_date")
            batch.append((r.key, bool(r.values.get("exit_outcome")) and _status(r) == "closed",
                          bool(r.values.get("consent")),
                          (r.row, r.values.get("given_name", ""), r.values.get("family_name", ""), born)
                          if born else None))
            if born is not None:
                same = hash((likeness_key(r), born))
                if same in named:
                    report.duplicate(f"rows {named[same]} and {r.row} ({r.key}): the same name and "
                                     "date of birth under two IDs")
                else:
                    named[same] = r.row
            if len(batch) == CHECK_BATCH:
                count(batch)
                batch = []
    report.read_from(about)
    problems = list(dict.fromkeys(problems))
    report.problems = problems
    if problems:
        report.people = report.exits = report.consents = 0
        report.possible_duplicates, report.possible_duplicate_count = [], 0
        return report
    if batch:
        count(batch)
    report.already_imported = report.rows - report.people
    report.introductions = report.engagements = report.people
    if dry_run or not report.people:
        report.written = not dry_run
        return report
    # Second pass: the file again, row by row, written BATCH rows at a time in one transaction.
    again: list[Problem] = []
    new = (r for r in rows(path, m, codes, ward_codes, today, again) if r.key not in known)
    try:
        with transaction.atomic():
            events = _write(new, report.people, m, council, wards, code_objects, path.name, progress, user,
                            job)
            if again or len(events) != report.people:
                raise _Changed(path.name)
    except _Changed as e:
        report.problems = [Problem(path.name, None, None, None, str(e))]
        return report
    # The audit entries follow once the records are in, AUDIT_CHUNK at a time, each chunk in a
    # transaction of its own: the audit chain's lock is held for a fraction of a second at a
    # time, never for the whole import (60,000 entries take 8 s to seal), so every page that
    # writes to the trail (every person page) keeps answering while an import runs.
    for i in range(0, len(events), AUDIT_CHUNK):
        AuditEvent.objects.bulk_create(events[i:i + AUDIT_CHUNK])
    report.written = True
    return report


def likeness_key(r: LegacyRow) -> str:
    """The name as likeness reads it (nicknames as the full name), its words in order: Amy Ali,
    Amelia Ali and Ali Amelia are one key."""
    name = normalised(r.values.get("given_name", ""), r.values.get("family_name", ""))
    return " ".join(sorted(name.split()))


def already_known(council: Council, new: list[tuple]) -> list[str]:
    """Rows (row, ID, given name, family name, date of birth) that may be someone already in
    Alongside: a close spelling of the name (nicknames, swapped names; journeys/likeness.py)
    with the same month of birth, in the council."""
    months = {born.replace(day=1) for *_, born in new}
    if not months:
        return []
    people: dict = {}
    for p in (Person.objects.current().filter(ward__council=council, birth_month__in=months)
              .values("reference", "given_name", "family_name", "birth_month")):
        people.setdefault(p["birth_month"], []).append(p)
    found = []
    for row, key, given, family, born in new:
        for p in people.get(born.replace(day=1), []):
            if may_be_same((given, family), (p["given_name"], p["family_name"]), same_birth_month=True):
                found.append(f"row {row} ({key}) may be {p['reference']}, already in Alongside: a "
                             "close spelling of the name, born the same month")
    return found


class _Changed(Exception):
    """The file read for writing is not the file that was checked."""

    def __init__(self, file: str):
        super().__init__(f"{file} changed while it was being imported: nothing was written")


def _status(r: LegacyRow) -> str:
    return r.values.get("status") or ("closed" if r.values.get("ended_on") else "active")


def _write(rows: Iterable[LegacyRow], total: int, m, council, wards, code_objects, file, progress,
           user, job=None) -> list[AuditEvent]:
    def c(lst, code):
        return code_objects[(lst, code)] if code else None

    bands = [c for (lst, _), c in code_objects.items() if lst == "age_band"]
    coordinators = {w.pk: coordinator_for(w) for w in wards.values()}
    refs = new_references(total)
    events: list[AuditEvent] = []
    rows = iter(rows)
    for start in range(0, total, BATCH):
        chunk = list(islice(rows, BATCH))
        people = []
        for r, ref in zip(chunk, refs[start:start + len(chunk)], strict=True):
            v = r.values
            ward = wards[v["ward"]]
            born = v.get("birth_date")
            band = c("age_band", v.get("age_band")) or (
                age_band(born, v["introduced_on"], bands) if born else None)
            people.append(Person(
                reference=ref, ward=ward, coordinator=coordinators[ward.pk], given_name=v["given_name"],
                family_name=v.get("family_name", ""), birth_month=born.replace(day=1) if born else None,
                age_band=band, gender=c("gender", v.get("gender")),
                ethnicity=c("ethnicity", v.get("ethnicity")),
                long_term_condition=c("yes_no_unknown", v.get("long_term_condition")),
                relationship_to_services=c("relationship_to_services", v.get("relationship_to_services"))))
        Person.objects.bulk_create(people)
        intros = [Introduction(person=p, ward=p.ward, introduced_on=r.values["introduced_on"],
                               route=c("introduction_route", r.values["route"]),
                               introducing_organisation=r.values.get("introducing_organisation", ""),
                               level_requested=c("level_of_support", r.values["level"]))
                  for p, r in zip(people, chunk, strict=True)]
        Introduction.objects.bulk_create(intros)
        Through = Introduction.reasons.through
        Through.objects.bulk_create([Through(introduction=i, reason=c("problem", code))
                                     for i, r in zip(intros, chunk, strict=True)
                                     for code in r.values.get("reasons") or []])
        engagements = [Engagement(person=p, introduction=i, coordinator=p.coordinator,
                                  level=c("level_of_support", r.values["level"]),
                                  status=c("engagement_status", _status(r)),
                                  started_on=r.values["introduced_on"],
                                  ended_on=r.values.get("ended_on") if _status(r) == "closed" else None)
                       for p, i, r in zip(people, intros, chunk, strict=True)]
        Engagement.objects.bulk_create(engagements)
        Exit.objects.bulk_create([
            Exit(engagement=e, person=p, exited_on=r.values.get("ended_on") or r.values["introduced_on"],
                 point=c("exit_point", r.values["exit_point"]),
                 response=c("exit_response", r.values.get("exit_response")),
                 outcome=c("exit_outcome", r.values["exit_outcome"]))
            for p, e, r in zip(people, engagements, chunk, strict=True)
            if r.values.get("exit_outcome") and _status(r) == "closed"])
        ConsentRecord.objects.bulk_create([
            ConsentRecord(person=p, status=c("consent_status", r.values["consent"]),
                          lawful_basis=c("lawful_basis", r.values["lawful_basis"]),
                          recorded_on=r.values["introduced_on"])
            for p, r in zip(people, chunk, strict=True) if r.values.get("consent")])
        LegacyKey.objects.bulk_create([LegacyKey(council=council, system=m.system, key=r.key, person=p,
                                                 import_job=job)
                                       for p, r in zip(people, chunk, strict=True)])
        events += [
            AuditEvent(user=user, username=user.username if user else "import",
                       # the id, not the person: a chunk's records are let go once written
                       role=user.role if user else "import", action=AuditEvent.Action.CREATE, person_id=p.pk,
                       person_reference=p.reference, path=f"import:{file}",
                       detail={"system": m.system, "row": r.row})
            for p, r in zip(people, chunk, strict=True)]
        if progress:
            progress(min(start + BATCH, total), total)
    if next(rows, None) is not None:
        raise _Changed(file)
    return events
