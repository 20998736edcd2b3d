package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/synthor/synthor/cart"
	"github.com/synthor/synthor/table"
)

// DefaultC2STRows is the default cap on the rows drawn from each side for
// the classifier two-sample test.
const DefaultC2STRows = 50000

// c2stStream is the second PCG word of the C2ST generator; the first is the
// seed.
const c2stStream = 0x6332737421

// C2STConfig configures the classifier two-sample test. Its zero value
// works and means DefaultC2ST.
type C2STConfig struct {
	// Rows caps the rows drawn (without replacement) from each side; 0 means
	// DefaultC2STRows. Both sides are drawn to the same size, the smallest of
	// Rows and the two tables' row counts.
	Rows int
	// TestFraction is the share of each side held out for testing, in
	// (0, 1); 0 means 0.3.
	TestFraction float64
	// Trees is the number of trees of the random forest; 0 means 20.
	Trees int
	// MinLeaf is the fewest training rows in a leaf of each tree; 0 means 10.
	MinLeaf int
	// Seed drives the subsample, the split and the forest.
	Seed uint64
}

// DefaultC2ST is the configuration the zero C2STConfig stands for.
var DefaultC2ST = C2STConfig{Rows: DefaultC2STRows, TestFraction: 0.3, Trees: 20, MinLeaf: 10}

// Validate reports the first invalid setting, by its key.
func (c C2STConfig) Validate() error {
	switch {
	case c.Rows < 0:
		return fmt.Errorf("c2st: rows: %d is negative", c.Rows)
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
	// at threshold ½, in [0, 1].
	Accuracy float64
	// Gap is |Accuracy − ½|, in [0, ½]: 0 when the classifier cannot tell
	// the tables apart.
	Gap float64
	// AUC is the held-out area under the ROC curve (see AUC), synthetic as
	// the positive class: ½ when the tables are indistinguishable, 1 when
	// they are perfectly separated.
	AUC float64
	// Train and Test are the numbers of rows (both sides) used.
	Train, Test int
	// Classifier names the classifier.
	Classifier string
}

// classifierName describes the classifier used by C2ST.
const classifierName = "random forest (cart)"

// C2ST runs a classifier two-sample test between the real and synthetic
// tables. The same number of rows, min(cfg.Rows, real rows, synthetic rows),
// is drawn from each side without replacement (seeded), so a blind
// classifier scores ½; each side is split into training and held-out rows
// (1 − TestFraction : TestFraction); a classifier is trained to tell
// synthetic (positive) from real rows, and its held-out accuracy gap
// |acc − ½| (threshold ½ on the predicted probability) and AUC are
// returned.
//
// The classifier is a random forest of cart trees (bootstrap samples,
// sqrt(p) candidate features per split, leaves of at least MinLeaf rows,
// seeded) over the raw values of numeric columns (missing as missing) and
// the codes of categorical columns over the union of both sides'
// categories. Trees split on one column after another, so the forest sees
// interactions: a synthesizer that matches every marginal but breaks a
// dependence between columns is caught. The columns compared are those of
// the real table present in the synthetic one with a compatible kind (text
// columns and the group key are left out).
//
// Caveat: when the two tables share records that occur only a few times
// each (tiny tables of exact duplicates), holding a record out of training
// tilts the training counts of that record towards the other class, which
// pushes held-out accuracy below ½; the gap and the folded AUC then read as
// distinguishable. Leaves of at least MinLeaf rows keep the effect small on
// tables of realistic size.
//
// Reference: Lopez-Paz & Oquab (2017), "Revisiting classifier two-sample
// tests", ICLR; the LLMSynthor paper (arXiv 2505.14752) reports the gap.
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
	train, test := d.split(rng, rs.NumRows(), ss.NumRows(), cfg.TestFraction)
	if err := ctx.Err(); err != nil {
		return C2STResult{}, err
	}
	f, err := d.fit(train, cfg)
	if err != nil {
		return C2STResult{}, err
	}
	scores := make([]float64, len(test))
	labels := make([]bool, len(test))
	correct := 0
	for k, i := range test {
		p := f.PredictProba(d.X, i)[1]
		scores[k], labels[k] = p, d.label[i]
		if (p > 0.5) == d.label[i] {
			correct++
		}
	}
	auc, err := AUC(scores, labels)
	if err != nil {
		return C2STResult{}, fmt.Errorf("c2st: %w", err)
	}
	acc := float64(correct) / float64(len(test))
	return C2STResult{Accuracy: acc, Gap: math.Abs(acc - 0.5), AUC: auc, Train: len(train), Test: len(test), Classifier: classifierName}, nil
}

// C2STScores runs C2ST on an Input (rows capped by Input.C2STRows, seeded
// by Input.Seed) and returns the scores c2st_gap, the
// accuracy gap in [0, ½], and c2st_auc, the held-out AUC folded to
// max(AUC, 1 − AUC) in [½, 1] so that ½ is best and lower is better (an
// AUC below ½ on held-out rows is noise or an inverted but still informative
// classifier). Both cover the whole table, so they are never targeted. A test that cannot run (too few rows,
// no comparable column) gives Undefined scores with the reason.
func C2STScores(ctx context.Context, in Input) ([]Score, error) {
	cfg := C2STConfig{Rows: max(in.C2STRows, 0), Seed: in.Seed}
	cols := []string{}
	if in.Real != nil {
		cols = in.Real.Names()
	}
	params := map[string]any{"rows": cfg.withDefaults().Rows, "seed": in.Seed, "test_fraction": DefaultC2ST.TestFraction, "classifier": classifierName}
	r, err := C2ST(ctx, in.Real, in.Synth, cfg)
	var out []Score
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		out = []Score{
			Undefined(NameC2STGap, fidelityGroup, cols, Lower, err.Error()),
			Undefined(NameC2STAUC, fidelityGroup, cols, Lower, err.Error()),
		}
	} else {
		out = []Score{
			{Name: NameC2STGap, Group: fidelityGroup, Columns: cols, Value: r.Gap, Better: Lower},
			{Name: NameC2STAUC, Group: fidelityGroup, Columns: cols, Value: max(r.AUC, 1-r.AUC), Better: Lower},
		}
	}
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

// fit grows the forest on the training rows: the other rows get a negative
// class code, which cart skips.
func (d *c2stData) fit(train []int, cfg C2STConfig) (*cart.Forest, error) {
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
	f, err := cart.FitForest(d.X, cart.Classes(y, 2), cart.ForestOptions{
		Trees: cfg.Trees,
		Tree:  cart.Options{MinLeaf: cfg.MinLeaf},
		Seed:  cfg.Seed,
	})
	if err != nil {
		return nil, fmt.Errorf("c2st: fitting the classifier: %w", err)
	}
	return f, nil
}
