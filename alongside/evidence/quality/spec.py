"""The minimum dataset specification, read from its YAML file (one source for the document,
the scoring and the pages)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class FieldSpec:
    record: str
    field: str
    label: str
    type: str
    mandatory: bool
    definition: str = ""
    codes: str = ""
    serves: tuple[str, ...] = ()
    when: str = ""  # a status in which alone the field is expected (ended_on: "closed")


@dataclass(frozen=True)
class RecordSpec:
    name: str
    title: str
    definition: str
    fields: tuple[FieldSpec, ...]

    @property
    def mandatory(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.mandatory)


@dataclass(frozen=True)
class DatasetSpec:
    version: str
    purposes: dict[str, str]
    records: dict[str, RecordSpec]


def load_spec(path: str | Path) -> DatasetSpec:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    records = {}
    for name, rec in data["records"].items():
        fields = tuple(
            FieldSpec(record=name, field=f["field"], label=f["label"], type=str(f["type"]),
                      mandatory=bool(f["mandatory"]), definition=f.get("definition", ""),
                      codes=f.get("codes", ""), serves=tuple(f.get("serves", ())), when=f.get("when", ""))
            for f in rec["fields"])
        unknown = {p for f in fields for p in f.serves} - set(data["purposes"])
        if unknown:
            raise ValueError(f"{path}: records.{name} serves unknown purposes {sorted(unknown)}")
        records[name] = RecordSpec(name, rec["title"], rec.get("definition", ""), fields)
    return DatasetSpec(str(data["version"]), dict(data["purposes"]), records)
