"""Times lifetimes 0.11.3 on a CSV exported by bench/run.sh (columns frequency, recency, T, monetary).

Usage: lifetimes_fit.py CSV REPS. Prints one JSON object: best BG/NBD and Gamma-Gamma fit times in
seconds and the fitted parameters (BetaGeoFitter and GammaGammaFitter with penalizer_coef=0, the
Gamma-Gamma fit on customers with frequency > 0 and monetary > 0, as crm_gamma_gamma_fit uses).
"""
import json
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter


def best_of(reps, fit):
    best, model = float("inf"), None
    for _ in range(reps):
        t0 = time.perf_counter()
        model = fit()
        best = min(best, time.perf_counter() - t0)
    return best, model


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    df = pd.read_csv(path)
    bg_s, bg = best_of(reps, lambda: BetaGeoFitter(penalizer_coef=0.0).fit(df["frequency"], df["recency"], df["T"]))
    rep = df[(df["frequency"] > 0) & (df["monetary"] > 0)]
    gg_s, gg = best_of(reps, lambda: GammaGammaFitter(penalizer_coef=0.0).fit(rep["frequency"], rep["monetary"]))
    print(json.dumps({
        "bg_s": bg_s,
        "gg_s": gg_s,
        "bg": {k: float(bg.params_[k]) for k in ("r", "alpha", "a", "b")},
        "gg": {k: float(gg.params_[k]) for k in ("p", "q", "v")},
    }))


if __name__ == "__main__":
    main()
