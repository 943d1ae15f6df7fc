#!/usr/bin/env python3
"""Writes crates/crm_core/tests/golden/mbgnbd.json, the reference values of crm_core's MBG/NBD
tests (crates/crm_core/tests/mbgnbd_*.rs):

1. "lifetimes": lifetimes 0.11.3 ModifiedBetaGeoFitter on the CDNOW summary
   (/work/shared/data/cdnow/cdnow_customers_summary.csv, weeks), plain maximum likelihood: its
   parameters, standard errors and the sum log-likelihood at them in weeks (its objective is the
   mean in time scaled by 1/max T).
2. "fixed": at fixed parameters (lifetimes' fit, and a set with a > 1), per CDNOW customer:
   lifetimes' log-likelihood (its _negative_log_likelihood on that one customer, weeks),
   conditional_probability_alive and conditional_expected_number_of_purchases_up_to_time at
   three horizons; and expected_number_of_purchases_up_to_time and
   probability_of_n_purchases_up_to_time for a new customer.
3. "mpmath": an extreme grid (a near and at 1, tiny a and b, huge and tiny alpha and r, x up to
   1e4, horizons up to 1e4) from formulas written here from the papers (Batislam, Denizel and
   Filiztekin 2007, appendix; Wagner and Hoppe 2008 for the conditional expectation) and
   evaluated with mpmath at 60 digits: log-likelihood with loggamma, P(alive), the closed forms
   with mpmath's hyp2f1 (at a = 1, where they are singular, at a = 1 + 1e-40 with 130 digits:
   the value is analytic in a), and P(X(t) = n) with the regularized incomplete beta function
   for the negative binomial tail (checked against the sum of the tail's probabilities where
   that converges quickly). mpmath's hyp2f1 is silently wrong for some huge parameters, so
   each expectation is taken only where two of three forms agree to 1e-20: the closed form,
   its Euler transformation, and (where it needs at most 3e5 terms) the Beta-mixture series of
   positive terms for E[(1 - (1 + p s)^-(r+x)) / p], p ~ Beta(a, b+x+1), which has no 2F1 and
   no 1/(a-1). (Quadrature over the Beta density was tried and is not accurate enough for
   these peaked and singular densities.)
   Values are strings ("1.2345e-3000" parses to 0.0 as a double).

Not a test dependency: the JSON is committed. To regenerate (lifetimes 0.11.3, numpy<2,
pandas<2, scipy, mpmath; the project's bench venv has them):
    bench/.venv/bin/python scripts/golden/mbgnbd_golden.py
"""
import json
import pathlib

import numpy as np
import pandas as pd
from lifetimes import ModifiedBetaGeoFitter
from mpmath import mp, mpf, hyp2f1, loggamma, beta, betainc, exp, log

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "crates/crm_core/tests/golden/mbgnbd.json"
CDNOW = ROOT.parent / "shared/data/cdnow/cdnow_customers_summary.csv"
if not CDNOW.exists():
    CDNOW = pathlib.Path("/work/shared/data/cdnow/cdnow_customers_summary.csv")

HORIZONS = [1.0, 39.0, 78.0]
NEW_HORIZONS = [0.1, 1.0, 39.0, 78.0, 500.0]
PROB_HORIZONS = [1.0, 39.0, 78.0]
PROB_N = list(range(0, 31))

mp.dps = 60


def s(v):
    return mp.nstr(mpf(v), 20, min_fixed=0, max_fixed=0) if not isinstance(v, float) else repr(v)


# ---- mpmath formulas (independent of lifetimes and of crm_core) ----

def mp_ll(r, alpha, a, b, x, tx, t):
    head = loggamma(r + x) - loggamma(r) + r * log(alpha) + log(beta(a, b + x + 1)) - log(beta(a, b))
    return head + log((alpha + t) ** -(r + x) + a / (b + x) * (alpha + tx) ** -(r + x))


def mp_alive(r, alpha, a, b, x, tx, t):
    return 1 / (1 + a / (b + x) * ((alpha + t) / (alpha + tx)) ** (r + x))


def regular_a(a):
    return mpf(1) + mpf("1e-40") if a == 1 else a


def at_a(f):
    """f evaluated with 130 digits when a = 1 (a - 1 = 1e-40 costs 40 of them), else as is."""
    def g(r, alpha, a, b, *rest):
        if a != 1:
            return f(r, alpha, a, b, *rest)
        with mp.workdps(130):
            return +f(r, alpha, a, b, *rest)
    return g


def agreed(what, candidates):
    """The value of the first two candidates (name, value) that agree to 1e-20; mpmath's hyp2f1
    is silently wrong for some huge parameters (2F1(1e4, 1e4+2.6; 1e4+2.5; 0.5) by a factor
    of 1e7), so no single form is trusted."""
    vals = [(n, v) for n, v in candidates if v is not None]
    for i in range(len(vals)):
        for j in range(i + 1, len(vals)):
            vi, vj = vals[i][1], vals[j][1]
            if abs(vi - vj) <= mpf("1e-20") * abs(vi):
                return vi
    raise AssertionError((what, [(n, mp.nstr(v, 25)) for n, v in vals]))


def try_(f):
    try:
        return f()
    except Exception:  # mpmath's convergence failures
        return None


@at_a
def direct_while_alive(r, alpha, a, b, x, t, h):
    """Wagner and Hoppe (2008): (a+b+x)/(a-1) [1 - (1+s)^-(r+x) 2F1(r+x, b+x+1; a+b+x; z)]."""
    a = regular_a(a)
    z = h / (alpha + t + h)
    return (a + b + x) / (a - 1) * (1 - ((alpha + t) / (alpha + t + h)) ** (r + x) * hyp2f1(r + x, b + x + 1, a + b + x, z))


@at_a
def euler_while_alive(r, alpha, a, b, x, t, h):
    """The same after Euler's transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z):
    (a+b+x)/(a-1) [1 - (1+s)^(1-a) 2F1(a+b-r, a-1; a+b+x; z)]."""
    a = regular_a(a)
    sv = h / (alpha + t)
    z = h / (alpha + t + h)
    return (a + b + x) / (a - 1) * (1 - (1 + sv) ** (1 - a) * hyp2f1(a + b - r, a - 1, a + b + x, z))


def mixture_while_alive(r, alpha, a, b, x, t, h):
    """E[(1 - (1 + p s)^-k) / p] over p ~ Beta(a, b'), k = r+x, b' = b+x+1, as the series of
    positive terms (1-z)^k sum_{n>=1} (k)_n z^n / n! sum_{j<n} E[(1-p)^j] (z = s/(1+s),
    E[(1-p)^j] = prod_{i<j} (b'+i)/(a+b'+i)), from 1 - (1+ps)^-k = (1-z)^k sum_n (k)_n z^n/n!
    (1 - (1-p)^n) and (1 - (1-p)^n)/p = sum_{j<n} (1-p)^j. No 2F1, no division by a - 1."""
    sv = h / (alpha + t)
    k, bb = r + x, b + x + 1
    z = sv / (1 + sv)
    u, d, m, total, n = mpf(1), mpf(0), mpf(1), mpf(0), 0
    peak = k * z / (1 - z)
    while True:
        d += m
        m *= (bb + n) / (a + bb + n)
        u *= (k + n) / (n + 1) * z
        n += 1
        term = u * d
        total += term
        if n > peak + 10 and term < mpf(10) ** -(mp.dps + 5) * total:
            return (1 - z) ** k * total


def mixture_terms(r, alpha, a, b, x, t, h):
    sv = h / (alpha + t)
    return (r + x) * sv + 60 * (1 + sv) * mp.dps / 16


def mp_while_alive(r, alpha, a, b, x, t, h):
    cands = [("direct", try_(lambda: direct_while_alive(r, alpha, a, b, x, t, h))),
             ("euler", try_(lambda: euler_while_alive(r, alpha, a, b, x, t, h)))]
    if mixture_terms(r, alpha, a, b, x, t, h) <= 3e5:
        cands.append(("mixture", try_(lambda: mixture_while_alive(r, alpha, a, b, x, t, h))))
    return agreed(("while alive", r, alpha, a, b, x, t, h), cands)


@at_a
def mp_new(r, alpha, a, b, h):
    """Batislam et al. (2007) eq. (A4), b/(a-1) [1 - (alpha/(alpha+h))^r 2F1(r, b+1; a+b; h/(alpha+h))]
    = b/(a+b) times the expectation while alive of a customer with x = 0 at T = 0."""
    a1 = regular_a(a)
    q = h / (alpha + h)
    direct = try_(lambda: b / (a1 - 1) * (1 - (alpha / (alpha + h)) ** r * hyp2f1(r, b + 1, a1 + b, q)))
    euler = try_(lambda: b / (a + b) * euler_while_alive(r, alpha, a, b, 0, 0, h))
    cands = [("direct", direct), ("euler", euler)]
    if mixture_terms(r, alpha, a, b, 0, 0, h) <= 3e5:
        cands.append(("mixture", try_(lambda: b / (a + b) * mixture_while_alive(r, alpha, a, b, 0, 0, h))))
    return agreed(("new", r, alpha, a, b, h), cands)


def mp_prob(r, alpha, a, b, n, h):
    """Batislam et al. (2007) eq. (A2): B(a,b+n+1)/B(a,b) NB(n) + B(a+1,b+n)/B(a,b) P(NB >= n),
    the tail as the regularized incomplete beta I_q(n, r), q = h/(alpha+h), checked against the
    sum of the negative binomial probabilities from n on where that converges quickly."""
    q = h / (alpha + h)
    ln_nb = lambda j: loggamma(r + j) - loggamma(r) - loggamma(j + 1) + r * log(alpha / (alpha + h)) + j * log(q)
    tail = betainc(n, r, 0, q, regularized=True) if n > 0 else mpf(1)
    if 0 < n and q <= mpf("0.999") and r <= 1e4:
        term, total, j = exp(ln_nb(n)), mpf(0), n
        while term > mpf("1e-70") * total or j < n + 10:
            total += term
            term *= (r + j) / (j + 1) * q
            j += 1
        assert abs(total - tail) <= mpf("1e-25") * tail, ("tail", r, alpha, n, h, total, tail)
    return beta(a, b + n + 1) / beta(a, b) * exp(ln_nb(n)) + beta(a + 1, b + n) / beta(a, b) * tail


# ---- lifetimes ----

def lifetimes_part(d):
    m = ModifiedBetaGeoFitter().fit(d.frequency, d.recency, d["T"])
    w = np.ones(len(d))
    ll = -m._negative_log_likelihood(np.log(m.params_.values), d.frequency.values, d.recency.values, d["T"].values, w, 0.0) * len(d)
    out = {
        "params": {k: repr(float(v)) for k, v in m.params_.items()},
        "std_errors": {k: repr(float(v)) for k, v in m.standard_errors_.items()},
        "log_likelihood": repr(float(ll)),
    }
    return m, out


def fixed_part(m, d, params):
    m.params_ = pd.Series(params, index=["r", "alpha", "a", "b"])
    r, alpha, a, b = (mpf(v) for v in params)
    customers = []
    for row in d.itertuples(index=False):
        x, tx, t = int(row.frequency), float(row.recency), float(row.T)
        one = lambda v, dt=float: np.array([v], dtype=dt)
        ll = -m._negative_log_likelihood(np.log(np.array(params)), one(x, int), one(tx), one(t), one(1.0), 0.0)
        alive = float(m.conditional_probability_alive(x, tx, t)[0])
        exp_ = [float(m.conditional_expected_number_of_purchases_up_to_time(h, x, tx, t)) for h in HORIZONS]
        # lifetimes' scipy values agree with the mpmath formulas (a check of both).
        for h, v in zip(HORIZONS, exp_):
            want = mp_alive(r, alpha, a, b, x, tx, t) * euler_while_alive(r, alpha, a, b, x, t, h)
            assert abs(v - want) <= 1e-10 * want, (params, x, tx, t, h, v, want)
        assert abs(ll - mp_ll(r, alpha, a, b, x, tx, t)) <= 1e-10 * abs(ll)
        customers.append({"x": x, "t_x": tx, "T": t, "ll": repr(float(ll)), "p_alive": repr(alive),
                          "expected": [repr(v) for v in exp_]})
    new = [repr(float(m.expected_number_of_purchases_up_to_time(h))) for h in NEW_HORIZONS]
    prob = [[repr(float(m.probability_of_n_purchases_up_to_time(h, n))) for n in PROB_N] for h in PROB_HORIZONS]
    return {"params": [repr(float(v)) for v in params], "horizons": HORIZONS, "customers": customers,
            "new_horizons": NEW_HORIZONS, "expected_new": new, "prob_horizons": PROB_HORIZONS, "prob_n": PROB_N, "prob": prob}


# ---- the extreme grid ----

GRID_PARAMS = {
    "cdnow": ("0.5248", "6.183", "0.8914", "1.614"),
    "a_below1": ("0.5248", "6.183", "0.999999999", "1.614"),
    "a_above1": ("0.5248", "6.183", "1.000000001", "1.614"),
    "a_one": ("0.5248", "6.183", "1", "1.614"),
    "a_big": ("0.5248", "6.183", "40", "3"),
    "a_tiny": ("0.5248", "6.183", "1e-12", "1.614"),
    "b_tiny": ("0.5248", "6.183", "0.8914", "1e-12"),
    "ab_tiny": ("0.3", "2", "1e-9", "1e-9"),
    "alpha_huge": ("0.5248", "1e8", "0.8914", "1.614"),
    "alpha_tiny": ("0.5248", "1e-8", "0.8914", "1.614"),
    "r_huge": ("1e4", "1e4", "0.8914", "1.614"),
    "r_tiny": ("1e-8", "6.183", "0.8914", "1.614"),
}
GRID_CUSTOMERS = [(0, "0", "0"), (0, "0", "10"), (0, "0", "1e4")] + [
    (x, tx, t) for x in (1, 7, 100, 10000) for tx, t in (("5", "10"), ("5000", "1e4"), ("1e4", "1e4"))
]
GRID_HORIZONS = ["0.1", "39", "1e4"]
GRID_NEW_HORIZONS = ["0.1", "1", "39", "1e4"]
GRID_N = [0, 1, 5, 100, 10000]


def grid_part():
    out = []
    for name, ps in GRID_PARAMS.items():
        r, alpha, a, b = (mpf(v) for v in ps)
        entry = {"name": name, "params": ps, "customers": [], "new": [], "prob": []}
        for x, tx, t in GRID_CUSTOMERS:
            tx, t = mpf(tx), mpf(t)
            alive = mp_alive(r, alpha, a, b, x, tx, t)
            exps = []
            for h in GRID_HORIZONS:
                h = mpf(h)
                w = mp_while_alive(r, alpha, a, b, x, t, h)
                exps.append(s(alive * w))
            entry["customers"].append({"x": x, "t_x": s(tx), "T": s(t), "ll": s(mp_ll(r, alpha, a, b, x, tx, t)),
                                       "p_alive": s(alive), "horizons": GRID_HORIZONS, "expected": exps})
        for h in GRID_NEW_HORIZONS:
            entry["new"].append([h, s(mp_new(r, alpha, a, b, mpf(h)))])
        for h in GRID_HORIZONS:
            for n in GRID_N:
                entry["prob"].append([h, n, s(mp_prob(r, alpha, a, b, n, mpf(h)))])
        out.append(entry)
        print(name, "done", flush=True)
    return out


def main():
    d = pd.read_csv(CDNOW)
    m, fitted = lifetimes_part(d)
    print(fitted, flush=True)
    fit_params = [float(v) for v in m.params_.values]
    fixed = [fixed_part(m, d, fit_params), fixed_part(m, d, [0.3, 5.0, 2.5, 4.0])]
    print("fixed done", flush=True)
    golden = {"lifetimes": fitted, "fixed": fixed, "mpmath": grid_part()}
    OUT.write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
