#!/usr/bin/python3
"""Golden values for the utility classifiers (metrics/utility_golden_test.go).

Writes testdata/utility/{train,test}.csv (fixed synthetic data) and
testdata/utility_golden.json with scikit-learn's scores on them, for models
with the hyper-parameters of metrics.Utility:

  logistic: LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000, tol=1e-10)
            on one-hot categoricals (handle_unknown="ignore") and standardised
            numerics (StandardScaler, population sd);
  tree:     DecisionTreeClassifier(max_depth=4, min_samples_leaf=1) on the
            numeric columns only (cart splits categoricals by subsets, which
            scikit-learn does not); depth 4 rather than Utility's 20, where
            the two implementations would differ by their tie-breaking only;
  forest:   RandomForestClassifier(n_estimators=100, min_samples_leaf=1,
            max_features="sqrt") on the numeric columns (random: the
            bootstrap draws differ, so the test allows more slack).

Targets: y2 (binary) and y3 (three classes). Also roc_auc_score on tied
scores. Run with Debian's python3-sklearn (1.2.1 here):
    /usr/bin/python3 metrics/testdata/utility_golden.py
"""
import csv, json, os
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(18)
levels = np.array(["a", "b", "c", "d"])
effect = {"a": -1.0, "b": 0.0, "c": 0.5, "d": 1.5}

def make(n):
    x1 = np.round(rng.normal(0, 1, n), 1)
    x2 = np.round(rng.normal(5, 2, n), 1)
    c = levels[rng.integers(0, 4, n)]
    e = np.array([effect[v] for v in c])
    z = 1.5 * x1 - 0.8 * (x2 - 5) + e
    y2 = np.where(rng.random(n) < 1 / (1 + np.exp(-z)), "yes", "no")
    z3 = z + rng.logistic(0, 1, n)
    y3 = np.where(z3 < -1, "low", np.where(z3 < 1, "mid", "high"))
    return x1, x2, c, y2, y3

def write(path, cols):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x1", "x2", "c", "y2", "y3"])
        for row in zip(*cols):
            w.writerow([repr(float(row[0])), repr(float(row[1])), row[2], row[3], row[4]])

train, test = make(600), make(400)
write(os.path.join(here, "utility", "train.csv"), train)
write(os.path.join(here, "utility", "test.csv"), test)

def design(fit, data):
    num = np.column_stack([data[0], data[1]])
    cat = data[2].reshape(-1, 1)
    return np.hstack([fit[0].transform(num), fit[1].transform(cat).toarray()])

sc = StandardScaler().fit(np.column_stack([train[0], train[1]]))
oh = OneHotEncoder(handle_unknown="ignore").fit(train[2].reshape(-1, 1))
Xtr, Xte = design((sc, oh), train), design((sc, oh), test)
Ntr, Nte = np.column_stack([train[0], train[1]]), np.column_stack([test[0], test[1]])

out = {"sklearn": sklearn.__version__}
for name, k in (("y2", 3), ("y3", 4)):
    ytr, yte = train[k], test[k]
    classes = sorted(set(ytr) | set(yte))  # codes over the sorted union, as metrics encodes them
    for model, (Xa, Xb) in (("logistic", (Xtr, Xte)), ("tree", (Ntr, Nte)), ("forest", (Ntr, Nte))):
        if model == "logistic":
            m = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000, tol=1e-10).fit(Xa, ytr)
        elif model == "tree":
            m = DecisionTreeClassifier(max_depth=4, min_samples_leaf=1, random_state=0).fit(Xa, ytr)
        else:
            m = RandomForestClassifier(n_estimators=100, min_samples_leaf=1, max_features="sqrt", random_state=0).fit(Xa, ytr)
        p = m.predict_proba(Xb)
        assert list(m.classes_) == classes
        pred = m.classes_[np.argmax(p, axis=1)]
        if len(classes) == 2:
            auc = roc_auc_score(yte, p[:, 1])
        else:
            auc = roc_auc_score(yte, p, multi_class="ovr", average="macro", labels=classes)
        out[f"{model}_{name}"] = {
            "accuracy": accuracy_score(yte, pred),
            "macro_f1": f1_score(yte, pred, average="macro"),
            "auc": auc,
        }

# Tied scores: binary and three-class one-vs-rest.
tb_scores = [0.1, 0.4, 0.4, 0.4, 0.8, 0.8, 0.2, 0.2]
tb_labels = [0, 0, 1, 1, 1, 0, 0, 1]
out["ties_binary"] = {"scores": tb_scores, "labels": tb_labels, "auc": roc_auc_score(tb_labels, tb_scores)}
t3 = [[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.25, 0.5], [0.5, 0.25, 0.25],
      [0.25, 0.5, 0.25], [0.5, 0.25, 0.25], [0.25, 0.25, 0.5], [0.25, 0.5, 0.25]]
l3 = [0, 1, 2, 1, 1, 0, 0, 2]
out["ties_ovr"] = {"proba": t3, "labels": l3, "auc": roc_auc_score(l3, t3, multi_class="ovr", average="macro")}
with open(os.path.join(here, "utility_golden.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
