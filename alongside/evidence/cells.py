"""Cells for a spreadsheet: what Alongside writes to CSV or XLSX never runs as a formula.

A spreadsheet treats a cell starting with `=`, `+`, `-` or `@` as a formula (and some a tab or
carriage return before one), so recorded text such as `=HYPERLINK("http://x","y")` or
`=cmd|' /C calc'!A0` could run when a downloaded CSV is opened ("CSV injection"). As OWASP
recommends, a text cell starting with any of those six characters is written with a single
quote before it: the spreadsheet shows it as text, and the quote says it was changed.

Only text is changed. A cell is text when its value is a `str`; numbers (`int`, `float`,
`Decimal`), dates, booleans and empty cells are written as they are, so -5 in a numeric column
stays -5. The council's export on PostgreSQL does the same in SQL on its text columns
(`alongside/dataset/export.py`), so both databases write the same file.

`writer` is `csv.writer` doing that to every row (and quoting a carriage return, which
Python's csv module leaves bare with "\n" line endings).

XLSX keeps the text as it is, with no quote: `xlsx_row` gives openpyxl each text cell as a
string cell, which Excel never evaluates (openpyxl would otherwise write a string starting
with `=` as a formula, and one such as `#N/A` as an error).

No Django here: the evidence library writes CSV too (`economics.ccf`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell safe to open in a spreadsheet: `'` before one starting with `=`, `+`, `-`,
    `@`, a tab or a carriage return; any other value (a number, a date, None) unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def neutralised(row: Iterable) -> list:
    """A CSV row with every text cell neutralised."""
    return [neutralise(v) for v in row]


class Writer:
    """`csv.writer` whose every text cell is neutralised, and quoted when it holds a carriage
    return. Python's csv module quotes a field only for the characters of its own line ending,
    so with "\n" endings it wrote a lone "\r" bare, and a spreadsheet started a new row there
    (`x\r=1+1` gave a cell `=1+1`); PostgreSQL's COPY quotes it, and so does this."""

    def __init__(self, f, lineterminator: str = "\r\n"):
        self._f = f
        self._plain = csv.writer(f, lineterminator=lineterminator)
        self._end = lineterminator
        self._quoting = None  # made the first time a cell holds "\r" (rarely)

    def writerow(self, row: Iterable) -> None:
        out, cr = [], False
        for v in row:
            if isinstance(v, str):
                if v.startswith(TRIGGERS):
                    v = "'" + v
                cr = cr or "\r" in v
            out.append(v)
        if not cr or "\r" in self._end:
            self._plain.writerow(out)
            return
        if self._quoting is None:
            self._buf = io.StringIO()
            # "\r" in the line ending makes the writer quote it; the extra "\r" is cut off below.
            self._quoting = csv.writer(self._buf, lineterminator=self._end + "\r")
        self._buf.seek(0)
        self._buf.truncate()
        self._quoting.writerow(out)
        self._f.write(self._buf.getvalue()[:-1])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for r in rows:
            self.writerow(r)


def writer(f, lineterminator: str = "\r\n") -> Writer:
    """A CSV writer for a file people open in a spreadsheet (see Writer)."""
    return Writer(f, lineterminator)


def xlsx_row(sheet, row: Iterable) -> list:
    """A row for openpyxl's `append` in which no text cell is a formula or an error: text that
    openpyxl would take for one becomes a cell of data type "s" (string), its text unchanged."""
    out = []
    for v in row:
        if isinstance(v, str) and v[:1] in ("=", "#"):
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(sheet, v)
            cell.data_type = "s"
            v = cell
        out.append(v)
    return out
