"""Detection AUC of synthetic tables: how well a gradient-boosted classifier
tells synthetic rows from real ones (0.5: indistinguishable, 1: always).

Run with the system Python (scikit-learn 1.2.1, pandas 1.5.3, NumPy):

    /usr/bin/python3 scripts/detect.py REAL.csv SYNTH.csv [--kinds KINDS.json] [--seed S]
    /usr/bin/python3 scripts/detect.py --run DIR [--seed S]

The first form prints one JSON object; the second scores every cell of a
`synthor run` directory whose tables `go run ./scripts/priorcheck DIR` has
written as CSV (DIR/csv/DATASET.train.csv and DATASET.kinds.json), against
the cell's synthetic table (DIR/csv/ID.synth.csv, written by priorcheck), and appends to DIR/detect.jsonl (one object per cell; cells
already there are skipped, so an interrupted run resumes; --label LABEL keeps
the cells of that method label).

Protocol (the classifier two-sample test with the detector of
sdmetrics' LogisticDetection family, gradient-boosted here):
  * both sides drawn, without replacement, to the same size
    m = min(rows of real, rows of synthetic, 50,000), with the seed;
  * columns: those both tables have; text columns and the group key are
    left out (KINDS.json gives each column's kind, as table.Kind spells it;
    without it, pandas' types); categorical columns are ordinal codes over
    the union of both sides' categories, declared categorical to the
    classifier when they have at most 250 categories, else used as
    numbers; datetimes are seconds; missing stays NaN (the classifier
    sends it to its own branch);
  * HistGradientBoostingClassifier(random_state=seed), defaults otherwise;
  * 5-fold stratified cross-validation (shuffled with the seed); the AUC
    is roc_auc_score of the out-of-fold predicted probabilities.
"""
import argparse
import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

MAX_ROWS = 50000
MAX_CATEGORIES = 250


def read(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[""], low_memory=False)


def features(real, synth, kinds):
    cols = [c for c in real.columns if c in synth.columns]
    out_r, out_s, cat_mask = {}, {}, []
    for c in cols:
        kind = kinds.get(c) if kinds else None
        r, s = real[c], synth[c]
        if kind == "text" or kind == "group":
            continue
        if kind is None:
            kind = "categorical" if r.dtype == object or s.dtype == object else "float"
        if kind == "datetime":
            r = pd.to_datetime(r, errors="coerce", utc=True).astype("int64") / 1e9
            s = pd.to_datetime(s, errors="coerce", utc=True).astype("int64") / 1e9
            r[r < -9e9], s[s < -9e9] = np.nan, np.nan  # NaT
            kind = "float"
        if kind == "categorical":
            cats = sorted(set(r.dropna().astype(str)) | set(s.dropna().astype(str)))
            code = {v: i for i, v in enumerate(cats)}
            enc = lambda x: x.map(lambda v: code.get(str(v), np.nan) if pd.notna(v) else np.nan).astype(float)
            out_r[c], out_s[c] = enc(r), enc(s)
            cat_mask.append(len(cats) <= MAX_CATEGORIES)
            continue
        out_r[c] = pd.to_numeric(r, errors="coerce").astype(float)
        out_s[c] = pd.to_numeric(s, errors="coerce").astype(float)
        cat_mask.append(False)
    return pd.DataFrame(out_r), pd.DataFrame(out_s), np.array(cat_mask, dtype=bool)


def detect(real, synth, kinds, seed, folds=5):
    rng = np.random.default_rng(seed)
    m = min(len(real), len(synth), MAX_ROWS)
    real = real.iloc[np.sort(rng.choice(len(real), m, replace=False))].reset_index(drop=True)
    synth = synth.iloc[np.sort(rng.choice(len(synth), m, replace=False))].reset_index(drop=True)
    xr, xs, cat = features(real, synth, kinds)
    X = pd.concat([xr, xs], ignore_index=True).to_numpy()
    y = np.r_[np.zeros(m), np.ones(m)]
    prob = np.zeros(len(y))
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for tr, te in cv.split(X, y):
        clf = HistGradientBoostingClassifier(random_state=seed, categorical_features=cat if cat.any() else None)
        clf.fit(X[tr], y[tr])
        prob[te] = clf.predict_proba(X[te])[:, 1]
    return {"auc": float(roc_auc_score(y, prob)), "rows": int(m), "columns": int(X.shape[1]),
            "folds": folds, "seed": seed, "classifier": "HistGradientBoostingClassifier",
            "sklearn": sklearn.__version__}


def run_dir(d, seed, labels):
    kinds_cache = {}
    path = os.path.join(d, "detect.jsonl")
    done = set()
    if os.path.exists(path):
        with open(path) as f:
            done = {json.loads(line)["id"] for line in f if line.strip()}
    with open(os.path.join(d, "results.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    for r in rows:
        if r.get("status") != "ok" or r["id"] in done:
            continue
        if labels and r["method"].get("label", r["method"]["name"]) not in labels:
            continue
        ds = r["dataset"]
        train = os.path.join(d, "csv", ds + ".train.csv")
        if not os.path.exists(train):
            sys.exit(f"{train}: missing (run go run ./scripts/priorcheck {d} first)")
        if ds not in kinds_cache:
            with open(os.path.join(d, "csv", ds + ".kinds.json")) as f:
                kinds_cache[ds] = (read(train), json.load(f))
        real, kinds = kinds_cache[ds]
        synth = read(os.path.join(d, "csv", r["id"] + ".synth.csv"))
        res = detect(real, synth, kinds, seed)
        res.update({"id": r["id"], "dataset": ds, "method": r["method"]["name"],
                    "label": r["method"].get("label", ""), "seed_cell": r["seed"]})
        print(json.dumps(res), flush=True)
        with open(path, "a") as f:
            f.write(json.dumps(res) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("real", nargs="?")
    ap.add_argument("synth", nargs="?")
    ap.add_argument("--kinds")
    ap.add_argument("--run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--label", action="append", help="with --run: only the cells of this method label (repeatable)")
    a = ap.parse_args()
    if a.run:
        run_dir(a.run, a.seed, a.label)
        return
    if not (a.real and a.synth):
        ap.error("give REAL.csv SYNTH.csv, or --run DIR")
    kinds = None
    if a.kinds:
        with open(a.kinds) as f:
            kinds = json.load(f)
    print(json.dumps(detect(read(a.real), read(a.synth), kinds, a.seed)))


if __name__ == "__main__":
    main()
