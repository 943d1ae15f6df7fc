#!/usr/bin/env python3
"""Reference values for BG/NBD expected purchases when a + b - 1 <= 0 (crates/crm_core/tests/bgnbd_small_ab.rs).

E[X(h)] of a customer with no repeat purchase, age T, is E_p[(1 - (1 + p s)^-r) / p] with
p ~ Beta(a, b) and s = h / (alpha + T) (a new customer: T = 0). Computed with mpmath at 40
digits from the closed form (a+b-1)/(a-1) [1 - (1+s)^-r 2F1(r, b; a+b-1; s/(1+s))] (its analytic
continuation to -1 < a+b-1 < 0) and, where s <= 100, checked to 1e-25 against the Beta mixture
(1-z)^r sum_{n>=1} (r)_n z^n / n! sum_{j<n} E[(1-p)^j], z = s/(1+s), E[(1-p)^j] =
prod_{i<j} (b+i)/(a+b+i). (Direct quadrature of the Beta density is not reliable for a, b this small.)
Prints the Rust table of the test. Not a test dependency; to regenerate:
    python3 -m venv /tmp/mpvenv && /tmp/mpvenv/bin/pip install mpmath
    /tmp/mpvenv/bin/python scripts/golden/bgnbd_small_ab_golden.py
"""
from mpmath import mp, mpf, hyp2f1

mp.dps = 40

PARAMS = [  # (r, alpha, a, b), all with a + b - 1 <= 0
    ("0.1", "0.01", "0.05", "0.02"),
    ("0.243", "4.414", "0.999", "1e-4"),
    ("0.5", "1", "0.3", "0.2"),
    ("2", "10", "0.6", "0.3"),
]
CASES = [("0", "0.1"), ("0", "1"), ("0", "39"), ("0", "1000"), ("10", "39")]  # (T, horizon)


def closed_form(r, alpha, a, b, t, h):
    s = h / (alpha + t)
    z = s / (1 + s)
    return (a + b - 1) / (a - 1) * (1 - (1 + s) ** (-r) * hyp2f1(r, b, a + b - 1, z))


def mixture(r, alpha, a, b, t, h):
    s = h / (alpha + t)
    z = s / (1 + s)
    total, u, d, m, n = mpf(0), mpf(1), mpf(0), mpf(1), 0
    while True:
        n += 1
        d += m
        m *= (b + n - 1) / (a + b + n - 1)
        u *= (r + n - 1) / n * z
        total += u * d
        if n > 10 and u * d < mpf("1e-45") * total:
            return (1 - z) ** r * total


def main():
    print("const MPMATH: &[(f64, f64, f64, f64, f64, f64, f64)] = &[")
    print("    // (r, alpha, a, b, T, horizon, E[X(horizon)] of a customer without repeat purchases)")
    for r, alpha, a, b in PARAMS:
        r, alpha, a, b = map(mpf, (r, alpha, a, b))
        for t, h in CASES:
            t, h = mpf(t), mpf(h)
            v = closed_form(r, alpha, a, b, t, h)
            if h / (alpha + t) <= 100:
                q = mixture(r, alpha, a, b, t, h)
                assert abs(v - q) <= mpf("1e-25") * v, (r, alpha, a, b, t, h, v, q)
            print(f"    ({mp.nstr(r, 17)}, {mp.nstr(alpha, 17)}, {mp.nstr(a, 17)}, {mp.nstr(b, 17)}, "
                  f"{mp.nstr(t, 17)}, {mp.nstr(h, 17)}, {mp.nstr(v, 17)}),")
    print("];")


if __name__ == "__main__":
    main()
