"""A council's contact log (dated contacts with people) imported as activities, so a site's
history of work is not lost at go-live.

Each contact is linked to its person by the council's own ID for them, as imported from the same
legacy system (`LegacyKey`): people come in first, their contacts after. The file is checked
whole before anything is written, and read row by row both times (a log can run to hundreds of
thousands of rows); every problem is named by row, column, value and reason.

A contact mapping is the people mapping's sibling, with `records: contacts`:

    council: Calder Vale Council
    system: calder-vale-export      # the system the people were imported from
    records: contacts
    key: contact_id                 # each contact's own ID: importing again adds nothing
    columns:
      person: client_ref            # the person's ID in that system
      done_on: contact_date
      activity: contact_type
      minutes: duration             # optional
      level: level                  # optional: the activity type's usual level otherwise
      note: notes                   # optional
    values:
      activity: {home visit: home_visit, phone: phone_call}
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Max, Min

from alongside.accounts.models import User
from alongside.audit.models import AuditEvent
from alongside.codes.models import Code
from alongside.journeys.models import Activity
from alongside.places.models import Council

from .legacy import (
    EXCEL_ERRORS,
    UNREADABLE,
    FileReport,
    FormulaWithoutValue,
    MappingError,
    Problem,
    _date,
    _text,
    _TextLoader,
    open_table,
)
from .models import LegacyContact, LegacyKey

FIELDS = ("person", "done_on", "activity", "minutes", "level", "note")
REQUIRED = ("person", "done_on", "activity")
BATCH = 2000
MAX_MINUTES = 24 * 60


@dataclass
class ContactMapping:
    """A mapping for records other than people: their fields named in FIELDS (the coded ones
    in CODED), each mapped to one column."""

    FIELDS = FIELDS
    REQUIRED = REQUIRED
    CODED = ("activity", "level")
    WHAT = "a contact"

    council: str
    system: str
    key: str
    columns: dict[str, str]
    values: dict[str, dict]
    defaults: dict[str, str]
    date_format: str = "%d/%m/%Y"
    sheet: str | None = None
    header_row: int | None = None

    @classmethod
    def from_data(cls, data: dict, name: str) -> ContactMapping:
        problems = [f"{name}: {k} is required" for k in ("council", "system", "key", "columns")
                    if not data.get(k)]
        columns = data.get("columns") or {}
        problems += [f"{name}: columns.{k} is not a field of {cls.WHAT} (known: {', '.join(cls.FIELDS)})"
                     for k in columns if k not in cls.FIELDS]
        problems += [f"{name}: columns.{k} is required" for k in cls.REQUIRED if k not in columns]
        problems += [f"{name}: columns.{k} must name one column" for k, v in columns.items()
                     if not isinstance(v, str)]
        values = data.get("values") or {}
        problems += [f"{name}: values.{k} is not a coded field of {cls.WHAT} ({', '.join(cls.CODED)})"
                     for k in values if k not in cls.CODED]
        unknown = set(data) - {"council", "system", "records", "key", "columns", "values", "defaults",
                               "date_format", "sheet", "header_row"}
        problems += [f"{name}: unknown setting {k!r}" for k in sorted(unknown)]
        header_row = data.get("header_row")
        if header_row is not None and not (str(header_row).isdigit() and int(header_row) >= 1):
            problems.append(f"{name}: header_row must be the row number of the header, 1 or more")
        if problems:
            raise MappingError("\n".join(problems))
        return cls(council=str(data["council"]), system=str(data["system"]), key=str(data["key"]),
                   columns={k: str(v) for k, v in columns.items()},
                   values={k: {str(a): str(b) for a, b in (v or {}).items()} for k, v in values.items()},
                   defaults={k: str(v) for k, v in (data.get("defaults") or {}).items()},
                   date_format=str(data.get("date_format", "%d/%m/%Y")), sheet=data.get("sheet"),
                   header_row=int(header_row) if header_row is not None else None)


def load_mapping(cls, mapping_path: Path, report) -> ContactMapping | None:
    """The mapping file read as `cls`, or None with its problems on `report`."""
    name = mapping_path.name
    try:
        data = yaml.load(mapping_path.read_text(encoding="utf-8-sig"), Loader=_TextLoader)  # noqa: S506
        return cls.from_data(data if isinstance(data, dict) else {}, name)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as e:
        report.problems = [Problem(name, None, None, None, f"cannot read the mapping file: {e}")]
    except MappingError as e:
        report.problems = [Problem(name, None, None, None, line.removeprefix(f"{name}: "))
                           for line in str(e).splitlines()]
    return None


def mapping_and_council(cls, mapping_path: Path, report):
    """The mapping read as `cls` and the council it names, or (…, None) with the problem on
    `report`."""
    m = load_mapping(cls, mapping_path, report)
    if m is None:
        return None, None
    report.council = m.council
    council = Council.objects.filter(name=m.council).first()
    if council is None:
        report.problems = [Problem(mapping_path.name, None, None, m.council,
                                   "no council of this name in Alongside")]
    return m, council


def records_of(path: str | Path) -> str:
    """What a mapping file is for: its `records:` (contacts, groups), "people" if none."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8-sig"), Loader=_TextLoader)  # noqa: S506
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return "people"
    return str(data.get("records") or "people").strip() if isinstance(data, dict) else "people"


@dataclass
class ContactReport(FileReport):
    activities: int = 0
    people: int = 0  # how many people the contacts are of

    def summary(self) -> str:
        return (f"{self.file}: {self.rows:,} rows; {self.verb} {self.activities:,} activities with "
                f"{self.people:,} people; {self.already_imported:,} already imported (skipped)")


@dataclass
class Contact:
    row: int
    key: str
    person: str
    done_on: date | None
    activity: Code | None
    minutes: int | None
    level: Code | None
    note: str


def _contacts(path: Path, m: ContactMapping, activities: dict[str, Code], levels: dict[str, Code],
              today: date, problems: list[Problem], about: dict) -> Iterator[Contact]:
    name = path.name
    wanted = [m.key, *m.columns.values()]
    table = open_table(path, m.sheet, wanted, m.header_row, about, problems)
    if table is None:
        return
    seen: dict[str, int] = {}
    default_level = m.defaults.get("level")
    if default_level and default_level not in levels:
        problems.append(Problem(name, None, None, default_level, "defaults.level: not an activity level "
                                "(individual, community or system)"))
        return
    for n, raw in table:
        def bad(column, value, reason, n=n):
            problems.append(Problem(name, n, column, None if value is None else str(value), reason))

        refused = set()
        for column, value in raw.items():
            if isinstance(value, FormulaWithoutValue):
                bad(column, value, "a formula with no saved value (the workbook was never calculated): "
                                   "open it in Excel and save it, or paste the values")
                refused.add(column)
            elif isinstance(value, str) and (value.strip() in EXCEL_ERRORS or UNREADABLE in value):
                bad(column, value.replace(UNREADABLE, "?"),
                    "a character here cannot be read, or the spreadsheet shows an error here")
                refused.add(column)

        def cell(fld, raw=raw, refused=refused):
            c = m.columns.get(fld)
            return None if c is None or c in refused else raw.get(c)

        key = _text(raw.get(m.key))
        if not key:
            bad(m.key, "", "every contact needs its own ID")
            continue
        if key in seen:
            bad(m.key, key, f"the same contact ID is on row {seen[key]}: a duplicated row")
            continue
        seen[key] = n
        person = _text(cell("person"))
        if not person and m.columns["person"] not in refused:
            bad(m.columns["person"], "", "every contact needs the ID of the person it was with")
        done_on = _date(cell("done_on"), m.date_format, today,
                        lambda v, r: bad(m.columns["done_on"], v, r))
        if done_on is None and not _text(cell("done_on")) and m.columns["done_on"] not in refused:
            bad(m.columns["done_on"], "", "every contact needs its date")
        activity = _code(cell("activity"), m.values.get("activity", {}), activities, "activity",
                         m.columns["activity"], bad)
        if activity is None and not _text(cell("activity")) and m.columns["activity"] not in refused:
            bad(m.columns["activity"], "", "every contact needs its kind of activity")
        level = _code(cell("level"), m.values.get("level", {}), levels, "level",
                      m.columns.get("level"), bad) if "level" in m.columns else None
        minutes = None
        text = _text(cell("minutes"))
        if text:
            if not text.isdigit() or not 1 <= int(text) <= MAX_MINUTES:
                bad(m.columns["minutes"], text, f"minutes must be a whole number from 1 to {MAX_MINUTES}")
            else:
                minutes = int(text)
        note = _text(cell("note"))
        if len(key) > 80:
            bad(m.key, key, "longer than the 80 characters an ID may have")
        yield Contact(n, key, person, done_on, activity, minutes, level or (levels.get(default_level)
                                                                            if default_level else None),
                      note)


def _code(value, table: dict[str, str], valid: dict[str, Code], what: str, column, bad) -> Code | None:
    text = _text(value)
    if not text:
        return None
    code = table.get(text, text)
    if code not in valid:
        bad(column, text, f"no mapping for this value (add it under values.{what})")
        return None
    return valid[code]


def _people(council: Council, system: str, keys: list[str]) -> dict[str, dict]:
    """For each legacy ID: the person, their Coordinator, their first introduction and last exit."""
    return {r["key"]: r for r in LegacyKey.objects.filter(council=council, system=system, key__in=keys)
            .values("key", "person_id", "person__coordinator_id")
            .annotate(first=Min("person__introductions__introduced_on"),
                      last_exit=Max("person__exits__exited_on"))}


def import_contacts(path: str | Path, mapping_path: str | Path, dry_run: bool = True,
                    today: date | None = None, progress: Callable[[int, int], None] | None = None,
                    user: User | None = None, job=None) -> ContactReport:
    """Check the whole log; unless it is a dry run and only if nothing is wrong, write it all."""
    path, mapping_path = Path(path), Path(mapping_path)
    report = ContactReport(path.name)
    today = today or date.today()
    m, council = mapping_and_council(ContactMapping, mapping_path, report)
    if council is None:
        return report
    codes = Code.objects.filter(list__in=("activity", "activity_level"), active=True).select_related("parent")
    activities = {c.code: c for c in codes if c.list == "activity"}
    levels = {c.code: c for c in codes if c.list == "activity_level"}
    problems: list[Problem] = []
    about: dict = {}
    known: set[str] = set()
    people: set[int] = set()
    batch: list[Contact] = []

    def check(batch: list[Contact]) -> None:
        """What needs the database: the person, and the dates of their journey."""
        found = _people(council, m.system, list({c.person for c in batch if c.person}))
        done = set(LegacyContact.objects.filter(council=council, system=m.system,
                                                key__in=[c.key for c in batch]).values_list("key", flat=True))
        known.update(done)
        for c in batch:
            p = found.get(c.person)
            col = m.columns
            if c.person and p is None:
                problems.append(Problem(path.name, c.row, col["person"], c.person,
                                        f"no person with this ID was imported from {m.system}: import "
                                        "the people first"))
                continue
            if p is None or c.done_on is None:
                continue
            if p["first"] and c.done_on < p["first"]:
                problems.append(Problem(path.name, c.row, col["done_on"], c.done_on.isoformat(),
                                        f"before the person's introduction ({p['first'].isoformat()})"))
            elif p["last_exit"] and c.done_on > p["last_exit"]:
                problems.append(Problem(path.name, c.row, col["done_on"], c.done_on.isoformat(),
                                        f"after the person's exit ({p['last_exit'].isoformat()})"))
            elif c.key not in done:
                report.activities += 1
                people.add(p["person_id"])

    for c in _contacts(path, m, activities, levels, today, problems, about):
        report.rows += 1
        batch.append(c)
        if len(batch) == BATCH:
            check(batch)
            batch = []
    if batch:
        check(batch)
    report.read_from(about)
    if report.rows == 0 and not problems:
        problems.append(Problem(path.name, None, None, None, "the file has a header but no rows"))
    report.problems = sorted(dict.fromkeys(problems), key=lambda p: (p.row or 0))
    report.people = len(people)
    report.already_imported = len(known)
    if report.problems:
        report.activities = report.people = 0
        return report
    if dry_run or not report.activities:
        report.written = not dry_run
        return report
    again: list[Problem] = []
    written = 0
    with transaction.atomic():
        contacts = (c for c in _contacts(path, m, activities, levels, today, again, {}) if c.key not in known)
        while chunk := list(islice(contacts, BATCH)):
            found = _people(council, m.system, list({c.person for c in chunk}))
            made = [Activity(person_id=found[c.person]["person_id"],
                             coordinator_id=found[c.person]["person__coordinator_id"],
                             activity=c.activity.parent if c.activity.parent_id else c.activity,
                             kind=c.activity if c.activity.parent_id else None,
                             level=c.level or levels[c.activity.attrs.get("level", "individual")],
                             done_on=c.done_on, minutes=c.minutes, note=c.note) for c in chunk]
            Activity.objects.bulk_create(made)
            LegacyContact.objects.bulk_create([
                LegacyContact(council=council, system=m.system, key=c.key, activity=a, import_job=job)
                for c, a in zip(chunk, made, strict=True)])
            written += len(made)
            if progress:
                progress(written, report.activities)
        if again or written != report.activities:
            transaction.set_rollback(True)
            report.problems = [Problem(path.name, None, None, None, f"{path.name} changed while it was "
                                       "being imported: nothing was written")]
            return report
    # One audit entry for the import (the activities are not looked at, only added).
    AuditEvent.objects.create(user=user, username=user.username if user else "import",
                              role=user.role if user else "import", action=AuditEvent.Action.CREATE,
                              path=f"import:{path.name}", detail={"system": m.system, "contacts": written})
    report.written = True
    return report
