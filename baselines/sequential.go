package baselines

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/synthor/synthor/cart"
	"github.com/synthor/synthor/table"
)

const LabelCART = "cart: synthpop-style sequential synthesis, each column drawn from donors in the leaf of a CART fitted on the columns before it"

// CARTConfig configures CART. The zero value works: synthpop's defaults
// (minbucket 5, cp 1e-8) and depth up to 30.
type CARTConfig struct {
	// Tree holds the tree options; the zero value means cart.DefaultOptions.
	Tree cart.Options
	// MaxLevels: categorical columns with more categories, and text
	// columns, are drawn from their marginal and not used as predictors; 0
	// means 100.
	MaxLevels int
}

// DefaultCARTConfig returns the defaults spelled out.
func DefaultCARTConfig() CARTConfig {
	return CARTConfig{Tree: cart.DefaultOptions(), MaxLevels: 100}
}

// Validate reports the first bad setting.
func (c CARTConfig) Validate() error {
	if c.MaxLevels < 0 {
		return fmt.Errorf("cart: max_levels %d is negative", c.MaxLevels)
	}
	return c.Tree.Validate()
}

// CART is sequential synthesis with classification and regression trees,
// as synthpop's default method (Reiter 2005; Nowok, Raab and Dibben,
// "synthpop: Bespoke Creation of Synthetic Data in R", J. Stat. Softw.
// 74(11), 2016).
//
// Columns are visited in table order. The first modelled column is drawn
// from its observed values. Each later column Y gets a tree fitted on the
// training rows with the modelled columns before it as features
// (classification with missing as its own class for a categorical Y,
// regression on the rows where a numeric Y is present); every training row
// is then put in its leaf. To sample, each synthetic row goes down the tree
// with its already-synthesised features, and Y is copied from a training row
// drawn uniformly from that leaf (so a missing Y is reproduced at the
// leaf's share, and numbers stay observed values). Text columns and
// categorical columns with more than MaxLevels categories are drawn from
// their marginal and are not features. Grouped tables are refused.
type CART struct {
	cfg   CARTConfig
	tp    *template
	train *table.Table
	cols  []*cartCol
	marg  []*marginal
}

type cartCol struct {
	col    int
	tree   *cart.Tree // nil: donors are all rows
	feats  []int      // feature columns, by index
	donors [][]int32  // per leaf node
	all    []int32
}

// NewCART returns an unfitted CART.
func NewCART(c CARTConfig) (*CART, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Tree == (cart.Options{}) {
		c.Tree = cart.DefaultOptions()
	}
	if c.MaxLevels == 0 {
		c.MaxLevels = 100
	}
	return &CART{cfg: c}, nil
}

// Name returns "cart".
func (*CART) Name() string { return "cart" }

// Label says what the method is.
func (*CART) Label() string { return LabelCART }

// modelled reports whether column c gets a tree and may be a feature.
func (s *CART) modelled(c *table.Column) bool {
	return c.Kind != table.Text && !(c.Kind == table.Categorical && len(c.Dict) > s.cfg.MaxLevels)
}

// Fit grows one tree per modelled column after the first, in parallel.
func (s *CART) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, false); err != nil {
		return err
	}
	n := train.NumRows()
	s.tp = nil // unfitted until this fit succeeds
	s.train = copyTable(train)
	tp := newTemplate(train)
	s.marg = make([]*marginal, train.NumCols())
	s.cols = nil
	feats := make([]cart.Feature, train.NumCols())
	var prev []int
	rows := make([]int32, n)
	for i := range rows {
		rows[i] = int32(i)
	}
	for j, c := range s.train.Cols {
		s.marg[j] = newMarginal(c)
		if !s.modelled(c) {
			continue
		}
		X, err := cart.FromTable(s.train, c.Name)
		if err != nil {
			return fmt.Errorf("%s: fit: %w", s.Name(), err)
		}
		feats[j] = X[0]
		s.cols = append(s.cols, &cartCol{col: j, feats: append([]int(nil), prev...), all: rows})
		prev = append(prev, j)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(s.cols))
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Go(func() {
			for k := range next {
				errs[k] = s.fitColumn(ctx, s.cols[k], feats)
			}
		})
	}
	// Later columns have more features: schedule them first.
	for k := len(s.cols) - 1; k >= 0; k-- {
		if len(s.cols[k].feats) > 0 {
			next <- k
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.tp = tp
	return nil
}

func (s *CART) fitColumn(ctx context.Context, cc *cartCol, feats []cart.Feature) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	c := s.train.Cols[cc.col]
	X := make(cart.Features, len(cc.feats))
	for k, j := range cc.feats {
		X[k] = feats[j]
	}
	var y cart.Target
	if c.Kind == table.Categorical {
		codes := make([]int32, len(c.Codes))
		for i, k := range c.Codes {
			if k < 0 {
				k = int32(len(c.Dict)) // missing is its own class
			}
			codes[i] = k
		}
		y = cart.Classes(codes, len(c.Dict)+1)
	} else {
		v := make([]float64, c.Len())
		for i := range v {
			v[i] = c.Float(i)
		}
		y = cart.Values(v)
	}
	tree, err := cart.Fit(X, y, s.cfg.Tree)
	if errors.Is(err, cart.ErrNoRows) {
		return nil // all missing: donors are all rows
	}
	if err != nil {
		return fmt.Errorf("%s: fit: column %q: %w", s.Name(), c.Name, err)
	}
	cc.tree = tree
	cc.donors = make([][]int32, tree.NumNodes())
	for i := range c.Len() {
		leaf := tree.Leaf(X, i)
		cc.donors[leaf] = append(cc.donors[leaf], int32(i))
	}
	return nil
}

// Sample synthesises n rows column by column.
func (s *CART) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.tp != nil, n); err != nil {
		return nil, err
	}
	if s.train.NumRows() == 0 && n > 0 {
		return nil, errEmptyTrain(s.Name())
	}
	r := newRand(seed, 0x63617274)
	b := s.tp.builder(n)
	feats := make([]cart.Feature, len(s.tp.cols))
	next := 0
	for j, c := range s.tp.cols {
		if next >= len(s.cols) || s.cols[next].col != j {
			for i := 0; i < n; i++ {
				s.marg[j].draw(b, j, i, r)
			}
			continue
		}
		cc := s.cols[next]
		next++
		src := s.train.Cols[j]
		X := make(cart.Features, len(cc.feats))
		for k, f := range cc.feats {
			X[k] = feats[f]
		}
		for i := 0; i < n; i++ {
			donors := cc.all
			if cc.tree != nil {
				donors = cc.donors[cc.tree.Leaf(X, i)]
			}
			b.copyCell(j, i, src, int(donors[r.IntN(len(donors))]))
		}
		out := b.cols[j]
		if c.Kind == table.Categorical {
			feats[j] = cart.Categorical(c.Name, out.Codes, max(len(c.Dict), 1))
		} else {
			v := make([]float64, n)
			for i := range v {
				v[i] = out.Float(i)
				if out.IsNull(i) {
					v[i] = math.NaN()
				}
			}
			feats[j] = cart.Numeric(c.Name, v)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return b.table()
}
