#!/usr/bin/env python3
"""Golden values for drift's chi-squared after grouping rare categories (Cochran's rule).

Run with an interpreter that has SciPy:
    python3 make_chi2_grouped.py > chi2_grouped.json
The table is the one DriftDetector tests after merging the two rarest categories of
reference {a: 50, b: 50, c: 3, d: 2} and current {a: 50, b: 45, c: 4, d: 6}.
"""
import json

import numpy as np
import scipy
from scipy.stats import chi2_contingency

table = [[50, 50, 5], [50, 45, 10]]
stat, p, dof, _ = chi2_contingency(np.array(table), correction=False)
print(json.dumps({"scipy": scipy.__version__, "table": table, "statistic": float(stat), "pvalue": float(p),
                  "dof": int(dof)}, indent=1))
