#!/usr/bin/env python3
"""Reference values for BG/BB (crates/crm_core/tests/bgbb_golden.rs), written to
crates/crm_core/tests/golden/bgbb.json.

1. `lifetimes` 0.11.3 BetaGeoBetaBinomFitter on the donations data (shared/data/donations.csv):
   its fitted parameters and log-likelihood, and at FIXED parameters (FHS 2010's estimates, so
   that formulas are compared, not optimisers) its per-customer log-likelihood,
   conditional_probability_alive(m), conditional_expected_number_of_purchases_up_to_time(m) and
   P(X(n) = x) (expected_number_of_transactions_in_first_n_periods divided by the customers).
2. An extreme grid of parameters and customers computed with mpmath at 50 digits from the
   papers' formulas written here independently of the Rust code (term by term, no telescoped
   closed forms where a direct sum is feasible), each cross-checked by a second route:
   - log_likelihood: FHS 2010 eq. 5 term by term;
   - p_alive_at(future): A B(gamma, delta+n+future) / (B(gamma, delta+n) L);
   - expected_purchases(periods): the sum over k of the posterior probability of a transaction at
     n + k, checked against eq. 13 (closed form); for periods > 2000 eq. 13 alone;
   - expected_purchases_new(n): eq. 7, checked against the sum over x of x P(X(n) = x) for n <= 60;
   - prob_purchases(x, n): eq. 8, checked for n <= 30 against the sum over recency of
     C(t_x - 1, x - 1) L(x, t_x, n) (every purchase pattern with x transactions);
   - dert(discount): the direct discounted sum, checked against eq. 14 (mpmath hyp2f1) where
     mpmath's 2F1 converges.
Not a test dependency; to regenerate (the venv has lifetimes, numpy<2, pandas<2, mpmath):
    /work/main/bench/.venv/bin/python scripts/golden/bgbb_golden.py
"""
import json
import os

import numpy as np
import pandas as pd
from lifetimes import BetaGeoBetaBinomFitter
from mpmath import mp, mpf, beta, binomial, hyp2f1, log

mp.dps = 50
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "..", "shared", "data", "donations.csv")
OUT = os.path.join(ROOT, "crates", "crm_core", "tests", "golden", "bgbb.json")

PAPER = (1.204, 0.750, 0.657, 2.783)


def lifetimes_part():
    d = pd.read_csv(DATA)
    f = BetaGeoBetaBinomFitter().fit(d.frequency, d.recency, d.periods, weights=d.weights)
    fitted = {"params": list(map(float, f.params_.values)), "log_likelihood": float(-f._negative_log_likelihood_ * d.weights.sum())}
    # customers: the donations rows and a few with other numbers of opportunities
    extra = [(0, 0, 0), (0, 0, 1), (1, 1, 1), (0, 0, 10), (3, 7, 10), (10, 10, 10), (5, 12, 15), (2, 3, 25), (20, 25, 25)]
    cust = [(int(r.frequency), int(r.recency), int(r.periods)) for r in d.itertuples()] + extra
    x = np.array([c[0] for c in cust])
    tx = np.array([c[1] for c in cust])
    n = np.array([c[2] for c in cust])
    f.params_ = pd.Series(PAPER, index=["alpha", "beta", "gamma", "delta"])
    rows = []
    ll = BetaGeoBetaBinomFitter._loglikelihood(PAPER, x, tx, n)
    alive = {m: f.conditional_probability_alive(m, x, tx, n) for m in (0, 1, 5)}
    expected = {m: f.conditional_expected_number_of_purchases_up_to_time(m, x, tx, n) for m in (1, 5, 10)}
    for i, c in enumerate(cust):
        rows.append({
            "x": c[0], "t_x": c[1], "n": c[2], "log_likelihood": float(ll[i]),
            "p_alive_at": [[m, float(alive[m][i])] for m in alive],
            "expected_purchases": [[m, float(expected[m][i])] for m in expected],
        })
    # P(X(n) = x) for n = 6: lifetimes returns the expected number of customers with each x
    probs = f.expected_number_of_transactions_in_first_n_periods(6)
    total = float(d.weights.sum())
    prob = [[int(xx), 6, float(v) / total] for xx, v in zip(probs.index, probs["model"])]
    return {"fit": fitted, "params": list(PAPER), "customers": rows, "prob_purchases": prob}


_LL = {}


def ll_terms(p, x, tx, n):
    """(A, L) of eq. 5, the sum by term ratios (at 50 digits), cached."""
    key = (p, x, tx, n)
    if key not in _LL:
        _LL[key] = _ll_terms(p, x, tx, n)
    return _LL[key]


def _ll_terms(p, x, tx, n):
    a, b, g, d = p
    norm = beta(a, b) * beta(g, d)
    big_a = beta(a + x, b + n - x) * beta(g, d + n) / norm
    s = mpf(0)
    if tx < n:
        term = beta(a + x, b + tx - x) * beta(g + 1, d + tx) / norm
        for m in range(tx, n):
            s += term
            term *= (b + m - x) * (d + m) / ((a + b + m) * (g + d + 1 + m))
    return big_a, big_a + s


def ll_direct(p, x, tx, n):
    """eq. 5 with a beta function per term (the cross-check of ll_terms, small n only)."""
    a, b, g, d = p
    norm = beta(a, b) * beta(g, d)
    s = beta(a + x, b + n - x) * beta(g, d + n)
    for i in range(n - tx):
        s += beta(a + x, b + tx - x + i) * beta(g + 1, d + tx + i)
    return s / norm


def survival_ratio(g, e, k):
    """B(gamma, e + k) / B(gamma, e)."""
    return beta(g, e + k) / beta(g, e)


def expected_direct(p, x, tx, n, periods):
    a, b, g, d = p
    big_a, l = ll_terms(p, x, tx, n)
    rate = big_a / l * (a + x) / (a + b + n)
    s, term = mpf(0), mpf(1)
    for k in range(periods):
        term *= (d + n + k) / (g + d + n + k)
        s += term
    return rate * s


def expected_eq13(p, x, tx, n, periods):
    a, b, g, d = p
    _, l = ll_terms(p, x, tx, n)
    p2 = beta(a + x + 1, b + n - x) / beta(a, b)
    p3 = d / (g - 1) * mp.gamma(g + d) / mp.gamma(1 + d)
    p4 = mp.gamma(1 + d + n) / mp.gamma(g + d + n)
    p5 = mp.gamma(1 + d + n + periods) / mp.gamma(g + d + n + periods)
    return p2 * p3 * (p4 - p5) / l


def expected_new_eq7(p, n):
    a, b, g, d = p
    return a / (a + b) * d / (g - 1) * (1 - mp.gamma(g + d) * mp.gamma(1 + d + n) / (mp.gamma(g + d + n) * mp.gamma(1 + d)))


def prob_eq8(p, x, n):
    a, b, g, d = p
    norm = beta(a, b) * beta(g, d)
    v = binomial(n, x) * beta(a + x, b + n - x) * beta(g, d + n) / norm
    if x < n:
        term = beta(a + x, b) * beta(g + 1, d + x) / norm  # i = x, C(x, x) = 1
        for i in range(x, n):
            v += term
            term *= mpf(i + 1) / (i + 1 - x) * (b + i - x) / (a + b + i) * (d + i) / (g + d + 1 + i)
    return v


def prob_by_patterns(p, x, n):
    if x == 0:
        return ll_terms(p, 0, 0, n)[1]
    return sum(binomial(tx - 1, x - 1) * ll_terms(p, x, tx, n)[1] for tx in range(x, n + 1))


def dert_eq14(p, x, tx, n, disc):
    a, b, g, d = p
    _, l = ll_terms(p, x, tx, n)
    z = 1 / (1 + mpf(disc))
    return beta(a + x + 1, b + n - x) / beta(a, b) * beta(g, d + n + 1) / beta(g, d) * z * hyp2f1(1, d + n + 1, g + d + n + 1, z, maxprec=1000) / l


def dert_direct(p, x, tx, n, disc):
    a, b, g, d = p
    big_a, l = ll_terms(p, x, tx, n)
    rate = big_a / l * (a + x) / (a + b + n)
    z = 1 / (1 + mpf(disc))
    s, term, k = mpf(0), mpf(1), 0
    while True:
        term *= z * (d + n + k) / (g + d + n + k)
        s += term
        k += 1
        if term < mpf("1e-45") * s:
            return rate * s


def close(u, v, tol="1e-25"):
    return abs(u - v) <= mpf(tol) * abs(v)


GRID_PARAMS = {
    "paper": ("1.204", "0.750", "0.657", "2.783"),
    "tiny": ("1e-3", "1e-3", "1e-3", "1e-3"),
    "large": ("500", "300", "200", "1000"),
    "gamma_near_1": ("2", "3", "1.000000001", "5"),
    "mixed": ("1e-4", "50", "30", "1e-4"),
}
GRID_CUSTOMERS = [(0, 0, 0), (0, 0, 6), (3, 5, 6), (6, 6, 6), (0, 0, 1000), (500, 800, 1000), (1000, 1000, 1000), (1, 1, 100000)]
FUTURES = [1, 10, 1000, 1000000]
NEW_N = [1, 6, 60, 1000, 1000000]
PROBS = [(0, 6), (3, 6), (6, 6), (0, 30), (17, 30), (0, 1000), (500, 1000), (1000, 1000)]
DISCOUNTS = ["0.1", "1e-3", "10"]


def s(v):
    return mp.nstr(v, 20, min_fixed=-1, max_fixed=-1) if v != 0 else "0"


def grid_part():
    out = []
    for name, ps in GRID_PARAMS.items():
        p = tuple(map(mpf, ps))
        entry = {"name": name, "params": [float(v) for v in p], "customers": [], "new": [], "prob": []}
        for x, tx, n in GRID_CUSTOMERS:
            big_a, l = ll_terms(p, x, tx, n)
            if n <= 30:
                assert close(l, ll_direct(p, x, tx, n)), (name, x, tx, n)
            c = {"x": x, "t_x": tx, "n": n, "log_likelihood": s(log(l)), "p_alive_at": [], "expected_purchases": [], "dert": []}
            for m in [0] + FUTURES:
                c["p_alive_at"].append([m, s(big_a / l * survival_ratio(p[2], p[3] + n, m))])
            for m in FUTURES:
                if m <= 2000:
                    v = expected_direct(p, x, tx, n, m)
                    assert close(v, expected_eq13(p, x, tx, n, m), "1e-20"), (name, x, tx, n, m)
                else:
                    v = expected_eq13(p, x, tx, n, m)
                c["expected_purchases"].append([m, s(v)])
            for disc in DISCOUNTS:
                v = dert_direct(p, x, tx, n, disc)
                try:
                    alt = dert_eq14(p, x, tx, n, disc)
                except (ValueError, ZeroDivisionError):
                    alt = None  # mpmath's 2F1 gives up on some huge parameters: the direct sum stands
                assert alt is None or close(v, alt, "1e-20"), (name, x, tx, n, disc)
                c["dert"].append([float(disc), s(v)])
            entry["customers"].append(c)
        for n in NEW_N:
            v = expected_new_eq7(p, n)
            if n <= 60:
                alt = sum(xx * prob_eq8(p, xx, n) for xx in range(n + 1))
                assert close(v, alt, "1e-20"), (name, n)
            entry["new"].append([n, s(v)])
        for x, n in PROBS:
            v = prob_eq8(p, x, n)
            if n <= 30:
                assert close(v, prob_by_patterns(p, x, n), "1e-20"), (name, x, n)
            entry["prob"].append([x, n, s(v)])
        out.append(entry)
    return out


def main():
    golden = {"lifetimes": lifetimes_part(), "mpmath": grid_part()}
    with open(OUT, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
