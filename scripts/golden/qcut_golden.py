#!/usr/bin/env python3
"""Writes crates/crm_core/tests/golden/qcut_pandas.json: pandas qcut/rank/quantile results on
small random columns with many ties, for crm_core's tests/qcut_pandas.rs.

Not a test dependency: the JSON is committed. To regenerate (pandas 1.5, numpy 1.26 were used):
    python3 -m venv /tmp/pdvenv && /tmp/pdvenv/bin/pip install 'pandas<2' 'numpy<2'
    /tmp/pdvenv/bin/python scripts/golden/qcut_golden.py
Floats are written as repr() strings so they parse back bit for bit.
"""
import json
import pathlib

import numpy as np
import pandas as pd

OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/crm_core/tests/golden/qcut_pandas.json"
QUANTILES = [0.0, 0.01, 0.2, 0.25, 0.3, 0.5, 0.6000000000000001, 0.7, 0.99, 1.0]


def f(x):
    return repr(float(x))


def codes(series, bins, **kw):
    """qcut codes + 1 (None where pandas gives NaN), or the string 'error' if pandas raises."""
    try:
        c = pd.qcut(series, bins, labels=False, **kw)
    except ValueError:
        return "error"
    return [None if pd.isna(v) else int(v) + 1 for v in c]


def column(rng, kind, n):
    if kind == "small_ints":  # heavy ties
        return rng.integers(0, rng.integers(1, 6), n).astype(float)
    if kind == "ints":
        return rng.integers(-5, 40, n).astype(float)
    if kind == "money":
        return np.round(rng.lognormal(4, 1.2, n), 2)
    if kind == "skewed":  # most values equal the minimum
        return np.where(rng.random(n) < 0.6, 1.0, np.round(rng.exponential(10, n), 1) + 1.0)
    return rng.normal(0, 1e3, n)  # raw doubles


def main():
    rng = np.random.default_rng(20240601)
    cases = []
    for kind in ["small_ints", "ints", "money", "skewed", "raw"]:
        for _ in range(24):
            n = int(rng.choice([1, 2, 3, 4, 5, 7, 10, 13, 20, 31, 50, 64]))
            bins = int(rng.choice([2, 3, 4, 5, 5, 5, 7, 10]))
            x = pd.Series(column(rng, kind, n))
            qbins = np.quantile(x.to_numpy(), np.linspace(0, 1, bins + 1))
            ranks = x.rank(method="first")
            cases.append({
                "kind": kind,
                "bins": bins,
                "values": [f(v) for v in x],
                "pandas_bins": [f(v) for v in qbins],
                "quantiles": {f(q): f(np.quantile(x.to_numpy(), q)) for q in QUANTILES},
                "raise": codes(x, bins),
                "raise_reversed": codes(x, bins) if codes(x, bins) == "error" else
                    [int(v) for v in pd.qcut(x, bins, labels=list(range(bins, 0, -1)))],
                "drop": codes(x, bins, duplicates="drop"),
                "ranks": [int(r) for r in ranks],
                "rank_scores": codes(ranks, bins),
            })
    doc = {"generator": "scripts/golden/qcut_golden.py", "pandas": pd.__version__, "numpy": np.__version__, "cases": cases}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
