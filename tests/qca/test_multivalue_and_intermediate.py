"""Multi-value QCA, conjunctural directional expectations, intermediate solutions per
conservative x parsimonious pair, R's "essential" and the model-ambiguity table.

Expected values are those printed by R QCA 3.25.1 (Dusa) for the calls quoted beside each
test; the same calls are the examples of minimize() in the package's help pages and in
Dusa (2019) *QCA with R*, chapters 7-8 (LM: Lipset's data, multi-value; LF/LC: fuzzy and
crisp; CVF: Cebotari & Vink 2013). Nothing here was produced by running Alongside first.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alongside.evidence.qca import QCAError, minimize, read_csv, truth_table

DATA = Path(__file__).resolve().parents[2] / "examples" / "qca" / "r-qca"
LM_CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]


def data(name):
    return read_csv(DATA / f"{name}.csv")


@pytest.fixture(scope="module")
def lm_tt():
    return truth_table(data("LM"), "SURV", LM_CONDITIONS)


def expressions(solution):
    return [sorted(solution.term(t) for t in m.terms) for m in solution.models]


def groups(solution):
    """{"C1P1, C1P3": [terms]} from the intermediate solution, as R prints "From C1P1, C1P3:"."""
    out = {}
    for labels, models in solution.groups():
        for m in models:
            out[", ".join(labels)] = sorted(solution.term(t) for t in m.terms)
    return out


def test_multi_value_truth_table(lm_tt):
    # truthTable(LM, SURV, conditions = "DEV, URB, LIT, IND, STB"): DEV has levels 0, 1, 2,
    # so the rows are numbered in mixed radix 3*2*2*2*2 (DEV most significant), from 1.
    assert lm_tt.levels == [3, 2, 2, 2, 2]
    got = [(r.number, r.out, r.n) for r in lm_tt.rows]
    assert got == [(1, "0", 3), (2, "0", 2), (5, "0", 2), (6, "0", 1), (22, "1", 2),
                   (23, "0", 1), (31, "0", 1), (32, "1", 1), (40, "1", 2), (48, "1", 3)]


def test_multi_value_conservative_and_parsimonious(lm_tt):
    # minimize(ttLM): M1: DEV[2]*LIT[1]*IND[1]*STB[1] + DEV[1]*URB[0]*LIT[1]*IND[0]*STB[1] +
    #                     DEV[1]*URB[1]*LIT[1]*IND[1]*STB[1] <-> SURV[1]
    conservative = minimize(lm_tt)
    assert conservative.outcome == "SURV[1]"
    assert expressions(conservative) == [sorted([
        "DEV[2]*LIT[1]*IND[1]*STB[1]", "DEV[1]*URB[0]*LIT[1]*IND[0]*STB[1]",
        "DEV[1]*URB[1]*LIT[1]*IND[1]*STB[1]"])]
    # minimize(ttLM, include = "?"):
    # M1: DEV[2] + DEV[1]*STB[1]; M2: DEV[1]*IND[0] + IND[1]*STB[1]; M3: DEV[1]*STB[1] + IND[1]*STB[1]
    parsimonious = minimize(lm_tt, include="?")
    assert expressions(parsimonious) == [["DEV[1]*STB[1]", "DEV[2]"],
                                         ["DEV[1]*IND[0]", "IND[1]*STB[1]"],
                                         ["DEV[1]*STB[1]", "IND[1]*STB[1]"]]
    assert [m.name for m in parsimonious.models] == ["M1", "M2", "M3"]


def test_model_ambiguity_table(lm_tt):
    # minimize(ttLM, include = "?", details = TRUE) prints one table of every term:
    #                   inclS   PRI   covS   covU   (M1)   (M2)   (M3)
    # 1         DEV[2]  1.000  1.000  0.625  0.000  0.625
    # 2  DEV[1]*IND[0]  1.000  1.000  0.250  0.000         0.250
    # 3  DEV[1]*STB[1]  1.000  1.000  0.375  0.000  0.375         0.250
    # 4  IND[1]*STB[1]  1.000  1.000  0.750  0.000         0.750  0.625
    solution = minimize(lm_tt, include="?")
    terms = solution.as_dict()["terms"]
    got = {t["term"]: (round(t["covS"], 3), round(t["covU"], 3),
                       {m: round(v, 3) for m, v in t["models"].items()}) for t in terms}
    assert list(got) == ["DEV[2]", "DEV[1]*IND[0]", "DEV[1]*STB[1]", "IND[1]*STB[1]"]
    assert got == {
        "DEV[2]": (0.625, 0.0, {"M1": 0.625}),
        "DEV[1]*IND[0]": (0.25, 0.0, {"M2": 0.25}),
        "DEV[1]*STB[1]": (0.375, 0.0, {"M1": 0.375, "M3": 0.25}),
        "IND[1]*STB[1]": (0.75, 0.0, {"M2": 0.75, "M3": 0.625}),
    }
    text = str(solution)
    assert "(M1)" in text and "(M3)" in text


def test_intermediate_with_multi_value_expectations(lm_tt):
    # minimize(ttLM, include = "?", dir.exp = "DEV[1,2], URB[1], LIT[1], IND[1], STB[1]")
    # From C1P1, C1P3:  M1: DEV[1]*LIT[1]*STB[1] + DEV[2]*LIT[1]*IND[1]*STB[1]
    # From C1P2:        M1: DEV[1]*URB[1]*LIT[1]*STB[1] + DEV[2]*LIT[1]*IND[1]*STB[1] +
    #                       DEV[1]*LIT[1]*IND[0]*STB[1]
    # rownames(i.sol$C1P1$EC) "24" "30"; rownames(i.sol$C1P2$EC) "30"
    solution = minimize(lm_tt, "?", "DEV[1,2], URB[1], LIT[1], IND[1], STB[1]")
    assert groups(solution) == {
        "C1P1, C1P3": ["DEV[1]*LIT[1]*STB[1]", "DEV[2]*LIT[1]*IND[1]*STB[1]"],
        "C1P2": ["DEV[1]*LIT[1]*IND[0]*STB[1]", "DEV[1]*URB[1]*LIT[1]*STB[1]",
                 "DEV[2]*LIT[1]*IND[1]*STB[1]"],
    }
    ec = {p.label: p.easy_counterfactuals for p in solution.pairs}
    assert ec["C1P1"] == [24, 30] and ec["C1P2"] == [30] and ec["C1P3"] == [24, 30]
    assert "From C1P1, C1P3:" in str(solution)


def test_intermediate_with_a_few_multi_value_expectations(lm_tt):
    # minimize(ttLM, include = "?", dir.exp = c(DEV[1], STB[1]))
    # From C1P1:        the conservative solution (no easy counterfactuals)
    # From C1P2, C1P3:  M1: LIT[1]*IND[1]*STB[1] + DEV[1]*URB[0]*LIT[1]*STB[1]; EC 8, 16, 24
    solution = minimize(lm_tt, "?", "c(DEV[1], STB[1])")
    assert groups(solution) == {
        "C1P1": sorted(["DEV[2]*LIT[1]*IND[1]*STB[1]", "DEV[1]*URB[0]*LIT[1]*IND[0]*STB[1]",
                        "DEV[1]*URB[1]*LIT[1]*IND[1]*STB[1]"]),
        "C1P2, C1P3": ["DEV[1]*URB[0]*LIT[1]*STB[1]", "LIT[1]*IND[1]*STB[1]"],
    }
    ec = {p.label: p.easy_counterfactuals for p in solution.pairs}
    assert ec == {"C1P1": [], "C1P2": [8, 16, 24], "C1P3": [8, 16, 24]}


def test_conjunctural_expectations_fuzzy():
    # ttLF <- truthTable(LF, SURV, incl.cut = 0.8)
    # minimize(ttLF, include = "?", dir.exp = c(DEV, STB, ~LIT*IND))
    # From C1P1: M1: DEV*URB*STB + DEV*~IND*STB -> SURV; EC rows 18, 26, 28, 30
    tt = truth_table(data("LF"), "SURV", None, 0.8)
    solution = minimize(tt, "?", "c(DEV, STB, ~LIT*IND)")
    assert groups(solution) == {"C1P1": ["DEV*URB*STB", "DEV*~IND*STB"]}
    assert solution.pairs[0].easy_counterfactuals == [18, 26, 28, 30]


def test_conjunctural_expectations_crisp():
    # minimize(truthTable(LC, SURV), include = "?", dir.exp = c(DEV, STB, ~LIT*IND))
    # From C1P1: M1: DEV*STB <-> SURV; EC rows 18, 20, 26, 28, 30
    tt = truth_table(data("LC"), "SURV")
    solution = minimize(tt, "?", "c(DEV, STB, ~LIT*IND)")
    assert groups(solution) == {"C1P1": ["DEV*STB"]}
    assert solution.pairs[0].easy_counterfactuals == [18, 20, 26, 28, 30]


def test_intermediate_from_several_parsimonious_models():
    # minimize(truthTable(CVF, PROTEST, incl.cut = 0.85), include = "?",
    #          dir.exp = c(DEMOC, ETHFRACT, ~NATPRIDE))
    # From C1P1, C1P2: M1: DEMOC*ETHFRACT*GEOCON + DEMOC*GEOCON*POLDIS +
    #   ETHFRACT*GEOCON*~NATPRIDE + GEOCON*~POLDIS*~NATPRIDE + DEMOC*ETHFRACT*POLDIS*~NATPRIDE
    # EC rows 13, 21, 23 for both pairs
    tt = truth_table(data("CVF"), "PROTEST", None, 0.85)
    solution = minimize(tt, "?", "c(DEMOC, ETHFRACT, ~NATPRIDE)")
    assert groups(solution) == {"C1P1, C1P2": sorted([
        "DEMOC*ETHFRACT*GEOCON", "DEMOC*GEOCON*POLDIS", "ETHFRACT*GEOCON*~NATPRIDE",
        "GEOCON*~POLDIS*~NATPRIDE", "DEMOC*ETHFRACT*POLDIS*~NATPRIDE"])}
    assert {p.label: p.easy_counterfactuals for p in solution.pairs} == \
        {"C1P1": [13, 21, 23], "C1P2": [13, 21, 23]}
    pairs = solution.as_dict()["pairs"]
    assert [p["label"] for p in pairs] == ["C1P1", "C1P2"]
    assert len({p["conservative"] for p in pairs}) == 1
    assert len({p["parsimonious"] for p in pairs}) == 2


def test_essential_means_in_every_model():
    # R's writeSolution calls a term essential when it is in every model, and prints it
    # first, outside the brackets. On LM's three parsimonious models no term is in all
    # three, so none is essential.
    lm = minimize(truth_table(data("LM"), "SURV", LM_CONDITIONS), include="?")
    assert all(not m.essential for m in lm.models)
    assert all(term["essential"] is False for m in lm.as_dict()["models"] for term in m["terms"])


def test_essential_terms_of_cebotari_and_vink():
    # minimize(truthTable(CVF, PROTEST, incl.cut = 0.85), include = "?") prints
    # M1: ~NATPRIDE + DEMOC*GEOCON*POLDIS + (DEMOC*ETHFRACT*GEOCON) -> PROTEST
    # M2: ~NATPRIDE + DEMOC*GEOCON*POLDIS + (DEMOC*ETHFRACT*~POLDIS) -> PROTEST
    tt = truth_table(data("CVF"), "PROTEST", None, 0.85)
    solution = minimize(tt, include="?")
    for m in solution.models:
        assert sorted(solution.term(t) for t in m.essential) == ["DEMOC*GEOCON*POLDIS", "~NATPRIDE"]
    lines = str(solution).splitlines()
    assert lines[0].startswith("M1: ~NATPRIDE + DEMOC*GEOCON*POLDIS + (DEMOC*ETHFRACT*GEOCON)")
    assert lines[1].startswith("M2: ~NATPRIDE + DEMOC*GEOCON*POLDIS + (DEMOC*ETHFRACT*~POLDIS)")
    models = solution.as_dict()["models"]
    assert [t["essential"] for t in models[0]["terms"]] == [True, True, False]


@pytest.mark.parametrize("dir_exp, message", [
    ("c(DEV[3])", "no value 3"),
    ("c(DEV, STB)", "DEV is multi-value"),
    ("c(DEV[1], FOO)", "not one of the conditions"),
])
def test_bad_directional_expectations_are_refused(lm_tt, dir_exp, message):
    with pytest.raises(QCAError, match=message):
        minimize(lm_tt, "?", dir_exp)


def test_expectations_that_cancel_out_are_refused():
    # admisc::simplify("DEV + ~DEV") is the tautology; R stops on such a dir.exp too
    with pytest.raises(QCAError, match="cancel each other out"):
        minimize(truth_table(data("LC"), "SURV"), "?", "c(DEV, ~DEV)")


def test_multi_value_outcome_needs_its_value():
    # LM's SURV is crisp, but an outcome with three values must say which one to explain
    with pytest.raises(QCAError, match=r"say which to explain, as DEV\[2\]"):
        truth_table(data("LM"), "DEV", ["URB", "LIT", "IND", "STB"])
    tt = truth_table(data("LM"), "DEV[2]", ["URB", "LIT", "IND", "STB"])
    assert tt.outcome == "DEV[2]"


def test_command_line_json_has_pairs_and_levels():
    r = subprocess.run([sys.executable, "-m", "alongside.evidence.qca", "minimize",
                        str(DATA / "LM.csv"), "--outcome", "SURV", "--conditions",
                        ",".join(LM_CONDITIONS), "--include", "?", "--dir-exp",
                        "DEV[1,2], URB[1], LIT[1], IND[1], STB[1]", "--json"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["truth_table"]["levels"] == {"DEV": 3, "URB": 2, "LIT": 2, "IND": 2, "STB": 2}
    assert [p["label"] for p in out["solution"]["pairs"]] == ["C1P1", "C1P2", "C1P3"]
    assert out["solution"]["outcome"] == "SURV[1]"


def test_a_fuzzy_condition_beside_a_multi_value_one_keeps_fuzzy_inclusion():
    """Mixed data: A multi-value, B and Y fuzzy. Inclusion must be sum(min(X, Y)) / sum(X)
    over every case's membership in the row, not the crisp share of the row's cases.
    Hand calculation, row 1 (A[0]*B[0], memberships min(A == 0, 1 - B)):
      X = 0.2 (case 1), 0.7 (case 2), 0 for the rest; min(X, Y) = 0.2, 0.4
      incl = 0.6 / 0.9 = 0.667; min(X, Y, 1 - Y) = 0.2, 0.4, so PRI = (0.6 - 0.6) / (0.9 - 0.6) = 0
    row 2 (A[0]*B[1], memberships min(A == 0, B)): X = 0.8, 0.3; min(X, Y) = 0.7, 0.3
      incl = 1.0 / 1.1 = 0.909; min(X, Y, 1 - Y) = 0.3, 0.3, so PRI = (1.0 - 0.6) / (1.1 - 0.6) = 0.8
    (The crisp share would give row 1 the outcome of its one case, 0.4.)"""
    from alongside.evidence.qca import from_columns

    d = from_columns([f"C{i}" for i in range(1, 7)],
                     {"A": [0, 0, 1, 1, 2, 2], "B": [0.8, 0.3, 0.9, 0.6, 0.2, 0.7],
                      "Y": [0.7, 0.4, 0.6, 0.9, 0.1, 0.8]}, source="mixed")
    tt = truth_table(d, "Y", ["A", "B"], incl_cut=0.8)
    rows = {r.number: r for r in tt.rows}
    assert rows[1].cases == ["C2"] and rows[2].cases == ["C1"]
    assert rows[1].incl == pytest.approx(0.6 / 0.9) and rows[1].pri == pytest.approx(0.0)
    assert rows[2].incl == pytest.approx(1.0 / 1.1) and rows[2].pri == pytest.approx(0.8)
    assert rows[1].out == "0" and rows[2].out == "1"


def test_models_without_essential_terms_print_without_brackets():
    """R's print.R brackets the non-essential terms only when a model has essential ones
    (`if (length(x$i.sol[[i]]$essential) > 0)`). The cyclic chart of f(A, B, C) = Σm(0, 1, 2,
    5, 6, 7) has two minimal covers and no essential prime implicant:
    ~A*~B + B*~C + A*C and ~A*~C + ~B*C + A*B."""
    from alongside.evidence.qca import from_columns

    rows = [(a, b, c) for a in (0, 1) for b in (0, 1) for c in (0, 1)]
    d = from_columns([f"C{i}" for i in range(8)],
                     {"A": [r[0] for r in rows], "B": [r[1] for r in rows], "C": [r[2] for r in rows],
                      "Y": [0 if i in (3, 4) else 1 for i in range(8)]}, source="cyclic")
    sol = minimize(truth_table(d, "Y", ["A", "B", "C"]))
    got = sorted(sol.expression(m) for m in sol.models)
    assert all(not m.essential for m in sol.models)
    assert {frozenset(e.split(" + ")) for e in got} == {frozenset(["~A*~B", "B*~C", "A*C"]),
                                                        frozenset(["~A*~C", "~B*C", "A*B"])}
    assert not any("(" in e for e in got)
