package baselines

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

const LabelBayesNet = "bayes-net: PrivBayes-style greedy Bayesian network of degree k over discretised columns, ancestral sampling"

// BayesNetConfig configures BayesNet. The zero value works: k = 2, 8 bins,
// no privacy, max_levels 100.
type BayesNetConfig struct {
	// K is the number of parents of each column (the degree of the network);
	// fewer for the first columns of the order. 0 means 2; use NoParents for
	// an empty network.
	K int
	// NoParents fits a network without edges (every column independent).
	NoParents bool
	// Bins is the number of bins per numeric column; 0 means 8.
	Bins int
	// Epsilon > 0 turns on ε-differential privacy (PrivBayes, Zhang et al.
	// 2017): 30% of the budget chooses the structure by the exponential
	// mechanism, 70% perturbs the joint distributions with Laplace noise.
	Epsilon float64
	// MaxLevels: categorical columns with more categories, and all text
	// columns, are kept out of the network and drawn from their marginal;
	// 0 means 100.
	MaxLevels int
	// DPSeed seeds the privacy noise (used only when Epsilon > 0).
	DPSeed uint64
}

// DefaultBayesNetConfig returns the defaults spelled out.
func DefaultBayesNetConfig() BayesNetConfig {
	return BayesNetConfig{K: 2, Bins: 8, MaxLevels: 100}
}

// Validate reports the first bad setting, naming its key.
func (c BayesNetConfig) Validate() error {
	switch {
	case c.K < 0:
		return fmt.Errorf("bayes-net: k %d is negative", c.K)
	case c.Bins < 0:
		return fmt.Errorf("bayes-net: bins %d is negative", c.Bins)
	case c.Epsilon < 0 || math.IsNaN(c.Epsilon) || math.IsInf(c.Epsilon, 0):
		return fmt.Errorf("bayes-net: epsilon %g must be a finite number >= 0", c.Epsilon)
	case c.MaxLevels < 0:
		return fmt.Errorf("bayes-net: max_levels %d is negative", c.MaxLevels)
	}
	return nil
}

func (c BayesNetConfig) withDefaults() BayesNetConfig {
	if c.K == 0 && !c.NoParents {
		c.K = 2
	}
	if c.NoParents {
		c.K = 0
	}
	if c.Bins == 0 {
		c.Bins = 8
	}
	if c.MaxLevels == 0 {
		c.MaxLevels = 100
	}
	return c
}

// BayesNet is a PrivBayes-style Bayesian network (Zhang, Cormode, Procopiuc,
// Srivastava and Xiao, "PrivBayes: Private Data Release via Bayesian
// Networks", ACM TODS 42(4), 2017).
//
// Fit discretises every column: categories as they are, numbers into Bins
// quantile bins (equal-width bins over the schema's min/max when private;
// without a schema range the observed minimum and maximum are used, and
// those two values are not protected), a missing value as one more cell. It then orders the
// columns greedily: the first is the column with the largest total mutual
// information with the others (at random under privacy); each next step adds
// the pair (column X, parent set Π of min(K, placed) placed columns) with the
// largest mutual information I(X; Π) (under privacy: drawn by the
// exponential mechanism). The conditionals P(X | Π) are the counts of the
// joint (X, Π) (under privacy: plus Laplace noise, clamped at zero), and an
// empty parent cell falls back to P(X).
//
// Sample draws each row ancestrally along the order; a numeric column's
// value is drawn inside its bin from the observed values there (empirical
// quantile with interpolation; uniform inside the bin under privacy, so no
// observed value is released). Columns kept out of the network (text, or
// more than MaxLevels categories) are drawn from their marginal. Grouped
// tables are refused.
type BayesNet struct {
	cfg   BayesNetConfig
	tp    *template
	nodes []*bnNode // in sampling order
	wide  []int     // columns drawn from their marginal
	marg  []*marginal
	fit   bool
	// Structure is the learned network: for each column in the network, the
	// names of its parents, by column name.
	Structure map[string][]string
}

type bnNode struct {
	col     int
	size    int // cells, the missing cell last
	parents []int
	stride  []int       // per parent: multiplier of its cell in the parent index
	cum     [][]float64 // per parent cell: cumulative P(X | parents); nil row: use marg
	marg    []float64   // cumulative P(X)
	// numeric columns
	bins   macro.Bins
	sorted []float64 // observed values, ascending
	start  []int     // per bin: first index in sorted; start[len] = len(sorted)
	kind   table.Kind
}

// NewBayesNet returns an unfitted BayesNet.
func NewBayesNet(c BayesNetConfig) (*BayesNet, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &BayesNet{cfg: c.withDefaults()}, nil
}

// Name returns "bayes-net".
func (*BayesNet) Name() string { return "bayes-net" }

// Label says what the method is, with its degree and privacy budget.
func (s *BayesNet) Label() string {
	l := fmt.Sprintf("%s (k=%d, %d bins", LabelBayesNet, s.cfg.K, s.cfg.Bins)
	if s.cfg.Epsilon > 0 {
		return l + fmt.Sprintf(", epsilon=%g differential privacy)", s.cfg.Epsilon)
	}
	return l + ", no differential privacy)"
}

// Fit learns the network and its conditionals.
func (s *BayesNet) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, false); err != nil {
		return err
	}
	s.fit = false // until this fit succeeds
	cfg := s.cfg
	dp := cfg.Epsilon > 0
	var dpRand *rand.Rand
	if dp {
		dpRand = rand.New(rand.NewPCG(cfg.DPSeed, 0x70726976))
	}
	n := train.NumRows()
	s.tp = newTemplate(train)
	s.marg = make([]*marginal, train.NumCols())
	s.wide = nil
	var nodes []*bnNode
	var cells [][]int32 // per node, the cell of each row
	for j, c := range train.Cols {
		s.marg[j] = newMarginal(c)
		if c.Kind == table.Text || (c.Kind == table.Categorical && len(c.Dict) > cfg.MaxLevels) {
			if dp {
				if c.Kind == table.Text {
					return fmt.Errorf("%s: fit: text column %q cannot be released under differential privacy", s.Name(), c.Name)
				}
				noisyMarginal(s.marg[j], c, cfg.Epsilon*0.7/float64(train.NumCols()), dpRand)
			}
			s.wide = append(s.wide, j)
			continue
		}
		nd := &bnNode{col: j, kind: c.Kind}
		cl := make([]int32, n)
		if c.Kind == table.Categorical {
			nd.size = len(c.Dict) + 1
			for i, code := range c.Codes {
				if code < 0 {
					cl[i] = int32(len(c.Dict))
				} else {
					cl[i] = code
				}
			}
		} else {
			vals := c.Values()
			if dp {
				lo, hi := math.Inf(1), math.Inf(-1)
				for _, v := range vals {
					lo, hi = min(lo, v), max(hi, v)
				}
				if c.Min != nil {
					lo = *c.Min
				}
				if c.Max != nil {
					hi = *c.Max
				}
				if lo > hi {
					lo, hi = 0, 0
				}
				nd.bins = macro.FixedBins(lo, hi, cfg.Bins)
			} else {
				nd.bins = macro.QuantileBins(vals, cfg.Bins)
				nd.sorted = vals
				sort.Float64s(nd.sorted)
				nb := nd.bins.Len()
				nd.start = make([]int, nb+1)
				for b := 0; b <= nb; b++ {
					nd.start[b] = sort.Search(len(nd.sorted), func(i int) bool { return nd.bins.Index(nd.sorted[i]) >= b })
				}
			}
			nd.size = nd.bins.Len() + 1
			for i := 0; i < n; i++ {
				if c.IsNull(i) {
					cl[i] = int32(nd.size - 1)
				} else {
					cl[i] = int32(nd.bins.Index(c.Float(i)))
				}
			}
		}
		nodes = append(nodes, nd)
		cells = append(cells, cl)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	mi := newMICounter(n, cells, nodes)
	order := s.structure(ctx, nodes, mi, dpRand)
	if err := ctx.Err(); err != nil {
		return err
	}
	d := len(nodes) + len(s.wide)
	for _, nd := range order {
		s.conditionals(nd, nodes, cells, n, dpRand, cfg.Epsilon*0.7/float64(max(d, 1)))
	}
	s.nodes = order
	s.Structure = map[string][]string{}
	for _, nd := range order {
		names := []string{}
		for _, p := range nd.parents {
			names = append(names, train.Cols[p].Name)
		}
		s.Structure[train.Cols[nd.col].Name] = names
	}
	s.fit = true
	return nil
}

// structure orders the nodes and chooses their parents; parents hold column
// indices, and the returned slice is the sampling order.
func (s *BayesNet) structure(ctx context.Context, nodes []*bnNode, mi *miCounter, dpRand *rand.Rand) []*bnNode {
	p := len(nodes)
	if p == 0 {
		return nil
	}
	k := s.cfg.K
	dp := dpRand != nil
	placed := make([]bool, p)
	var order []int
	// The root.
	root := 0
	if dp {
		root = dpRand.IntN(p)
	} else {
		best := math.Inf(-1)
		for a := 0; a < p; a++ {
			var tot float64
			for b := 0; b < p; b++ {
				if a != b {
					tot += mi.mi(a, []int{b})
				}
			}
			if tot > best+1e-12 {
				best, root = tot, a
			}
		}
	}
	placed[root] = true
	order = append(order, root)
	parentsOf := make([][]int, p)
	// Exponential mechanism: each of the p−1 choices gets ε₁/(p−1), with the
	// sensitivity of mutual information (Zhang et al. 2017, Lemma 4.1).
	nRows := float64(mi.n)
	eps1 := s.cfg.Epsilon * 0.3 / float64(max(p-1, 1))
	sens := 2/nRows*math.Log((nRows+1)/2) + (nRows-1)/nRows*math.Log((nRows+1)/(nRows-1))
	if nRows <= 1 {
		sens = 1
	}
	type cand struct {
		x   int
		par []int
		mi  float64
	}
	for len(order) < p {
		if ctx.Err() != nil {
			return nil
		}
		m := min(k, len(order))
		sets := subsets(order, m)
		var cands []cand
		for x := 0; x < p; x++ {
			if placed[x] {
				continue
			}
			for _, set := range sets {
				cands = append(cands, cand{x, set, mi.mi(x, set)})
			}
		}
		pick := 0
		if dp {
			w := make([]float64, len(cands))
			top := math.Inf(-1)
			for i, c := range cands {
				w[i] = eps1 * c.mi / (2 * sens)
				top = max(top, w[i])
			}
			for i := range w {
				w[i] = math.Exp(w[i] - top)
			}
			pick = searchCum(cumulative(w), dpRand.Float64())
		} else {
			for i, c := range cands {
				if c.mi > cands[pick].mi+1e-12 {
					pick = i
				}
			}
		}
		c := cands[pick]
		placed[c.x] = true
		order = append(order, c.x)
		parentsOf[c.x] = c.par
	}
	out := make([]*bnNode, p)
	for i, a := range order {
		nd := nodes[a]
		nd.parents = nd.parents[:0]
		nd.stride = nd.stride[:0]
		stride := 1
		for _, q := range parentsOf[a] {
			nd.parents = append(nd.parents, nodes[q].col)
			nd.stride = append(nd.stride, stride)
			stride *= nodes[q].size
		}
		out[i] = nd
	}
	return out
}

// subsets returns all subsets of m elements of set, in lexicographic order
// of positions.
func subsets(set []int, m int) [][]int {
	var out [][]int
	cur := make([]int, 0, m)
	var rec func(start int)
	rec = func(start int) {
		if len(cur) == m {
			out = append(out, slices.Clone(cur))
			return
		}
		for i := start; i <= len(set)-(m-len(cur)); i++ {
			cur = append(cur, set[i])
			rec(i + 1)
			cur = cur[:len(cur)-1]
		}
	}
	rec(0)
	return out
}

// conditionals fills nd's conditional tables from the counts of (X, Π),
// with Laplace noise of scale 2/(n·eps) on the joint shares when dpRand is
// set (each joint distribution has L1 sensitivity 2/n).
func (s *BayesNet) conditionals(nd *bnNode, nodes []*bnNode, cells [][]int32, n int, dpRand *rand.Rand, eps float64) {
	byCol := map[int]int{}
	for i, o := range nodes {
		byCol[o.col] = i
	}
	pcells := 1
	for _, p := range nd.parents {
		pcells *= nodes[byCol[p]].size
	}
	counts := make([]float64, pcells*nd.size)
	self := cells[byCol[nd.col]]
	par := make([][]int32, len(nd.parents))
	for q, p := range nd.parents {
		par[q] = cells[byCol[p]]
	}
	for i := 0; i < n; i++ {
		pc := 0
		for q := range par {
			pc += int(par[q][i]) * nd.stride[q]
		}
		counts[pc*nd.size+int(self[i])]++
	}
	if dpRand != nil {
		scale := 2 / eps // on counts: 2/(n·eps) on shares times n
		for i := range counts {
			counts[i] = max(counts[i]+laplace(dpRand, scale), 0)
		}
	}
	m := make([]float64, nd.size)
	for i, c := range counts {
		m[i%nd.size] += c
	}
	nd.marg = cumulative(m)
	nd.cum = make([][]float64, pcells)
	for pc := range nd.cum {
		row := counts[pc*nd.size : (pc+1)*nd.size]
		var tot float64
		for _, c := range row {
			tot += c
		}
		if tot > 0 {
			nd.cum[pc] = cumulative(row)
		}
	}
}

func laplace(r *rand.Rand, b float64) float64 {
	u := r.Float64() - 0.5
	if u < 0 {
		return b * math.Log(1+2*u)
	}
	return -b * math.Log(1-2*u)
}

// noisyMarginal replaces a categorical marginal's shares by noisy ones.
func noisyMarginal(m *marginal, c *table.Column, eps float64, r *rand.Rand) {
	counts := make([]float64, len(c.Dict)+1) // the last is missing
	for _, code := range c.Codes {
		if code < 0 {
			counts[len(c.Dict)]++
		} else {
			counts[code]++
		}
	}
	for i := range counts {
		counts[i] = max(counts[i]+laplace(r, 2/eps), 0)
	}
	var tot float64
	for _, v := range counts {
		tot += v
	}
	if tot > 0 {
		m.missing = counts[len(c.Dict)] / tot
	}
	m.cum = cumulative(counts[:len(c.Dict)])
}

// Sample draws n rows ancestrally.
func (s *BayesNet) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.fit, n); err != nil {
		return nil, err
	}
	r := newRand(seed, 0x6261796e)
	b := s.tp.builder(n)
	cell := make([]int, len(s.tp.cols))
	dp := s.cfg.Epsilon > 0
	for i := 0; i < n; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for _, nd := range s.nodes {
			pc := 0
			for q, p := range nd.parents {
				pc += cell[p] * nd.stride[q]
			}
			cum := nd.cum[pc]
			if cum == nil {
				cum = nd.marg
			}
			x := searchCum(cum, r.Float64())
			cell[nd.col] = x
			if x == nd.size-1 {
				b.null(nd.col, i)
				continue
			}
			if nd.kind == table.Categorical {
				b.cols[nd.col].Codes[i] = int32(x)
				continue
			}
			lo, hi := nd.bins.Bounds(x)
			u := r.Float64()
			if !dp && nd.start[x] < nd.start[x+1] {
				b.num(nd.col, i, quantile(nd.sorted[nd.start[x]:nd.start[x+1]], u))
			} else {
				b.num(nd.col, i, lo+u*(hi-lo))
			}
		}
		for _, j := range s.wide {
			s.marg[j].draw(b, j, i, r)
		}
	}
	return b.table()
}

// miCounter computes mutual information between a node and a set of nodes
// from their cells, memoised.
type miCounter struct {
	n       int
	cells   [][]int32
	sizes   []int
	memo    map[string]float64
	joint   []int32
	marg    []int32
	touched []int
	hx      []float64
}

func newMICounter(n int, cells [][]int32, nodes []*bnNode) *miCounter {
	m := &miCounter{n: n, cells: cells, memo: map[string]float64{}}
	for _, nd := range nodes {
		m.sizes = append(m.sizes, nd.size)
	}
	m.hx = make([]float64, len(nodes))
	for a := range nodes {
		counts := make([]float64, m.sizes[a])
		for _, c := range cells[a] {
			counts[c]++
		}
		m.hx[a] = entropy(counts, n)
	}
	return m
}

func entropy(counts []float64, n int) float64 {
	if n == 0 {
		return 0
	}
	var h float64
	for _, c := range counts {
		if c > 0 {
			h -= c * math.Log(c)
		}
	}
	return math.Log(float64(n)) + h/float64(n)
}

// mi returns I(X_a; X_set) in nats.
func (m *miCounter) mi(a int, set []int) float64 {
	if len(set) == 0 || m.n == 0 {
		return 0
	}
	key := fmt.Sprint(a, set)
	if v, ok := m.memo[key]; ok {
		return v
	}
	pcells := 1
	for _, q := range set {
		pcells *= m.sizes[q]
	}
	size := pcells * m.sizes[a]
	var hp, hxp float64
	if size <= 1<<22 {
		if len(m.joint) < size {
			m.joint = make([]int32, size)
		}
		if len(m.marg) < pcells {
			m.marg = make([]int32, pcells)
		}
		m.touched = m.touched[:0]
		for i := 0; i < m.n; i++ {
			pc := 0
			for _, q := range set {
				pc = pc*m.sizes[q] + int(m.cells[q][i])
			}
			k := pc*m.sizes[a] + int(m.cells[a][i])
			if m.joint[k] == 0 {
				m.touched = append(m.touched, k)
			}
			m.joint[k]++
			m.marg[pc]++
		}
		for _, k := range m.touched {
			c := float64(m.joint[k])
			hxp -= c * math.Log(c)
			m.joint[k] = 0
			pc := k / m.sizes[a]
			if m.marg[pc] > 0 {
				c := float64(m.marg[pc])
				hp -= c * math.Log(c)
				m.marg[pc] = 0
			}
		}
	} else {
		joint := map[int]float64{}
		marg := map[int]float64{}
		for i := 0; i < m.n; i++ {
			pc := 0
			for _, q := range set {
				pc = pc*m.sizes[q] + int(m.cells[q][i])
			}
			joint[pc*m.sizes[a]+int(m.cells[a][i])]++
			marg[pc]++
		}
		// Sum in key order so that the result does not depend on map order.
		for _, k := range slices.Sorted(maps.Keys(joint)) {
			hxp -= joint[k] * math.Log(joint[k])
		}
		for _, k := range slices.Sorted(maps.Keys(marg)) {
			hp -= marg[k] * math.Log(marg[k])
		}
	}
	ln := math.Log(float64(m.n))
	hp = ln + hp/float64(m.n)
	hxp = ln + hxp/float64(m.n)
	v := m.hx[a] + hp - hxp
	m.memo[key] = v
	return v
}
