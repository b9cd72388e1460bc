"""calibrate() against R QCA 3.25.1's calibrate().

Expected scores are either printed by R for the examples of R's help page `?calibrate`
(inputs in examples/qca/r-qca/calibrate-*.csv, see README-calibrate.md there) or worked
out by hand in the test. R printed them with round(..., 6), for the 23 cases
HELP_CASES of the help page's 100 heights, chosen to fall in every stretch of every curve.
"""

import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from alongside.evidence.qca import QCAError, calibrate, read_csv
from alongside.evidence.qca.cli import main

DATA = Path(__file__).resolve().parents[2] / "examples" / "qca" / "r-qca"
HELP = DATA / "calibrate-help.csv"
INCOME = DATA / "calibrate-income.csv"
# R's 1-based positions x[c(42, 6, 25, …)]; the heights there, rounded, run
# 151.196 156.820 159.023 161.575 165.194 166.136 168.557 170.184 172.238 173.907 175.258 176.496
# 177.987 180.202 182.095 184.371 186.207 189.558 191.324 193.051 195.492 196.968 199.771
HELP_CASES = [42, 6, 25, 62, 95, 17, 23, 27, 8, 3, 40, 61, 20, 14, 2, 44, 19, 22, 34, 26, 33, 32, 84]
PICK = [i - 1 for i in HELP_CASES]

BELL = "e1=155, c1=165, i1=175, i2=175, c2=185, e2=195"
VALLEY = "i1=155, c1=165, e1=175, e2=175, c2=185, i2=195"

# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "e=165, c=175, i=185"), 6)[HELP_CASES]
R_LOGISTIC_UP = [0.000903, 0.004712, 0.008974, 0.018835, 0.052779, 0.068509, 0.130427, 0.194947,
                 0.307207, 0.420228, 0.518983, 0.608370, 0.706734, 0.822262, 0.889827, 0.940439,
                 0.964424, 0.986433, 0.991891, 0.995107, 0.997609, 0.998451, 0.999321]
# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "i=165, c=175, e=185"), 6)[HELP_CASES]
R_LOGISTIC_DOWN = [0.999097, 0.995288, 0.991026, 0.981165, 0.947221, 0.931491, 0.869573, 0.805053,
                   0.692793, 0.579772, 0.481017, 0.391630, 0.293266, 0.177738, 0.110173, 0.059561,
                   0.035576, 0.013567, 0.008109, 0.004893, 0.002391, 0.001549, 0.000679]
# printed by R QCA 3.25.1 for
# round(calibrate(x, thresholds = "e=165, c=175, i=185", logistic = FALSE), 6)[HELP_CASES]
R_LINEAR = [0, 0, 0, 0, 0.009684, 0.056821, 0.177836, 0.259176, 0.361908, 0.445348, 0.512901,
            0.574796, 0.649362, 0.760108, 0.854733, 0.968570, 1, 1, 1, 1, 1, 1, 1]
# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "e=155, c=175, i=195",
# logistic = FALSE, below = 3.5, above = 3.5), 6)[HELP_CASES]
R_LINEAR_35 = [0, 0.000114, 0.001825, 0.010184, 0.047263, 0.064413, 0.128205, 0.190620, 0.297223,
               0.410716, 0.522214, 0.619109, 0.716158, 0.825796, 0.892091, 0.945295, 0.971828,
               0.994745, 0.998670, 0.999856, 1, 1, 1]
# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "e1=155, c1=165, i1=175, i2=175,
# c2=185, e2=195", below = 3, above = 3), 6)[HELP_CASES]
R_BELL = [0, 0.003016, 0.032553, 0.142100, 0.528492, 0.651826, 0.866251, 0.944133, 0.989467,
          0.999347, 1, 0.998326, 0.986672, 0.929608, 0.821448, 0.588486, 0.339909, 0.080590,
          0.024828, 0.003702, 0, 0, 0]
# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "i1=155, c1=165, e1=175, e2=175,
# c2=185, i2=195", below = 3, above = 3), 6)[HELP_CASES]
R_VALLEY = [1, 0.996984, 0.967447, 0.857900, 0.471508, 0.348174, 0.133749, 0.055867, 0.010533,
            0.000653, 0, 0.001674, 0.013328, 0.070392, 0.178552, 0.411514, 0.660091, 0.919410,
            0.975172, 0.996298, 1, 1, 1]
# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "e1=155, c1=165, i1=175, i2=175,
# c2=185, e2=195"), 6)[HELP_CASES]
R_TRIANGLE = [0, 0.091022, 0.201145, 0.328734, 0.509684, 0.556821, 0.677836, 0.759176, 0.861908,
              0.945348, 0.987099, 0.925204, 0.850638, 0.739892, 0.645267, 0.531430, 0.439644,
              0.272107, 0.183777, 0.097451, 0, 0, 0]
# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "e1=155, c1=165, i1=172, i2=179,
# c2=187, e2=195"), 6)[HELP_CASES]
R_TRAPEZOID = [0, 0.091022, 0.201145, 0.328734, 0.513834, 0.581173, 0.754051, 0.870252, 1, 1, 1, 1,
               1, 0.924865, 0.806584, 0.664287, 0.549555, 0.340134, 0.229721, 0.121814, 0, 0, 0]
# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "e1=155, c1=165, i1=175, i2=175,
# c2=185, e2=195", below = 10, above = 10), 6)[HELP_CASES]
R_BELL_10 = [0, 0, 0, 0.007546, 0.588817, 0.850356, 0.993833, 0.999664, 1, 1, 1, 1, 1, 0.999274,
             0.983846, 0.738773, 0.138127, 0.001139, 0, 0, 0, 0, 0]
# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "e1=155, c1=165, i1=175, i2=175,
# c2=185, e2=195", below = 10000, above = 10000), 6)[HELP_CASES]
R_BELL_CRISP = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
# printed by R QCA 3.25.1 for round(calibrate(x, thresholds = "e=155, c=175, i=195",
# logistic = FALSE, ecdf = TRUE), 6)[HELP_CASES]
R_ECDF = [0, 0.026316, 0.052632, 0.092105, 0.157895, 0.197368, 0.289474, 0.355263, 0.460526, 0.5,
          0.509259, 0.537037, 0.564815, 0.620370, 0.75, 0.833333, 0.879630, 0.907407, 0.944444,
          0.962963, 1, 1, 1]
# printed by R QCA 3.25.1 for calibrate(inc, method = "indirect",
# thresholds = "1000, 4000, 5000, 10000, 20000"), the help page's income example
R_INDIRECT = [1, 1, 0.999007, 0.998721, 0.963347, 0.885719, 0.828746, 0.782327, 0.741049, 0.733675,
              0.727908, 0.709106, 0.649139, 0.416563, 0.328418, 0.323447, 0.267478, 0.258880,
              0.241683, 0.141722, 0.002339, 0.000530, 0.000179, 0]
# printed by R QCA 3.25.1 for table(round(calibrate(values, method = "TFR"), 3))
R_TFR_TABLE = {0: 12, 0.193: 17, 0.398: 18, 0.58: 16, 0.682: 9, 0.807: 11, 1: 17}


@pytest.fixture(scope="module")
def heights():
    return read_csv(HELP).column("height")


def near_r(got, expected):
    """R printed six decimals."""
    return np.asarray(got) == pytest.approx(expected, abs=6e-7)


# --- crisp ---------------------------------------------------------------------------

def test_crisp_with_one_and_two_thresholds_as_r(heights):
    # printed by R QCA 3.25.1 for calibrate(x, type = "crisp", thresholds = 175)[HELP_CASES]
    assert calibrate(heights, "crisp", 175)[PICK].tolist() == [0] * 10 + [1] * 13
    # printed by R QCA 3.25.1 for calibrate(x, type = "crisp", thresholds = c(170, 180))[HELP_CASES]
    assert calibrate(heights, "crisp", [170, 180])[PICK].tolist() == [0] * 7 + [1] * 6 + [2] * 10


def test_crisp_value_at_a_threshold_goes_up_and_cut_points_are_sorted():
    # R's findInterval(): the interval [t_k, t_k+1) holds its left end, so 170 → 1 and 180 → 2.
    x = [165, 169.99, 170, 179.99, 180, 185]
    assert calibrate(x, "crisp", "170, 180").tolist() == [0, 0, 1, 1, 2, 2]
    # R sorts the thresholds first.
    assert calibrate(x, "crisp", [180, 170]).tolist() == [0, 0, 1, 1, 2, 2]


# --- fuzzy, direct, three anchors ----------------------------------------------------

def test_logistic_increasing_and_decreasing_as_r(heights):
    assert near_r(calibrate(heights, thresholds="e=165, c=175, i=185")[PICK], R_LOGISTIC_UP)
    assert near_r(calibrate(heights, thresholds="i=165, c=175, e=185")[PICK], R_LOGISTIC_DOWN)


def test_logistic_keeps_going_beyond_the_anchors_until_r_rounds_it_off():
    # Log odds ln(19)·(x − 175)/10. x = 145: 1/(1 + e^(3·ln 19)) = 1/6860 = 0.000146, kept;
    # x = 143: 1/(1 + 19^3.2) = 0.000081 < 0.0001, which R sets to 0; x = 207 likewise to 1.
    got = calibrate([145, 143, 207], thresholds={"e": 165, "c": 175, "i": 185})
    assert got[0] == pytest.approx(1 / (1 + 19 ** 3), rel=1e-9)
    assert got[1:].tolist() == [0, 1]


def test_idm_sets_the_membership_at_the_anchors():
    # idm is the score at i, 1 − idm at e. x = 170 is halfway from c to e: log odds
    # −ln(0.99/0.01)/2 = −2.2976 → 1/(1 + 99^0.5) = 0.09133.
    got = calibrate([165, 170, 175, 185], thresholds=[165, 175, 185], idm=0.99)
    assert got == pytest.approx([0.01, 1 / (1 + 99 ** 0.5), 0.5, 0.99])


def test_linear_as_r(heights):
    assert near_r(calibrate(heights, thresholds="e=165, c=175, i=185", logistic=False)[PICK], R_LINEAR)
    got = calibrate(heights, thresholds="e=155, c=175, i=195", logistic=False, below=3.5, above=3.5)
    assert near_r(got[PICK], R_LINEAR_35)


def test_linear_decreasing_with_below_and_above_by_hand():
    # i=165, c=175, e=185. Between i and c: 1 − ((i − x)/(i − c))^above / 2; between c and e:
    # ((e − x)/(e − c))^below / 2; 1 up to i, 0 from e on.
    # x = 170: 1 − 0.5^0.5/2 = 0.646447; x = 180: 0.5^2/2 = 0.125.
    got = calibrate([160, 165, 170, 175, 180, 185, 190], thresholds="i=165, c=175, e=185",
                    logistic=False, below=2, above=0.5)
    assert got == pytest.approx([1, 1, 1 - math.sqrt(0.5) / 2, 0.5, 0.125, 0, 0])


def test_named_anchors_in_any_order_equal_the_positional_ones(heights):
    positional = calibrate(heights, thresholds=[185, 175, 165], logistic=False)
    assert calibrate(heights, thresholds="c=175; e=185; i=165", logistic=False) == pytest.approx(positional)
    assert calibrate(heights, thresholds={"i": 165, "e": 185, "c": 175}, logistic=False) == \
        pytest.approx(positional)


def test_ecdf_as_r(heights):
    got = calibrate(heights, thresholds="e=155, c=175, i=195", logistic=False, ecdf=True)
    assert near_r(got[PICK], R_ECDF)


def test_ecdf_by_hand_including_when_no_value_lies_beyond_the_anchors():
    # e=1, c=3, i=5. F is the ecdf of the values within [1, 5]: {1, 2, 3, 5}, F(3) = 3/4.
    # x = 2: (F(2)/F(3))/2 = (2/4)/(3/4)/2 = 1/3. x = 5: 1 − ((1 − F(5))/(1 − F(3)))/2 = 1.
    want = [0, 0, 1 / 3, 0.5, 1, 1]
    assert calibrate([0, 1, 2, 3, 5, 6], thresholds=[1, 3, 5], logistic=False, ecdf=True) == \
        pytest.approx(want)
    # R stops here ("'x' must have 1 or more non-missing values": its x[-which(x < 1)] is
    # empty when no value is below 1); the scores are the same as above.
    assert calibrate([1, 2, 3, 5], thresholds=[1, 3, 5], logistic=False, ecdf=True) == \
        pytest.approx(want[1:5])
    # Decreasing (i=1, c=3, e=5): x = 2 → 1 − (F(2)/F(3))/2 = 2/3; x = 5 → (1 − F(5))/… = 0.
    assert calibrate([0, 1, 2, 3, 5, 6], thresholds="i=1, c=3, e=5", logistic=False, ecdf=True) == \
        pytest.approx([1, 1, 2 / 3, 0.5, 0, 0])


# --- fuzzy, direct, six anchors ------------------------------------------------------

@pytest.mark.parametrize("thresholds,shape,expected", [
    (BELL, {"below": 3, "above": 3}, R_BELL),
    (VALLEY, {"below": 3, "above": 3}, R_VALLEY),
    (BELL, {}, R_TRIANGLE),
    ("e1=155, c1=165, i1=172, i2=179, c2=187, e2=195", {}, R_TRAPEZOID),
    (BELL, {"below": 10, "above": 10}, R_BELL_10),
    (BELL, {"below": 10000, "above": 10000}, R_BELL_CRISP),
])
def test_six_anchor_shapes_as_r(heights, thresholds, shape, expected):
    assert near_r(calibrate(heights, thresholds=thresholds, **shape)[PICK], expected)


def test_six_anchors_positional_follow_rs_order_e1_c1_i1_i2_c2_e2(heights):
    assert near_r(calibrate(heights, thresholds=[155, 165, 175, 175, 185, 195])[PICK], R_TRIANGLE)
    # The valley written positionally: e1=175, c1=165, i1=155, i2=195, c2=185, e2=175.
    got = calibrate(heights, thresholds=[175, 165, 155, 195, 185, 175], below=3, above=3)
    assert near_r(got[PICK], R_VALLEY)


def test_trapezoid_by_hand():
    # e1=0, c1=10, i1=20, i2=30, c2=40, e2=50, linear: up 0.05 a unit, flat at 1, down again.
    got = calibrate([-5, 5, 10, 15, 25, 35, 40, 45, 55], thresholds=[0, 10, 20, 30, 40, 50])
    assert got == pytest.approx([0, 0.25, 0.5, 0.75, 1, 0.75, 0.5, 0.25, 0])


# --- fuzzy, indirect and TFR ---------------------------------------------------------

def test_indirect_as_r():
    income = read_csv(INCOME).column("INC")
    assert near_r(calibrate(income, method="indirect", thresholds="1000, 4000, 5000, 10000, 20000"),
                  R_INDIRECT)


def test_tfr_as_r():
    got = calibrate(read_csv(HELP).column("category"), method="TFR")
    assert Counter(np.round(got, 3).tolist()) == R_TFR_TABLE


def test_tfr_by_hand():
    # F = ecdf of {1, 1, 2, 3, 3, 3, 4}: F(1) = 2/7, F(2) = 3/7, F(3) = 6/7, F(4) = 1.
    # Score (F(x) − F(1))/(1 − F(1)): 0, 0.2, 0.8, 1.
    assert calibrate([1, 1, 2, 3, 3, 3, 4], method="TFR") == pytest.approx([0, 0, 0.2, 0.8, 0.8, 0.8, 1])


# --- missing values ------------------------------------------------------------------

def test_missing_values_stay_missing():
    # R: NA stays NA for the logistic curve and TFR (ecdf() leaves NA out), but its linear and
    # crisp branches stop with "missing value where TRUE/FALSE needed"; here NaN stays NaN.
    nan = float("nan")
    logistic = calibrate([165, nan, 175], thresholds="e=165, c=175, i=185")
    assert logistic[[0, 2]] == pytest.approx([0.05, 0.5]) and math.isnan(logistic[1])
    linear = calibrate([170, nan], thresholds="e=165, c=175, i=185", logistic=False)
    assert linear[0] == pytest.approx(0.25) and math.isnan(linear[1])
    crisp = calibrate([1, nan, 3], "crisp", 2)
    assert crisp[[0, 2]].tolist() == [0, 1] and math.isnan(crisp[1])
    bell = calibrate([nan, 25], thresholds=[0, 10, 20, 30, 40, 50])
    assert math.isnan(bell[0]) and bell[1] == 1
    # TFR: F = ecdf of {1, 2, 3}; x = 2 → (2/3 − 1/3)/(2/3) = 0.5.
    tfr = calibrate([1, nan, 2, 3], method="TFR")
    assert tfr[[0, 2, 3]] == pytest.approx([0, 0.5, 1]) and math.isnan(tfr[1])


# --- bad input -----------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    ({"thresholds": "e=5, c=1, i=10"}, "crossover c must lie strictly between e and i"),
    ({"thresholds": [1, 2]}, "needs 3 thresholds .* or 6 .*; got 2"),
    ({"thresholds": [1, 2, 3, 4]}, "got 4"),
    ({"thresholds": None}, "threshold value\\(s\\) not specified"),
    ({"thresholds": "e=1, c=two, i=3"}, "thresholds must be numeric; c is 'two'"),
    ({"thresholds": "e=1, 2, i=3"}, "name every threshold"),
    ({"thresholds": "a=1, b=2, c=3"}, "the names must be e, c, i"),
    ({"thresholds": "e=1, e=2, i=3"}, "the names must be e, c, i, each once"),
    ({"thresholds": [1, 2, 3], "method": "ECDF"}, "method must be 'direct', 'indirect' or 'TFR'.*ecdf=True"),
    ({"thresholds": [1, 2, 3], "type": "fuzzzy"}, "type must be 'crisp' or 'fuzzy'"),
    ({"thresholds": [1, 2, 3], "idm": 1}, "idm.*bigger than 0.5 and less than 1; got 1"),
    ({"thresholds": [1, 2, 3], "idm": 0.5, "logistic": False}, "idm"),
    ({"thresholds": [1, 2, 3], "logistic": False, "below": 0}, "below should be a positive number"),
    ({"thresholds": [1, 2, 3], "above": 2}, "pass logistic=False"),
    ({"thresholds": [1, 2, 3], "ecdf": True}, "ecdf=True needs logistic=False"),
    ({"thresholds": [1, 2, 3, 4, 5, 6], "ecdf": True, "logistic": False}, "ecdf=True works only with three"),
    ({"thresholds": [1, 4, 3, 4, 5, 6]}, "first crossover c1 is not strictly between"),
    ({"thresholds": [1, 2, 3, 4, 6, 5]}, "second crossover c2 is not strictly between"),
    ({"thresholds": [1, 2, 4, 3, 5, 6]}, "e1 < c1 < i1 <= i2 < c2 < e2"),
    ({"thresholds": [1, 2, 3, 4, 5, 6], "above": -1}, "above should be a positive number"),
    ({"thresholds": "c=2", "type": "crisp"}, "named thresholds require fuzzy"),
    ({"thresholds": 9, "type": "crisp"},
     "threshold value\\(s\\) 9 outside the range of the values \\(1 to 6\\)"),
    ({"method": "TFR", "type": "crisp"}, "'TFR' gives fuzzy scores"),
])
def test_bad_input_is_refused_with_a_reason(kwargs, message):
    with pytest.raises(QCAError, match=message):
        calibrate([1, 2, 3, 4, 5, 6], **kwargs)


def test_bad_values_are_refused_with_a_reason():
    with pytest.raises(QCAError, match="not numeric"):
        calibrate(["1", "tall"], thresholds=[1, 2, 3])
    with pytest.raises(QCAError, match="indirect method needs values of 0 or more"):
        calibrate([-1, 2, 3], method="indirect", thresholds=[1, 2])
    with pytest.raises(QCAError, match="'TFR' needs categories above 1"):
        calibrate([0, 1, 1], method="TFR")


# --- the command line ----------------------------------------------------------------

def cli(*args):
    return subprocess.run([sys.executable, "-m", "alongside.evidence.qca", "calibrate", *map(str, args)],
                          capture_output=True, text=True, timeout=60)


def cli_scores(*args):
    r = cli(*args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["calibrated"]


def test_cli_linear_with_below_and_above():
    got = cli_scores(HELP, "--conditions", "height", "--thresholds", "e=155, c=175, i=195",
                     "--linear", "--below", "3.5", "--above", "3.5")
    assert near_r(np.asarray(got["height"])[PICK], R_LINEAR_35)


def test_cli_bell_and_ecdf():
    got = cli_scores(HELP, "--conditions", "height", "--thresholds", BELL, "--below", "3", "--above", "3")
    assert near_r(np.asarray(got["height"])[PICK], R_BELL)
    got = cli_scores(HELP, "--conditions", "height", "--thresholds", "e=155, c=175, i=195",
                     "--linear", "--ecdf")
    assert near_r(np.asarray(got["height"])[PICK], R_ECDF)


def test_cli_indirect_and_tfr():
    got = cli_scores(INCOME, "--conditions", "INC", "--method", "indirect",
                     "--thresholds", "1000,4000,5000,10000,20000")
    assert near_r(got["INC"], R_INDIRECT)
    got = cli_scores(HELP, "--conditions", "category", "--method", "TFR")
    assert Counter(np.round(got["category"], 3).tolist()) == R_TFR_TABLE


def test_cli_crisp_text_table():
    r = cli(HELP, "--conditions", "height", "--type", "crisp", "--thresholds", "170,180")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "case,height"
    # p001 is 180.855 (→ 2), p003 173.907 (→ 1), p006 156.820 (→ 0), as R's crisp example.
    assert [lines[1], lines[3], lines[6]] == ["p001,2", "p003,1", "p006,0"]


def test_cli_bad_input_exits_2_with_a_message_not_a_traceback():
    r = cli(HELP, "--conditions", "height", "--thresholds", "e=5,c=1,i=10")
    assert r.returncode == 2
    assert "calibrate, column height: the crossover c must lie strictly between e and i" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("args,message", [
    (["--thresholds", "e=165,c=175,i=185", "--idm", "1.5"], "idm, the inclusion degree"),
    (["--thresholds", "e=165,c=175,i=185", "--below", "2"], "pass logistic=False (--linear)"),
    (["--thresholds", "e=165,c=175,i=185", "--ecdf"], "ecdf=True needs logistic=False (--linear)"),
    ([], "calibrate needs --thresholds"),
])
def test_cli_bad_options_are_named(capsys, args, message):
    # The same entry point as above, in-process to keep the suite fast.
    assert main(["calibrate", str(HELP), "--conditions", "height", *args]) == 2
    assert message in capsys.readouterr().err


def test_cli_method_choices_are_rs(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["calibrate", str(HELP), "--conditions", "height", "--method", "ECDF"])
    assert stop.value.code == 2
    assert "argument --method: invalid choice: 'ECDF'" in capsys.readouterr().err
