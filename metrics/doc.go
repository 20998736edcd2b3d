// Package metrics scores a synthetic table against the real one.
//
// Metrics come in named groups (fidelity, sdmetrics, plausibility, queries,
// adaptability), found through one
// registry (Lookup, GroupNames) by the names used in --metrics and configs.
// Every group is a Group: Scores(ctx, Input) returns a flat list of Score
// rows, each with a snake_case name, the columns it covers, a value, the
// direction that is better, and, when the value cannot be computed, NaN with
// a Reason (never a silent NaN). GroupFunc adapts a plain function.
//
// Evaluate (evaluate.go) is the one scoring path that synthor eval, run
// cells, the examples and the scripts call: it aligns the tables' columns
// (Align), derives utility labels for the utility group only (a LabelFunc,
// since the catalog that knows them sits above this package), marks
// targeted scores, adds the truth scores, and, with a holdout, fills each
// score's Reference by scoring the group again with the holdout in the
// synthetic table's place (reference.go: same size and seed; the utility
// group splits the holdout, dcr_share and trtr_* have fixed references).
//
// Width: the fidelity group's cost is (columns + pairs) × rows. Pairs are
// never listed: a task per row of the pair triangle writes its scores at a
// precomputed offset of one list, and each worker reuses one pair's
// frequency tables, so memory is the score list plus a table per worker
// (internal/guard.EvalNeed estimates it before eval scores).
//
// Data flows through the fidelity group in five steps:
//
//  1. Columns are matched by name. A real column that the synthetic table
//     lacks, or holds with another kind, gets Undefined scores with the
//     reason; text columns and the group key are not scored.
//  2. macro.NewSpace discretises the comparable columns on the real data:
//     numeric columns into Input.Bins quantile bins (macro.DefaultBins, 6,
//     when 0), categorical columns over the union of both sides'
//     categories, and one extra "missing" cell per column. Both tables are
//     encoded once into cell indices.
//  3. Per-column work that pairs share runs in parallel: numeric values
//     (NaN where missing), sorted copies for KS and Wasserstein-1, average
//     ranks for Spearman.
//  4. One task per column and per joint (every pair by default, or the
//     Input.Joints groups) runs on GOMAXPROCS goroutines: frequency and
//     contingency tables are counted with macro.Contingency and compared
//     (TVD, JSD, Hellinger, SRMSE), correlations and Cramér's V are compared
//     between the sides. Output order does not depend on scheduling.
//  5. C2ST trains a classifier to tell real from synthetic rows (seeded
//     subsample and split) and reports the held-out accuracy gap and AUC;
//     the SDMetrics summary rows come from SDMetrics itself.
//
// Missing values: in frequency and contingency tables missing is a category
// of its own (a synthesizer that drops or invents missing values is
// penalised there); KS and Wasserstein-1 drop missing values on each side;
// correlations drop rows with a missing value in either column.
//
// When Input.Targeted is set (from a macro targets file), every fidelity
// score says whether its column set was a target of the synthesizer, so a
// report can separate targeted from untargeted fidelity (LLMSynthor is
// optimised on its targets; scoring only those flatters it).
//
// The plausibility, queries and adaptability groups score what the paper
// scores beyond fidelity, with rules and queries written in the language of
// package rules (shipped sets under rules/paper are picked by the columns
// when Input.Rules or Input.Queries is nil). Plausibility reports
// rule_rejection_rate per rule and overall, per row and per group (person
// and household rejection, LLMSynthor §5.2), beside the real table's rate.
// Queries reports query_relative_error |synth − real| / |real| per policy
// query and query_category_mre, their mean per category (the paper's
// Table 4). Adaptability scores a what-if output (Input.Overrides):
// scenario_target_gap, the distance of each overridden share to its
// target, and scenario_drift, the TVD of every other marginal from the real
// table reweighted as the override prescribes; ZeroConfigSuccess turns a
// runner's per-dataset results into zero_config_success_share, the share of
// datasets where a method ran with defaults and beat independent.
//
// The standalone functions (KS, Wasserstein, TVD, JSD, Hellinger, SRMSE,
// Pearson, Spearman, CramersV, AUC, C2ST) document their formula, range and
// reference, and are checked against SciPy and scikit-learn values in
// testdata/golden.json (made by testdata/golden.py).
//
// The utility group (utility.go) trains logistic regression (logistic.go,
// gonum L-BFGS), a cart tree and a cart forest on the synthetic and on the
// real table and tests both on Input.Holdout for Input.Target (TSTR, TRTR;
// classify.go scores them); utility_golden.json (utility_golden.py) holds
// scikit-learn's values. The privacy group (privacy.go) finds each synthetic
// row's nearest training rows by Gower distance (gower.go: rows grouped by
// their packed categorical signature, a one-mismatch deletion index, then
// buckets by mismatch count with early termination; no distance matrix)
// and counts exact matches and duplicates by hashing (rowhash.go).
// TruthScores (truth.go) repeats a group against a fresh generator sample.
package metrics
