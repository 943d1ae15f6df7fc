#!/usr/bin/env python3
"""Reference values for sBG (crates/crm_core/tests/sbg_golden.rs), written to
crates/crm_core/tests/golden/sbg.json. `lifetimes` has no sBG: every value is mpmath at 50
digits, from Fader and Hardie (2007, 2010) written here independently of the Rust code:
- survival S(t) = B(alpha, beta+t)/B(alpha, beta) with mpmath's beta function, checked for
  t <= 200 against the product of the retention rates (beta+i-1)/(alpha+beta+i-1);
- churn_probability P(T = t) = B(alpha+1, beta+t-1)/B(alpha, beta);
- derl(d, n renewals) = sum_{t>n} S(t)/S(n) (1+d)^-(t-n-1), summed directly until the terms are
  below 1e-45 of the sum, checked against FH 2010 eq. 6 (with n-1 there = n here)
  (beta+n)/(alpha+beta+n) 2F1(1, beta+n+1; alpha+beta+n+1; 1/(1+d)) where mpmath's 2F1 converges;
- cohort_clv(margin 1, d, k) = sum_{t>=k} S(t) (1+d)^-(t-k), directly as well.
Not a test dependency; to regenerate:
    /work/main/bench/.venv/bin/python scripts/golden/sbg_golden.py
"""
import json
import os

from mpmath import mp, mpf, beta, hyp2f1

mp.dps = 50
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "crates", "crm_core", "tests", "golden", "sbg.json")

PARAMS = {
    "regular": ("0.704", "1.182"),
    "high_end": ("0.668", "3.806"),
    "tiny": ("1e-3", "1e-3"),
    "large": ("1e3", "1e3"),
    "skewed": ("1e-4", "1e4"),
    "churny": ("50", "0.01"),
}
TIMES = [0, 1, 2, 7, 12, 100, 10000, 1000000, 1000000000]
RENEWALS = [0, 1, 7, 100, 10000]
DISCOUNTS = ["0.1", "0.01", "1"]


def s(v):
    return mp.nstr(v, 20, min_fixed=-1, max_fixed=-1) if v != 0 else "0"


def surv(a, b, t):
    return beta(a, b + t) / beta(a, b)


def discounted_from(a, b, k, z):
    """sum_{j>=0} z^j S(k+j)/S(k) by term ratios."""
    total, term, j = mpf(1), mpf(1), 0
    while True:
        term *= z * (b + k + j) / (a + b + k + j)
        total += term
        j += 1
        if term < mpf("1e-45") * total:
            return total


def main():
    out = []
    for name, (a, b) in PARAMS.items():
        a, b = mpf(a), mpf(b)
        prod = mpf(1)
        for i in range(1, 201):
            prod *= (b + i - 1) / (a + b + i - 1)
            assert abs(prod - surv(a, b, i)) <= mpf("1e-40") * prod
        e = {"name": name, "params": [float(a), float(b)], "survival": [], "churn": [], "derl": [], "cohort_clv": []}
        for t in TIMES:
            e["survival"].append([t, s(surv(a, b, t))])
            if t >= 1:
                e["churn"].append([t, s(beta(a + 1, b + t - 1) / beta(a, b))])
        for d in DISCOUNTS:
            z = 1 / (1 + mpf(d))
            for n in RENEWALS:
                v = (b + n) / (a + b + n) * discounted_from(a, b, n + 1, z)
                try:
                    alt = (b + n) / (a + b + n) * hyp2f1(1, b + n + 1, a + b + n + 1, z, maxprec=1000)
                    assert abs(v - alt) <= mpf("1e-30") * v, (name, d, n)
                except (ValueError, ZeroDivisionError):
                    pass
                e["derl"].append([float(d), n, s(v)])
                e["cohort_clv"].append([float(d), n, s(surv(a, b, n) * discounted_from(a, b, n, z))])
        out.append(e)
    with open(OUT, "w") as f:
        json.dump({"mpmath": out}, f, indent=1)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
