"""Property tests: on random crisp truth tables, the minimisation is checked against
brute force over all 3^k terms, so an inexact prime implicant search would be caught."""

from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.evidence.qca import QCAError, from_columns, minimize, truth_table
from alongside.evidence.qca.notation import covers, row_bits


@st.composite
def crisp_tables(draw):
    k = draw(st.integers(min_value=2, max_value=5))
    rows = draw(st.lists(st.integers(0, 2 ** k - 1), min_size=2, max_size=2 ** k, unique=True))
    outcome = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    if not any(outcome):
        outcome[0] = True
    if all(outcome):  # with nothing negative every condition minimises away: refused, tested below
        outcome[-1] = False
    names = [f"C{j}" for j in range(k)]
    columns = {n: [row_bits(r, k)[j] for r in rows] for j, n in enumerate(names)}
    columns["OUT"] = [int(o) for o in outcome]
    data = from_columns([f"case{i}" for i in range(len(rows))], columns)
    pos = {r for r, o in zip(rows, outcome, strict=True) if o}
    neg = {r for r, o in zip(rows, outcome, strict=True) if not o}
    return data, names, k, pos, neg


def all_terms(k):
    return list(product((-1, 0, 1), repeat=k))


def rows_of(term, k):
    return {r for r in range(2 ** k) if covers(term, row_bits(r, k))}


def brute_primes(k, allowed, pos):
    implicants = [t for t in all_terms(k) if rows_of(t, k) <= allowed and rows_of(t, k) & pos]

    def drop(t, j):
        return tuple(-1 if i == j else v for i, v in enumerate(t))

    return {t for t in implicants
            if not any(drop(t, j) in implicants for j in range(k) if t[j] >= 0)}


def min_cover_size(primes, pos, k):
    primes = list(primes)
    for size in range(1, len(primes) + 1):
        for combo in combinations(primes, size):
            if set().union(*(rows_of(t, k) for t in combo)) >= pos:
                return size
    raise AssertionError("no cover")


@settings(max_examples=150, deadline=None)
@given(crisp_tables())
def test_parsimonious_models_are_exact_and_minimal(table):
    data, names, k, pos, neg = table
    sol = minimize(truth_table(data, "OUT", names), include="?")
    allowed = set(range(2 ** k)) - neg
    assert set(sol.primes) == brute_primes(k, allowed, pos)
    size = min_cover_size(sol.primes, pos, k)
    for model in sol.models:
        covered = set().union(*(rows_of(t, k) for t in model.terms))
        assert pos <= covered, "every positive configuration is covered"
        assert not covered & neg, "no negative configuration is covered"
        assert len(model.terms) == size, "every model is of minimal size"


@settings(max_examples=150, deadline=None)
@given(crisp_tables())
def test_conservative_models_stay_within_the_positive_rows(table):
    data, names, k, pos, neg = table
    sol = minimize(truth_table(data, "OUT", names))
    assert set(sol.primes) == brute_primes(k, pos, pos)
    for model in sol.models:
        covered = set().union(*(rows_of(t, k) for t in model.terms))
        assert covered == pos


@settings(max_examples=100, deadline=None)
@given(crisp_tables())
def test_the_conservative_solution_is_implied_by_the_parsimonious_one(table):
    data, names, k, pos, neg = table
    tt = truth_table(data, "OUT", names)
    conservative = minimize(tt)
    parsimonious = minimize(tt, include="?")
    for c_model, p_model in product(conservative.models, parsimonious.models):
        c_rows = set().union(*(rows_of(t, k) for t in c_model.terms))
        p_rows = set().union(*(rows_of(t, k) for t in p_model.terms))
        assert c_rows <= p_rows


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=2, max_value=4), st.data())
def test_nothing_negative_is_refused_rather_than_answered_with_the_tautology(k, data):
    # R: "All truth table configurations are used, all conditions are minimized."
    rows = data.draw(st.lists(st.integers(0, 2 ** k - 1), min_size=2, unique=True))
    names = [f"C{j}" for j in range(k)]
    columns = {n: [row_bits(r, k)[j] for r in rows] for j, n in enumerate(names)}
    columns["OUT"] = [1] * len(rows)
    tt = truth_table(from_columns([f"case{i}" for i in range(len(rows))], columns), "OUT", names)
    with pytest.raises(QCAError, match="minimise away"):
        minimize(tt, include="?")
    if len(rows) == 2 ** k:
        with pytest.raises(QCAError, match="minimise away"):
            minimize(tt)
