"""Qualitative comparative analysis (crisp and fuzzy sets), answering as the R package QCA does.

One verb per step of the method, each taking the previous step's output, as in R QCA:

    data = read_csv("LC.csv")
    tt = truth_table(data, "SURV", ["DEV", "URB", "LIT", "IND", "STB"])
    sol = minimize(tt, include="?")
    print(sol)                      # M1: DEV*STB <=> SURV
    necessity(data, "SURV", ["DEV", "STB"])
    super_subset(data, "SURV", incl_cut=0.9, cov_cut=0.6)
    calibrate(values, type="fuzzy", thresholds={"e": 165, "c": 175, "i": 185})

Plain data in, plain results out; no Django.
"""

from .calibrate import calibrate
from .data import QCAData, QCAError, from_columns, read_csv
from .minimize import Solution, minimize
from .necessity import necessity, super_subset
from .truth_table import TruthTable, truth_table

__all__ = ["QCAData", "QCAError", "Solution", "TruthTable", "calibrate", "from_columns",
           "minimize", "necessity", "read_csv", "super_subset", "truth_table"]
