package cart

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Options controls the growth of one tree. The zero value works: it grows a
// tree until leaves are pure or hold one row, over all features, with 255
// value bins per numeric feature.
type Options struct {
	// MaxDepth caps the depth of the tree (root = depth 0); 0 means no cap
	// (in practice 64).
	MaxDepth int
	// MinLeaf is the fewest training rows a leaf may hold; 0 means 1.
	MinLeaf int
	// MinSplit is the fewest rows a node needs to be split; 0 means
	// 2*MinLeaf.
	MinSplit int
	// CP is the complexity parameter, as in rpart: a split must lower the
	// total impurity by more than CP times the root's impurity. 0 accepts
	// any positive decrease.
	CP float64
	// MaxFeatures is the number of features drawn at random (from Seed) as
	// split candidates at each node; 0 means all of them.
	MaxFeatures int
	// MaxBins is the number of value bins per numeric feature (split points
	// are bin edges at data quantiles); 0 means 255.
	MaxBins int
	// Seed drives the feature draws when MaxFeatures is set.
	Seed uint64
}

// DefaultOptions are synthpop-like settings: leaves of at least 5 rows,
// cp = 1e-8, depth up to 30.
func DefaultOptions() Options { return Options{MaxDepth: 30, MinLeaf: 5, CP: 1e-8} }

// Validate reports the first bad option, naming it.
func (o Options) Validate() error {
	switch {
	case o.MaxDepth < 0:
		return fmt.Errorf("cart: max_depth %d is negative", o.MaxDepth)
	case o.MinLeaf < 0:
		return fmt.Errorf("cart: min_leaf %d is negative", o.MinLeaf)
	case o.MinSplit < 0:
		return fmt.Errorf("cart: min_split %d is negative", o.MinSplit)
	case o.CP < 0 || math.IsNaN(o.CP):
		return fmt.Errorf("cart: cp %g must be >= 0", o.CP)
	case o.MaxFeatures < 0:
		return fmt.Errorf("cart: max_features %d is negative", o.MaxFeatures)
	case o.MaxBins < 0 || o.MaxBins > 1<<16:
		return fmt.Errorf("cart: max_bins %d is outside [0, 65536]", o.MaxBins)
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.MaxDepth == 0 || o.MaxDepth > 64 {
		o.MaxDepth = 64
	}
	if o.MinLeaf == 0 {
		o.MinLeaf = 1
	}
	if o.MinSplit == 0 {
		o.MinSplit = 2 * o.MinLeaf
	}
	if o.MaxBins == 0 {
		o.MaxBins = 255
	}
	return o
}

// ErrNoRows is returned when no training row has a target value.
var ErrNoRows = errors.New("cart: no training rows with a target value")

// Tree is a fitted classification or regression tree. Each inner node sends
// a row left or right on one feature: a numeric feature by a threshold
// (value <= threshold goes left) and a categorical one by a set of levels;
// a missing value follows the side learned for it (the side its training rows
// took, or the larger side when none was missing). A leaf holds the class
// shares (classification) or the mean (regression) of its training rows.
type Tree struct {
	nodes    []node
	classes  int
	features []string
	levels   []int // per feature: Levels (0 numeric)
}

type node struct {
	feature     int32 // -1 for a leaf
	threshold   float64
	left        []bool // categorical: left[code] for codes < len(left)
	missingLeft bool   // a missing value goes left
	unknownLeft bool   // a code the tree never saw goes left
	lo, hi      int32
	n           int32
	value       []float64 // leaf: class shares, or {mean}
}

// Fit grows a tree on the rows of X whose target is present. Categorical
// splits order the levels by the target (mean for regression, share of the
// class for classification: every class when there are two, else the node's
// three most frequent classes, one ordering each) and take the best cut of
// that order; this is exact for regression and two classes (Breiman et al.
// 1984, §9.4) and a heuristic otherwise. Impurity is Gini for
// classification, squared error for regression.
func Fit(X Features, y Target, opts Options) (*Tree, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	rows, err := checkInput(X, y)
	if err != nil {
		return nil, err
	}
	return fitRows(X, y, rows, opts.withDefaults(), nil)
}

func checkInput(X Features, y Target) ([]int32, error) {
	if err := X.Validate(); err != nil {
		return nil, err
	}
	if y.Classes < 0 {
		return nil, fmt.Errorf("cart: negative class count %d", y.Classes)
	}
	n := y.Len()
	if len(X) > 0 && X.Len() != n {
		return nil, fmt.Errorf("cart: target has %d rows, features have %d", n, X.Len())
	}
	rows := make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if y.skip(i) {
			continue
		}
		if y.Classes > 0 && int(y.Codes[i]) >= y.Classes {
			return nil, fmt.Errorf("cart: target row %d: class %d out of range [0,%d)", i+1, y.Codes[i], y.Classes)
		}
		if y.Classes == 0 && math.IsInf(y.Values[i], 0) {
			return nil, fmt.Errorf("cart: target row %d: infinite value", i+1)
		}
		rows = append(rows, int32(i))
	}
	if len(rows) == 0 {
		return nil, ErrNoRows
	}
	return rows, nil
}

// grower holds the state of one fit.
type grower struct {
	X       Features
	y       Target
	opts    Options
	bins    []binned
	k       int // classes, 0 for regression
	rng     *rand.Rand
	minGain float64

	// scratch
	sorted          []int32
	lc, rc          []float64
	binCnt, binStat []float64 // per bin: rows, and the ordering statistic
	binSum          []float64 // per bin: target sum (regression)
	binClass        []float64 // per bin and class: rows (classification)
	binPos          []int32
	touched         []int32
	order           []int32
	feats           []int
	slab            []float64 // leaf values, allocated in chunks
	goLeft          []bool    // scratch: bins sent left by a numeric split
	bestOrder       []int32   // scratch: the bin order of the best split
	t               *Tree
}

type split struct {
	gain    float64
	feature int
	order   []int32 // bins in sweep order
	cut     int     // order[:cut] go left
}

// fitRows fits on rows (which may repeat: a bootstrap sample). bins may be
// shared binnings computed once for a forest.
func fitRows(X Features, y Target, rows []int32, opts Options, bins []binned) (*Tree, error) {
	g := &grower{X: X, y: y, opts: opts, k: y.Classes}
	if bins == nil {
		bins = make([]binned, len(X))
		for j := range X {
			bins[j] = binFeature(&X[j], rows, opts.MaxBins)
		}
	}
	g.bins = bins
	maxNB := 1
	for _, b := range bins {
		maxNB = max(maxNB, b.nb)
	}
	g.sorted = make([]int32, len(rows))
	g.lc = make([]float64, max(g.k, 1))
	g.rc = make([]float64, max(g.k, 1))
	g.binCnt = make([]float64, maxNB)
	g.binStat = make([]float64, maxNB)
	g.binSum = make([]float64, maxNB)
	g.binPos = make([]int32, maxNB+1)
	g.rng = rand.New(rand.NewPCG(opts.Seed, 0x63617274))
	g.t = &Tree{classes: g.k}
	for j := range X {
		g.t.features = append(g.t.features, X[j].Name)
		g.t.levels = append(g.t.levels, X[j].Levels)
	}
	_, rootImp := g.impurity(rows)
	g.minGain = opts.CP * rootImp
	g.grow(rows, 0)
	return g.t, nil
}

// impurity returns the node's sufficient statistic A (sum of squared class
// counts, or squared target sum) and its weighted impurity n·Gini or SSE.
func (g *grower) impurity(rows []int32) (a, imp float64) {
	n := float64(len(rows))
	if g.k > 0 {
		clear(g.lc)
		for _, r := range rows {
			g.lc[g.y.Codes[r]]++
		}
		for _, c := range g.lc {
			a += c * c
		}
		return a, n - a/n
	}
	var s, ss float64
	for _, r := range rows {
		v := g.y.Values[r]
		s += v
		ss += v * v
	}
	return s * s, math.Max(ss-s*s/n, 0)
}

// leafValue returns the class shares (or the mean) of rows, stored in the
// tree's value slab so that a tree makes few allocations.
func (g *grower) leafValue(rows []int32) []float64 {
	n := float64(len(rows))
	k := max(g.k, 1)
	if cap(g.slab)-len(g.slab) < k {
		g.slab = make([]float64, 0, max(1024, 4*k))
	}
	v := g.slab[len(g.slab) : len(g.slab)+k : len(g.slab)+k]
	g.slab = g.slab[:len(g.slab)+k]
	clear(v)
	if g.k > 0 {
		for _, r := range rows {
			v[g.y.Codes[r]]++
		}
		for c := range v {
			v[c] /= n
		}
		return v
	}
	for _, r := range rows {
		v[0] += g.y.Values[r]
	}
	v[0] /= n
	return v
}

// grow adds the node for rows (and its subtree) and returns its index.
func (g *grower) grow(rows []int32, depth int) int32 {
	id := int32(len(g.t.nodes))
	g.t.nodes = append(g.t.nodes, node{feature: -1, n: int32(len(rows))})
	a, imp := g.impurity(rows)
	if depth >= g.opts.MaxDepth || len(rows) < g.opts.MinSplit || len(rows) < 2*g.opts.MinLeaf || imp <= 1e-12*float64(len(rows)) {
		g.t.nodes[id].value = g.leafValue(rows)
		return id
	}
	best := g.bestSplit(rows, a/float64(len(rows)))
	if best.feature < 0 {
		g.t.nodes[id].value = g.leafValue(rows)
		return id
	}
	// Partition rows in place: left first.
	b := &g.bins[best.feature]
	// Numeric splits partition through a scratch set; a categorical node
	// keeps its own (it is the node's level set).
	var goLeft []bool
	if b.cat {
		goLeft = make([]bool, b.nb)
	} else {
		if cap(g.goLeft) < b.nb {
			g.goLeft = make([]bool, b.nb)
		}
		goLeft = g.goLeft[:b.nb]
		clear(goLeft)
	}
	for _, bin := range best.order[:best.cut] {
		goLeft[bin] = true
	}
	missBin := int32(b.nb - 1)
	i, j := 0, len(rows)-1
	for i <= j {
		if goLeft[b.bins[rows[i]]] {
			i++
		} else {
			rows[i], rows[j] = rows[j], rows[i]
			j--
		}
	}
	nd := node{feature: int32(best.feature), n: int32(len(rows)), missingLeft: goLeft[missBin]}
	if b.cat {
		nd.left = goLeft[:b.nb-1]
		nd.unknownLeft = i >= len(rows)-i
	} else {
		maxLeft := int32(-1)
		for _, bin := range best.order[:best.cut] {
			if bin != missBin {
				maxLeft = max(maxLeft, bin)
			}
		}
		switch {
		case maxLeft < 0:
			// Only the missing bin goes left: every value goes right.
			nd.threshold = math.Inf(-1)
		case int(maxLeft) >= len(b.cuts):
			// Every value goes left, only missing values right.
			nd.threshold = math.Inf(1)
		default:
			nd.threshold = b.cuts[maxLeft]
		}
	}
	hasMissing := false
	for _, r := range rows {
		if b.bins[r] == missBin {
			hasMissing = true
			break
		}
	}
	if !hasMissing {
		nd.missingLeft = i >= len(rows)-i
	}
	lo := g.grow(rows[:i], depth+1)
	hi := g.grow(rows[i:], depth+1)
	nd.lo, nd.hi = lo, hi
	g.t.nodes[id] = nd
	return id
}

// bestSplit returns the best split of rows, or one with feature -1.
func (g *grower) bestSplit(rows []int32, parentScore float64) split {
	// best.order reuses one buffer: grow is done with it before recursing.
	best := split{feature: -1, gain: g.minGain, order: g.bestOrder[:0]}
	defer func() { g.bestOrder = best.order[:0] }()
	g.feats = g.feats[:0]
	for j := range g.X {
		g.feats = append(g.feats, j)
	}
	if m := g.opts.MaxFeatures; m > 0 && m < len(g.feats) {
		for i := 0; i < m; i++ {
			k := i + g.rng.IntN(len(g.feats)-i)
			g.feats[i], g.feats[k] = g.feats[k], g.feats[i]
		}
		g.feats = g.feats[:m]
		slices.Sort(g.feats)
	}
	for _, j := range g.feats {
		g.splitFeature(j, rows, parentScore, &best)
	}
	return best
}

// aggLimit bounds bins×classes for the aggregated sweep; wider products
// fall back to sorting rows.
var aggLimit = 1 << 20

// splitFeature tries the cuts of feature j and updates best.
func (g *grower) splitFeature(j int, rows []int32, parentScore float64, best *split) {
	b := &g.bins[j]
	k := g.k
	agg := k == 0 || b.nb*k <= aggLimit
	if agg && k > 0 && len(g.binClass) < b.nb*k {
		g.binClass = make([]float64, b.nb*k)
	}
	// Per-bin counts over the node, the bins present, and (aggregated) the
	// per-bin target sums or class counts.
	g.touched = g.touched[:0]
	for _, r := range rows {
		bin := b.bins[r]
		if g.binCnt[bin] == 0 {
			g.touched = append(g.touched, bin)
		}
		g.binCnt[bin]++
		if agg {
			if k == 0 {
				g.binSum[bin] += g.y.Values[r]
			} else {
				g.binClass[int(bin)*k+int(g.y.Codes[r])]++
			}
		}
	}
	defer func() {
		for _, bin := range g.touched {
			g.binCnt[bin] = 0
			g.binStat[bin] = 0
			g.binSum[bin] = 0
			if agg && k > 0 {
				clear(g.binClass[int(bin)*k : int(bin)*k+k])
			}
		}
	}()
	if len(g.touched) < 2 {
		return
	}
	sweep := g.sweep
	if agg {
		sweep = g.sweepAgg
	}
	missBin := int32(b.nb - 1)
	if !b.cat {
		slices.Sort(g.touched)
		g.order = append(g.order[:0], g.touched...)
		sweep(j, rows, g.order, parentScore, best)
		if g.order[len(g.order)-1] == missBin {
			// Missing values first: they go left with the low values.
			copy(g.order[1:], g.touched[:len(g.touched)-1])
			g.order[0] = missBin
			sweep(j, rows, g.order, parentScore, best)
		}
		return
	}
	// Categorical: order the present levels (missing is a level too) by a
	// target statistic.
	var classes []int
	if k == 0 {
		for _, bin := range g.touched {
			g.binStat[bin] = g.binSum[bin]
		}
		classes = []int{-1}
	} else {
		clear(g.lc)
		for _, r := range rows {
			g.lc[g.y.Codes[r]]++
		}
		classes = topClasses(g.lc, 3)
		if k == 2 {
			classes = classes[:1]
		}
	}
	for _, c := range classes {
		if c >= 0 {
			for _, bin := range g.touched {
				if agg {
					g.binStat[bin] = g.binClass[int(bin)*k+c]
				} else {
					g.binStat[bin] = 0
				}
			}
			if !agg {
				for _, r := range rows {
					if int(g.y.Codes[r]) == c {
						g.binStat[b.bins[r]]++
					}
				}
			}
		}
		g.order = append(g.order[:0], g.touched...)
		slices.SortStableFunc(g.order, func(p, q int32) int {
			mp, mq := g.binStat[p]/g.binCnt[p], g.binStat[q]/g.binCnt[q]
			switch {
			case mp < mq:
				return -1
			case mp > mq:
				return 1
			}
			return int(p - q)
		})
		sweep(j, rows, g.order, parentScore, best)
	}
}

// sweepAgg scores every cut between consecutive bins of order from the
// per-bin aggregates: binCnt with binClass (classification) or binSum
// (regression). A cut costs O(classes), whatever the rows.
func (g *grower) sweepAgg(j int, rows []int32, order []int32, parentScore float64, best *split) {
	k := g.k
	n := float64(len(rows))
	minLeaf := float64(g.opts.MinLeaf)
	var la, ra, ls, rs, nl float64
	if k > 0 {
		clear(g.lc)
		clear(g.rc)
		for _, bin := range order {
			for c, m := range g.binClass[int(bin)*k : int(bin)*k+k] {
				g.rc[c] += m
			}
		}
		for _, c := range g.rc {
			ra += c * c
		}
	} else {
		for _, bin := range order {
			rs += g.binSum[bin]
		}
	}
	for cut := 0; cut+1 < len(order); cut++ {
		bin := order[cut]
		if k > 0 {
			for c, m := range g.binClass[int(bin)*k : int(bin)*k+k] {
				if m == 0 {
					continue
				}
				la += 2*g.lc[c]*m + m*m
				g.lc[c] += m
				ra -= 2*g.rc[c]*m - m*m
				g.rc[c] -= m
			}
		} else {
			ls += g.binSum[bin]
			rs -= g.binSum[bin]
		}
		nl += g.binCnt[bin]
		if nl < minLeaf || n-nl < minLeaf {
			continue
		}
		fr := n - nl
		var score float64
		if k > 0 {
			score = la/nl + ra/fr
		} else {
			score = ls*ls/nl + rs*rs/fr
		}
		gain := score - parentScore
		if gain > best.gain+1e-12*n {
			best.gain = gain
			best.feature = j
			best.order = append(best.order[:0], order...)
			best.cut = cut + 1
		}
	}
}

// topClasses returns up to m classes with the largest counts, largest first.
func topClasses(counts []float64, m int) []int {
	idx := make([]int, 0, len(counts))
	for c, n := range counts {
		if n > 0 {
			idx = append(idx, c)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case counts[a] > counts[b]:
			return -1
		case counts[a] < counts[b]:
			return 1
		}
		return 0
	})
	if len(idx) > m {
		idx = idx[:m]
	}
	return idx
}

// sweep sorts rows by the position of their bin in order (a counting sort)
// and scores every cut between two bins.
func (g *grower) sweep(j int, rows []int32, order []int32, parentScore float64, best *split) {
	b := &g.bins[j]
	// Start offset of each bin in sorted order.
	var off int32
	for _, bin := range order {
		g.binPos[bin] = off
		off += int32(g.binCnt[bin])
	}
	for _, r := range rows {
		bin := b.bins[r]
		g.sorted[g.binPos[bin]] = r
		g.binPos[bin]++
	}
	sorted := g.sorted[:len(rows)]
	n := float64(len(rows))
	minLeaf := g.opts.MinLeaf
	var la, ra float64 // sufficient statistics left and right
	if g.k > 0 {
		clear(g.lc)
		clear(g.rc)
		for _, r := range sorted {
			g.rc[g.y.Codes[r]]++
		}
		for _, c := range g.rc {
			ra += c * c
		}
	} else {
		for _, r := range sorted {
			ra += g.y.Values[r]
		}
	}
	var ls float64 // regression: left sum; ra holds the right sum
	cutBin := 0
	for i := 0; i+1 < len(sorted); i++ {
		r := sorted[i]
		if g.k > 0 {
			c := g.y.Codes[r]
			la += 2*g.lc[c] + 1
			g.lc[c]++
			ra -= 2*g.rc[c] - 1
			g.rc[c]--
		} else {
			v := g.y.Values[r]
			ls += v
			ra -= v
		}
		if b.bins[r] == b.bins[sorted[i+1]] {
			continue
		}
		cutBin++
		nl := i + 1
		if nl < minLeaf || len(sorted)-nl < minLeaf {
			continue
		}
		fl, fr := float64(nl), n-float64(nl)
		var score float64
		if g.k > 0 {
			score = la/fl + ra/fr
		} else {
			score = ls*ls/fl + ra*ra/fr
		}
		gain := score - parentScore // the decrease in n·Gini or SSE
		if gain > best.gain+1e-12*n {
			best.gain = gain
			best.feature = j
			best.order = append(best.order[:0], order...)
			best.cut = cutBin
		}
	}
}
