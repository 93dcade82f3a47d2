"""Golden quantiles for ColumnStatisticsTest: numpy.quantile (linear, Hyndman and Fan type 7).

    python3 make_quantiles.py > quantiles.json

Each case: values (JSON strings for non-finite numbers), probabilities, numpy's quantiles.
"""
import json
import numpy as np

rng = np.random.default_rng(20261201)
cases = {
    "few_distinct": list(rng.integers(0, 5, 500).astype(float)),          # exact value counts
    "continuous_150": list(np.round(rng.normal(10, 3, 150), 6)),           # KLL exact mode

    "single": [42.0],
    "ties_and_negatives": [-3.0, -3.0, -1.0, 0.0, 0.0, 0.0, 5.5, 5.5, 9.0, 12.0, -0.0],
}
qs = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0]

def enc(x):
    return x if np.isfinite(x) else ("Infinity" if x > 0 else "-Infinity")

out = []
for name, vals in cases.items():
    with np.errstate(invalid="ignore"):
        got = [float(np.quantile(np.array(vals, dtype=float), q)) for q in qs]
    out.append({"name": name, "values": [enc(float(v)) for v in vals], "q": qs,
                "quantiles": [enc(g) if not np.isnan(g) else "NaN" for g in got]})
print(json.dumps({"numpy": np.__version__, "cases": out}, indent=1))
