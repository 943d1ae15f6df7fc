"""Times lifetimes 0.11.3's validation data on a transaction CSV exported by bench/validation.sh
(columns id, date): expected_cumulative_transactions (weekly, t = 546 days, freq "D" x 7) and
the data of plot_calibration_purchases_vs_holdout_purchases (calibration_and_holdout_data to
1997-09-30 / 1998-06-30, then the conditional expectations and group means), with BG/NBD at the
given parameters. Usage: lifetimes_validation.py CSV R ALPHA A B. Prints one JSON object.
"""
import json
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter
from lifetimes.utils import calibration_and_holdout_data, expected_cumulative_transactions


def timed(f):
    t0 = time.perf_counter()
    v = f()
    return time.perf_counter() - t0, v


def main():
    path, r, alpha, a, b = sys.argv[1], *map(float, sys.argv[2:6])
    tx = pd.read_csv(path, parse_dates=["date"])
    m = BetaGeoFitter()
    m.params_ = pd.Series({"r": r, "alpha": alpha, "a": a, "b": b})
    track_s, track = timed(lambda: expected_cumulative_transactions(m, tx, "date", "id", 546, freq="D", freq_multiplier=7))

    def calibration_holdout():
        s = calibration_and_holdout_data(tx, "id", "date", calibration_period_end="1997-09-30",
                                         observation_period_end="1998-06-30", freq="D", freq_multiplier=7)
        s["model_predictions"] = m.conditional_expected_number_of_purchases_up_to_time(
            s.iloc[0]["duration_holdout"], s["frequency_cal"], s["recency_cal"], s["T_cal"])
        return s.groupby("frequency_cal")[["frequency_holdout", "model_predictions"]].mean().iloc[:7]

    cal_s, cal = timed(calibration_holdout)
    print(json.dumps({"tracking_s": track_s, "tracking_last": float(track["predicted"].iloc[-1]),
                      "calibration_holdout_s": cal_s, "customers": int(tx["id"].nunique())}))


if __name__ == "__main__":
    main()
