#!/usr/bin/python3
"""Golden values for cart.FitHGB (hgb_golden_test.go).

Writes testdata/hgb/{train,test}.csv (fixed synthetic data: numeric features
with missing values, ties and more distinct values than bins; categorical
features with missing values and rare levels; a binary label that depends on
interactions) and testdata/hgb_golden.json with scikit-learn's
HistGradientBoostingClassifier on them:

  - the bin thresholds of the numeric features (_bin_mapper.bin_thresholds_);
  - predict_proba[:, 1] on the test rows for several settings, every one with
    early_stopping=False (the validation split is random and would differ),
    the categorical columns declared categorical_features (native splits).

Categorical codes are written as numbers, a missing value as "nan" (sklearn)
and read back by the test as a negative code. Run with Debian's
python3-sklearn (1.2.1 here):
    /usr/bin/python3 cart/testdata/hgb_golden.py
"""
import csv, json, os
import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier

here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, "hgb"), exist_ok=True)
rng = np.random.default_rng(25)

def make(n):
    x1 = rng.normal(0, 1, n)
    x1[rng.random(n) < 0.05] = np.nan
    x2 = rng.integers(0, 10, n).astype(float)  # heavy ties: midpoints
    x3 = np.round(rng.gamma(2, 3, n), 3)         # > 255 distinct: quantiles
    c1 = rng.integers(0, 6, n).astype(float)
    c1[rng.random(n) < 0.03] = np.nan
    c2 = np.minimum(rng.geometric(0.12, n) - 1, 29).astype(float)  # rare tail
    e1 = np.array([-1.0, 0.5, 0.0, 1.2, -0.4, 0.8])
    z = (np.where(np.isnan(x1), 1.0, x1) * (x2 - 4.5) / 3
         + np.where(np.isnan(c1), -1.5, e1[np.nan_to_num(c1, nan=0).astype(int)])
         + 0.15 * (x3 - 6) * (c2 % 3 == 0) - 0.3)
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    return np.column_stack([x1, x2, x3, c1, c2]), y

Xtr, ytr = make(3000)
Xte, yte = make(1000)
names = ["x1", "x2", "x3", "c1", "c2"]

def write(path, X, y):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(names + ["y"])
        for row, label in zip(X, y):
            w.writerow([("nan" if np.isnan(v) else repr(float(v))) for v in row] + [int(label)])

write(os.path.join(here, "hgb", "train.csv"), Xtr, ytr)
write(os.path.join(here, "hgb", "test.csv"), Xte, yte)

cases = [
    ("defaults", {}),
    ("small trees", dict(max_iter=60, learning_rate=0.3, max_leaf_nodes=8, min_samples_leaf=5,
                         l2_regularization=1.0, max_bins=32)),
    ("depth 2", dict(max_iter=40, max_depth=2, max_leaf_nodes=None, min_samples_leaf=50)),
]
out = {"sklearn": sklearn.__version__, "cases": []}
for name, params in cases:
    m = HistGradientBoostingClassifier(early_stopping=False, categorical_features=[3, 4],
                                       random_state=0, **params).fit(Xtr, ytr)
    p = m.predict_proba(Xte)[:, 1]
    case = {"name": name, "params": params, "n_iter": int(m.n_iter_), "proba": [float(v) for v in p]}
    if name == "defaults":
        th = m._bin_mapper.bin_thresholds_
        out["thresholds"] = {"x1": [float(v) for v in th[0]], "x2": [float(v) for v in th[1]],
                             "x3": [float(v) for v in th[2]]}
    out["cases"].append(case)

with open(os.path.join(here, "hgb_golden.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
