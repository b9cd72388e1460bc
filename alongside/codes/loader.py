"""Load the versioned code lists into the database.

Called by a data migration (so `migrate` always leaves a usable database) and by
`alongside load_codes` after the file changes.
"""

from pathlib import Path
from typing import Any

import yaml

CODELISTS = Path(__file__).parent / "data" / "codelists.yaml"


def read_codelists(path: Path = CODELISTS) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_codelists(code_model: Any, path: Path = CODELISTS) -> int:
    """Upsert every code; codes that left the file are retired, never deleted."""
    data = read_codelists(path)
    version = str(data["version"])
    seen: set[tuple[str, str]] = set()
    count = 0
    for list_name, spec in data["lists"].items():
        by_code = {}
        # Parents come before children in the file, so one pass resolves them.
        for position, row in enumerate(spec["codes"]):
            parent = by_code.get(row["parent"]) if row.get("parent") else None
            if row.get("parent") and parent is None:
                raise ValueError(f"{path}: {list_name}/{row['code']}: unknown parent {row['parent']}")
            defaults = {"label": row["label"], "label_cy": row.get("label_cy", ""), "parent": parent,
                        "attrs": row.get("attrs", {}), "position": position, "version": version,
                        "active": True}
            existing = code_model.objects.filter(list=list_name, code=str(row["code"])).first()
            if existing is not None and (existing.attrs or {}).get("set_here"):
                # Relabelled or retired by the council's administrator: their words stand.
                defaults = {"parent": parent, "position": position, "version": version,
                            "attrs": {**row.get("attrs", {}), "set_here": True}}
            obj, _ = code_model.objects.update_or_create(list=list_name, code=str(row["code"]),
                                                         defaults=defaults)
            by_code[str(row["code"])] = obj
            seen.add((list_name, str(row["code"])))
            count += 1
    for obj in code_model.objects.filter(active=True):
        # A code the council added is not the file's to retire.
        if (obj.list, obj.code) not in seen and not (obj.attrs or {}).get("set_here"):
            obj.active = False
            obj.save(update_fields=["active"])
    return count
