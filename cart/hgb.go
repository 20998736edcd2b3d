package cart

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// EarlyStop says when FitHGB stops adding trees before MaxIter.
type EarlyStop int

// The early-stopping modes. The zero value is EarlyStopAuto.
const (
	// EarlyStopAuto stops early when there are more than 10,000 training
	// rows (scikit-learn's early_stopping="auto").
	EarlyStopAuto EarlyStop = iota
	// EarlyStopOn always holds out a validation share and stops early.
	EarlyStopOn
	// EarlyStopOff fits MaxIter trees on all the rows.
	EarlyStopOff
)

// hgbAutoRows is the row count above which EarlyStopAuto stops early.
const hgbAutoRows = 10000

// hgbStream is the second PCG word of the HGB generator; the first is the
// seed.
const hgbStream = 0x686762

// HGBOptions controls a histogram gradient-boosted classifier. The zero
// value works and gives scikit-learn's HistGradientBoostingClassifier
// defaults: 100 iterations, learning rate 0.1, 31 leaves per tree, no depth
// cap, 20 rows per leaf, no L2 penalty, 255 bins, early stopping on the
// validation loss (10% of the rows, 10 iterations without a gain of 1e-7)
// above 10,000 rows.
type HGBOptions struct {
	// MaxIter is the number of boosting iterations (trees); 0 means 100.
	MaxIter int
	// LearningRate shrinks each tree's leaf values; 0 means 0.1.
	LearningRate float64
	// MaxLeafNodes caps the leaves of a tree, grown best-first; 0 means 31.
	MaxLeafNodes int
	// MaxDepth caps the depth of a tree (root = 0); 0 means no cap.
	MaxDepth int
	// MinSamplesLeaf is the fewest training rows in a leaf; 0 means 20.
	MinSamplesLeaf int
	// L2 is the L2 penalty λ on leaf values, >= 0; 0 means none.
	L2 float64
	// MaxBins is the number of value bins per feature, in [2, 255] (missing
	// values get one more); 0 means 255.
	MaxBins int
	// EarlyStopping says when to stop before MaxIter; zero: EarlyStopAuto.
	EarlyStopping EarlyStop
	// ValidationFraction is the share of the rows (drawn per class) held out
	// to watch the loss when stopping early, in (0, 1); 0 means 0.1.
	ValidationFraction float64
	// IterNoChange is the number of iterations without a validation-loss
	// gain of more than Tol after which fitting stops; 0 means 10.
	IterNoChange int
	// Tol is the least validation-loss gain that counts; 0 means 1e-7.
	Tol float64
	// Seed drives the validation split and the binning subsample.
	Seed uint64
	// Workers builds histograms and finds splits over features in
	// parallel; 0 means GOMAXPROCS. The result does not depend on it.
	Workers int
}

// Validate reports the first bad option, naming it.
func (o HGBOptions) Validate() error {
	switch {
	case o.MaxIter < 0:
		return fmt.Errorf("hgb: max_iter %d is negative", o.MaxIter)
	case o.LearningRate < 0 || math.IsNaN(o.LearningRate) || math.IsInf(o.LearningRate, 0):
		return fmt.Errorf("hgb: learning_rate %g must be a positive number", o.LearningRate)
	case o.MaxLeafNodes < 0 || o.MaxLeafNodes == 1:
		return fmt.Errorf("hgb: max_leaf_nodes %d must be at least 2", o.MaxLeafNodes)
	case o.MaxDepth < 0:
		return fmt.Errorf("hgb: max_depth %d is negative", o.MaxDepth)
	case o.MinSamplesLeaf < 0:
		return fmt.Errorf("hgb: min_samples_leaf %d is negative", o.MinSamplesLeaf)
	case o.L2 < 0 || math.IsNaN(o.L2) || math.IsInf(o.L2, 0):
		return fmt.Errorf("hgb: l2 %g must be a non-negative number", o.L2)
	case o.MaxBins < 0 || o.MaxBins == 1 || o.MaxBins > 255:
		return fmt.Errorf("hgb: max_bins %d is outside [2, 255]", o.MaxBins)
	case o.EarlyStopping < EarlyStopAuto || o.EarlyStopping > EarlyStopOff:
		return fmt.Errorf("hgb: early_stopping %d is not auto, on or off", o.EarlyStopping)
	case o.ValidationFraction < 0 || o.ValidationFraction >= 1 || math.IsNaN(o.ValidationFraction):
		return fmt.Errorf("hgb: validation_fraction %g is not in (0, 1)", o.ValidationFraction)
	case o.IterNoChange < 0:
		return fmt.Errorf("hgb: iter_no_change %d is negative", o.IterNoChange)
	case o.Tol < 0 || math.IsNaN(o.Tol):
		return fmt.Errorf("hgb: tol %g is negative", o.Tol)
	case o.Workers < 0:
		return fmt.Errorf("hgb: workers %d is negative", o.Workers)
	}
	return nil
}

func (o HGBOptions) withDefaults() HGBOptions {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.MaxIter, 100)
	def(&o.MaxLeafNodes, 31)
	def(&o.MinSamplesLeaf, 20)
	def(&o.MaxBins, 255)
	def(&o.IterNoChange, 10)
	def(&o.Workers, runtime.GOMAXPROCS(0))
	if o.LearningRate == 0 {
		o.LearningRate = 0.1
	}
	if o.ValidationFraction == 0 {
		o.ValidationFraction = 0.1
	}
	if o.Tol == 0 {
		o.Tol = 1e-7
	}
	return o
}

// ErrOneClass is returned (wrapped) when the training rows of a binary
// classifier hold a single class.
var ErrOneClass = errors.New("the training rows hold a single class")

// HGB is a fitted histogram gradient-boosted binary classifier.
type HGB struct {
	baseline float64
	trees    [][]hgbNode
	binner   *hgbBinner
	features []string
	levels   []int
	// Iterations is the number of trees fitted (MaxIter unless stopped
	// early).
	Iterations int
	// ValidationLoss holds the mean log loss on the validation rows before
	// the first tree and after each one, when stopping early; nil otherwise.
	ValidationLoss []float64
}

// FitHGB fits gradient-boosted trees to a two-class target (codes 0 and 1;
// negative codes mark rows to skip) under the logistic loss.
//
// The algorithm is scikit-learn's HistGradientBoostingClassifier (1.2),
// itself LightGBM's (Ke et al. 2017):
//
//  1. When stopping early, a share ValidationFraction of each class is
//     drawn (seeded) and held out.
//  2. Each feature is binned once on the training rows (see fitBinner):
//     at most MaxBins value bins at quantiles, one more for missing values;
//     a categorical feature gets a bin per level (its codes, not an order).
//  3. The raw score F starts at the log-odds of the class-1 share. Each
//     iteration takes the gradients g = p − y and hessians h = p(1 − p) of
//     the log loss at p = 1/(1 + e^−F) (Friedman 2001) and grows one tree
//     on them, best-first: the leaf whose best split gains most is split
//     next, until MaxLeafNodes leaves, MaxDepth, or no split gains. A
//     split's gain is GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ) (Chen & Guestrin
//     2016), each child holding MinSamplesLeaf rows and hessian 1e-3; a
//     leaf's value is −LearningRate · G/(H+λ).
//  4. Split search works on per-node histograms of (G, H, rows) by bin,
//     built over features in parallel; a split node's smaller child is
//     counted from its rows and the larger one is the parent's histogram
//     minus the smaller's (the subtraction trick), so a tree costs about
//     rows × features × log(leaves). Numeric splits are thresholds on the
//     bin order, scanned with missing values sent right, then, when the
//     feature had missing values, left; without any in training, a missing
//     value follows the larger child. Categorical splits order the
//     categories by G/(H + 10) and take the best prefix from either end
//     (Fisher 1958), missing values being one more category; categories
//     with little support always go right.
//  5. When stopping early, fitting stops once the validation log loss has
//     not improved by more than Tol on the loss IterNoChange iterations
//     before.
//
// The fit is deterministic for a seed: each feature's histogram is summed
// by one goroutine in row order, and rows are partitioned stably.
//
// References: Friedman (2001), "Greedy function approximation: a gradient
// boosting machine", Ann. Statist. 29(5); Chen & Guestrin (2016),
// "XGBoost", KDD; Ke et al. (2017), "LightGBM: a highly efficient gradient
// boosting decision tree", NeurIPS; Fisher (1958), "On grouping for
// maximum homogeneity", JASA 53; scikit-learn 1.2
// sklearn.ensemble.HistGradientBoostingClassifier.
func FitHGB(X Features, y Target, opts HGBOptions) (*HGB, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if y.Classes != 2 {
		return nil, fmt.Errorf("hgb: %d classes: only two-class targets are supported", y.Classes)
	}
	rows, err := checkInput(X, y)
	if err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	rng := rand.New(rand.NewPCG(o.Seed, hgbStream))
	train, val, err := hgbSplitRows(y, rows, o, rng)
	if err != nil {
		return nil, err
	}
	bn := fitBinner(X, train, o.MaxBins, rng)
	m := &HGB{binner: bn}
	for j := range X {
		m.features = append(m.features, X[j].Name)
		m.levels = append(m.levels, X[j].Levels)
	}
	used := slices.Concat(train, val)
	bins := make([][]uint8, len(X))
	cat := make([]bool, len(X))
	for j := range X {
		cat[j] = X[j].Levels > 0
		bins[j] = make([]uint8, len(used))
		for k, i := range used {
			bins[j][k] = bn.bin(&X[j], j, int(i))
		}
	}
	yv := make([]float64, len(used))
	for k, i := range used {
		yv[k] = float64(y.Codes[i])
	}
	m.boost(bins, cat, yv, len(train), o)
	return m, nil
}

// hgbSplitRows returns the training rows and, when stopping early, the
// validation rows: round(ValidationFraction × rows of the class) of each
// class, drawn without replacement, leaving each class a training row.
func hgbSplitRows(y Target, rows []int32, o HGBOptions, rng *rand.Rand) (train, val []int32, err error) {
	var byClass [2][]int32
	for _, i := range rows {
		c := y.Codes[i]
		byClass[c] = append(byClass[c], i)
	}
	if len(byClass[0]) == 0 || len(byClass[1]) == 0 {
		return nil, nil, fmt.Errorf("hgb: %d rows of class 0 and %d of class 1: %w", len(byClass[0]), len(byClass[1]), ErrOneClass)
	}
	stop := o.EarlyStopping == EarlyStopOn || (o.EarlyStopping == EarlyStopAuto && len(rows) > hgbAutoRows)
	if !stop {
		return rows, nil, nil
	}
	for _, cl := range byClass {
		nv := min(int(math.Round(o.ValidationFraction*float64(len(cl)))), len(cl)-1)
		perm := rng.Perm(len(cl))
		for _, p := range perm[:nv] {
			val = append(val, cl[p])
		}
	}
	slices.Sort(val)
	train = make([]int32, 0, len(rows)-len(val))
	k := 0
	for _, i := range rows {
		if k < len(val) && val[k] == i {
			k++
			continue
		}
		train = append(train, i)
	}
	return train, val, nil
}

// boost runs the boosting iterations: rows [0, n) of bins and y train,
// the rest validate.
func (m *HGB) boost(bins [][]uint8, cat []bool, y []float64, n int, o HGBOptions) {
	var pos float64
	for _, v := range y[:n] {
		pos += v
	}
	p := min(max(pos/float64(n), 1e-15), 1-1e-15)
	m.baseline = math.Log(p / (1 - p))
	raw := make([]float64, len(y))
	for i := range raw {
		raw[i] = m.baseline
	}
	stopping := len(y) > n
	if stopping {
		m.ValidationLoss = append(m.ValidationLoss, logLoss(raw[n:], y[n:]))
	}
	gr := newGrower(bins, m.binner, cat, n, o)
	nf := len(bins)
	valRows := rowMajor(bins, n, len(y))
	for it := 0; it < o.MaxIter; it++ {
		parallelRows(n, o.Workers, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				g, h := logisticGradHess(raw[i], y[i])
				gr.g[i], gr.h[i] = float32(g), float32(h)
			}
		})
		tree := gr.grow()
		m.trees = append(m.trees, tree)
		for _, leaf := range gr.leaves {
			v := tree[leaf.id].value
			for _, r := range gr.part[leaf.start:leaf.stop] {
				raw[r] += v
			}
		}
		if !stopping {
			continue
		}
		parallelRows(len(y)-n, o.Workers, func(lo, hi int) {
			for i := n + lo; i < n+hi; i++ {
				raw[i] += walk(tree, valRows[(i-n)*nf:(i-n+1)*nf])
			}
		})
		m.ValidationLoss = append(m.ValidationLoss, logLoss(raw[n:], y[n:]))
		if shouldStop(m.ValidationLoss, o.IterNoChange, o.Tol) {
			break
		}
	}
	m.Iterations = len(m.trees)
}

// parallelRows runs f over consecutive ranges [lo, hi) covering [0, n) on
// up to workers goroutines; each row is handled once, by one goroutine.
func parallelRows(n, workers int, f func(lo, hi int)) {
	const minChunk = 2048
	chunks := min(workers*4, (n+minChunk-1)/minChunk)
	if workers <= 1 || chunks <= 1 {
		f(0, n)
		return
	}
	size := (n + chunks - 1) / chunks
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, chunks) {
		wg.Go(func() {
			for {
				c := int(next.Add(1)) - 1
				if c >= chunks {
					return
				}
				f(c*size, min((c+1)*size, n))
			}
		})
	}
	wg.Wait()
}

// rowMajor returns rows [lo, hi) of column-major bins row by row.
func rowMajor(bins [][]uint8, lo, hi int) []uint8 {
	p := len(bins)
	out := make([]uint8, (hi-lo)*p)
	for j, col := range bins {
		for i := lo; i < hi; i++ {
			out[(i-lo)*p+j] = col[i]
		}
	}
	return out
}

// shouldStop reports whether none of the last k losses improves on the one
// before them by more than tol.
func shouldStop(loss []float64, k int, tol float64) bool {
	if len(loss) < k+1 {
		return false
	}
	ref := loss[len(loss)-k-1] - tol
	for _, l := range loss[len(loss)-k:] {
		if l < ref {
			return false
		}
	}
	return true
}

// logisticGradHess returns p − y and p(1 − p) at p = 1/(1 + e^−f),
// computed without overflow.
func logisticGradHess(f, y float64) (g, h float64) {
	var p, q float64 // p and 1 − p
	if f >= 0 {
		e := math.Exp(-f)
		p, q = 1/(1+e), e/(1+e)
	} else {
		e := math.Exp(f)
		p, q = e/(1+e), 1/(1+e)
	}
	return p - y, p * q
}

// logLoss returns the mean of log(1 + e^f) − y·f.
func logLoss(f, y []float64) float64 {
	var s float64
	for i, v := range f {
		if v > 0 {
			s += v + math.Log1p(math.Exp(-v))
		} else {
			s += math.Log1p(math.Exp(v))
		}
		s -= y[i] * v
	}
	return s / float64(len(f))
}

// walk returns the leaf value of a row given by its bins, one per feature.
func walk(tree []hgbNode, row []uint8) float64 {
	id := int32(0)
	for {
		nd := &tree[id]
		if nd.feature < 0 {
			return nd.value
		}
		if nd.left.has(int(row[nd.feature])) {
			id = nd.lo
		} else {
			id = nd.hi
		}
	}
}

// Check reports whether X has the features the model was fitted on, by name
// and kind, in the same order.
func (m *HGB) Check(X Features) error {
	if len(X) != len(m.features) {
		return fmt.Errorf("hgb: the model has %d features, got %d", len(m.features), len(X))
	}
	for j := range X {
		if X[j].Name != m.features[j] || (X[j].Levels > 0) != (m.levels[j] > 0) {
			return fmt.Errorf("hgb: feature %d is %q, the model was fitted on %q", j+1, X[j].Name, m.features[j])
		}
	}
	return nil
}

// Decision returns the raw score (log-odds of class 1) of the given rows of
// X, all rows when rows is nil. A category the model never saw counts as
// missing.
func (m *HGB) Decision(X Features, rows []int) ([]float64, error) {
	if err := m.Check(X); err != nil {
		return nil, err
	}
	if err := X.Validate(); err != nil {
		return nil, err
	}
	if rows == nil {
		rows = make([]int, X.Len())
		for i := range rows {
			rows[i] = i
		}
	}
	n, p := X.Len(), len(X)
	bins := make([]uint8, len(rows)*p)
	for k, i := range rows {
		if i < 0 || i >= n {
			return nil, fmt.Errorf("hgb: row %d out of range [0,%d)", i, n)
		}
		for j := range X {
			bins[k*p+j] = m.binner.bin(&X[j], j, i)
		}
	}
	out := make([]float64, len(rows))
	parallelRows(len(rows), runtime.GOMAXPROCS(0), func(lo, hi int) {
		for k := lo; k < hi; k++ {
			f := m.baseline
			row := bins[k*p : (k+1)*p]
			for _, t := range m.trees {
				f += walk(t, row)
			}
			out[k] = f
		}
	})
	return out, nil
}

// PredictProba returns P(class 1) of the given rows of X (all when rows is
// nil): 1/(1 + e^−f) of the raw score f.
func (m *HGB) PredictProba(X Features, rows []int) ([]float64, error) {
	f, err := m.Decision(X, rows)
	if err != nil {
		return nil, err
	}
	for i, v := range f {
		f[i] = 1 / (1 + math.Exp(-v))
	}
	return f, nil
}
