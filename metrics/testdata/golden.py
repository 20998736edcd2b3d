"""Golden values for the metrics package, computed with SciPy / scikit-learn.

Run with the system Python (SciPy 1.10.1, scikit-learn 1.2.1, NumPy):

    /usr/bin/python3 metrics/testdata/golden.py > metrics/testdata/golden.json

Inputs are fixed (hand-written or drawn from a seeded NumPy generator) and
written into the JSON beside the expected values, so the Go test reads both
from one file. Missing values are written as null; the Go side passes them
as NaN. Conventions reproduced here (documented in the Go doc comments):
  * KS / Wasserstein: missing values dropped on each side.
  * Pearson / Spearman: rows with a missing value on either side dropped.
  * Cramér's V: empty rows and columns dropped before
    scipy.stats.contingency.association (no correction).
  * SRMSE: Müller & Axhausen (2011) count form, synthetic counts scaled to
    the reference total, over the m cells non-empty on either side (the Go
    code uses the equivalent share form sqrt(m * sum((p - q)^2))).
"""
import json
import sys

import numpy as np
import scipy
import sklearn
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp, pearsonr, spearmanr, wasserstein_distance
from scipy.stats.contingency import association
from sklearn.metrics import roc_auc_score

rng = np.random.default_rng(20260525)


def js(v):
    """NaN -> None for JSON."""
    return [None if np.isnan(x) else float(x) for x in v]


def clean(v):
    v = np.asarray(v, dtype=float)
    return v[~np.isnan(v)]


samples = {
    "ties": ([1, 2, 2, 3, 3, 3, 4], [2, 2, 3, 5, 5]),
    "identical": ([3, 1, 4, 1, 5, 9, 2, 6], [3, 1, 4, 1, 5, 9, 2, 6]),
    "disjoint": ([1, 2, 3], [10, 11]),
    "unequal_normal": (
        np.round(rng.normal(0, 1, 50), 1),
        np.round(rng.normal(0.5, 1.5, 37), 1),
    ),
    "missing": (
        [np.nan, 1.5, 2.5, np.nan, 2.5, 7.0, -1.0],
        [2.0, np.nan, 2.5, 3.5, np.nan, np.nan],
    ),
    "poisson_large": (
        rng.poisson(4.0, 400).astype(float),
        rng.poisson(4.6, 310).astype(float),
    ),
    "single": ([5.0], [5.0, 6.0]),
}
sample_out = []
for name, (x, y) in samples.items():
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    cx, cy = clean(x), clean(y)
    sample_out.append({
        "name": name,
        "x": js(x),
        "y": js(y),
        "ks": float(ks_2samp(cx, cy).statistic),
        "wasserstein": float(wasserstein_distance(cx, cy)),
    })

freqs = {
    "basic": ([10, 20, 30, 40], [25, 25, 25, 25]),
    "zeros": ([5, 0, 3, 0, 2], [0, 4, 3, 0, 3]),
    "identical": ([1, 2, 3], [10, 20, 30]),
    "disjoint": ([1, 2, 0, 0], [0, 0, 3, 4]),
    "random": (rng.integers(0, 50, 12), rng.integers(0, 50, 12)),
}
freq_out = []
for name, (p, q) in freqs.items():
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    ps, qs = p / p.sum(), q / q.sum()
    nonempty = (ps > 0) | (qs > 0)
    m = int(nonempty.sum())
    freq_out.append({
        "name": name,
        "p": p.tolist(),
        "q": q.tolist(),
        "tvd": float(0.5 * np.abs(ps - qs).sum()),
        "jsd": float(jensenshannon(ps, qs, base=2) ** 2),
        "hellinger": float(np.sqrt(0.5 * ((np.sqrt(ps) - np.sqrt(qs)) ** 2).sum())),
        # Count form of Müller & Axhausen (2011): the synthetic counts
        # scaled to the reference total, RMSE over the m cells non-empty on
        # either side, divided by the mean reference count.
        "srmse": float(np.sqrt(((p - q * p.sum() / q.sum())[nonempty] ** 2).mean()) / p[nonempty].mean()),
    })

corr = {}
x = rng.normal(0, 1, 60)
y = 0.6 * x + rng.normal(0, 0.8, 60)
corr["gaussian"] = (x, y)
corr["ties"] = (np.round(x), np.round(2 * y) / 2)
xm, ym = x.copy(), y.copy()
xm[[3, 10, 11]] = np.nan
ym[[10, 20]] = np.nan
corr["missing"] = (xm, ym)
corr["monotone"] = (np.arange(10.0), np.exp(np.arange(10.0)))
corr_out = []
for name, (x, y) in corr.items():
    keep = ~(np.isnan(x) | np.isnan(y))
    corr_out.append({
        "name": name,
        "x": js(x),
        "y": js(y),
        "pearson": float(pearsonr(x[keep], y[keep]).statistic),
        "spearman": float(spearmanr(x[keep], y[keep]).statistic),
    })

tables = {
    "2x2": np.array([[20, 5], [3, 30]]),
    "3x4": rng.integers(0, 40, (3, 4)),
    "empty_row_col": np.array([[7, 0, 3], [0, 0, 0], [2, 0, 9], [4, 0, 1]]),
    "independent": np.outer([1, 2, 3], [4, 5]),
    "perfect": np.array([[10, 0, 0], [0, 7, 0], [0, 0, 4]]),
}
cramer_out = []
for name, t in tables.items():
    t = np.asarray(t, dtype=float)
    r, c = t.shape
    kept = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    cramer_out.append({
        "name": name,
        "rows": r,
        "cols": c,
        "counts": t.ravel().tolist(),
        "cramers_v": float(association(kept.astype(np.int64), method="cramer", correction=False)),
    })

aucs = {
    "ties": ([0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1], [0, 0, 1, 1, 1, 0, 1, 0]),
    "random": (np.round(rng.uniform(0, 1, 200), 2), rng.integers(0, 2, 200)),
    "perfect": ([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]),
    "reversed": ([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]),
    "constant": ([0.5] * 6, [0, 1, 0, 1, 1, 0]),
}
auc_out = []
for name, (s, l) in aucs.items():
    s = np.asarray(s, dtype=float)
    l = np.asarray(l, dtype=int)
    auc_out.append({
        "name": name,
        "scores": s.tolist(),
        "labels": [bool(v) for v in l],
        "auc": float(roc_auc_score(l, s)),
    })

json.dump({
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
    "samples": sample_out,
    "freqs": freq_out,
    "correlations": corr_out,
    "cramers_v": cramer_out,
    "auc": auc_out,
}, sys.stdout, indent=1)
sys.stdout.write("\n")
