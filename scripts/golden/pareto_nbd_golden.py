#!/usr/bin/env python3
"""Reference values for the Pareto/NBD model (crates/crm_core/tests/pareto_nbd_*.rs).

Writes crates/crm_core/tests/golden/pareto_nbd_golden.json with:
- "lifetimes_fit": lifetimes 0.11.3 ParetoNBDFitter on the CDNOW summary (Nelder-Mead from its
  random start, numpy seed 0): params and the summed log-likelihood at them.
- "cdnow": per customer of the CDNOW summary, at FIXED parameters (the published estimates), the
  lifetimes 0.11.3 values of: the log-likelihood (_conditional_log_likelihood), P(alive),
  conditional expected purchases over 39 weeks, conditional P(n purchases in 39 weeks) for
  n = 0..3, and the new-customer expectation E[X(t)] at a few t.
- "grid": an extreme grid of parameters and customers with independent high-precision values
  from mpmath (at 50 digits or more: each closed form is evaluated at 50, 100, 200, 400 digits
  until two agree to 1e-30, see `stable`), from the papers' closed forms, not from the Rust derivation:
  log-likelihood FH05 eqs. (18)-(20) with mpmath's 2F1, P(alive) FH05 eq. (36)-(37),
  conditional expectation FH05 eq. (41), E[X(t)] FH05 eq. (27), P(X(t) = n) FH06 eq. (8)
  (2F1 terms and the finite sum), the conditional P(X(T, T+t) = n) FH028 (the same with
  (r+x, alpha+T, s, beta+T) plus the dead-at-T mass), DERT FHL05 eq. (A2) with mpmath's
  hyperu(s, s, z); the FH06 value is checked against direct quadrature where that is reliable.
- "hyperu": U(1, b, z) from mpmath.hyperu on a grid of b and z.
Not a test dependency; to regenerate (lifetimes, numpy<2, pandas<2, scipy, mpmath):
    /work/main/bench/.venv/bin/python scripts/golden/pareto_nbd_golden.py
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from mpmath import mp, mpf, hyp2f1, loggamma, log, exp, hyperu, quad, linspace, inf, beta as mbeta

from lifetimes import ParetoNBDFitter

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "..", "shared", "data", "cdnow", "cdnow_customers_summary.csv")
if not os.path.exists(DATA):
    DATA = "/work/shared/data/cdnow/cdnow_customers_summary.csv"
OUT = os.path.join(ROOT, "crates", "crm_core", "tests", "golden", "pareto_nbd_golden.json")

PUBLISHED = (0.5533, 10.5776, 0.6062, 11.6680)
mp.dps = 50


def lifetimes_part():
    df = pd.read_csv(DATA)
    x, tx, T = df["frequency"].values, df["recency"].values, df["T"].values
    np.random.seed(0)
    f = ParetoNBDFitter()
    f.fit(x, tx, T)
    fitted = [float(f.params_[k]) for k in ("r", "alpha", "s", "beta")]
    ll_fit = float(np.sum(f._conditional_log_likelihood(fitted, x, tx, T)))
    f.params_ = pd.Series(list(PUBLISHED), index=["r", "alpha", "s", "beta"])
    rows = []
    for i in range(len(df)):
        xi, txi, ti = int(x[i]), float(tx[i]), float(T[i])
        row = {
            "x": xi, "t_x": txi, "T": ti,
            "ll": float(f._conditional_log_likelihood(list(PUBLISHED), xi, txi, ti)),
            "p_alive": float(f.conditional_probability_alive(xi, txi, ti)),
            "expected_39": float(f.conditional_expected_number_of_purchases_up_to_time(39.0, xi, txi, ti)),
            "prob_39": [float(f.conditional_probability_of_n_purchases_up_to_time(n, 39.0, xi, txi, ti)) for n in range(4)],
        }
        rows.append(row)
    new = {str(t): float(f.expected_number_of_purchases_up_to_time(t)) for t in (1.0, 39.0, 78.0)}
    return {"params": fitted, "log_likelihood": ll_fit}, {"params": list(PUBLISHED), "customers": rows, "expected_new": new}


# ---- mpmath, from the papers' closed forms ----

def ll_mp(r, a, s, b, x, tx, T):
    """FH05 eqs. (18)-(20)."""
    rsx = r + s + x
    if a >= b:
        A0 = hyp2f1(rsx, s + 1, rsx + 1, (a - b) / (a + tx)) / (a + tx) ** rsx - hyp2f1(rsx, s + 1, rsx + 1, (a - b) / (a + T)) / (a + T) ** rsx
    else:
        A0 = hyp2f1(rsx, r + x, rsx + 1, (b - a) / (b + tx)) / (b + tx) ** rsx - hyp2f1(rsx, r + x, rsx + 1, (b - a) / (b + T)) / (b + T) ** rsx
    first = (a + T) ** (-(r + x)) * (b + T) ** (-s)
    lnC = loggamma(r + x) - loggamma(r) + r * log(a) + s * log(b)
    return lnC + log(first + s / rsx * A0), lnC + log(first)


def prob_new_mp(r, a, s, b, n, t):
    """FH06 eq. (8): P(X(t) = n) of a new customer."""
    first = exp(loggamma(r + n) - loggamma(r) - loggamma(n + 1)) * (a / (a + t)) ** r * (t / (a + t)) ** n * (b / (b + t)) ** s
    if a >= b:
        m, p2 = a, s + 1
        zf = lambda y: (a - b) / (a + y)
    else:
        m, p2 = b, r + n
        zf = lambda y: (b - a) / (b + y)
    B1 = hyp2f1(r + s, p2, r + s + n + 1, zf(0)) / m ** (r + s)
    B2 = mpf(0)
    for i in range(n + 1):
        B2 += exp(loggamma(r + s + i) - loggamma(r + s) - loggamma(i + 1)) * t ** i * hyp2f1(r + s + i, p2, r + s + n + 1, zf(t)) / (m + t) ** (r + s + i)
    return first + a ** r * b ** s * mbeta(r + n, s + 1) / mbeta(r, s) * (B1 - B2)


def prob_new_quad(r, a, s, b, n, t):
    """The same by its derivation (alive at t, or dead at tau < t after n purchases), by quadrature
    (used where FH06's B1 - B2 cancels beyond 400 digits)."""
    c = exp(loggamma(r + n) - loggamma(r) - loggamma(n + 1))
    alive = c * (a / (a + t)) ** r * (t / (a + t)) ** n * (b / (b + t)) ** s
    # In sigma = ln tau on 400 equal pieces down to 80/(n+1) + 12 below ln min(t, alpha, beta)
    # (below, the integrand falls like e^((n+1) sigma)), from -inf on the last piece.
    top = log(t)
    low = min(top, log(a), log(b)) - 80 / mpf(n + 1) - 12
    f = lambda sg: exp((n + 1) * sg) * (a + exp(sg)) ** (-(r + n)) * (b + exp(sg)) ** (-(s + 1))
    J = quad(f, linspace(low, top, 400)) + quad(f, [-inf, low])
    return alive + s * a ** r * b ** s * c * J


def stable(fn, *args, floor=0):
    """fn(*args) at increasing precision (50, 100, 200, 400 digits) until two agree to 1e-30:
    the closed forms subtract nearly equal 2F1 terms (FH06's B1 - B2, FH05's A0)."""
    prev = None
    for dps in (50, 100, 200, 400):
        with mp.workdps(dps):
            v = fn(*[mpf(a) if isinstance(a, float) else (+a if isinstance(a, mpf) else a) for a in args])
        if prev is not None and abs(v - prev) <= mpf("1e-30") * max(abs(v), floor):
            return v
        prev = v
    raise ValueError("no agreement at 400 digits")


def grid_part():
    P = [
        (0.5533, 10.5776, 0.6062, 11.6680),
        (0.5, 5.0, 0.8, 5.0),  # alpha == beta
        (0.5, 10.0, 0.6, 10.0 * (1 + 1e-9)),  # alpha ~ beta
        (0.5, 1e4, 0.6, 1e-3),  # alpha >> beta
        (2.0, 1e3, 0.05, 0.1),
        (0.5, 1e-3, 0.6, 1e4),  # alpha << beta
        (0.05, 0.1, 3.0, 1e3),
        (1e-4, 1.0, 0.5, 2.0),  # tiny r
        (0.5, 2.0, 1e-4, 1.0),  # tiny s
        (1e3, 1e3, 0.5, 10.0),  # huge r
        (0.5, 10.0, 1e3, 1e3),  # huge s
        (0.5, 10.0, 1.0, 10.5),  # s = 1
        (1e-3, 1e-4, 1e-3, 1e-4),  # everything tiny
        (50.0, 1e4, 50.0, 1e4),  # everything large
    ]
    C = [(0, 0.0, 0.0), (0, 0.0, 1.0), (0, 0.0, 39.0), (0, 0.0, 1e4), (1, 0.5, 39.0), (5, 30.0, 39.0), (100, 38.0, 39.0),
         (2, 1.0, 1.0), (10000, 9000.0, 1e4), (10000, 10.0, 1e4), (10, 9999.5, 1e4)]
    H, DELTAS, NS = [39.0], [0.0029, 1.0], [0, 1, 5]
    out = []
    for (r, a, s, b) in P:
        r, a, s, b = mpf(r), mpf(a), mpf(s), mpf(b)
        new = []
        for t in (1.0, 39.0, 1e4):
            t = mpf(t)
            e_new = r * b / (a * (s - 1)) * (1 - (b / (b + t)) ** (s - 1)) if s != 1 else r * b / a * log(1 + t / b)
            probs = []
            for n in (0, 1, 5, 50):
                try:
                    try:
                        v = stable(prob_new_mp, r, a, s, b, n, t)
                    except ValueError:  # B1 - B2 cancels beyond 400 digits: the derivation's integral
                        v = stable(prob_new_quad, r, a, s, b, n, t)
                except Exception as e:  # mpmath gave up: leave the point out
                    print("prob_new", (r, a, s, b, n, t), e, file=sys.stderr)
                    v = None
                probs.append(None if v is None else float(v))
            new.append({"t": float(t), "expected": float(e_new), "prob": probs})
        custs = []
        for (x, tx, T) in C:
            x, tx, T = mpf(x), mpf(tx), mpf(T)
            try:
                ll = stable(lambda *q: ll_mp(*q)[0], r, a, s, b, x, tx, T, floor=1)
                ln_alive_num = ll_mp(r, a, s, b, x, tx, T)[1]
            except Exception as e:
                print("ll", (r, a, s, b, x, tx, T), e, file=sys.stderr)
                continue
            pa = exp(ln_alive_num - ll)
            r2, a2, b2 = r + x, a + T, b + T
            rec = {"x": float(x), "t_x": float(tx), "T": float(T), "ll": float(ll), "p_alive": float(pa)}
            h = mpf(H[0])
            ce = (r + x) * (b + T) / ((a + T) * (s - 1)) * (1 - ((b + T) / (b + T + h)) ** (s - 1)) if s != 1 else (r + x) * (b + T) / (a + T) * log(1 + h / (b + T))
            rec["expected_39"] = float(pa * ce)
            cp = []
            for n in NS:
                try:
                    v = pa * stable(prob_new_mp, r2, a2, s, b2, n, h) + (1 - pa if n == 0 else 0)
                    cp.append(float(v))
                except Exception as e:
                    print("cond prob", (r, a, s, b, x, tx, T, n), e, file=sys.stderr)
                    cp.append(None)
            rec["prob_39"] = cp
            d = []
            for delta in DELTAS:
                delta = mpf(delta)
                z = delta * (b + T)
                v = exp(r * log(a) + s * log(b) + (s - 1) * log(delta) + loggamma(r + x + 1) + log(hyperu(s, s, z))
                        - loggamma(r) - (r + x + 1) * log(a + T) - ll)
                d.append(float(v))
            rec["dert"] = d
            custs.append(rec)
        out.append({"params": [float(r), float(a), float(s), float(b)], "new": new, "customers": custs})
    # FH06 against its derivation by quadrature (moderate cases).
    for (r, a, s, b, n, t) in [(0.55, 10.6, 0.6, 11.7, 2, 39.0), (0.5, 5, 0.8, 2.0, 0, 10.0), (1.5, 2, 2.5, 20, 5, 39.0)]:
        u, v = prob_new_mp(*map(mpf, (r, a, s, b)), n, mpf(t)), prob_new_quad(*map(mpf, (r, a, s, b)), n, mpf(t))
        assert abs(u - v) < mpf("1e-25") * v, (r, a, s, b, n, t, u, v)
    return out, {"deltas": DELTAS, "horizon": H[0], "n": NS, "new_n": [0, 1, 5, 50]}


def hyperu_part():
    vals = []
    for b in (-1e3, -5.0, -0.5, 0.0, 0.4, 1.0, 1.0 + 1e-9, 1.5, 1.9999):
        for z in (1e-8, 1e-3, 0.3, 1.0, 2.5, 40.0, 1e4):
            vals.append([b, z, float(hyperu(1, mpf(b), mpf(z)))])
    return vals


def main():
    lt_fit, cdnow = lifetimes_part()
    grid, grid_meta = grid_part()
    out = {"lifetimes_fit": lt_fit, "cdnow": cdnow, "grid": grid, "grid_meta": grid_meta, "hyperu": hyperu_part()}
    with open(OUT, "w") as fh:
        json.dump(out, fh, indent=0)
    print("wrote", OUT, "lifetimes fit", lt_fit)


if __name__ == "__main__":
    main()
