// Package cart grows classification and regression trees (CART; Breiman,
// Friedman, Olshen and Stone 1984) over mixed numeric and categorical
// features, bagged forests of them, and histogram gradient-boosted trees
// (HGB, as LightGBM and scikit-learn's HistGradientBoostingClassifier: see
// FitHGB).
//
// Data flows through it in four steps:
//
//  1. The caller builds Features (column-major: numeric values with NaN for
//     missing, or categorical codes with a negative code for missing), by
//     hand or with FromTable, and a Target (class codes or numbers).
//  2. Fit bins every numeric feature once (cut points at the midpoints
//     between distinct values, or at quantiles when there are more than
//     Options.MaxBins of them) and keeps categorical codes as they are;
//     missing values form a bin of their own.
//  3. Nodes are split depth-first. At each node and candidate feature one
//     pass over the node's rows sums the target per bin (class counts for
//     classification, target sums for regression); one sweep over the bins
//     in order then scores every cut, moving a bin at a time from right to
//     left and updating the sufficient statistics (the sum of squared class
//     counts for Gini, the target sum for squared error), so a node costs
//     O(rows + bins × classes) per feature. When bins × classes is very
//     large the rows are counting-sorted by bin instead and moved one at a
//     time, O(rows + bins) whatever the classes. Numeric cuts try missing
//     values on both sides; categorical levels are ordered by the target
//     before the sweep.
//  4. Leaf, PredictProba and Predict walk a row of any Features with the
//     same columns down to its leaf. Forest averages trees grown on
//     bootstrap samples.
//  5. FitHGB instead bins every feature once into at most 255 quantile bins
//     (plus one for missing values; categorical codes keep a bin each) and
//     boosts best-first trees on the logistic loss's gradients, splitting
//     on per-node histograms built over features in parallel (the larger
//     child by subtraction); HGB.Decision and HGB.PredictProba score rows.
//
// Everything is deterministic: ties keep the first candidate (lowest
// feature, lowest cut), and random draws (forest bootstrap, feature
// subsets, the HGB validation split) come from explicit seeds through
// math/rand/v2 PCG.
package cart
