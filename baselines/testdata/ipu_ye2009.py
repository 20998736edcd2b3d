#!/usr/bin/python3
"""Golden values for IPU (baselines/ipu_test.go): the worked example of
Ye, Konduri, Pendyala, Sana and Waddell (2009), "A methodology to match
distributions of both household and person attributes in the generation of
synthetic populations", TRB 88th Annual Meeting, Table 1.

Eight households; controls: household type 1, household type 2 (households)
and person types 1, 2, 3 (persons), with totals 35, 65, 91, 65, 104. The
frequency matrix A (households x controls) is the paper's. Iterative
proportional updating, written here with numpy from the paper's text: start
from weights 1; per sweep, for each control j in order, multiply the weight
of every household with A[i, j] > 0 by T_j / sum_i A[i, j] w_i; after the
sweep, delta = mean_j |sum_i A[i, j] w_i - T_j| / T_j.

The paper prints the converged weights to two decimals: 1.36, 25.66, 7.98,
27.79, 18.45, 8.64, 1.47, 8.64 (also the final weights of PopulationSim's
integerizer test on the same example). Run with Debian's python3-numpy:
    /usr/bin/python3 baselines/testdata/ipu_ye2009.py
"""
import json, os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
A = np.array([
    [1, 0, 1, 1, 1],
    [1, 0, 1, 0, 1],
    [1, 0, 2, 1, 0],
    [0, 1, 1, 0, 2],
    [0, 1, 0, 2, 1],
    [0, 1, 1, 1, 0],
    [0, 1, 2, 1, 2],
    [0, 1, 1, 1, 0],
], dtype=float)
T = np.array([35, 65, 91, 65, 104], dtype=float)


def sweep(w):
    w = w.copy()
    for j in range(A.shape[1]):
        s = A[:, j] @ w
        w = np.where(A[:, j] > 0, w * T[j] / s, w)
    return w


def delta(w):
    return float(np.mean(np.abs(A.T @ w - T) / T))


w = np.ones(len(A))
first = sweep(w)
deltas = [delta(w)]
w = first
deltas.append(delta(w))
for _ in range(5000):
    w = sweep(w)
    deltas.append(delta(w))
out = {
    "numpy": np.__version__,
    "initial_delta": deltas[0],
    "first_sweep": first.tolist(),
    "first_sweep_delta": deltas[1],
    "converged": w.tolist(),
    "converged_delta": deltas[-1],
    "paper_final_weights": [1.36, 25.66, 7.98, 27.79, 18.45, 8.64, 1.47, 8.64],
}
with open(os.path.join(here, "ipu_ye2009.json"), "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
