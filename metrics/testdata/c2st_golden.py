#!/usr/bin/python3
"""Golden detection AUCs for metrics.C2ST with the hgb classifier
(c2st_golden_test.go).

scikit-learn's HistGradientBoostingClassifier with its defaults (early
stopping on 10% of the training rows above 10,000 of them), categorical
columns declared categorical_features (native splits, codes over the sorted
union of both sides' categories, as synthor encodes them), scored by
StratifiedKFold(5, shuffle=True): the mean over folds of roc_auc_score, the
synthetic rows as the positive class. Both sides hold all 32,561 rows (but
in test_split), so no subsample is drawn. Cases, all against the Adult
training split
(sdmetrics/adult_train.csv.gz):

  independent     sdmetrics/adult_indep.csv.gz, every column drawn on its own
  shuffled        the training split itself, its rows in another order
                  (the same records: nothing to detect)
  age_permuted    the training split with the age column permuted across
                  rows: one dependency (age with marital status,
                  relationship, hours...) broken, the marginals kept
  test_split      Adult's test split (datasets/data/adult_test.csv.gz,
                  16,281 rows) against as many training rows drawn without
                  replacement: unseen real data, what a perfect synthesizer
                  scores

Each case is scored with 5 seeds (folds and model random_state) to show
scikit-learn's own spread. OMP_NUM_THREADS=1 keeps it deterministic and fast
on a loaded machine. Run with Debian's python3-sklearn (1.2.1 here):
    /usr/bin/python3 metrics/testdata/c2st_golden.py
"""
import os
os.environ.setdefault("OMP_NUM_THREADS", "1")
import json
import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

here = os.path.dirname(os.path.abspath(__file__))
sdm = os.path.join(here, "sdmetrics")

def read(name):
    return pd.read_csv(os.path.join(sdm, name), keep_default_na=False, na_values=[""])

real = read("adult_train.csv.gz")
cats = [c for c in real.columns if real[c].dtype == object]
mask = [c in cats for c in real.columns]

def design(a, b):
    cols = []
    for c in real.columns:
        if c in cats:
            union = {v: i for i, v in enumerate(sorted(set(a[c]) | set(b[c])))}
            cols.append(np.r_[a[c].map(union).values, b[c].map(union).values].astype(float))
        else:
            cols.append(np.r_[a[c].values, b[c].values].astype(float))
    return np.column_stack(cols), np.r_[np.zeros(len(a)), np.ones(len(b))]

rng = np.random.default_rng(2025)
permuted = real.copy()
permuted["age"] = rng.permutation(permuted["age"].values)
cases = {
    "independent": read("adult_indep.csv.gz"),
    "shuffled": real.sample(frac=1, random_state=7).reset_index(drop=True),
    "age_permuted": permuted,
}

test = pd.read_csv(os.path.join(here, "..", "..", "datasets", "data", "adult_test.csv.gz"),
                   keep_default_na=False, na_values=[""])
cases["test_split"] = test

out = {"sklearn": sklearn.__version__, "folds": 5, "seeds": [0, 1, 2, 3, 4], "cases": []}
for name, synth in cases.items():
    base = real
    if len(synth) < len(real):
        base = real.sample(n=len(synth), random_state=11).reset_index(drop=True)
    X, y = design(base, synth)
    aucs = []
    for seed in out["seeds"]:
        fold_aucs = []
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y):
            m = HistGradientBoostingClassifier(categorical_features=mask, random_state=seed).fit(X[tr], y[tr])
            fold_aucs.append(roc_auc_score(y[te], m.predict_proba(X[te])[:, 1]))
        aucs.append(float(np.mean(fold_aucs)))
    out["cases"].append({"name": name, "auc": aucs, "mean": float(np.mean(aucs))})
    print(name, aucs, flush=True)

with open(os.path.join(here, "c2st_golden.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
