import math
from pathlib import Path

import pytest

from alongside.evidence.qca import QCAError, calibrate, necessity, read_csv

DATA = Path(__file__).resolve().parents[2] / "examples" / "qca" / "r-qca"


def logistic(log_odds):
    return 1 / (1 + math.exp(-log_odds))


def test_direct_method_hits_the_anchors_exactly():
    # By definition: crossover 0.5, inclusion idm, exclusion 1 - idm.
    got = calibrate([165, 175, 185], thresholds="e=165, c=175, i=185")
    assert got == pytest.approx([0.05, 0.5, 0.95])


def test_direct_method_between_anchors_by_hand():
    # x = 180: halfway from c to i, so log odds = ln(0.95/0.05) * 5/10 = 1.4722; 1/(1+e^-1.4722)
    # = 0.8134. x = 160 lies beyond e: log odds = -ln(19) * 15/10 = -4.4166 → 0.01193.
    got = calibrate([180, 160], thresholds={"e": 165, "c": 175, "i": 185})
    assert got == pytest.approx([logistic(math.log(19) * 0.5), logistic(-math.log(19) * 1.5)])
    assert got[0] == pytest.approx(0.8134, abs=1e-4)


def test_ragins_log_odds_of_three_at_full_membership():
    # Ragin (2008): full membership at log odds +3, i.e. 0.953; idm = e^3/(1+e^3).
    idm = math.exp(3) / (1 + math.exp(3))
    assert calibrate([20000], thresholds={"e": 2500, "c": 5000, "i": 20000}, idm=idm)[0] == \
        pytest.approx(0.9526, abs=1e-4)


def test_a_decreasing_set_is_the_complement_of_the_increasing_one():
    # Symmetric anchors: membership in "short" = 1 - membership in "tall".
    x = [160, 170, 175, 180, 190]
    tall = calibrate(x, thresholds="e=165, c=175, i=185")
    short = calibrate(x, thresholds="i=165, c=175, e=185")
    assert short == pytest.approx(1 - tall)
    linear_short = calibrate(x, thresholds="i=165, c=175, e=185", logistic=False)
    assert linear_short == pytest.approx([1, 0.75, 0.5, 0.25, 0])


def test_linear_calibration_by_hand():
    # logistic=False: 0.5 * ((x - e)/(c - e)) below c, 1 - 0.5 * ((i - x)/(i - c)) above.
    got = calibrate([160, 170, 175, 182, 190], thresholds="e=165, c=175, i=185", logistic=False)
    assert got == pytest.approx([0, 0.25, 0.5, 0.85, 1])


def test_crisp_thresholds_count_the_cut_points_reached():
    assert calibrate([1, 175, 176, 200], "crisp", thresholds=175).tolist() == [0, 1, 1, 1]
    assert calibrate([169, 170, 179, 180], "crisp", thresholds=[170, 180]).tolist() == [0, 1, 1, 2]


def test_bad_thresholds_are_refused():
    with pytest.raises(QCAError, match="crossover"):
        calibrate([1], thresholds="e=5, c=1, i=10")
    with pytest.raises(QCAError, match="e, c and i"):
        calibrate([1], thresholds="e=5, i=10")


def test_necessity_of_single_expressions_matches_the_published_superset_figures():
    # GEOCON and the disjunction DEMOC+ETHFRACT+~GEOCON from R QCA's superSubset(CVF) example.
    cvf = read_csv(DATA / "CVF.csv")
    got = necessity(cvf, "PROTEST", ["GEOCON", "DEMOC + ETHFRACT + ~GEOCON"])
    assert [(r["expression"], round(r["inclN"], 3), round(r["RoN"], 3), round(r["covN"], 3))
            for r in got] == [("GEOCON", 0.904, 0.492, 0.624),
                              ("DEMOC+ETHFRACT+~GEOCON", 0.930, 0.470, 0.626)]
