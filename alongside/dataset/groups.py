"""A council's list of community groups imported onto the community map, with a mapping of
`records: groups`:

    council: Calder Vale Council
    system: calder-groups
    records: groups
    key: group_id                   # each group's own ID: importing again adds nothing
    columns:
      name: group_name
      ward: area
      type: kind                    # the group_type code list
      started_on: started           # optional, and the rest
      where: venue
      when: meets
      contact: contact
      offers: offers
      needs: needs
    values:
      ward: {calder north: E05800301}
      type: {lunch club: lunch_club}

Checked whole, then written in one transaction; every problem by row, column, value and reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from alongside.accounts.models import User
from alongside.audit.models import AuditEvent
from alongside.codes.models import Code
from alongside.community.models import CommunityGroup
from alongside.places.models import Ward

from .contacts import ContactMapping, mapping_and_council
from .legacy import (
    EXCEL_ERRORS,
    UNREADABLE,
    FileReport,
    FormulaWithoutValue,
    Problem,
    _date,
    _lookup,
    _text,
    open_table,
)
from .models import LegacyGroup

TEXT = {"name": 160, "where": 200, "when": 200, "contact": 200, "offers": None, "needs": None}


class GroupMapping(ContactMapping):
    FIELDS = ("name", "ward", "type", "started_on", "where", "when", "contact", "offers", "needs")
    REQUIRED = ("name", "ward", "type")
    CODED = ("ward", "type")
    WHAT = "a community group"


@dataclass
class GroupReport(FileReport):
    groups: int = 0

    def summary(self) -> str:
        return (f"{self.file}: {self.rows:,} rows; {self.verb} {self.groups:,} community groups; "
                f"{self.already_imported:,} already imported (skipped)")


def _groups(path: Path, m: GroupMapping, wards: dict[str, Ward], types: dict[str, Code], today: date,
            problems: list[Problem], about: dict) -> Iterator[tuple[int, str, dict]]:
    name = path.name
    table = open_table(path, m.sheet, [m.key, *m.columns.values()], m.header_row, about, problems)
    if table is None:
        return
    seen: dict[str, int] = {}
    by_name = {w.name.casefold(): code for code, w in wards.items()}
    for n, raw in table:
        def bad(column, value, reason, n=n):
            problems.append(Problem(name, n, column, None if value is None else str(value), reason))

        refused = set()
        for column, value in raw.items():
            if isinstance(value, FormulaWithoutValue) or (
                    isinstance(value, str) and (value.strip() in EXCEL_ERRORS or UNREADABLE in value)):
                bad(column, str(value).replace(UNREADABLE, "?"),
                    "a formula with no saved value, an error, or a character that cannot be read")
                refused.add(column)

        def cell(fld, raw=raw, refused=refused):
            c = m.columns.get(fld)
            return "" if c is None or c in refused else _text(raw.get(c))

        key = _text(raw.get(m.key))
        if not key:
            bad(m.key, "", "every group needs its own ID")
            continue
        if key in seen:
            bad(m.key, key, f"the same group ID is on row {seen[key]}: a duplicated row")
            continue
        seen[key] = n
        values: dict = {}
        for fld, limit in TEXT.items():
            text = cell(fld)
            if limit and len(text) > limit:
                bad(m.columns[fld], text, f"{len(text)} characters, longer than the {limit} Alongside keeps")
                text = ""
            values[fld] = text
        if not cell("name") and m.columns["name"] not in refused:
            bad(m.columns["name"], "", "every group needs its name")
        ward_text = cell("ward")
        ward = _lookup(m.values.get("ward", {}), ward_text) or by_name.get(ward_text.casefold()) or ward_text
        if ward_text and ward not in wards:
            bad(m.columns["ward"], ward_text, f"not a ward of {m.council} (add it under values.ward with its "
                                              "ONS code)")
        elif not ward_text and m.columns["ward"] not in refused:
            bad(m.columns["ward"], "", "every group needs its ward")
        values["ward"] = wards.get(ward)
        type_text = cell("type")
        kind = _lookup(m.values.get("type", {}), type_text) or type_text
        if type_text and kind not in types:
            bad(m.columns["type"], type_text, "no mapping for this value (add it under values.type)")
        elif not type_text and m.columns["type"] not in refused:
            bad(m.columns["type"], "", "every group needs its kind")
        values["type"] = types.get(kind)
        values["started_on"] = _date(raw.get(m.columns["started_on"]) if "started_on" in m.columns else None,
                                     m.date_format, today, lambda v, r: bad(m.columns["started_on"], v, r))
        yield n, key, values


def import_groups(path: str | Path, mapping_path: str | Path, dry_run: bool = True,
                  today: date | None = None, progress: Callable[[int, int], None] | None = None,
                  user: User | None = None, job=None) -> GroupReport:
    """Check the whole list; unless it is a dry run and only if nothing is wrong, write it all."""
    path, mapping_path = Path(path), Path(mapping_path)
    report = GroupReport(path.name)
    today = today or date.today()
    m, council = mapping_and_council(GroupMapping, mapping_path, report)
    if council is None:
        return report
    wards = {w.ons_code: w for w in Ward.objects.filter(council=council)}
    types = {c.code: c for c in Code.objects.filter(list="group_type", active=True)}
    known = set(LegacyGroup.objects.filter(council=council, system=m.system).values_list("key", flat=True))
    problems: list[Problem] = []
    about: dict = {}
    new = 0
    for _n, key, _values in _groups(path, m, wards, types, today, problems, about):
        report.rows += 1
        new += key not in known
    report.read_from(about)
    if report.rows == 0 and not problems:
        problems.append(Problem(path.name, None, None, None, "the file has a header but no rows"))
    report.problems = list(dict.fromkeys(problems))
    report.already_imported = report.rows - new
    if report.problems:
        return report
    report.groups = new
    if dry_run or not new:
        report.written = not dry_run
        return report
    again: list[Problem] = []
    with transaction.atomic():
        rows = [(k, v) for _n, k, v in _groups(path, m, wards, types, today, again, {}) if k not in known]
        if again or len(rows) != new:
            transaction.set_rollback(True)
            report.problems = [Problem(path.name, None, None, None, f"{path.name} changed while it was "
                                       "being imported: nothing was written")]
            return report
        made = CommunityGroup.objects.bulk_create([CommunityGroup(**v) for _k, v in rows])
        LegacyGroup.objects.bulk_create([
            LegacyGroup(council=council, system=m.system, key=k, group=g, import_job=job)
            for (k, _v), g in zip(rows, made, strict=True)])
        if progress:
            progress(new, new)
    AuditEvent.objects.create(user=user, username=user.username if user else "import",
                              role=user.role if user else "import", action=AuditEvent.Action.CREATE,
                              path=f"import:{path.name}", detail={"system": m.system, "groups": new})
    report.written = True
    return report
