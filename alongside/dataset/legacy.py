"""Reading a council's legacy spreadsheet (CSV or XLSX) through its mapping file into rows of
minimum-dataset values, listing every problem as file, row, column, value and reason.

Nothing here touches the database: `importer` writes the rows, in one transaction, only
when this module found no problem at all.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain
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
# How far down a sheet its header row is looked for, below any title rows.
HEADER_SEARCH = 20
# Marks a cell that cannot be read as text (decoding put U+FFFD there) or a formula whose value
# was never saved, so that the row check names the cell.
UNREADABLE = "\ufffd"


class FormulaWithoutValue(str):
    """A formula cell whose workbook holds no saved value (never calculated in Excel)."""


class _TextLoader(yaml.SafeLoader):
    """YAML with every plain scalar read as text: a council's `Yes:` or `No:` is the value in
    its spreadsheet, not a boolean, and `01:` is "01", not 1."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

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


@dataclass
class FileReport:
    """What reading one legacy file came to, whatever its records (people, contacts, groups):
    its rows, what is wrong with it, whether it was written, and what was read."""

    file: str
    council: str = ""
    rows: int = 0
    already_imported: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    # What was read: the sheet of a workbook, the header's row, a CSV's text encoding.
    sheet: str = ""
    header_row: int = 1
    encoding: str = ""
    # For the officer to review, not refusals (people only: a row that may be someone already
    # known). Nothing is merged or left out on their account.
    possible_duplicates: list[str] = field(default_factory=list)
    possible_duplicate_count: int = 0

    def read_from(self, about: dict) -> None:
        """What `read_table` said it read."""
        self.sheet, self.encoding = about.get("sheet", ""), about.get("encoding", "")
        self.header_row = about.get("header_row", 1)

    @property
    def verb(self) -> str:
        return "Imported" if self.written else "Would import"


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
    header_row: int | None = None  # the spreadsheet row of the header; found when not given

    def column(self, fld: str) -> str | None:
        """The column a field is read from (the first, when it is read from several)."""
        c = self.columns.get(fld)
        return c if isinstance(c, str) else (c[0] if c else None)

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except OSError as e:
            raise MappingError(f"{p.name}: cannot read the mapping file: {e}") from None
        return cls.from_text(text, p.name)

    @classmethod
    def from_text(cls, text: str, name: str = "mapping") -> Mapping:
        """The mapping in a YAML text (one built in the browser); `name` is the file it is
        named as in the problems found."""
        p = Path(name)
        try:
            data = yaml.load(text, Loader=_TextLoader)  # noqa: S506
        except yaml.YAMLError as e:
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
                               "sheet", "split", "header_row", "records"}
        problems += [f"{p.name}: unknown setting {k!r}" for k in sorted(unknown)]
        header_row = data.get("header_row")
        if header_row is not None and not (str(header_row).isdigit() and int(header_row) >= 1):
            problems.append(f"{p.name}: header_row must be the row number of the header, 1 or more")
        if problems:
            raise MappingError("\n".join(problems))
        return cls(council=str(data["council"]), system=str(data["system"]), key=str(data["key"]),
                   columns=columns, values=values, defaults={k: str(v) for k, v in
                                                              (data.get("defaults") or {}).items()},
                   date_format=data.get("date_format", "%d/%m/%Y"), sheet=data.get("sheet"),
                   split=data.get("split", ";"),
                   header_row=int(header_row) if header_row is not None else None)


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


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(first_rows: list[tuple[int, list]], expected: list[str], header_row: int | None,
                 ) -> tuple[int, list[str]]:
    """The header's row number and names. Councils' sheets often carry a title or two above the
    header: the header is the first of the top rows holding the mapping's ID column (or the row
    the mapping names), else the first row that is not blank."""
    cleaned = [(n, [str(v).strip() if v is not None else "" for v in r]) for n, r in first_rows]
    if header_row is not None:
        found = next(((n, h) for n, h in cleaned if n == header_row), None)
        if found is None:
            raise ValueError(f"header_row is {header_row}, but the sheet has no row {header_row}")
    else:
        key = _folded(expected[0]) if expected else None
        found = next(((n, h) for n, h in cleaned if key is not None and key in map(_folded, h)), None) \
            or next(((n, h) for n, h in cleaned if any(h)), (1, []))
    return found[0], _named_as_mapped(found[1], expected)


def _column_letter(j: int) -> str:
    letters = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _named_as_mapped(header: list[str], expected: list[str]) -> list[str]:
    """The header with each column the mapping names spelt as the mapping spells it, where the
    file differs only in case or spacing ("Date Of Birth " for "date of birth"); a column
    named twice is refused, since which one is meant cannot be known."""
    header = list(header)
    for name in dict.fromkeys(expected):
        same = [j for j, h in enumerate(header) if _folded(h) == _folded(name)]
        if len(same) > 1:
            raise ValueError(f"two columns are called {name!r} (columns "
                             f"{' and '.join(_column_letter(j) for j in same)}): rename one of them")
        if same:
            header[same[0]] = name
    return header


def _encoding(path: Path) -> str:
    """The rule, in this order: a byte-order mark says UTF-8 or UTF-16; a file that is UTF-8
    throughout is UTF-8; one with no valid UTF-8 beyond plain ASCII is Windows-1252 (what UK
    Excel writes when saving "CSV"); one that is UTF-8 except in places is read as UTF-8 and
    each character that cannot be read is refused by its row and column."""
    with path.open("rb") as f:
        head = f.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        beyond_ascii = False
        while chunk := f.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as e:
                beyond_ascii = beyond_ascii or (e.start > 0 and max(chunk[:e.start]) >= 0x80)
                return "utf-8" if beyond_ascii else "cp1252"
            beyond_ascii = beyond_ascii or max(chunk) >= 0x80
    return "utf-8"


ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252"}


def read_table(path: Path, sheet: str | None, expected: list[str] | None = None,
               header_row: int | None = None, about: dict | None = None,
               ) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """Header and (spreadsheet row number, {column: value}) pairs, read as they are asked for:
    a council's years of records are never held in memory at once (a 200 MB CSV took 5.4 GB
    when it was). Blank and space-only rows are left out wherever they are. `expected`: the
    columns the mapping names, to find the header below title rows. `about` is filled in with
    what was read (sheet, header row, encoding). Raises ValueError on a file that cannot be
    read at all."""
    about = about if about is not None else {}
    expected = expected or []
    if path.stat().st_size == 0:
        raise ValueError("the file is empty (0 bytes)")
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path, sheet, expected, header_row, about)
    encoding = _encoding(path)
    about["encoding"] = ENCODING_NAMES[encoding]
    f = path.open(encoding=encoding, errors="replace", newline="")
    sample = f.read(4096)
    f.seek(0)
    first_line = sample.lstrip("\ufeff").split("\n", 1)[0].strip()
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        # Excel's own hint on the first line ("sep=;"): the delimiter, and a row read as a title.
        class dialect(csv.excel):
            delimiter = first_line[4]
    else:
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
    reader = csv.reader(f, dialect)
    top = []
    for n, r in enumerate(reader, start=1):
        top.append((n, r))
        if n >= HEADER_SEARCH or (not header_row and expected and _folded(expected[0]) in map(_folded, r)):
            break
    at, header = _find_header(top, expected, header_row)
    about["header_row"] = at
    after = [(n, r) for n, r in top if n > at]

    def csv_rows():
        try:
            for n, r in chain(after, enumerate(reader, start=len(top) + 1)):
                if any(v.strip() for v in r):
                    yield n, dict(zip(header, r, strict=False))
        finally:
            f.close()

    return header, csv_rows()


def _read_workbook(path: Path, sheet: str | None, expected: list[str], header_row: int | None,
                   about: dict) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    from openpyxl import load_workbook

    _refuse_a_zip_bomb(path)
    try:
        # Saved values, and beside them the formulas: a formula Excel never calculated has no
        # saved value, and would otherwise come in as a blank without a word.
        wb = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        raise ValueError(f"not a readable XLSX workbook ({e})") from None
    if sheet and sheet not in wb.sheetnames:
        wb.close()
        formulas.close()
        raise ValueError(f"no sheet called {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
    if sheet:
        name = sheet
    else:
        visible = [ws.title for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if not visible:
            wb.close()
            formulas.close()
            raise ValueError("every sheet of this workbook is hidden: name the one to read as "
                             "sheet: in the mapping")
        name = visible[0]
    about["sheet"] = name
    hidden = [t for t in wb.sheetnames[:wb.sheetnames.index(name)] if t != name]
    if hidden and not sheet:
        about["skipped_sheets"] = hidden
    values = wb[name].iter_rows(values_only=True)
    cells = formulas[name].iter_rows(values_only=True)
    numbered = enumerate(zip(values, cells, strict=False), start=1)
    top = []
    for n, (r, fr) in numbered:
        top.append((n, r, fr))
        if n >= HEADER_SEARCH or (not header_row and expected and _folded(expected[0]) in
                                  [_folded(v) for v in r if v is not None]):
            break
    at, header = _find_header([(n, list(r)) for n, r, _fr in top], expected, header_row)
    about["header_row"] = at
    pending = [t for t in top if t[0] > at]

    def sheet_rows():
        try:
            for n, r, fr in chain(pending, ((n, v, f) for n, (v, f) in numbered)):
                row = list(r)
                for j, v in enumerate(row):
                    if v is None and fr is not None and j < len(fr) and isinstance(fr[j], str) \
                            and fr[j].startswith("="):
                        row[j] = FormulaWithoutValue(fr[j])
                if not all(_blank(v) for v in row):
                    yield n, dict(zip(header, row, strict=False))
        finally:
            wb.close()
            formulas.close()

    return header, sheet_rows()


def open_table(path: Path, sheet: str | None, wanted: list[str], header_row: int | None, about: dict,
               problems: list[Problem]) -> Iterator[tuple[int, dict]] | None:
    """The file's rows through `read_table`, or None with what is wrong added to `problems`: a
    file that cannot be read, or columns the mapping names that its header does not have (the
    header row read and what it holds, so the officer sees what Alongside saw)."""
    name = path.name
    try:
        header, table = read_table(path, sheet, wanted, header_row, about)
    except (ValueError, OSError) as e:
        problems.append(Problem(name, None, None, None, str(e)))
        return None
    missing = [c for c in dict.fromkeys(wanted) if c not in header]
    if not missing:
        return table
    table.close()
    at = about.get("header_row", 1)
    where = (f"the header was read from row {at}" + (f" of sheet {about['sheet']!r}" if "sheet" in about
                                                       else "")
             + (f": {', '.join(h for h in header if h)[:200]}" if any(header) else ": a blank row"))
    hint = "" if header_row else (f" (no row among the first {HEADER_SEARCH} holds "
                                  f"{wanted[0]!r}: give header_row in the mapping)")
    problems.extend(Problem(name, at, c, None, f"the mapping names this column but the file has no such "
                            f"column; {where}{hint if c == wanted[0] else ''}") for c in missing)
    return None


def rows(path: str | Path, mapping: Mapping, codes: dict[str, set[str]], wards: set[str],
         today: date, problems: list[Problem], about: dict | None = None) -> Iterator[LegacyRow]:
    """Every row mapped to minimum-dataset values, one at a time, adding what is wrong with
    each to `problems` before it is given (a row with no usable ID is not given at all).

    `codes` holds the valid codes of each code list; `wards` the ONS codes of the council's wards;
    `about` is filled in with what was read (sheet, header row, encoding).
    """
    p = Path(path)
    name = p.name
    wanted = [mapping.key] + [c for cols in mapping.columns.values()
                              for c in (cols if isinstance(cols, list) else [cols])]
    about = about if about is not None else {}
    table = open_table(p, mapping.sheet, wanted, mapping.header_row, about, problems)
    if table is None:
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
        if isinstance(value, FormulaWithoutValue):
            bad(column, value, "a formula with no saved value (the workbook was never calculated): "
                               "open it in Excel and save it, or paste the values")
        elif isinstance(value, str) and value.strip() in EXCEL_ERRORS:
            bad(column, value, "the spreadsheet shows an error here (a formula that failed); "
                               "fix it in the spreadsheet")
        elif isinstance(value, str) and UNREADABLE in value:
            bad(column, value.replace(UNREADABLE, "?"),
                "a character here cannot be read: the file is not one text encoding throughout "
                "(UTF-8 or Windows-1252); retype it, or save the file as CSV UTF-8")
    # A cell refused above is not read again as a date or a code (one reason a cell, not two).
    raw = {c: None if isinstance(v, FormulaWithoutValue) or (isinstance(v, str) and UNREADABLE in v)
           else v for c, v in raw.items()}
    key = _text(raw.get(mapping.key))
    if not key:
        bad(mapping.key, "", "every row needs the council's own ID")
        return None
    if len(key) > MAX_LENGTH["key"]:
        bad(mapping.key, key, f"longer than the {MAX_LENGTH['key']} characters an ID may have")
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
            text = " ".join(t for c, v in cells if (t := _text(v)))
            if len(text) > MAX_LENGTH[fld]:
                bad(cells[0][0], text, f"{len(text)} characters, longer than the {MAX_LENGTH[fld]} "
                                       f"Alongside keeps for {fld.replace('_', ' ')}")
                text = ""
            row.values[fld] = text
    _check_dates(row, mapping, raw, bad)
    for fld in REQUIRED:
        col = mapping.column(fld)
        if not row.values.get(fld) and not any(pr.column == col for pr in problems[first:]):
            bad(col, "", f"{fld.replace('_', ' ')} is required")
    return row


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Spaces off, but a leading tab or carriage return kept: a cell written "\t=1+1" is text
    # someone guarded against a spreadsheet; stripping the tab would make it a formula.
    return str(value).rstrip().lstrip(" \u00a0")


# The longest text each field holds (the models' max_length): refused, never cut, and never left
# for PostgreSQL to stop the import with "value too long" and no row named.
MAX_LENGTH = {"key": 80, "given_name": 80, "family_name": 80, "introducing_organisation": 160}
EARLIEST_BIRTH = date(1900, 1, 1)
OLDEST = 110


def _check_dates(row: LegacyRow, mapping: Mapping, raw: dict, bad) -> None:
    """Dates that cannot all be true: born after the introduction, before 1900 or over 110 on
    the day of introduction; a status that says open beside a closed date or an exit."""
    v = row.values
    col = mapping.column
    born, introduced = v.get("birth_date"), v.get("introduced_on")
    if born:
        if born < EARLIEST_BIRTH:
            bad(col("birth_date"), born.isoformat(), "a birth date before 1900: check the year")
            v["birth_date"] = None
        elif introduced and born > introduced:
            bad(col("birth_date"), born.isoformat(),
                f"born after the introduction ({introduced.isoformat()}): check both dates")
            v["birth_date"] = None
        elif introduced and introduced.year - born.year - (
                (introduced.month, introduced.day) < (born.month, born.day)) > OLDEST:
            bad(col("birth_date"), born.isoformat(),
                f"over {OLDEST} years old on the day of the introduction: check the year")
            v["birth_date"] = None
    status = v.get("status")
    if status in ("active", "safe_waiting"):
        for fld, what in (("ended_on", "a closed date"), ("exit_outcome", "an exit outcome"),
                          ("exit_point", "an exit point")):
            if v.get(fld) and fld in mapping.columns:
                shown = raw.get(col(fld))
                shown = shown.date().isoformat() if isinstance(shown, datetime) else _text(shown)
                bad(col(fld), shown, f"the status says the engagement is still open ({status}) but "
                                     f"the row has {what}: correct one or the other")


def _date(value, fmt: str, today: date, bad) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    else:
        text = str(value).strip()
        # A date exported with its time of midnight ("03/02/2024 00:00") is still that date.
        for suffix in (" 00:00:00", " 00:00"):
            text = text.removesuffix(suffix)
        try:
            d = datetime.strptime(text, fmt).date()
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
    code = str(_lookup(mapping.values.get("ward") or {}, text) or text)
    if code not in wards:
        bad(column, text, f"not a ward of {mapping.council} (add it under values.ward with its ONS code)")
        return None
    return code


def _folded(text: str) -> str:
    """A spreadsheet's value as compared with the mapping: case and runs of spaces aside
    ("Social  Isolation" is "social isolation")."""
    return " ".join(str(text).split()).casefold()


def _lookup(table: dict, text: str):
    """The mapping's entry for a value, matched exactly or else case and spacing aside."""
    if text in table:
        return table[text]
    folded = _folded(text)
    return next((v for k, v in table.items() if _folded(k) == folded), None)


def _coded(fld: str, cells, mapping: Mapping, valid: set[str], bad):
    table = mapping.values.get(fld) or {}
    found: list[str] = []
    for column, value in cells:
        text = _text(value)
        parts = [t.strip() for t in text.split(mapping.split)] if fld == "reasons" else [text]
        for part in parts:
            if not part:
                continue
            mapped = _lookup(table, part)
            if mapped is None:
                mapped = part if part in valid else None
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
