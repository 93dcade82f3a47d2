#!/usr/bin/env python3
"""Golden values for mlops-monitoring's drift statistics, computed with SciPy.

Run with Debian's interpreter (python3-scipy, python3-numpy):
    /usr/bin/python3 make_golden.py > golden.json
Inputs come from a fixed seed; the JSON holds inputs and outputs, so the Java test needs no Python.
"""
import json
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

rng = np.random.default_rng(20261126)


def r(a):
    return [float(x) for x in a]


out = {"scipy": scipy.__version__, "numpy": np.__version__, "seed": 20261126}

ks = []
for name, n, m, shift, scale in [
    ("small-same", 40, 55, 0.0, 1.0),
    ("small-shift", 60, 80, 0.5, 1.0),
    ("medium-scale", 300, 250, 0.0, 1.4),
    ("medium-same", 800, 700, 0.0, 1.0),
    ("large-shift", 4000, 3000, 0.08, 1.0),
    ("large-asymp", 10500, 600, 0.1, 1.0),
]:
    x = np.round(rng.normal(0, 1, n), 12)
    y = np.round(rng.normal(shift, scale, m), 12)
    res = stats.ks_2samp(x, y)
    ks.append({"name": name, "reference": r(x), "current": r(y),
               "statistic": float(res.statistic), "pvalue": float(res.pvalue)})
out["ks_2samp"] = ks

chi = []
for name, a, b in [
    ("three-same", [30, 50, 20], [33, 45, 22]),
    ("four-shift", [100, 80, 60, 40], [60, 80, 100, 40]),
    ("new-category", [50, 50, 0], [40, 45, 15]),
    ("binary", [70, 30], [50, 50]),
    ("wide", list(rng.integers(5, 60, 12)), list(rng.integers(5, 60, 12))),
]:
    res = stats.chi2_contingency(np.array([a, b]), correction=False)
    chi.append({"name": name, "reference": [int(v) for v in a], "current": [int(v) for v in b],
                "statistic": float(res[0]), "pvalue": float(res[1])})
out["chi2_contingency"] = chi

z = []
for name, x1, n1, x2, n2 in [("equal", 40, 100, 42, 100), ("shift", 300, 1000, 360, 1000),
                             ("unbalanced", 12, 50, 400, 900)]:
    p1, p2, p = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
    zz = (p1 - p2) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    z.append({"name": name, "referenceHits": x1, "referenceTotal": n1, "currentHits": x2, "currentTotal": n2,
              "statistic": float(zz), "pvalue": float(2 * stats.norm.sf(abs(zz)))})
out["z_test"] = z

w = []
for name, n, m, shift, scale in [("same", 200, 300, 0.0, 1.0), ("shift", 500, 400, 1.0, 1.0),
                                 ("scale", 1000, 1200, 0.0, 2.0), ("tiny", 3, 4, 0.3, 1.0)]:
    x = np.round(rng.normal(0, 1, n), 12)
    y = np.round(rng.normal(shift, scale, m), 12)
    w.append({"name": name, "reference": r(x), "current": r(y),
              "statistic": float(stats.wasserstein_distance(x, y)), "referenceStd": float(np.std(x))})
out["wasserstein_distance"] = w

js = []
for name, p, q in [
    ("near", [0.2, 0.3, 0.5], [0.25, 0.3, 0.45]),
    ("far", [0.9, 0.05, 0.05], [0.1, 0.1, 0.8]),
    ("zero-in-ref", [0.5, 0.5, 0.0], [0.4, 0.4, 0.2]),
    ("counts", [10, 20, 30, 40], [40, 30, 20, 10]),
    ("random", list(rng.integers(1, 100, 15)), list(rng.integers(1, 100, 15))),
]:
    p = np.array(p, dtype=float)
    q = np.array(q, dtype=float)
    pn, qn = p / p.sum(), q / q.sum()
    eps = 1e-4
    pe, qe = np.where(pn == 0, eps, pn), np.where(qn == 0, eps, qn)
    js.append({"name": name, "reference": r(p), "current": r(q),
               "jensenshannon": float(jensenshannon(p, q)),
               "hellinger": float(np.sqrt(max(0.0, 1 - np.sum(np.sqrt(pn * qn))))),
               "psi": float(np.sum((qe - pe) * np.log(qe / pe))),
               "linf": float(np.max(np.abs(pn - qn)))})
out["distances"] = js

json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
