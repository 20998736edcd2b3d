#!/usr/bin/python3
"""Golden values for the membership-inference attack and TPRAtFPR
(membership_golden_test.go), computed independently of synthor with numpy and
scikit-learn.

Writes testdata/membership/{train,holdout,synth}.csv (a small mixed table:
x float with missing values, k integer, c categorical with missing values,
d categorical) and testdata/membership_golden.json with:

  attack: for the candidates (every training row = member; the first 40
          holdout rows = non-members; the other holdout rows = reference),
          the Gower distances to the nearest synthetic and nearest reference
          row, the score log(d_R + 1e-6) - log(d_S + 1e-6), roc_auc_score of
          the scores (members positive) and the TPR at several FPRs;
  roc:    score/label cases with ties, their roc_auc_score and TPR at
          several FPRs.

Gower distance (Gower 1971), as metrics/gower.go documents it: the mean over
columns of |x - y| / R (at most 1; R the range of the column in the training
table; one missing value 1, two 0) for numeric columns, [x != y] for
categorical ones (missing is a category).

TPR at FPR a: roc_curve(labels, scores, drop_intermediate=False) gives the
points (fpr_i, tpr_i); take the last point with fpr_i <= a and interpolate
linearly towards the next one. Run with Debian's python3-sklearn (1.2.1):
    /usr/bin/python3 metrics/testdata/membership_golden.py
"""
import csv, json, os
import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score, roc_curve

here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, "membership"), exist_ok=True)
rng = np.random.default_rng(41)
levels_c = ["a", "b", "c"]
levels_d = ["p", "q", "r", "s"]

def draw(n):
    x = np.round(rng.normal(50, 15, n), 2)
    x[rng.random(n) < 0.08] = np.nan
    k = rng.integers(0, 6, n).astype(float)
    c = np.array([levels_c[i] for i in rng.integers(0, 3, n)], dtype=object)
    c[rng.random(n) < 0.1] = ""
    d = np.array([levels_d[i] for i in rng.integers(0, 4, n)], dtype=object)
    return [x, k, c, d]

def rows(cols):
    return [list(r) for r in zip(*cols)]

train = rows(draw(40))
holdout = rows(draw(90))
fresh = rows(draw(25))
synth = []
for i in range(20):  # exact copies of 20 training rows
    synth.append(list(train[i]))
for i in range(20, 35):  # training rows with x moved a little
    r = list(train[i])
    if not np.isnan(r[0]):
        r[0] = round(r[0] + rng.normal(0, 2), 2)
    synth.append(r)
synth += fresh

def write(name, data):
    with open(os.path.join(here, "membership", name + ".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x", "k", "c", "d"])
        for r in data:
            w.writerow(["" if np.isnan(r[0]) else repr(float(r[0])), int(r[1]), r[2], r[3]])

write("train", train)
write("holdout", holdout)
write("synth", synth)

xs = np.array([r[0] for r in train], dtype=float)
ks = np.array([r[1] for r in train], dtype=float)
ranges = [np.nanmax(xs) - np.nanmin(xs), np.nanmax(ks) - np.nanmin(ks)]

def gower(a, b):
    d = 0.0
    for j in range(2):
        u, v = a[j], b[j]
        if np.isnan(u) and np.isnan(v):
            t = 0.0
        elif np.isnan(u) or np.isnan(v):
            t = 1.0
        else:
            t = min(abs(u - v) / ranges[j], 1.0) if ranges[j] > 0 else float(u != v)
        d += t
    d += float(a[2] != b[2]) + float(a[3] != b[3])
    return d / 4

def nearest(x, pool):
    return min(gower(x, y) for y in pool)

def tpr_at(fpr, tpr, a):
    i = np.searchsorted(fpr, a, side="right") - 1
    if i >= len(fpr) - 1 or fpr[i] == a:
        return float(tpr[i])
    return float(tpr[i] + (a - fpr[i]) * (tpr[i + 1] - tpr[i]) / (fpr[i + 1] - fpr[i]))

FPRS = [0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0]

def roc_case(scores, labels):
    fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
    return {"auc": float(roc_auc_score(labels, scores)),
            "fpr": FPRS, "tpr": [tpr_at(fpr, tpr, a) for a in FPRS]}

members = train
non_members = holdout[:40]
reference = holdout[40:]
cands = members + non_members
d_s = [nearest(x, synth) for x in cands]
d_r = [nearest(x, reference) for x in cands]
scores = [float(np.log(r + 1e-6) - np.log(s + 1e-6)) for s, r in zip(d_s, d_r)]
labels = [1] * len(members) + [0] * len(non_members)
attack = {"members": len(members), "non_members": len(non_members), "d_synth": d_s, "d_reference": d_r,
          "scores": scores}
attack.update(roc_case(scores, labels))

roc = []
for name, s, y in [
    ("ties across classes", [0.9, 0.8, 0.8, 0.7, 0.7, 0.7, 0.5, 0.3, 0.3, 0.1],
                            [1, 1, 0, 1, 0, 0, 1, 0, 1, 0]),
    ("perfect", [5, 4, 3, 2, 1, 0], [1, 1, 1, 0, 0, 0]),
    ("all tied", [1.0] * 6, [1, 0, 1, 0, 1, 0]),
    ("random", list(np.round(rng.random(200), 2)), list(rng.integers(0, 2, 200))),
]:
    case = {"name": name, "scores": [float(v) for v in s], "labels": [bool(v) for v in y]}
    case.update(roc_case(s, y))
    roc.append(case)

out = {"sklearn": sklearn.__version__, "attack": attack, "roc": roc}
with open(os.path.join(here, "membership_golden.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
