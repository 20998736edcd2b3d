"""Reference values for the cart tests: scikit-learn 1.2.1 trees.

Run with /usr/bin/python3 cart/testdata/golden.py from the repository root.
Writes iris.csv (features, class, and predict_proba of a depth-3 Gini tree)
and diabetes.csv (features, target, and predict of a depth-3 squared-error
tree with leaves of at least 5 rows).
"""
import csv
import sklearn
from sklearn.datasets import load_iris, load_diabetes
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

assert sklearn.__version__ == "1.2.1", sklearn.__version__

X, y = load_iris(return_X_y=True)
clf = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
P = clf.predict_proba(X)
with open("cart/testdata/iris.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["x0", "x1", "x2", "x3", "y", "p0", "p1", "p2"])
    for xi, yi, pi in zip(X, y, P):
        w.writerow([*map(repr, xi), int(yi), *map(repr, pi)])

X, y = load_diabetes(return_X_y=True)
reg = DecisionTreeRegressor(max_depth=3, min_samples_leaf=5, random_state=0).fit(X, y)
Q = reg.predict(X)
with open("cart/testdata/diabetes.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow([f"x{j}" for j in range(X.shape[1])] + ["y", "pred"])
    for xi, yi, qi in zip(X, y, Q):
        w.writerow([*map(repr, xi), repr(yi), repr(qi)])
