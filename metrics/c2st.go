package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/synthor/synthor/cart"
	"github.com/synthor/synthor/table"
)

// DefaultC2STRows is the default cap on the rows drawn from each side for
// the classifier two-sample test.
const DefaultC2STRows = 50000

// c2stStream is the second PCG word of the C2ST generator; the first is the
// seed.
const c2stStream = 0x6332737421

// The C2ST classifiers, by the name used in C2STConfig.Classifier,
// Input.C2STClassifier and the scores' params.classifier.
const (
	// C2STHGB is histogram gradient-boosted trees (cart.FitHGB, scikit-learn's
	// HistGradientBoostingClassifier defaults), scored by stratified k-fold
	// cross-validation: the default.
	C2STHGB = "hgb"
	// C2STForest is a 20-tree random forest of cart trees scored on one
	// 70/30 split (synthor's C2ST before the gradient-boosted one).
	C2STForest = "forest"
)

// C2STClassifiers lists the valid classifier names, the default first.
var C2STClassifiers = []string{C2STHGB, C2STForest}

// C2STConfig configures the classifier two-sample test. Its zero value
// works and means DefaultC2ST.
type C2STConfig struct {
	// Rows caps the rows drawn (without replacement) from each side; 0 means
	// DefaultC2STRows. Both sides are drawn to the same size, the smallest of
	// Rows and the two tables' row counts.
	Rows int
	// Classifier is C2STHGB or C2STForest; "" means C2STHGB.
	Classifier string
	// Folds is the number of stratified cross-validation folds of the hgb
	// classifier, at least 2; 0 means 5. Fewer rows per side than folds
	// lower it to the rows.
	Folds int
	// TestFraction is the share of each side held out for testing by the
	// forest, in (0, 1); 0 means 0.3.
	TestFraction float64
	// Trees is the number of trees of the random forest; 0 means 20.
	Trees int
	// MinLeaf is the fewest training rows in a leaf of each forest tree; 0
	// means 10.
	MinLeaf int
	// Seed drives the subsample, the folds or split, and the classifier.
	Seed uint64
}

// DefaultC2ST is the configuration the zero C2STConfig stands for.
var DefaultC2ST = C2STConfig{Rows: DefaultC2STRows, Classifier: C2STHGB, Folds: 5, TestFraction: 0.3, Trees: 20, MinLeaf: 10}

// Validate reports the first invalid setting, by its key.
func (c C2STConfig) Validate() error {
	switch {
	case c.Rows < 0:
		return fmt.Errorf("c2st: rows: %d is negative", c.Rows)
	case c.Classifier != "" && !slices.Contains(C2STClassifiers, c.Classifier):
		return fmt.Errorf("c2st: classifier: unknown %q (valid: %s)", c.Classifier, strings.Join(C2STClassifiers, ", "))
	case c.Folds < 0 || c.Folds == 1:
		return fmt.Errorf("c2st: folds: %d is not 0 or at least 2", c.Folds)
	case c.TestFraction < 0 || c.TestFraction >= 1 || math.IsNaN(c.TestFraction):
		return fmt.Errorf("c2st: test_fraction: %g is not in [0, 1)", c.TestFraction)
	case c.Trees < 0:
		return fmt.Errorf("c2st: trees: %d is negative", c.Trees)
	case c.MinLeaf < 0:
		return fmt.Errorf("c2st: min_leaf: %d is negative", c.MinLeaf)
	}
	return nil
}

func (c C2STConfig) withDefaults() C2STConfig {
	d := DefaultC2ST
	if c.Rows > 0 {
		d.Rows = c.Rows
	}
	if c.Classifier != "" {
		d.Classifier = c.Classifier
	}
	if c.Folds > 0 {
		d.Folds = c.Folds
	}
	if c.TestFraction > 0 {
		d.TestFraction = c.TestFraction
	}
	if c.Trees > 0 {
		d.Trees = c.Trees
	}
	if c.MinLeaf > 0 {
		d.MinLeaf = c.MinLeaf
	}
	d.Seed = c.Seed
	return d
}

// C2STResult is the outcome of a classifier two-sample test.
type C2STResult struct {
	// Accuracy is the held-out accuracy of the real-vs-synthetic classifier
	// at threshold ½ (the mean over folds for hgb), in [0, 1].
	Accuracy float64
	// Gap is |Accuracy − ½|, in [0, ½]: 0 when the classifier cannot tell
	// the tables apart.
	Gap float64
	// AUC is the held-out area under the ROC curve (see AUC), synthetic as
	// the positive class, the mean of the folds' for hgb: ½ when the tables
	// are indistinguishable, 1 when they are perfectly separated.
	AUC float64
	// AUCStd is the standard deviation (n − 1) of the folds' AUCs; 0 for
	// the forest's single split.
	AUCStd float64
	// Rows is the number of rows drawn from each side.
	Rows int
	// Folds is the number of cross-validation folds (0 for the forest).
	Folds int
	// Train and Test are the numbers of rows (both sides) a classifier was
	// trained on and scored on: for hgb the largest fold's training rows and
	// all rows (each is held out once).
	Train, Test int
	// Classifier is the classifier's name (C2STHGB or C2STForest).
	Classifier string
}

// C2ST runs a classifier two-sample test between the real and synthetic
// tables. The same number of rows, min(cfg.Rows, real rows, synthetic rows),
// is drawn from each side without replacement (seeded), so a blind
// classifier scores ½, and a classifier is trained to tell synthetic
// (positive) from real rows:
//
//   - hgb (the default): gradient-boosted trees (cart.FitHGB with
//     scikit-learn's HistGradientBoostingClassifier defaults: 100 trees of
//     31 leaves, learning rate 0.1, 20 rows per leaf, early stopping on 10%
//     of the training rows above 10,000 of them) scored by stratified k-fold
//     cross-validation: each side is shuffled and dealt into cfg.Folds folds,
//     each fold is held out once while the others train, and AUC and
//     accuracy are the means over folds (as scikit-learn's
//     cross_val_score(..., cv=StratifiedKFold(k, shuffle=True),
//     scoring="roc_auc")). This is the "XGBoost C2ST" of TabSyn (Zhang et
//     al. 2024) and its successors.
//   - forest: a random forest of cart trees (bootstrap samples, sqrt(p)
//     candidate features per split, leaves of at least MinLeaf rows) trained
//     on 1 − TestFraction of each side and scored on the rest.
//
// Features are the raw values of numeric columns (missing as missing) and
// the codes of categorical columns over the sorted union of both sides'
// categories, split natively (a set of levels per split); trees split on
// one column after another, so a synthesizer that matches every marginal
// but breaks a dependence between columns is caught. The columns compared
// are those of the real table present in the synthetic one with a
// compatible kind (text columns and the group key are left out). Constant
// or all-missing columns carry nothing and are harmless.
//
// Caveat: when the two tables share records that occur only a few times
// each (exact copies), holding a record out of training leaves its twin of
// the other class in training, which pushes held-out AUC below ½; the
// folded c2st_auc then reads as distinguishable. On Adult, whose records
// are nearly all unique (fnlwgt), a shuffled copy of the table scores an
// AUC of 0.41 under 5-fold cross-validation, with scikit-learn as here
// (testdata/c2st_golden.py), so c2st_auc 0.59: an AUC well below ½ is a
// sign of copied records, which the privacy group measures directly.
//
// Reference: Lopez-Paz & Oquab (2017), "Revisiting classifier two-sample
// tests", ICLR; Zhang et al. (2024), "Mixed-type tabular data synthesis
// with score-based diffusion in latent space" (TabSyn), ICLR; the
// LLMSynthor paper (arXiv 2505.14752) reports the gap.
func C2ST(ctx context.Context, real, synth *table.Table, cfg C2STConfig) (C2STResult, error) {
	if err := cfg.Validate(); err != nil {
		return C2STResult{}, err
	}
	cfg = cfg.withDefaults()
	rng := rand.New(rand.NewPCG(cfg.Seed, c2stStream))
	nr, ns := real.NumRows(), synth.NumRows()
	if nr < 2 || ns < 2 {
		return C2STResult{}, fmt.Errorf("c2st: each side needs at least 2 rows (real %d, synthetic %d): %w", nr, ns, ErrEmpty)
	}
	// Equal class sizes, so that the accuracy of a blind classifier is ½.
	k := min(cfg.Rows, nr, ns)
	rs, ss := real.Take(sample(rng, nr, k)), synth.Take(sample(rng, ns, k))
	d := newC2STData(rs, ss)
	if len(d.X) == 0 {
		return C2STResult{}, fmt.Errorf("c2st: no column to compare")
	}
	if err := ctx.Err(); err != nil {
		return C2STResult{}, err
	}
	var r C2STResult
	var err error
	if cfg.Classifier == C2STForest {
		r, err = d.forest(rng, k, cfg)
	} else {
		r, err = d.crossValidate(ctx, rng, k, cfg)
	}
	if err != nil {
		return C2STResult{}, err
	}
	r.Gap = math.Abs(r.Accuracy - 0.5)
	r.Rows, r.Classifier = k, cfg.Classifier
	return r, nil
}

// C2STScores runs C2ST on an Input (rows capped by Input.C2STRows, the
// classifier and folds from Input.C2STClassifier and Input.C2STFolds, seeded
// by Input.Seed) and returns the scores c2st_gap, the accuracy gap in
// [0, ½], and c2st_auc, the held-out AUC folded to max(AUC, 1 − AUC) in
// [½, 1] so that ½ is best and lower is better (an AUC below ½ on held-out
// rows is noise or an inverted but still informative classifier). Both cover
// the whole table, so they are never targeted. Their reference is computed
// like any other (the holdout in the synthetic table's place): near ½
// (c2st_gap near 0), above it by the noise of the folded AUC, which grows
// as the samples shrink. Params record the classifier, rows (the cap per side),
// seed, and folds (hgb) or test_fraction (forest). A test that cannot run
// (too few rows, no comparable column) gives Undefined scores with the
// reason; an unknown classifier or bad folds is an error.
func C2STScores(ctx context.Context, in Input) ([]Score, error) {
	cfg := C2STConfig{Rows: max(in.C2STRows, 0), Classifier: in.C2STClassifier, Folds: in.C2STFolds, Seed: in.Seed}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cols := []string{}
	if in.Real != nil {
		cols = in.Real.Names()
	}
	full := cfg.withDefaults()
	params := map[string]any{"rows": full.Rows, "seed": in.Seed, "classifier": full.Classifier}
	if full.Classifier == C2STForest {
		params["test_fraction"] = full.TestFraction
	} else {
		params["folds"] = full.Folds
	}
	var r C2STResult
	err := fmt.Errorf("c2st needs a real and a synthetic table")
	if in.Real != nil && in.Synth != nil {
		r, err = C2ST(ctx, in.Real, in.Synth, cfg)
	}
	var out []Score
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out = []Score{
			Undefined(NameC2STGap, fidelityGroup, cols, Lower, err.Error()),
			Undefined(NameC2STAUC, fidelityGroup, cols, Lower, err.Error()),
		}
	} else {
		if r.Folds > 0 && r.Folds != full.Folds {
			params["folds"] = r.Folds
		}
		out = []Score{
			{Name: NameC2STGap, Group: fidelityGroup, Columns: cols, Value: r.Gap, Better: Lower},
			{Name: NameC2STAUC, Group: fidelityGroup, Columns: cols, Value: max(r.AUC, 1-r.AUC), Better: Lower},
		}
	}
	// The reference is computed (the holdout in the synthetic table's
	// place), not fixed at ½: a folded AUC of two samples of one
	// distribution sits above ½ by its noise, which grows as the samples
	// shrink, and that is the level a synthetic table is read against.
	for i := range out {
		out[i].Params = params
		if in.Targeted != nil {
			f := false
			out[i].Targeted = &f
		}
	}
	return out, nil
}

// sample returns k distinct row indices of [0, n) in random order (all of
// them, shuffled, when k >= n), by a partial Fisher–Yates shuffle.
func sample(rng *rand.Rand, n, k int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	k = min(k, n)
	for i := 0; i < k; i++ {
		j := i + rng.IntN(n-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	return idx[:k]
}

// c2stData holds the classifier's view of the stacked rows: real rows first,
// then synthetic ones.
type c2stData struct {
	X     cart.Features
	label []bool // true: synthetic
}

// newC2STData builds features from the columns the two tables share with
// compatible kinds: numeric values (NaN missing) and categorical codes over
// the union of both dictionaries (negative missing).
func newC2STData(rs, ss *table.Table) *c2stData {
	nr, ns := rs.NumRows(), ss.NumRows()
	d := &c2stData{label: make([]bool, nr+ns)}
	for i := nr; i < nr+ns; i++ {
		d.label[i] = true
	}
	for _, c := range rs.Cols {
		s := ss.Col(c.Name)
		if c.Kind == table.Text || c.Name == rs.GroupKey || s == nil || s.Kind == table.Text || s.Kind.Numeric() != c.Kind.Numeric() {
			continue
		}
		if c.Kind.Numeric() {
			d.X = append(d.X, cart.Numeric(c.Name, append(floats(c), floats(s)...)))
			continue
		}
		// Codes over the sorted union of both dictionaries, so that the
		// result does not depend on dictionary order.
		m := encodeCategorical(c.Name, []*table.Column{c, s})
		d.X = append(d.X, cart.Categorical(c.Name, slices.Concat(m.codes...), max(m.levels, 1)))
	}
	return d
}

// split returns training and held-out rows, each side split on its own.
func (d *c2stData) split(rng *rand.Rand, nr, ns int, testFraction float64) (train, test []int) {
	for _, side := range [][2]int{{0, nr}, {nr, nr + ns}} {
		n := side[1] - side[0]
		perm := rng.Perm(n)
		nt := int(math.Round(float64(n) * testFraction))
		nt = min(max(nt, 1), n-1)
		for k, p := range perm {
			if k < nt {
				test = append(test, side[0]+p)
			} else {
				train = append(train, side[0]+p)
			}
		}
	}
	return train, test
}

// target returns class codes for the rows in train (1 synthetic, 0 real)
// and −1, which cart skips, for the others.
func (d *c2stData) target(train []int) cart.Target {
	y := make([]int32, len(d.label))
	for i := range y {
		y[i] = -1
	}
	for _, i := range train {
		y[i] = 0
		if d.label[i] {
			y[i] = 1
		}
	}
	return cart.Classes(y, 2)
}

// forest trains the random forest on one split of k + k rows and scores the
// held-out rows.
func (d *c2stData) forest(rng *rand.Rand, k int, cfg C2STConfig) (C2STResult, error) {
	train, test := d.split(rng, k, k, cfg.TestFraction)
	f, err := cart.FitForest(d.X, d.target(train), cart.ForestOptions{
		Trees: cfg.Trees,
		Tree:  cart.Options{MinLeaf: cfg.MinLeaf},
		Seed:  cfg.Seed,
	})
	if err != nil {
		return C2STResult{}, fmt.Errorf("c2st: fitting the classifier: %w", err)
	}
	scores := make([]float64, len(test))
	for t, i := range test {
		scores[t] = f.PredictProba(d.X, i)[1]
	}
	auc, acc, err := d.heldOut(test, scores, 0.5)
	if err != nil {
		return C2STResult{}, err
	}
	return C2STResult{Accuracy: acc, AUC: auc, Train: len(train), Test: len(test)}, nil
}

// heldOut returns the AUC of scores on the rows test and the accuracy of
// calling a row synthetic when its score is above threshold.
func (d *c2stData) heldOut(test []int, scores []float64, threshold float64) (auc, acc float64, err error) {
	labels := make([]bool, len(test))
	correct := 0
	for t, i := range test {
		labels[t] = d.label[i]
		if (scores[t] > threshold) == d.label[i] {
			correct++
		}
	}
	auc, err = AUC(scores, labels)
	if err != nil {
		return 0, 0, fmt.Errorf("c2st: %w", err)
	}
	return auc, float64(correct) / float64(len(test)), nil
}

// folds deals each side's k rows, shuffled, into f folds in turn (fold of
// the t-th shuffled row: t mod f), as StratifiedKFold(shuffle=True) does.
func folds(rng *rand.Rand, k, f int) [][]int {
	out := make([][]int, f)
	for _, off := range []int{0, k} {
		for t, p := range rng.Perm(k) {
			out[t%f] = append(out[t%f], off+p)
		}
	}
	for _, fold := range out {
		slices.Sort(fold)
	}
	return out
}

// crossValidate fits the gradient-boosted trees once per fold on the other
// folds and scores the fold; the result holds the folds' mean AUC and
// accuracy.
func (d *c2stData) crossValidate(ctx context.Context, rng *rand.Rand, k int, cfg C2STConfig) (C2STResult, error) {
	nf := min(cfg.Folds, k)
	parts := folds(rng, k, nf)
	aucs := make([]float64, nf)
	var acc float64
	r := C2STResult{Folds: nf, Test: 2 * k}
	inFold := make([]int, 2*k)
	for f, fold := range parts {
		for _, i := range fold {
			inFold[i] = f
		}
	}
	for f, test := range parts {
		if err := ctx.Err(); err != nil {
			return C2STResult{}, err
		}
		train := make([]int, 0, 2*k-len(test))
		for i, g := range inFold {
			if g != f {
				train = append(train, i)
			}
		}
		r.Train = max(r.Train, len(train))
		m, err := cart.FitHGB(d.X, d.target(train), cart.HGBOptions{Seed: rng.Uint64()})
		if err != nil {
			return C2STResult{}, fmt.Errorf("c2st: fitting fold %d: %w", f+1, err)
		}
		scores, err := m.Decision(d.X, test)
		if err != nil {
			return C2STResult{}, fmt.Errorf("c2st: scoring fold %d: %w", f+1, err)
		}
		a, c, err := d.heldOut(test, scores, 0)
		if err != nil {
			return C2STResult{}, err
		}
		aucs[f] = a
		acc += c
	}
	for _, a := range aucs {
		r.AUC += a / float64(nf)
	}
	r.Accuracy = acc / float64(nf)
	if nf > 1 {
		var ss float64
		for _, a := range aucs {
			ss += (a - r.AUC) * (a - r.AUC)
		}
		r.AUCStd = math.Sqrt(ss / float64(nf-1))
	}
	return r, nil
}
