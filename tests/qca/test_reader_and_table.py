"""The columnar CSV reader (pyarrow) and the grouped truth table.

The reader must give the same data as the row-by-row reader, and for bad input the same
message, naming the row and column; the truth table, built by grouping cases by key, must
give the numbers worked out by hand below.
"""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.evidence.qca import QCAError, read_csv, truth_table
from alongside.evidence.qca import data as qca_data
from alongside.evidence.qca.data import read_csv_columnar, read_csv_rows


@pytest.fixture(params=["columnar", "rows"])
def reader(request, monkeypatch):
    """read_csv as the command line calls it, with the columnar reader taking every file
    (as it does from COLUMNAR_FROM bytes) or none."""
    monkeypatch.setattr(qca_data, "COLUMNAR_FROM", 0 if request.param == "columnar" else 2 ** 62)
    return read_csv


def write(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    f = tmp_path / name
    f.write_bytes(text.encode(encoding))
    return f


def message(reader, f: Path) -> str:
    with pytest.raises(QCAError) as e:
        reader(f)
    return str(e.value)


# --- the same messages as before, with row and column ---------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("case,A,OUT\nx,1,1\ny,abc,0\n",
     "{f}, row 3, column A: 'abc' is not a number (calibrate text categories to set scores first)"),
    ("case,A,OUT\nx,1,1\ny,,0\n",  # a blank cell
     "{f}, row 3, column A: '' is not a number (calibrate text categories to set scores first)"),
    ("case,A,OUT\nx,1,1\ny,1,NaN\n", "{f}, row 3, column OUT: the value is missing"),
    ("case,A,OUT\nx,1,1\ny,0\n", "{f}, row 3: 2 cells where the header has 3"),
    ("case,A,OUT\nx,1,1\ny,0,1,1\n", "{f}, row 3: 4 cells where the header has 3"),
    ("case,A,A\nx,1,1\ny,0,1\n", "{f}: a column name appears twice in the header"),
    ("", "{f}: the file is empty"),
    # blank rows are left out of the numbering, as before
    ("case,A,OUT\nx,1,1\n\n , \t,  \ny,high,0\n",
     "{f}, row 3, column A: 'high' is not a number (calibrate text categories to set scores first)"),
    # every bad cell, row by row, up to five
    ("case,A,OUT\n" + "".join(f"c{i},?,{i % 2}\n" for i in range(7)),
     "\n".join(f"{{f}}, row {i + 2}, column A: '?' is not a number (calibrate text categories to "
               "set scores first)" for i in range(5)) + "\n… and 2 more"),
])
def test_bad_input_gets_the_same_message_as_before(tmp_path, reader, text, expected):
    f = write(tmp_path, text)
    assert message(reader, f) == expected.format(f=f)


def test_scores_outside_0_1_and_a_missing_column_name_the_row_and_column(tmp_path, reader):
    f = write(tmp_path, "case,A,B,OUT\nx,0.2,1,1\ny,1.5,0,0\nz,0.9,1,1\n")
    data = reader(f)
    with pytest.raises(QCAError, match=r"row 3, column A: 1.5 is outside \[0, 1\]"):
        truth_table(data, "OUT", ["A", "B"])
    with pytest.raises(QCAError, match=r"there is no column 'C' \(columns: A, B, OUT\)"):
        truth_table(data, "OUT", ["C"])


def test_a_duplicate_case_name_is_kept_as_before(tmp_path, reader):
    # R's read.csv(row.names = 1) refuses it; this reader never has, and still does not
    data = reader(write(tmp_path, "case,A,OUT\nx,1,1\nx,0,0\n"))
    assert data.cases == ["x", "x"]


def test_a_missing_file(tmp_path, reader):
    assert message(reader, tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: no such file"


def test_encodings_line_endings_and_quotes_read_as_before(tmp_path, reader):
    bom = write(tmp_path, "\ufeffcase,A,OUT\r\nx,1,1\r\ny,0,0\r\n", "bom.csv")
    data = reader(bom)
    assert list(data.columns) == ["A", "OUT"] and data.cases == ["x", "y"]
    # as R's write.csv writes it: everything quoted, an empty name for the row names
    r = write(tmp_path, '"","A","OUT"\n"Côte, d\'Ivoire",0.25,1\n"a ""b""",1,0\n', "r.csv")
    data = reader(r)
    assert data.cases == ["Côte, d'Ivoire", 'a "b"']
    assert data.columns["A"].tolist() == [0.25, 1.0]
    # spaces around numbers, exponents, old Mac line ends
    data = reader(write(tmp_path, "case, A ,OUT\rx, 1e-1 ,1\ry,+1.,0\r", "cr.csv"))
    assert data.columns["A"].tolist() == [0.1, 1.0]


def test_a_large_file_is_read_by_columns_and_still_names_the_bad_row(tmp_path, monkeypatch):
    n = 40_000
    rng = np.random.default_rng(3)
    x = rng.integers(0, 2, size=(n, 4))
    lines = ["case,A,B,C,OUT"] + [f"case {i}," + ",".join(map(str, row)) for i, row in
                                  enumerate(x.tolist())]
    good = write(tmp_path, "\n".join(lines) + "\n", "good.csv")
    assert good.stat().st_size >= qca_data.COLUMNAR_FROM
    columnar = read_csv_columnar(good)
    assert columnar is not None
    rows = read_csv_rows(good)
    assert columnar.cases == rows.cases and columnar.source == rows.source
    assert all(np.array_equal(columnar.columns[c], rows.columns[c]) for c in rows.columns)
    lines[30_000] = lines[30_000].rsplit(",", 1)[0] + ",yes"  # row 30,001: the header is row 1
    bad = write(tmp_path, "\n".join(lines) + "\n", "bad.csv")
    assert read_csv_columnar(bad) is None
    assert message(read_csv, bad) == (f"{bad}, row 30001, column OUT: 'yes' is not a number "
                                      "(calibrate text categories to set scores first)")


CELL = st.one_of(
    st.sampled_from(["0", "1", "0.5", " 1", "1 ", "", " ", "nan", "NaN", "inf", "-0", "1e400",
                     "1_0", ".5", "5.", "+1", "1e-3", '"1"', '"x,y"', '"a""b"', 'a"b', '"ab"c',
                     '"x\ny"', "\u0663", "\t0"]),
    st.floats(allow_nan=False).map(repr),
    st.text(alphabet='01.e-+ ,"x\n\r', max_size=6))


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.sampled_from(["case,A,OUT", '"","A","OUT"', "\ufeffcase,A,OUT", "case,A,A",
                               "case", 'case,"A\nB",OUT']),
       rows=st.lists(st.lists(CELL, min_size=1, max_size=4), max_size=6),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_the_columnar_reader_agrees_with_the_row_reader_on_any_file(tmp_path_factory, header,
                                                                   rows, newline):
    f = tmp_path_factory.mktemp("csv") / "any.csv"
    f.write_text(newline.join([header, *(",".join(r) for r in rows)]), encoding="utf-8",
                 newline="")
    columnar = read_csv_columnar(f)
    if columnar is None:
        return  # the row reader decides: the answer or the message is the one it always gave
    rows_data = read_csv_rows(f)  # must not fail where the columnar reader succeeded
    assert columnar.cases == rows_data.cases
    assert list(columnar.columns) == list(rows_data.columns)
    for name, values in rows_data.columns.items():
        assert columnar.columns[name].tobytes() == values.tobytes()  # to the last bit


# --- the truth table, grouped by key, against a hand calculation ----------------------------------

FUZZY = "case,A,B,Y\na,0.8,0.3,0.9\nb,0.6,0.9,0.4\nc,0.2,0.1,0.3\nd,0.7,0.2,0.6\n"


def test_fuzzy_truth_table_equals_the_hand_calculation(tmp_path, reader):
    """Each case's row: A and B above 0.5 or not. a (1,0) → row 3; b (1,1) → row 4;
    c (0,0) → row 1; d (1,0) → row 3. Every case counts towards every row's scores:

    row 1, ~A*~B: X = min(1-A, 1-B) = 0.2, 0.1, 0.8, 0.3 (sum 1.4)
                  min(X, Y) = 0.2, 0.1, 0.3, 0.3 (sum 0.9)        incl = 0.9/1.4 = 0.642857
                  min(X, Y, 1-Y) = 0.1, 0.1, 0.3, 0.3 (sum 0.8)   PRI = 0.1/0.6 = 0.166667
    row 3, A*~B:  X = min(A, 1-B) = 0.7, 0.1, 0.2, 0.7 (sum 1.7)
                  min(X, Y) = 0.7, 0.1, 0.2, 0.6 (sum 1.6)        incl = 1.6/1.7 = 0.941176
                  min(X, Y, 1-Y) = 0.1, 0.1, 0.2, 0.4 (sum 0.8)   PRI = 0.8/0.9 = 0.888889
    row 4, A*B:   X = min(A, B) = 0.3, 0.6, 0.1, 0.2 (sum 1.2)
                  min(X, Y) = 0.3, 0.4, 0.1, 0.2 (sum 1.0)        incl = 1.0/1.2 = 0.833333
                  min(X, Y, 1-Y) = 0.1, 0.4, 0.1, 0.2 (sum 0.8)   PRI = 0.2/0.4 = 0.5
    At incl_cut 0.8 rows 3 and 4 are positive; with pri_cut 0.6 row 4 is not (PRI 0.5)."""
    data = reader(write(tmp_path, FUZZY))
    tt = truth_table(data, "Y", ["A", "B"], incl_cut=0.8)
    assert tt.kind == "fuzzy"
    got = [(r.number, r.values, r.out, r.n, r.cases) for r in tt.rows]
    assert got == [(1, (0, 0), "0", 1, ["c"]), (3, (1, 0), "1", 2, ["a", "d"]),
                   (4, (1, 1), "1", 1, ["b"])]
    expected = {1: (0.9 / 1.4, 0.1 / 0.6), 3: (1.6 / 1.7, 0.8 / 0.9), 4: (1.0 / 1.2, 0.2 / 0.4)}
    for r in tt.rows:
        assert (r.incl, r.pri) == pytest.approx(expected[r.number], abs=1e-12)
    assert [r.out for r in truth_table(data, "Y", ["A", "B"], incl_cut=0.8, pri_cut=0.6).rows] \
        == ["0", "1", "0"]


def test_a_case_at_0_5_joins_no_row_but_counts_towards_every_score(tmp_path):
    """Case e (A = 0.5) is in no row. Row 3 (A*~B) gains min(0.5, 1-0.1) = 0.5 in X and
    min(0.5, Y=0.2) = 0.2 in min(X, Y): incl = (1.6 + 0.2)/(1.7 + 0.5) = 1.8/2.2."""
    f = write(tmp_path, FUZZY + "e,0.5,0.1,0.2\n")
    rows = {r.number: r for r in truth_table(read_csv(f), "Y", ["A", "B"]).rows}
    assert sorted(rows) == [1, 3, 4] and sum(r.n for r in rows.values()) == 4
    assert rows[3].incl == pytest.approx(1.8 / 2.2, abs=1e-12)


def test_crisp_truth_table_equals_the_hand_calculation(tmp_path, reader):
    """Cases (A, B, C → Y): p, q, r (1,0,1) with Y 1, 0, 1 → row 1 + 0b101 = 6, n 3,
    incl = PRI = 2/3; s, u (0,0,0) with Y 0, 0 → row 1, n 2, incl 0; t (1,1,1) with Y 1 →
    row 8, n 1, incl 1. At incl_cut 0.6 rows 6 and 8 are positive; n_cut 2 removes row 8;
    the complete table adds remainders 2, 3, 4, 5, 7 (and, with n_cut 2, 8)."""
    text = "case,A,B,C,Y\np,1,0,1,1\nq,1,0,1,0\nr,1,0,1,1\ns,0,0,0,0\nt,1,1,1,1\nu,0,0,0,0\n"
    data = reader(write(tmp_path, text))
    tt = truth_table(data, "Y", ["A", "B", "C"], incl_cut=0.6)
    assert tt.kind == "crisp"
    assert [(r.number, r.values, r.out, r.n, r.incl, r.pri, r.cases) for r in tt.rows] == [
        (1, (0, 0, 0), "0", 2, 0.0, 0.0, ["s", "u"]),
        (6, (1, 0, 1), "1", 3, 2 / 3, 2 / 3, ["p", "q", "r"]),
        (8, (1, 1, 1), "1", 1, 1.0, 1.0, ["t"])]
    cut = truth_table(data, "Y", ["A", "B", "C"], incl_cut=0.6, n_cut=2, complete=True)
    assert [(r.number, r.out, r.n) for r in cut.rows] == [
        (1, "0", 2), (2, "?", 0), (3, "?", 0), (4, "?", 0), (5, "?", 0), (6, "1", 3),
        (7, "?", 0), (8, "?", 0)]
    assert [(r.number, r.out, r.cases) for r in cut.removed] == [(8, "?", ["t"])]
    negated = truth_table(data, "~Y", ["A", "B", "C"], incl_cut=0.3)
    assert [(r.number, r.out) for r in negated.rows] == [(1, "1"), (6, "1"), (8, "0")]
    assert math.isclose(negated.rows[1].incl, 1 / 3)


# --- bench/qca.py: the parts that run without R --------------------------------------------------

def _bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "qca.py"
    spec = importlib.util.spec_from_file_location("bench_qca", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_says_when_r_is_absent():
    bench = _bench()
    assert bench.r_available(which=lambda name: None) == (
        False, "Rscript is not on PATH: R QCA skipped")

    class Failed:
        returncode, stdout, stderr = 1, "", "Error in library(QCA) : there is no package"

    ok, why = bench.r_available(which=lambda name: "/usr/bin/Rscript", run=lambda *a, **k: Failed)
    assert not ok and "no QCA package" in why

    class Ran:
        returncode, stdout, stderr = 0, "3.23", ""

    assert bench.r_available(which=lambda n: "/usr/bin/Rscript", run=lambda *a, **k: Ran) == (
        True, "R QCA 3.23")


def test_bench_compares_models_in_either_spelling():
    bench = _bench()
    names = ["C1", "C2", "C3"]
    r = bench.parse_r_output("QCA 3.23 \n~C1*C2 + C3\nc1*C2 + ~C2*C3\n", names)
    assert r == [frozenset({"~C1*C2", "C3"}), frozenset({"~C1*C2", "~C2*C3"})]
    ours = [frozenset({"~C1*C2", "C3"}), frozenset({"~C1*C2", "~C2*C3"})]
    assert bench.compare_models(ours, 2, True, r) == "same (2 models)"
    assert bench.compare_models(ours[:1], 2, True, r).startswith("same (2 models; the 1 listed")
    assert bench.compare_models(ours, 3, True, r).startswith("DIFFERENT")
    assert bench.compare_models([frozenset({"C1"})], 1, True, r).startswith("DIFFERENT")


def test_bench_csv_reads_back_as_the_data(tmp_path):
    bench = _bench()
    data, names = bench.make_data(4, 300, seed=2)
    f = tmp_path / "bench.csv"
    bench.write_csv(data, f)
    for read in (read_csv_rows, read_csv_columnar):
        back = read(f)
        assert back.cases == data.cases
        assert all(np.array_equal(back.columns[c], data.columns[c]) for c in data.columns)


def test_bench_runs_a_cell_and_skips_r_when_it_is_absent(monkeypatch, capsys):
    bench = _bench()
    absent = bench.r_available
    monkeypatch.setattr(bench, "r_available", lambda: absent(which=lambda name: None))
    bench.main(["--conditions", "3", "--cases", "60", "--repeat", "1", "--against-r",
                "--time-limit", "5"])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Rscript is not on PATH: R QCA skipped"
    assert out[2].split()[:3] == ["conditions", "cases", "rows"]
    cell = out[3].split()
    assert cell[:2] == ["3", "60"] and out[3].endswith("R not run")


def test_a_file_that_is_not_utf_8_names_its_row(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("case,A,OUT\nx,1,1\nJos\xe9,0,1\n".encode("cp1252"))
    with pytest.raises(QCAError, match=r"cases.csv, row 3: not UTF-8 text \(byte 0xE9\); save the file as "
                                       "CSV UTF-8"):
        read_csv(path)
