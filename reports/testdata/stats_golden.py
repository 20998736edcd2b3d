#!/usr/bin/python3
"""Golden values for the statistics of the scorecard, the ranking and the
gate (reports/stats_test.go), from SciPy:

  ci:       scipy.stats.t.interval(0.95, n-1, loc=mean, scale=sem)
  welch:    scipy.stats.ttest_ind(a, b, equal_var=False, alternative="greater")
            (t and one-sided p) and the Welch-Satterthwaite df, with the
            one-sided critical value scipy.stats.t.ppf(1 - alpha, df)
  holm:     Holm's step-down adjusted p-values in closed form
            (sorted p, (m - j) * p, running maximum, capped at 1),
            written here independently of the Go code
  friedman: scipy.stats.friedmanchisquare over the methods' columns, and
            Iman-Davenport's F = (N-1) chi2 / (N(k-1) - chi2) with
            scipy.stats.f.sf(F, k-1, (k-1)(N-1))
  nemenyi:  scipy.stats.studentized_range.ppf(1 - alpha, k, inf) / sqrt(2)
            and CD = q sqrt(k(k+1) / (6N))  (Demsar 2006, Table 5a)
  gate:     the regression gate over a family of comparisons: each a
            one-sided Welch test (ttest_ind(new, base + min_effect,
            equal_var=False, alternative="greater") on values oriented so
            that larger is worse), Holm over the family at alpha, each
            comparison's Holm level alpha / (m - j) and the worsening it
            allows, min_effect + t.ppf(1 - level, df) * se

Run: /usr/bin/python3 reports/testdata/stats_golden.py
(SciPy 1.10.1 here). It writes reports/testdata/stats_golden.json.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(26)


def ci_case(xs):
    xs = np.asarray(xs, dtype=float)
    n = len(xs)
    mean = xs.mean()
    sd = xs.std(ddof=1)
    lo, hi = stats.t.interval(0.95, n - 1, loc=mean, scale=sd / math.sqrt(n))
    return {"values": xs.tolist(), "mean": mean, "sd": sd, "lo": lo, "hi": hi}


def welch_case(a, b, alpha=0.05):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    r = stats.ttest_ind(a, b, equal_var=False, alternative="greater")
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return {"a": a.tolist(), "b": b.tolist(), "t": float(r.statistic), "p_greater": float(r.pvalue),
            "df": df, "alpha": alpha, "critical": float(stats.t.ppf(1 - alpha, df))}


def holm(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    out = [0.0] * m
    running = 0.0
    for j, i in enumerate(order):
        running = max(running, min(1.0, (m - j) * ps[i]))
        out[i] = running
    return {"p": ps, "adjusted": out}


def friedman_case(x):
    x = np.asarray(x, dtype=float)
    n, k = x.shape
    r = stats.friedmanchisquare(*[x[:, j] for j in range(k)])
    chi = float(r.statistic)
    ff = (n - 1) * chi / (n * (k - 1) - chi)
    ranks = np.apply_along_axis(stats.rankdata, 1, x)
    return {"x": x.tolist(), "chi_sq": chi, "p": float(r.pvalue), "ff": ff,
            "pf": float(stats.f.sf(ff, k - 1, (k - 1) * (n - 1))),
            "mean_ranks": ranks.mean(axis=0).tolist()}


cases = {"scipy": scipy.__version__}
cases["ci"] = [ci_case([0.968, 0.966, 0.970]), ci_case([1, 2, 3, 4, 10]),
               ci_case(rng.normal(0.5, 0.1, 20).tolist()), ci_case([0.5, 0.5000001])]
cases["welch"] = [
    welch_case([0.99, 0.98, 0.985], [0.95, 0.96, 0.94]),
    welch_case([1, 2, 3], [2, 4, 7]),
    welch_case([0.60, 0.62, 0.59, 0.61], [0.58, 0.57, 0.60]),
    welch_case(rng.normal(1, 1, 5).tolist(), rng.normal(0, 3, 8).tolist(), alpha=0.001),
    welch_case([10.0, 10.5, 9.5], [1.0, 1.001, 0.999], alpha=0.05 / 64),
]
cases["holm"] = [holm([0.01, 0.04, 0.03, 0.005]), holm([0.5, 0.2, 0.9]),
                 holm([1e-6, 0.02, 0.02, 0.3, 0.0125]), holm(rng.uniform(0, 0.2, 12).tolist())]
cases["friedman"] = [
    friedman_case([[1, 2, 3], [1, 3, 2], [1, 2, 3], [2, 1, 3]]),
    friedman_case([[0.97, 0.89, 0.95, 0.94], [0.99, 0.80, 0.97, 0.91], [0.96, 0.88, 0.92, 0.93]]),
    friedman_case([[1, 1, 2, 3], [2, 2, 1, 3], [1, 2, 3, 3], [1, 2, 2, 2], [3, 1, 2, 1]]),
    friedman_case(rng.normal(0, 1, (10, 6)).tolist()),
]
cases["nemenyi"] = []
for k in range(2, 13):
    q = float(stats.studentized_range.ppf(0.95, k, np.inf) / math.sqrt(2))
    cases["nemenyi"].append({"k": k, "n": 6, "alpha": 0.05, "q": q,
                             "cd": q * math.sqrt(k * (k + 1) / (6 * 6))})
cases["nemenyi"].append({"k": 8, "n": 30, "alpha": 0.10,
                         "q": float(stats.studentized_range.ppf(0.90, 8, np.inf) / math.sqrt(2)),
                         "cd": float(stats.studentized_range.ppf(0.90, 8, np.inf) / math.sqrt(2)) * math.sqrt(8 * 9 / 180)})



def gate_case(alpha, comps):
    rows = []
    for c in comps:
        sign = -1.0 if c["better"] == "higher" else 1.0
        b = sign * np.asarray(c["base"], dtype=float)
        n = sign * np.asarray(c["new"], dtype=float)
        d = c["min_effect"]
        r = stats.ttest_ind(n, b + d, equal_var=False, alternative="greater")
        vb, vn = b.var(ddof=1) / len(b), n.var(ddof=1) / len(n)
        se = math.sqrt(vb + vn)
        df = (vb + vn) ** 2 / (vb**2 / (len(b) - 1) + vn**2 / (len(n) - 1))
        rows.append({**c, "worse": n.mean() - b.mean(), "t": float(r.statistic), "df": df, "p": float(r.pvalue), "se": se})
    ps = [r["p"] for r in rows]
    adj = holm(ps)["adjusted"]
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    for j, i in enumerate(order):
        level = alpha / (m - j)
        rows[i]["level"] = level
        rows[i]["allowed"] = rows[i]["min_effect"] + float(stats.t.ppf(1 - level, rows[i]["df"])) * rows[i]["se"]
        rows[i]["regressed"] = adj[i] <= alpha
    return {"alpha": alpha, "comparisons": rows}


cases["gate"] = [gate_case(0.05, [
    # quality 0.92 -> 0.82: far worse
    {"key": "sdmetrics_quality", "better": "higher", "base": [0.90, 0.92, 0.94], "new": [0.80, 0.82, 0.84], "min_effect": 0.0},
    # quality unchanged up to noise
    {"key": "sdmetrics_quality", "better": "higher", "base": [0.90, 0.92, 0.94], "new": [0.91, 0.93, 0.92], "min_effect": 0.0},
    # quality better
    {"key": "sdmetrics_quality", "better": "higher", "base": [0.80, 0.81, 0.79], "new": [0.90, 0.91, 0.92], "min_effect": 0.0},
    # DCR share 0.50 -> 0.61: worse (higher is worse)
    {"key": "dcr_share", "better": "lower", "base": [0.49, 0.50, 0.51], "new": [0.60, 0.62, 0.61], "min_effect": 0.0},
    # exact matches 0.50 -> 0.53, but a minimum effect of 0.05
    {"key": "exact_match_rate", "better": "lower", "base": [0.499, 0.50, 0.501], "new": [0.529, 0.53, 0.531], "min_effect": 0.05},
    # a small, noisy worsening: Holm lets it pass among six
    {"key": "dcr_share", "better": "lower", "base": [0.50, 0.52, 0.48], "new": [0.53, 0.51, 0.56], "min_effect": 0.0},
])]

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stats_golden.json")
with open(out, "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
print("wrote", out)
