"""QCA results against published worked examples.

Expected values are copied from the R package QCA reference manual (Dusa, QCA 3.x,
examples of truthTable(), minimize() and superSubset()), whose examples reproduce:
- Lipset crisp data: Rihoux & De Meur (2009) "Crisp-set QCA", in Rihoux & Ragin (eds.),
  Configurational Comparative Methods, p.57;
- Lipset fuzzy data: Ragin (2009) "Qualitative Comparative Analysis Using Fuzzy Sets",
  same volume, p.112;
- Cebotari & Vink (2013) ethnic protest, International Journal of Comparative Sociology
  54(4), fuzzy data with four equally minimal models.
Nothing here was produced by running our own code first.
"""

from pathlib import Path

import pytest

from alongside.evidence.qca import minimize, read_csv, super_subset, truth_table

DATA = Path(__file__).resolve().parents[2] / "examples" / "qca" / "r-qca"


@pytest.fixture(scope="module")
def lc():
    return read_csv(DATA / "LC.csv")


@pytest.fixture(scope="module")
def lf():
    return read_csv(DATA / "LF.csv")


@pytest.fixture(scope="module")
def cvf():
    return read_csv(DATA / "CVF.csv")


def rows(tt):
    return [(r.number, r.out, r.n, round(r.incl, 3), round(r.pri, 3)) for r in tt.rows]


def fits(solution, model=0):
    m = solution.models[model]
    out = {}
    for t in m.terms:
        f = solution.term_fit[t]
        from alongside.evidence.qca.notation import term_string
        out[term_string(t, solution.names)] = (round(f["inclS"], 3), round(f["PRI"], 3),
                                               round(f["covS"], 3), round(m.term_cov_u[t], 3))
    total = (round(m.fit["inclS"], 3), round(m.fit["PRI"], 3), round(m.fit["covS"], 3))
    return out, total


# ---- Lipset, crisp (Rihoux & De Meur 2009) ------------------------------------------

def test_lipset_crisp_truth_table_sorted_by_inclusion_then_n(lc):
    tt = truth_table(lc, "SURV", sort_by="incl, n")
    assert rows(tt) == [
        (32, "1", 4, 1.0, 1.0), (22, "1", 2, 1.0, 1.0), (24, "1", 2, 1.0, 1.0),
        (1, "0", 3, 0.0, 0.0), (2, "0", 2, 0.0, 0.0), (5, "0", 2, 0.0, 0.0),
        (6, "0", 1, 0.0, 0.0), (23, "0", 1, 0.0, 0.0), (31, "0", 1, 0.0, 0.0),
    ]
    assert tt.rows[0].cases == ["BE", "CZ", "NL", "UK"]
    assert tt.rows[1].cases == ["FI", "IE"]


def test_lipset_crisp_complete_truth_table_has_32_rows_with_remainders(lc):
    tt = truth_table(lc, "SURV", complete=True)
    assert [r.number for r in tt.rows] == list(range(1, 33))
    assert sum(r.out == "?" for r in tt.rows) == 23


def test_lipset_crisp_conservative_solution(lc):
    sol = minimize(truth_table(lc, "SURV"))
    assert sol.lines() == ["M1: DEV*~URB*LIT*STB + DEV*LIT*IND*STB <=> SURV"]
    assert fits(sol) == ({"DEV*~URB*LIT*STB": (1.0, 1.0, 0.5, 0.25),
                          "DEV*LIT*IND*STB": (1.0, 1.0, 0.75, 0.5)}, (1.0, 1.0, 1.0))


def test_lipset_crisp_negated_outcome(lc):
    sol = minimize(truth_table(lc, "~SURV"))
    assert sol.lines() == ["M1: ~DEV*~URB*~IND + DEV*LIT*IND*~STB <=> ~SURV"]


def test_lipset_crisp_parsimonious_solution_and_its_simplifying_assumptions(lc):
    sol = minimize(truth_table(lc, "SURV"), include="?")
    assert sol.lines() == ["M1: DEV*STB <=> SURV"]
    assert fits(sol)[1] == (1.0, 1.0, 1.0)
    assert sol.models[0].simplifying_assumptions == [18, 20, 26, 28, 30]


def test_lipset_crisp_parsimonious_negated(lc):
    sol = minimize(truth_table(lc, "~SURV"), include="?")
    assert sol.lines() == ["M1: ~DEV + ~STB <=> ~SURV"]
    assert fits(sol) == ({"~DEV": (1.0, 1.0, 0.8, 0.3), "~STB": (1.0, 1.0, 0.7, 0.2)},
                         (1.0, 1.0, 1.0))


def test_lipset_crisp_necessity_search(lc):
    # R: superSubset(LC, "SURV") lists STB and LIT (its Venn example uses both).
    found = {r["expression"]: r for r in super_subset(lc, "SURV")}
    assert {"STB", "LIT"} <= set(found)
    assert found["STB"]["inclN"] == 1.0 and found["LIT"]["inclN"] == 1.0


# ---- Lipset, fuzzy (Ragin 2009) -------------------------------------------------------

def test_lipset_fuzzy_conservative_solution(lf):
    sol = minimize(truth_table(lf, "SURV", incl_cut=0.8))
    # R prints DEV*URB*LIT*IND*STB first here, yet orders ~DEMOC before DEMOC in the
    # Cebotari & Vink example below; we follow the latter rule, so compare as a set.
    terms, total = fits(sol)
    assert terms == {"DEV*URB*LIT*IND*STB": (0.904, 0.886, 0.454, 0.393),
                     "DEV*~URB*LIT*~IND*STB": (0.804, 0.719, 0.265, 0.204)}
    assert total == (0.87, 0.843, 0.658)
    assert sol.arrow(sol.models[0]) == "=>"


def test_lipset_fuzzy_parsimonious_solution(lf):
    sol = minimize(truth_table(lf, "SURV", incl_cut=0.8), include="?")
    assert sol.lines() == ["M1: DEV*~IND + URB*STB => SURV"]
    assert fits(sol) == ({"DEV*~IND": (0.815, 0.721, 0.284, 0.194),
                          "URB*STB": (0.874, 0.845, 0.52, 0.43)}, (0.85, 0.819, 0.714))


@pytest.mark.parametrize("dir_exp", ["DEV, URB, LIT, IND, STB",
                                     {"DEV": 1, "URB": 1, "LIT": 1, "IND": 1, "STB": 1}])
def test_lipset_fuzzy_intermediate_solution(lf, dir_exp):
    sol = minimize(truth_table(lf, "SURV", incl_cut=0.8), include="?", dir_exp=dir_exp)
    # R prints which conservative and parsimonious models the intermediate one starts from
    assert sol.lines() == ["From C1P1:", "M1: DEV*URB*LIT*STB + DEV*LIT*~IND*STB => SURV"]
    assert sol.models[0].label == "C1P1"
    assert fits(sol) == ({"DEV*URB*LIT*STB": (0.901, 0.879, 0.468, 0.378),
                          "DEV*LIT*~IND*STB": (0.814, 0.721, 0.282, 0.191)},
                         (0.866, 0.839, 0.66))


# ---- Cebotari & Vink (2013), fuzzy, four minimal models ----------------------------------

def test_cebotari_vink_negated_outcome_truth_table(cvf):
    tt = truth_table(cvf, "~PROTEST", incl_cut=0.8, sort_by="incl")
    assert rows(tt) == [
        (10, "1", 1, 0.976, 0.914), (6, "1", 1, 0.953, 0.852), (28, "1", 1, 0.933, 0.775),
        (14, "1", 3, 0.929, 0.816), (2, "1", 4, 0.922, 0.818), (20, "1", 1, 0.902, 0.714),
        (8, "1", 1, 0.902, 0.705), (22, "1", 4, 0.846, 0.597), (30, "1", 2, 0.843, 0.333),
        (5, "1", 2, 0.823, 0.416), (27, "0", 1, 0.776, 0.217), (16, "0", 1, 0.742, 0.409),
        (29, "0", 1, 0.738, 0.142), (32, "0", 1, 0.726, 0.283), (24, "0", 2, 0.699, 0.229),
        (31, "0", 1, 0.662, 0.109), (15, "0", 2, 0.629, 0.161),
    ]


def test_cebotari_vink_two_cut_offs_mark_a_contradiction(cvf):
    tt = truth_table(cvf, "PROTEST", incl_cut=[0.8, 0.75], sort_by="incl")
    got = {r.number: (r.out, round(r.incl, 3)) for r in tt.rows}
    assert got[16] == ("1", 0.821)
    assert got[28] == ("C", 0.768)
    assert got[8] == ("0", 0.749)
    assert [r.number for r in tt.rows][:5] == [31, 29, 27, 15, 30]


def test_cebotari_vink_parsimonious_has_four_equally_minimal_models(cvf):
    sol = minimize(truth_table(cvf, "PROTEST", incl_cut=0.8), include="?")
    assert sol.lines() == [
        "M1: ~NATPRIDE + DEMOC*GEOCON*POLDIS + (~DEMOC*ETHFRACT*POLDIS + DEMOC*ETHFRACT*GEOCON) => PROTEST",
        "M2: ~NATPRIDE + DEMOC*GEOCON*POLDIS + (~DEMOC*ETHFRACT*POLDIS + DEMOC*ETHFRACT*~POLDIS) => PROTEST",
        "M3: ~NATPRIDE + DEMOC*GEOCON*POLDIS + (DEMOC*ETHFRACT*GEOCON + ETHFRACT*GEOCON*POLDIS) => PROTEST",
        "M4: ~NATPRIDE + DEMOC*GEOCON*POLDIS + (DEMOC*ETHFRACT*~POLDIS + ETHFRACT*GEOCON*POLDIS) => PROTEST",
    ]
    # the PI chart, row by row (columns are truth table rows)
    assert sol.chart() == {
        "~NATPRIDE": [5, 15, 27, 29, 31],
        "~DEMOC*ETHFRACT*POLDIS": [15, 16],
        "DEMOC*ETHFRACT*GEOCON": [29, 30, 31, 32],
        "DEMOC*ETHFRACT*~POLDIS": [29, 30],
        "DEMOC*GEOCON*POLDIS": [24, 31, 32],
        "ETHFRACT*GEOCON*POLDIS": [15, 16, 31, 32],
    }
    # each term's fit, its unique coverage among all terms, and per model
    from alongside.evidence.qca.notation import term_string
    table = {term_string(t, sol.names): (round(f["inclS"], 3), round(f["PRI"], 3),
                                         round(f["covS"], 3), round(sol.term_cov_u[t], 3))
             for t, f in sol.term_fit.items()}
    assert table == {
        "~NATPRIDE": (0.899, 0.807, 0.597, 0.121),
        "DEMOC*GEOCON*POLDIS": (0.906, 0.805, 0.342, 0.065),
        "~DEMOC*ETHFRACT*POLDIS": (0.842, 0.718, 0.299, 0.0),
        "DEMOC*ETHFRACT*GEOCON": (0.935, 0.826, 0.48, 0.0),
        "DEMOC*ETHFRACT*~POLDIS": (0.932, 0.773, 0.417, 0.0),
        "ETHFRACT*GEOCON*POLDIS": (0.869, 0.786, 0.365, 0.005),
    }
    per_model_cov_u = [[round(m.term_cov_u[t], 3) for t in m.terms] for m in sol.models]
    assert per_model_cov_u == [[0.132, 0.065, 0.040, 0.085], [0.122, 0.070, 0.040, 0.085],
                               [0.136, 0.065, 0.085, 0.045], [0.126, 0.065, 0.085, 0.045]]
    assert [tuple(round(m.fit[k], 3) for k in ("inclS", "PRI", "covS")) for m in sol.models] == [
        (0.877, 0.777, 0.805), (0.877, 0.777, 0.805), (0.879, 0.782, 0.810), (0.879, 0.782, 0.810)]


def test_cebotari_vink_row_dominance_removes_the_dominated_implicants(cvf):
    # R: "DEMOC*ETHFRACT*~POLDIS is dominated by DEMOC*ETHFRACT*GEOCON".
    sol = minimize(truth_table(cvf, "PROTEST", incl_cut=0.8), include="?", row_dom=True)
    assert len(sol.models) == 1
    assert "DEMOC*ETHFRACT*~POLDIS" not in sol.lines()[0]


def test_cebotari_vink_necessity_search(cvf):
    got = [(r["expression"], round(r["inclN"], 3), round(r["RoN"], 3), round(r["covN"], 3))
           for r in super_subset(cvf, "PROTEST", incl_cut=0.9, cov_cut=0.6)]
    assert got == [
        ("GEOCON", 0.904, 0.492, 0.624),
        ("DEMOC+ETHFRACT+~GEOCON", 0.930, 0.470, 0.626),
        ("DEMOC+~ETHFRACT+POLDIS", 0.918, 0.506, 0.637),
        ("DEMOC+ETHFRACT+POLDIS", 0.906, 0.502, 0.630),
        ("DEMOC+~ETHFRACT+~NATPRIDE", 0.905, 0.527, 0.641),
        ("DEMOC+ETHFRACT+~NATPRIDE", 0.935, 0.530, 0.656),
        ("DEMOC+~GEOCON+POLDIS", 0.920, 0.539, 0.654),
        ("DEMOC+~GEOCON+~NATPRIDE", 0.908, 0.584, 0.671),
        ("DEMOC+POLDIS+~NATPRIDE", 0.916, 0.596, 0.682),
        ("~ETHFRACT+POLDIS+~NATPRIDE", 0.911, 0.554, 0.657),
        ("~DEMOC+ETHFRACT+POLDIS+~NATPRIDE", 0.913, 0.532, 0.647),
        ("ETHFRACT+~GEOCON+POLDIS+~NATPRIDE", 0.911, 0.613, 0.688),
    ]


def test_cebotari_vink_necessity_for_the_negated_outcome(cvf):
    got = [(r["expression"], round(r["inclN"], 3), round(r["RoN"], 3), round(r["covN"], 3))
           for r in super_subset(cvf, "~PROTEST", incl_cut=0.9, cov_cut=0.6)]
    assert got == [("NATPRIDE", 0.932, 0.622, 0.693), ("~DEMOC+~ETHFRACT", 0.951, 0.548, 0.663),
                   ("~ETHFRACT+~POLDIS", 0.927, 0.443, 0.603)]
