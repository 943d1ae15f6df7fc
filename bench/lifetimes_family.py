"""Times lifetimes 0.11.3's MBG/NBD and Pareto/NBD fits on a CSV exported by bench/run.sh
(columns frequency, recency, T, monetary).

Usage: lifetimes_family.py CSV REPS. Prints one JSON object: the best fit time in seconds and the
fitted parameters of ModifiedBetaGeoFitter and ParetoNBDFitter (penalizer_coef=0), the same rows
crm_mbgnbd_fit and crm_pareto_nbd_fit take.
"""
import json
import sys

import pandas as pd
from lifetimes import ModifiedBetaGeoFitter, ParetoNBDFitter

from lifetimes_fit import best_of


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    df = pd.read_csv(path)
    out = {}
    for key, fitter, names in (("mbgnbd", ModifiedBetaGeoFitter, ("r", "alpha", "a", "b")),
                               ("pareto_nbd", ParetoNBDFitter, ("r", "alpha", "s", "beta"))):
        s, model = best_of(reps, lambda: fitter(penalizer_coef=0.0).fit(df["frequency"], df["recency"], df["T"]))
        out[key + "_s"] = s
        out[key] = {k: float(model.params_[k]) for k in names}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
