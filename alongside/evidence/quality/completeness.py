"""Completeness scores from counts: per field, and the share of records with every mandatory
field filled, for any grouping (Coordinator, ward, site, month).

Three states are kept apart because they mean different things to a manager: *recorded*
(a real value), *unknown* (someone asked and wrote "not known" — the record is complete, the
fact is not known) and *missing* (nobody wrote anything). The study's "records missing"
figures were the last kind.

Input is one row of counts per smallest group, as a database can produce them in one query:
{"ward": "Ashley North", "records": 120, "complete": 100,
 "gender.missing": 3, "gender.unknown": 5, "ended_on.applicable": 40, ...}
A field absent from a row's ".applicable" counts applies to every record in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .spec import FieldSpec, RecordSpec


@dataclass
class FieldScore:
    spec: FieldSpec
    applicable: int = 0
    unknown: int = 0
    missing: int = 0

    @property
    def recorded(self) -> int:
        return self.applicable - self.unknown - self.missing

    @property
    def filled(self) -> int:
        """Recorded or explicitly unknown: the Coordinator completed it."""
        return self.applicable - self.missing

    def percent(self, what: str) -> float | None:
        if not self.applicable:
            return None
        return 100 * getattr(self, what) / self.applicable


@dataclass
class RecordScore:
    record: RecordSpec
    group: tuple = ()
    records: int = 0
    complete: int = 0
    fields: dict[str, FieldScore] = field(default_factory=dict)

    @property
    def complete_percent(self) -> float | None:
        """Share of records with every mandatory field filled (the study's measure, inverted)."""
        return 100 * self.complete / self.records if self.records else None

    @property
    def mandatory_percent(self) -> float | None:
        """Filled mandatory fields as a share of all the mandatory fields that apply."""
        cells = sum(s.applicable for s in self.fields.values() if s.spec.mandatory)
        filled = sum(s.filled for s in self.fields.values() if s.spec.mandatory)
        return 100 * filled / cells if cells else None

    def ordered(self) -> list[FieldScore]:
        """Mandatory fields first, then the rest, each in the specification's order."""
        return sorted(self.fields.values(), key=lambda s: not s.spec.mandatory)

    def to_dict(self) -> dict:
        return {"record": self.record.name, "group": list(self.group), "records": self.records,
                "complete": self.complete, "complete_percent": self.complete_percent,
                "mandatory_percent": self.mandatory_percent,
                "fields": [{"field": s.spec.field, "label": s.spec.label, "mandatory": s.spec.mandatory,
                            "applicable": s.applicable, "recorded": s.recorded, "unknown": s.unknown,
                            "missing": s.missing} for s in self.ordered()]}


def score(rows: Iterable[dict], record: RecordSpec, by: tuple[str, ...] = ()) -> list[RecordScore]:
    """One RecordScore per distinct value of the `by` columns (one overall when `by` is empty),
    in the order groups first appear."""
    out: dict[tuple, RecordScore] = {}
    for row in rows:
        key = tuple(row.get(b) for b in by)
        s = out.get(key)
        if s is None:
            s = out[key] = RecordScore(record, key, fields={f.field: FieldScore(f) for f in record.fields})
        n = int(row["records"])
        s.records += n
        s.complete += int(row["complete"])
        for f in record.fields:
            fs = s.fields[f.field]
            fs.applicable += int(row.get(f"{f.field}.applicable", n))
            fs.unknown += int(row.get(f"{f.field}.unknown", 0))
            fs.missing += int(row.get(f"{f.field}.missing", 0))
    for s in out.values():
        for fs in s.fields.values():
            if not 0 <= fs.missing + fs.unknown <= fs.applicable <= s.records:
                raise ValueError(f"{record.name}.{fs.spec.field}: counts do not add up for {s.group} "
                                 f"(applicable {fs.applicable}, unknown {fs.unknown}, missing {fs.missing}, "
                                 f"records {s.records})")
    return list(out.values())
