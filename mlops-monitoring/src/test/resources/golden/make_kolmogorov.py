"""Golden values of the Kolmogorov distribution's survival function (scipy.stats.kstwobign.sf), the
asymptotic two-sample KS p-value at lambda = D * sqrt(n m / (n + m)), for DriftDetector's sound
decisions from sketches.

    python3 make_kolmogorov.py > kolmogorov.json
"""
import json
import scipy
from scipy.stats import kstwobign

lams = [0.0, 0.05, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0, 1.1, 1.18, 1.2, 1.358, 1.5, 2.0, 3.0, 5.0, 8.0]
print(json.dumps({"scipy": scipy.__version__,
                  "cases": [{"lambda": l, "sf": float(kstwobign.sf(l))} for l in lams]}, indent=1))
