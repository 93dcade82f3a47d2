#!/usr/bin/env python3
"""Golden values for mlops-core's ExactMoments: exact mean and standard deviation.

Run with an interpreter that has NumPy (Debian: python3-numpy):
    python3 make_moments.py > moments.json
Each case holds its inputs (as exact decimal strings of doubles: repr), the exact mean and sample and
population standard deviations computed with fractions.Fraction and rounded once to double (the
reference ExactMoments must match to the last bit), and NumPy's own values, which agree to a few ulps
on well-conditioned data and are far off on the ill-conditioned cases (that is why the library sums
exactly).
"""
import json
import math
from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np

getcontext().prec = 60
rng = np.random.default_rng(20261201)


def exact(xs, ddof):
    n = len(xs)
    fs = [Fraction(x) for x in xs]
    s1 = sum(fs)
    mean = s1 / n
    if n <= ddof:
        return mean, None
    var = sum((f - mean) ** 2 for f in fs) / (n - ddof)
    # sqrt of an exact rational, to 60 digits, then rounded once to double.
    d = (Decimal(var.numerator) / Decimal(var.denominator)).sqrt()
    return mean, float(d)


cases = []


def case(name, xs):
    xs = [float(x) for x in xs]
    mean, sd1 = exact(xs, 1)
    _, sd0 = exact(xs, 0)
    cases.append({
        "name": name,
        "values": [repr(x) for x in xs],
        "mean": repr(float(mean)),
        "std_ddof1": None if sd1 is None else repr(sd1),
        "std_ddof0": repr(sd0),
        "numpy_mean": repr(float(np.mean(xs))),
        "numpy_std_ddof1": None if len(xs) < 2 else repr(float(np.std(xs, ddof=1))),
    })


case("gaussian-1000", rng.normal(3.0, 10.0, 1000))
case("uniform-37", rng.uniform(-1e6, 1e6, 37))
case("single", [42.5])
case("two", [1.0, 2.0])
case("offset-1e9-cancellation", 1e9 + rng.normal(0.0, 1e-3, 500))
case("offset-1e16-integers", [1e16 + i for i in range(0, 200, 2)])
case("near-max-no-overflow", [1.5e308, 1.7e308, 1.6e308, -1.0e308])
case("subnormals", [5e-324, 1e-320, 2.5e-310, 3e-315])
case("mixed-magnitudes", [1e300, 1.0, -1e300, 1e-300, 3.0, 1e20, -1e20])
case("wide-range-squares", [1e200, -1e200, 1e-200, 7.0])
case("zeros-and-negative-zero", [0.0, -0.0, 0.0, 1.0])

print(json.dumps({"numpy": np.__version__, "seed": 20261201, "cases": cases}, indent=1))
