package metrics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/synthor/synthor/macro"
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
	// DefaultC2STRows.
	Rows int
	// TestFraction is the share of each side held out for testing, in
	// (0, 1); 0 means 0.3.
	TestFraction float64
	// Bins is the number of quantile bins of numeric columns in the
	// classifier's features; 0 means macro.DefaultBins.
	Bins int
	// L2 is the ridge penalty of the logistic regression per training row;
	// 0 means 1e-4.
	L2 float64
	// Seed drives the subsample and the split.
	Seed uint64
}

// DefaultC2ST is the configuration the zero C2STConfig stands for.
var DefaultC2ST = C2STConfig{Rows: DefaultC2STRows, TestFraction: 0.3, Bins: macro.DefaultBins, L2: 1e-4}

// Validate reports the first invalid setting, by its key.
func (c C2STConfig) Validate() error {
	switch {
	case c.Rows < 0:
		return fmt.Errorf("c2st: rows: %d is negative", c.Rows)
	case c.TestFraction < 0 || c.TestFraction >= 1 || math.IsNaN(c.TestFraction):
		return fmt.Errorf("c2st: test_fraction: %g is not in [0, 1)", c.TestFraction)
	case c.Bins < 0:
		return fmt.Errorf("c2st: bins: %d is negative", c.Bins)
	case c.L2 < 0 || math.IsNaN(c.L2):
		return fmt.Errorf("c2st: l2: %g is negative", c.L2)
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
	if c.Bins > 0 {
		d.Bins = c.Bins
	}
	if c.L2 > 0 {
		d.L2 = c.L2
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
const classifierName = "logistic regression on standardised numbers, bin and category indicators"

// C2ST runs a classifier two-sample test between the real and synthetic
// tables. At most cfg.Rows rows are drawn from each side without
// replacement (seeded), each side is split into training and held-out rows
// (1 − TestFraction : TestFraction), a classifier is trained to tell
// synthetic (positive) from real rows, and its held-out accuracy gap
// |acc − ½| and AUC are returned. Classes are weighted to equal total
// weight in training, so unequal sizes do not shift the threshold.
//
// The classifier is an L2-regularised logistic regression fitted by L-BFGS
// (gonum/optimize) on: each numeric column standardised (missing → 0) with
// a missing indicator, one indicator per quantile bin of each numeric column
// (bins of the real sample), and one indicator per category of each
// categorical column (missing is a category). The bin indicators let it see
// differences in shape, not only in means; it does not model interactions
// between columns, so a synthesizer that matches every marginal but breaks
// a dependence can pass it. The columns compared are those of the real
// table present in the synthetic one with a compatible kind (text columns
// and the group key are left out).
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
	rs, ss := real.Take(sample(rng, nr, cfg.Rows)), synth.Take(sample(rng, ns, cfg.Rows))
	d, err := newC2STData(rs, ss, cfg.Bins)
	if err != nil {
		return C2STResult{}, err
	}
	if len(d.vars) == 0 {
		return C2STResult{}, fmt.Errorf("c2st: no column to compare")
	}
	train, test := d.split(rng, rs.NumRows(), ss.NumRows(), cfg.TestFraction)
	m := &logistic{l2: cfg.L2}
	if err := m.fit(ctx, d, train); err != nil {
		return C2STResult{}, err
	}
	scores := make([]float64, len(test))
	labels := make([]bool, len(test))
	correct := 0
	for k, i := range test {
		p := m.prob(d, i)
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

// C2STScores runs C2ST on an Input (rows capped by Input.C2STRows, bins from
// Input.Bins, seeded by Input.Seed) and returns the scores c2st_gap, the
// accuracy gap in [0, ½], and c2st_auc, the held-out AUC folded to
// max(AUC, 1 − AUC) in [½, 1] so that ½ is best and lower is better (an
// AUC below ½ on held-out rows is noise or an inverted but still informative
// classifier). Both cover the whole table, so they are never targeted. A test that cannot run (too few rows,
// no comparable column) gives Undefined scores with the reason.
func C2STScores(ctx context.Context, in Input) ([]Score, error) {
	cfg := C2STConfig{Rows: max(in.C2STRows, 0), Bins: in.Bins, Seed: in.Seed}
	cols := []string{}
	if in.Real != nil {
		cols = in.Real.Names()
	}
	params := map[string]any{"rows": cfg.withDefaults().Rows, "seed": in.Seed, "test_fraction": DefaultC2ST.TestFraction}
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
	vars  []*macro.Var
	cells [][]int32   // per variable: cell of each row (bins for numeric)
	nums  [][]float64 // per numeric variable: value of each row, NaN missing
	label []bool      // true: synthetic
}

func newC2STData(rs, ss *table.Table, bins int) (*c2stData, error) {
	var rc, sc []*table.Column
	for _, c := range rs.Cols {
		s := ss.Col(c.Name)
		if c.Kind == table.Text || c.Name == rs.GroupKey || s == nil || s.Kind == table.Text || s.Kind.Numeric() != c.Kind.Numeric() {
			continue
		}
		rc, sc = append(rc, c), append(sc, s)
	}
	rt, err := table.New(rc...)
	if err != nil {
		return nil, fmt.Errorf("c2st: %w", err)
	}
	st, err := table.New(sc...)
	if err != nil {
		return nil, fmt.Errorf("c2st: %w", err)
	}
	space, err := macro.NewSpace(rt, bins, st)
	if err != nil {
		return nil, fmt.Errorf("c2st: %w", err)
	}
	er, err := space.Encode(rt)
	if err != nil {
		return nil, fmt.Errorf("c2st: real table: %w", err)
	}
	es, err := space.Encode(st)
	if err != nil {
		return nil, fmt.Errorf("c2st: synthetic table: %w", err)
	}
	nr, ns := rt.NumRows(), st.NumRows()
	d := &c2stData{vars: space.Vars, label: make([]bool, nr+ns)}
	for i := nr; i < nr+ns; i++ {
		d.label[i] = true
	}
	for j, v := range space.Vars {
		d.cells = append(d.cells, append(append([]int32(nil), er.Cells[j]...), es.Cells[j]...))
		if v.Numeric() {
			d.nums = append(d.nums, append(floats(rt.Col(v.Name)), floats(st.Col(v.Name))...))
		}
	}
	return d, nil
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

// logistic is an L2-regularised logistic regression over the features of a
// c2stData row: standardised numbers, missing indicators and one-hot cells.
type logistic struct {
	l2        float64
	mean, sd  []float64 // per numeric variable, from the training rows
	offset    []int     // per variable: first weight of its one-hot block
	nNum, dim int
	w         []float64 // bias, numeric, missing indicators, one-hot cells
}

// features calls f for each non-zero feature of row i with its weight index
// and value.
func (m *logistic) features(d *c2stData, i int, f func(k int, x float64)) {
	f(0, 1)
	for j, col := range d.nums {
		v := col[i]
		if math.IsNaN(v) {
			f(1+m.nNum+j, 1)
			continue
		}
		f(1+j, (v-m.mean[j])/m.sd[j])
	}
	for j, col := range d.cells {
		f(m.offset[j]+int(col[i]), 1)
	}
}

func (m *logistic) fit(ctx context.Context, d *c2stData, train []int) error {
	m.nNum = len(d.nums)
	m.mean, m.sd = make([]float64, m.nNum), make([]float64, m.nNum)
	for j, col := range d.nums {
		var s, ss, n float64
		for _, i := range train {
			if v := col[i]; !math.IsNaN(v) {
				s += v
				ss += v * v
				n++
			}
		}
		if n > 0 {
			m.mean[j] = s / n
			m.sd[j] = math.Sqrt(max(ss/n-m.mean[j]*m.mean[j], 0))
		}
		if m.sd[j] == 0 || math.IsNaN(m.sd[j]) {
			m.sd[j] = 1
		}
	}
	next := 1 + 2*m.nNum
	m.offset = make([]int, len(d.vars))
	for j, v := range d.vars {
		m.offset[j] = next
		next += v.Size()
	}
	m.dim = next
	// Class weights: each class carries half the total weight.
	var npos float64
	for _, i := range train {
		if d.label[i] {
			npos++
		}
	}
	n := float64(len(train))
	wpos, wneg := n/(2*npos), n/(2*(n-npos))
	m.w = make([]float64, m.dim)
	if err := m.newton(ctx, d, train, wpos, wneg); err != nil {
		return fmt.Errorf("c2st: fitting the classifier: %w", err)
	}
	return nil
}

// newton minimises the weighted, penalised mean log loss
//
//	L(w) = (1/n) Σ_i c_i (log(1 + e^{z_i}) − y_i z_i) + (λ/2) Σ_{k>0} w_k²,  z_i = w·x_i
//
// by Newton's method (iteratively reweighted least squares) with step
// halving. Rows have about one non-zero feature per column, so the Hessian
// costs O(n·c²) per iteration for c columns, and the system is solved by
// Cholesky (gonum/mat).
func (m *logistic) newton(ctx context.Context, d *c2stData, train []int, wpos, wneg float64) error {
	n := float64(len(train))
	idx := make([]int, 0, 1+len(d.nums)+len(d.cells))
	val := make([]float64, 0, cap(idx))
	row := func(i int) {
		idx, val = idx[:0], val[:0]
		m.features(d, i, func(k int, x float64) { idx, val = append(idx, k), append(val, x) })
	}
	loss := func(w []float64) float64 {
		l := 0.0
		for _, i := range train {
			row(i)
			z := 0.0
			for a, k := range idx {
				z += w[k] * val[a]
			}
			y, cw := 0.0, wneg
			if d.label[i] {
				y, cw = 1, wpos
			}
			l += cw * (softplus(z) - y*z)
		}
		l /= n
		for k := 1; k < len(w); k++ {
			l += m.l2 / 2 * w[k] * w[k]
		}
		return l
	}
	dim := m.dim
	h := mat.NewSymDense(dim, nil)
	g := make([]float64, dim)
	cur := loss(m.w)
	for iter := 0; iter < 50; iter++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		clear(g)
		h.Zero()
		raw := h.RawSymmetric()
		for _, i := range train {
			row(i)
			z := 0.0
			for a, k := range idx {
				z += m.w[k] * val[a]
			}
			y, cw := 0.0, wneg
			if d.label[i] {
				y, cw = 1, wpos
			}
			p := sigmoid(z)
			r := cw * (p - y) / n
			q := cw * p * (1 - p) / n
			for a, k := range idx {
				g[k] += r * val[a]
				for b, l := range idx {
					if l >= k {
						raw.Data[k*raw.Stride+l] += q * val[a] * val[b]
					}
				}
			}
		}
		for k := 0; k < dim; k++ {
			lam := m.l2
			if k == 0 {
				lam = 1e-10 // keeps the system positive definite; the bias is not penalised
			} else {
				g[k] += m.l2 * m.w[k]
			}
			raw.Data[k*raw.Stride+k] += lam
		}
		var chol mat.Cholesky
		if ok := chol.Factorize(h); !ok {
			return errors.New("the Hessian is not positive definite")
		}
		step := mat.NewVecDense(dim, nil)
		if err := chol.SolveVecTo(step, mat.NewVecDense(dim, g)); err != nil {
			return err
		}
		// Step halving until the loss does not rise.
		t := 1.0
		next := make([]float64, dim)
		var nl float64
		for {
			for k := range next {
				next[k] = m.w[k] - t*step.AtVec(k)
			}
			nl = loss(next)
			if nl <= cur || t < 1e-6 {
				break
			}
			t /= 2
		}
		done := cur-nl < 1e-10*max(1, math.Abs(cur))
		if nl <= cur {
			m.w, cur = next, nl
		}
		if done {
			break
		}
	}
	return nil
}

// prob returns the fitted probability that row i is synthetic.
func (m *logistic) prob(d *c2stData, i int) float64 {
	z := 0.0
	m.features(d, i, func(k int, x float64) { z += m.w[k] * x })
	return sigmoid(z)
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}
