#!/usr/bin/env python3
"""Writes tests/pg_regress/data/cdnow_validation_lifetimes.csv, the reference values of the
validation functions' test (tests/pg_regress/sql/19_validation.sql), from lifetimes 0.11.3 on the
CDNOW sample transactions (../shared/data/cdnow/CDNOW_sample.txt: 2,357 customers, 1997-01-01 ..
1998-06-30) at fixed parameters (in weeks) of BG/NBD, MBG/NBD and Pareto/NBD:

1. kind "tracking": lifetimes.utils.expected_cumulative_transactions(model, transactions, "date",
   "id", t=546, freq="D", freq_multiplier=7): per week k = 0..77 (the week ending 7(k+1) days
   after 1997-01-01), the cumulative repeat transactions (purchase days after a customer's
   first) and the expected cumulative repeat transactions of every customer since their first
   purchase (ages in days / 7).
2. kind "calibration_holdout": the data of lifetimes.plotting.
   plot_calibration_purchases_vs_holdout_purchases (kind="frequency_cal", n=7) over
   lifetimes.utils.calibration_and_holdout_data(calibration_period_end="1997-09-30",
   observation_period_end="1998-06-30", freq="D", freq_multiplier=7): per calibration frequency
   0..6, the mean holdout purchases, the mean conditional expected purchases over the 39-week
   holdout, and the number of customers.
3. kind "histogram": per repeat-purchase count n = 0..6 in the calibration period, the customers
   with n, and the sum over customers of probability_of_n_purchases_up_to_time(T_cal, n) (Pareto/NBD:
   conditional_probability_of_n_purchases_up_to_time at frequency = recency = T = 0).

Columns: model, kind, key, actual, predicted, customers (repr floats). Not a test dependency: the
CSV is committed. To regenerate (lifetimes 0.11.3, numpy<2, pandas<2; the bench venv has them):
    bench/.venv/bin/python scripts/golden/validation_golden.py
"""
import csv
import pathlib

import pandas as pd
from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import calibration_and_holdout_data, expected_cumulative_transactions

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/pg_regress/data/cdnow_validation_lifetimes.csv"
SAMPLE = ROOT.parent / "shared/data/cdnow/CDNOW_sample.txt"
if not SAMPLE.exists():
    SAMPLE = pathlib.Path("/work/shared/data/cdnow/CDNOW_sample.txt")

# The fitted CDNOW parameters (weeks) the test gives its models too.
MODELS = {
    "bgnbd": (BetaGeoFitter, {"r": 0.242593, "alpha": 4.413532, "a": 0.792886, "b": 2.425752}),
    "mbgnbd": (ModifiedBetaGeoFitter, {"r": 0.524838, "alpha": 6.182992, "a": 0.891356, "b": 1.613999}),
    "pareto_nbd": (ParetoNBDFitter, {"r": 0.553275, "alpha": 10.57761, "s": 0.606214, "beta": 11.66792}),
}


def model_at(cls, params):
    m = cls()
    m.params_ = pd.Series(params)
    return m


def prob_n(m, t, n):
    """P(X(t) = n) of a new customer; lifetimes' Pareto/NBD has only the conditional form,
    which at frequency = recency = T = 0 is the same."""
    if hasattr(m, "probability_of_n_purchases_up_to_time"):
        return m.probability_of_n_purchases_up_to_time(t, n)
    return m.conditional_probability_of_n_purchases_up_to_time(n, t, 0.0, 0.0, 0.0)


def main():
    tx = pd.read_csv(SAMPLE, sep=r"\s+", header=None, names=["master", "id", "date", "cds", "dollars"])
    tx["date"] = pd.to_datetime(tx["date"].astype(str), format="%Y%m%d")
    summary = calibration_and_holdout_data(
        tx, "id", "date", calibration_period_end="1997-09-30", observation_period_end="1998-06-30",
        freq="D", freq_multiplier=7,
    )
    rows = []
    for name, (cls, params) in MODELS.items():
        m = model_at(cls, params)
        track = expected_cumulative_transactions(m, tx, "date", "id", 546, freq="D", freq_multiplier=7)
        for k, r in track.iterrows():
            rows.append((name, "tracking", k, float(r["actual"]), float(r["predicted"]), ""))
        s = summary.copy()
        s["model_predictions"] = m.conditional_expected_number_of_purchases_up_to_time(
            s.iloc[0]["duration_holdout"], s["frequency_cal"], s["recency_cal"], s["T_cal"])
        g = s.groupby("frequency_cal")
        means = g[["frequency_holdout", "model_predictions"]].mean().iloc[:7]
        counts = g.size()
        for f, r in means.iterrows():
            rows.append((name, "calibration_holdout", int(f), float(r["frequency_holdout"]),
                         float(r["model_predictions"]), int(counts[f])))
        for n in range(7):
            expected = sum(float(prob_n(m, t, n)) for t in s["T_cal"])
            rows.append((name, "histogram", n, float((s["frequency_cal"] == n).sum()), expected, ""))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["model", "kind", "key", "actual", "predicted", "customers"])
        for r in rows:
            w.writerow([r[0], r[1], r[2], repr(r[3]), repr(r[4]), r[5]])
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
