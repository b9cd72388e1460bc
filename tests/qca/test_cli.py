"""The command line, run as a user would: real files, real processes, exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "examples" / "qca"
ALONGSIDE = [sys.executable, "-m", "alongside.cli"]


def qca(*args):
    return subprocess.run([*ALONGSIDE, "qca", *map(str, args)], capture_output=True, text=True,
                          timeout=60)


def test_minimize_prints_the_solution_as_r_does():
    r = qca("minimize", SHARED / "r-qca" / "LC.csv", "--outcome", "SURV", "--include", "?")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "M1: DEV*STB <=> SURV"


def test_json_output_is_one_object_with_the_documented_keys():
    r = qca("minimize", SHARED / "r-qca" / "LF.csv", "--outcome", "SURV", "--incl-cut", "0.8",
            "--include", "?", "--dir-exp", "DEV=1,URB=1,LIT=1,IND=1,STB=1", "--json")
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert set(obj) == {"truth_table", "solution"}
    model = obj["solution"]["models"][0]
    assert obj["solution"]["kind"] == "intermediate"
    assert model["expression"] == "DEV*URB*LIT*STB + DEV*LIT*~IND*STB"
    assert model["fit"] == {"inclS": 0.866, "PRI": 0.839, "covS": 0.66}


def test_truth_table_and_necessity_verbs():
    tt = qca("truth-table", SHARED / "r-qca" / "LC.csv", "--outcome", "SURV", "--json")
    assert [row["row"] for row in json.loads(tt.stdout)["rows"]] == [1, 2, 5, 6, 22, 23, 24, 31, 32]
    nec = qca("necessity", SHARED / "r-qca" / "CVF.csv", "--outcome", "~PROTEST", "--search",
              "--incl-cut", "0.9", "--cov-cut", "0.6")
    assert nec.returncode == 0
    assert nec.stdout.splitlines()[1].split() == ["NATPRIDE", "0.932", "0.622", "0.693"]


def test_calibrate_verb(tmp_path):
    raw = tmp_path / "heights.csv"
    raw.write_text("case,H\na,165\nb,175\nc,185\n")
    r = qca("calibrate", raw, "--conditions", "H", "--thresholds", "e=165,c=175,i=185")
    assert r.stdout.splitlines() == ["case,H", "a,0.050", "b,0.500", "c,0.950"]


@pytest.mark.parametrize("args,message", [
    (["truth-table", SHARED / "r-qca" / "LC.csv", "--outcome", "SURVIVAL"],
     "there is no column 'SURVIVAL'"),
    (["truth-table", SHARED / "LC.csv", "--outcome", "SURV"],
     "row 2, column DEV: 'Developed' is not a number"),
    (["truth-table", SHARED / "LF.csv", "--outcome", "SURV"],
     "row 3, column IND: 'Industrialized' is not a number"),
    (["truth-table", SHARED / "r-qca" / "CVR.csv", "--outcome", "PROTEST"],
     "column PROTEST: 1.46 is outside [0, 1]"),
    # multi-value data are read (issue 31); a multi-value outcome must say which value
    (["truth-table", SHARED / "r-qca" / "LM.csv", "--outcome", "DEV"],
     "say which to explain, as DEV[2]"),
    (["minimize", SHARED / "r-qca" / "LC.csv", "--outcome", "SURV", "--dir-exp", "XYZ=1",
      "--include", "?"], "'XYZ' is not one of the conditions"),
    (["minimize", SHARED / "nope.csv", "--outcome", "SURV"], "no such file"),
])
def test_bad_input_gets_a_clear_message_and_no_traceback(args, message):
    r = qca(*args)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_too_few_cases(tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("case,A,OUT\nx,1,1\n")
    r = qca("truth-table", one, "--outcome", "OUT")
    assert r.returncode == 2 and "needs at least 2" in r.stderr


def test_a_chart_too_big_for_the_direct_search_is_solved_by_the_integer_programme():
    # one step of direct search: the integer programme must find the same four
    # equally minimal models as the published CVF example (R QCA manual)
    r = qca("minimize", SHARED / "r-qca" / "CVF.csv", "--outcome", "PROTEST", "--incl-cut", "0.8",
            "--include", "?", "--max-steps", "1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("~NATPRIDE + DEMOC*GEOCON*POLDIS + (") == 4


def test_too_many_equally_minimal_models_are_counted_and_the_first_listed(monkeypatch):
    # CVF at incl.cut 0.8 has four equally minimal models (R QCA manual, minimize()
    # examples). With room for three, both searches list three and say what they left out.
    import importlib

    from alongside.evidence.qca import minimize, read_csv, truth_table
    mod = importlib.import_module("alongside.evidence.qca.minimize")
    monkeypatch.setattr(mod, "MAX_MODELS", 3)
    tt = truth_table(read_csv(SHARED / "r-qca" / "CVF.csv"), "PROTEST", incl_cut=0.8)
    direct = minimize(tt, include="?")  # the direct search counts all four
    assert len(direct.models) == 3
    assert (direct.search.count, direct.search.complete) == (4, True)
    assert "4 equally minimal models" in direct.search.note()
    programme = minimize(tt, include="?", max_steps=1)  # the integer programme stops at three
    assert len(programme.models) == 3
    assert (programme.search.count, programme.search.complete) == (3, False)
    assert "At least 3 equally minimal models" in str(programme)
    assert "To narrow it" in programme.as_dict()["note"]


# --- hostile data files ---------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alongside.evidence.qca.cli import main as qca_main  # noqa: E402

CELL = st.one_of(st.sampled_from(["0", "1", "0.5", "-", "?", "", "1e400", "nan", "-3", "2"]),
                 st.text(max_size=8))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=0, max_size=12),
       verb=st.sampled_from(["truth-table", "minimize", "necessity"]))
def test_any_csv_gets_an_answer_or_a_message_never_a_crash(tmp_path_factory, capsys, rows, verb):
    f = tmp_path_factory.mktemp("qca") / "data.csv"
    header = ["A", "B", "C", "D", "OUT"]
    f.write_text("\n".join(",".join(header[:max(len(r), 1)]) if i == 0 else ",".join(r)
                           for i, r in enumerate([header, *rows])), encoding="utf-8")
    code = qca_main([verb, str(f), "--outcome", "OUT"])       # an exception fails the test
    err = capsys.readouterr().err
    assert code in (0, 2)
    assert code == 0 or err.startswith("alongside qca: ")


def _noisy(k: int, n: int, seed: int = 1):
    """Seeded crisp data: an outcome from three conjunctions with a fifth of cases flipped,
    so the chart has hundreds of positive rows and no single explanation."""
    import numpy as np

    from alongside.evidence.qca import from_columns
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(n, k))
    out = np.zeros(n, dtype=bool)
    for _ in range(3):
        cols = rng.choice(k, size=int(rng.integers(2, 4)), replace=False)
        out |= np.all(x[:, cols] == rng.integers(0, 2, size=len(cols)), axis=1)
    out ^= rng.random(n) < 0.2
    names = [f"C{j + 1}" for j in range(k)]
    columns = {name: x[:, j].tolist() for j, name in enumerate(names)}
    columns["OUT"] = out.astype(int).tolist()
    return from_columns([str(i) for i in range(n)], columns), names


@pytest.mark.parametrize("time_limit", [0.01, 2])
def test_a_chart_too_big_to_settle_still_answers_with_what_it_found(time_limit):
    # 12 conditions x 1,000 noisy cases: no exact answer in seconds (R does not finish
    # either). Whatever the time allowed, the answer is models that do cover every positive
    # configuration, the smallest size found, a lower bound, and how to narrow the question.
    from alongside.evidence.qca import minimize, truth_table
    data, names = _noisy(12, 1000)
    tt = truth_table(data, "OUT", names, incl_cut=0.9)
    sol = minimize(tt, include="?", time_limit=time_limit)
    chart = sol.chart()
    positives = set(sol.chart_columns)
    assert sol.models and len(sol.models) <= 100
    for m in sol.models:
        assert len(m.terms) == sol.search.size
        assert set().union(*(chart[sol.term(t)] for t in m.terms)) == positives
    assert 1 <= sol.search.lower_bound <= sol.search.size
    assert not (sol.search.complete and sol.search.proven)
    note = sol.as_dict()["note"]
    assert "raise the inclusion cut-off" in note and "To narrow it" in note
    assert str(sol).startswith(note)
