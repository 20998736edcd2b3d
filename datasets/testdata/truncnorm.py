"""Golden values for the ecommerce-bn truncated normals (datasets tests).

Run with SciPy 1.10.1:  /usr/bin/python3 truncnorm.py > truncnorm.json
Prints the mean of each price component truncated to [0, 2000], of each age
component truncated to [18, 90], and the mean of the age mixture whose printed
weights (0.5, 0.45, 0.15) are normalised by their sum 1.10.
"""
import json

import scipy
from scipy.stats import truncnorm


def tmean(mu, sd, lo, hi):
    a, b = (lo - mu) / sd, (hi - mu) / sd
    return float(truncnorm.mean(a, b, loc=mu, scale=sd))


price = {
    "Electronics": (800, 1000),
    "Apparel": (100, 500),
    "Food & Beverages": (100, 400),
    "Furniture & Appliances": (200, 500),
}
ages = [(24, 6), (38, 15), (55, 10)]
weights = [0.5, 0.45, 0.15]
age_means = [tmean(mu, sd, 18, 90) for mu, sd in ages]
out = {
    "scipy": scipy.__version__,
    "price_mean": {k: tmean(mu, sd, 0, 2000) for k, (mu, sd) in price.items()},
    "age_component_mean": age_means,
    "age_mixture_mean": sum(w * m for w, m in zip(weights, age_means)) / sum(weights),
}
print(json.dumps(out, indent=2, sort_keys=True))
