"""Reading a council's legacy spreadsheet (CSV or XLSX) through its mapping file into rows of
minimum-dataset values, listing every problem as file, row, column, value and reason.

Nothing here touches the database: `importer` writes the rows, in one transaction, only
when this module found no problem at all.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml

# Minimum-dataset field → the code list its values must come from.
CODED = {
    "age_band": "age_band", "gender": "gender", "ethnicity": "ethnicity",
    "long_term_condition": "yes_no_unknown", "relationship_to_services": "relationship_to_services",
    "consent": "consent_status", "lawful_basis": "lawful_basis", "route": "introduction_route",
    "reasons": "problem", "level": "level_of_support", "status": "engagement_status",
    "exit_point": "exit_point", "exit_response": "exit_response", "exit_outcome": "exit_outcome",
}
DATES = ("introduced_on", "ended_on", "birth_date")
TEXT = ("given_name", "family_name", "introducing_organisation")
FIELDS = (*TEXT, *DATES, "ward", *CODED)
REQUIRED = ("ward", "introduced_on", "given_name")
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                "#SPILL!", "#CALC!"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return ", ".join(parts) + f": {self.reason}"


class MappingError(ValueError):
    """The mapping file itself is wrong: nothing can be read through it."""


@dataclass
class Mapping:
    council: str
    system: str
    key: str
    columns: dict[str, str | list[str]]
    values: dict[str, dict]
    defaults: dict[str, str]
    date_format: str = "%d/%m/%Y"
    sheet: str | None = None
    split: str = ";"

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        p = Path(path)
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as e:
            raise MappingError(f"{p.name}: cannot read the mapping file: {e}") from None
        if not isinstance(data, dict):
            raise MappingError(f"{p.name}: the mapping must be a YAML mapping of fields")
        problems = [f"{p.name}: {k} is required" for k in ("council", "system", "key", "columns")
                    if not data.get(k)]
        columns = data.get("columns") or {}
        problems += [f"{p.name}: columns.{k} is not a minimum-dataset field (known: {', '.join(FIELDS)})"
                     for k in columns if k not in FIELDS]
        problems += [f"{p.name}: columns.{k} is required" for k in REQUIRED if k not in columns]
        values = data.get("values") or {}
        problems += [f"{p.name}: values.{k} is not a coded field" for k in values
                     if k not in CODED and k != "ward"]
        unknown = set(data) - {"council", "system", "key", "columns", "values", "defaults", "date_format",
                               "sheet", "split"}
        problems += [f"{p.name}: unknown setting {k!r}" for k in sorted(unknown)]
        if problems:
            raise MappingError("\n".join(problems))
        return cls(council=str(data["council"]), system=str(data["system"]), key=str(data["key"]),
                   columns=columns, values=values, defaults={k: str(v) for k, v in
                                                              (data.get("defaults") or {}).items()},
                   date_format=data.get("date_format", "%d/%m/%Y"), sheet=data.get("sheet"),
                   split=data.get("split", ";"))


@dataclass
class LegacyRow:
    row: int
    key: str
    values: dict = field(default_factory=dict)


# An XLSX is a zip file. Years of a council's records come to a few hundred MB unpacked at most;
# a 1 MB file that unpacks to gigabytes (issue 29: 2.2 GB of memory) is not a spreadsheet.
XLSX_MAX_UNPACKED = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_SMALL = 50 * 1024 * 1024


def _refuse_a_zip_bomb(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile as e:
        raise ValueError(f"not a readable XLSX workbook ({e})") from None
    packed = max(path.stat().st_size, 1)
    # Small workbooks are fine however well they compress (empty styled cells compress a lot).
    if unpacked > XLSX_MAX_UNPACKED or (unpacked > XLSX_SMALL and unpacked / packed > XLSX_MAX_RATIO):
        raise ValueError(
            f"this workbook would unpack to {unpacked / 1e6:,.0f} MB from {packed / 1e6:,.1f} MB "
            f"({unpacked / packed:,.0f} times its size): not a spreadsheet Alongside will open. "
            "Save the sheet as CSV UTF-8 and import that instead")


def read_table(path: Path, sheet: str | None) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """Header and (spreadsheet row number, {column: value}) pairs, read as they are asked for:
    a council's years of records are never held in memory at once (a 200 MB CSV took 5.4 GB
    when it was). Raises ValueError on a file that cannot be read at all; a CSV that stops
    being UTF-8 further down raises it when that row is reached, naming the row."""
    if path.stat().st_size == 0:
        raise ValueError("the file is empty (0 bytes)")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        _refuse_a_zip_bomb(path)
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError) as e:
            raise ValueError(f"not a readable XLSX workbook ({e})") from None
        if sheet and sheet not in wb.sheetnames:
            wb.close()
            raise ValueError(f"no sheet called {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(it, [])]

        def sheet_rows():
            try:
                for n, r in enumerate(it, start=2):
                    if any(v not in (None, "") for v in r):
                        yield n, dict(zip(header, r, strict=False))
            finally:
                wb.close()

        return header, sheet_rows()
    f = path.open(encoding="utf-8-sig", newline="")
    try:
        sample = f.read(4096)
        f.seek(0)
    except UnicodeDecodeError:
        f.close()
        raise ValueError("not UTF-8 text: save the spreadsheet as CSV UTF-8") from None
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(f, dialect)
    try:
        header = [h.strip() for h in next(reader, [])]
    except UnicodeDecodeError:
        f.close()
        raise ValueError("not UTF-8 text: save the spreadsheet as CSV UTF-8") from None

    def csv_rows():
        n = 1
        try:
            for n, r in enumerate(reader, start=2):  # noqa: B007 (n names the row that fails)
                if any(v.strip() for v in r):
                    yield n, dict(zip(header, r, strict=False))
        except UnicodeDecodeError:
            raise ValueError(f"not UTF-8 text after row {n}: save the spreadsheet as CSV UTF-8") from None
        finally:
            f.close()

    return header, csv_rows()


def rows(path: str | Path, mapping: Mapping, codes: dict[str, set[str]], wards: set[str],
         today: date, problems: list[Problem]) -> Iterator[LegacyRow]:
    """Every row mapped to minimum-dataset values, one at a time, adding what is wrong with
    each to `problems` before it is given (a row with no usable ID is not given at all).

    `codes` holds the valid codes of each code list; `wards` the ONS codes of the council's wards.
    """
    p = Path(path)
    name = p.name
    try:
        header, table = read_table(p, mapping.sheet)
    except (ValueError, OSError) as e:
        problems.append(Problem(name, None, None, None, str(e)))
        return
    wanted = [mapping.key] + [c for cols in mapping.columns.values()
                              for c in (cols if isinstance(cols, list) else [cols])]
    missing = [c for c in dict.fromkeys(wanted) if c not in header]
    if missing:
        table.close()
        problems += [Problem(name, 1, c, None, "the mapping names this column but the file has no such "
                             "column") for c in missing]
        return
    defaults = {}
    for fld, code in mapping.defaults.items():
        if fld not in CODED:
            problems.append(Problem(name, None, None, None, f"defaults.{fld} is not a coded field"))
        elif code not in codes[CODED[fld]]:
            problems.append(Problem(name, None, None, code, f"defaults.{fld}: not a {CODED[fld]} code"))
        else:
            defaults[fld] = code
    seen: dict[str, int] = {}
    count = 0
    try:
        for n, raw in table:
            count += 1
            row = _row(n, raw, name, mapping, codes, wards, today, problems, seen)
            if row is not None:
                for fld, code in defaults.items():
                    if not row.values.get(fld):
                        row.values[fld] = [code] if fld == "reasons" else code
                yield row
    except ValueError as e:  # a CSV that stops being UTF-8 part of the way down
        problems.append(Problem(name, None, None, None, str(e)))
        return
    if not count:
        problems.append(Problem(name, None, None, None, "the file has a header but no rows"))


def _row(n: int, raw: dict, name: str, mapping: Mapping, codes: dict[str, set[str]], wards: set[str],
         today: date, problems: list[Problem], seen: dict[str, int]) -> LegacyRow | None:
    def bad(column, value, reason, n=n):
        problems.append(Problem(name, n, column, None if value is None else str(value), reason))

    first = len(problems)  # this row's problems are the ones added from here
    for column, value in raw.items():
        if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
            bad(column, value, "the spreadsheet shows an error here (a formula that failed); "
                               "fix it in the spreadsheet")
    key = _text(raw.get(mapping.key))
    if not key:
        bad(mapping.key, "", "every row needs the council's own ID")
        return None
    if key in seen:
        bad(mapping.key, key, f"the same ID is on row {seen[key]}: a duplicated row")
        return None
    seen[key] = n
    row = LegacyRow(n, key)
    for fld, cols in mapping.columns.items():
        cols_list = cols if isinstance(cols, list) else [cols]
        cells = [(c, raw.get(c)) for c in cols_list]
        if fld in DATES:
            row.values[fld] = _date(cells[0][1], mapping.date_format, today,
                                    lambda v, r, c=cells[0][0]: bad(c, v, r))
        elif fld == "ward":
            row.values[fld] = _ward(cells[0], mapping, wards, bad)
        elif fld in CODED:
            row.values[fld] = _coded(fld, cells, mapping, codes[CODED[fld]], bad)
        else:
            row.values[fld] = " ".join(t for c, v in cells if (t := _text(v)))
    for fld in REQUIRED:
        col = mapping.columns[fld]
        col = col if isinstance(col, str) else col[0]
        if not row.values.get(fld) and not any(pr.column == col for pr in problems[first:]):
            bad(col, "", f"{fld.replace('_', ' ')} is required")
    return row


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, fmt: str, today: date, bad) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    else:
        try:
            d = datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            shown = fmt.replace("%d", "dd").replace("%m", "mm").replace("%Y", "yyyy")
            bad(value, f"not a date written as {shown}")
            return None
    if d > today:
        bad(value, "a date in the future")
        return None
    return d


def _ward(cell, mapping: Mapping, wards: set[str], bad) -> str | None:
    column, value = cell
    text = _text(value)
    if not text:
        return None
    code = str((mapping.values.get("ward") or {}).get(text, text))
    if code not in wards:
        bad(column, text, f"not a ward of {mapping.council} (add it under values.ward with its ONS code)")
        return None
    return code


def _coded(fld: str, cells, mapping: Mapping, valid: set[str], bad):
    table = mapping.values.get(fld) or {}
    found: list[str] = []
    for column, value in cells:
        text = _text(value)
        parts = [t.strip() for t in text.split(mapping.split)] if fld == "reasons" else [text]
        for part in parts:
            if not part:
                continue
            mapped = table.get(part, part if part in valid else None)
            if mapped is None:
                bad(column, part, f"no mapping for this value (add it under values.{fld})")
                continue
            for code in mapped if isinstance(mapped, list) else [mapped]:
                if str(code) not in valid:
                    bad(column, part, f"values.{fld} maps it to {code!r}, which is not a {CODED[fld]} code")
                elif str(code) not in found:
                    found.append(str(code))
    if fld == "reasons":
        return found
    return found[0] if found else None
