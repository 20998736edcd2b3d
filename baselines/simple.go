package baselines

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/synthor/synthor/table"
)

const (
	LabelBootstrap   = "bootstrap: resamples training records with replacement; copies real records (a privacy floor and a fidelity ceiling)"
	LabelUniform     = "uniform: each column uniform over its observed domain, columns independent (the floor every method must beat)"
	LabelIndependent = "independent: each column drawn from its own empirical marginal, columns independent"
)

// Bootstrap resamples training records with replacement. Its output copies
// real records: it is the privacy floor and a fidelity ceiling, and reports
// must mark it so. For a grouped table it resamples whole groups, gives
// them fresh keys 1..n, and n counts groups.
type Bootstrap struct {
	train *table.Table
	plan  *groupPlan
}

// NewBootstrap returns an unfitted Bootstrap.
func NewBootstrap() *Bootstrap { return &Bootstrap{} }

// Name returns "bootstrap".
func (*Bootstrap) Name() string { return "bootstrap" }

// Label says what the method is: it copies real records.
func (*Bootstrap) Label() string { return LabelBootstrap }

// Fit keeps a copy of the training rows (the method's model is the data
// itself).
func (s *Bootstrap) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, true); err != nil {
		return err
	}
	kept := copyTable(train)
	var plan *groupPlan
	if train.GroupKey != "" {
		p, err := newGroupPlan(kept)
		if err != nil {
			return fmt.Errorf("%s: fit: %w", s.Name(), err)
		}
		plan = p
	}
	s.train, s.plan = kept, plan
	return ctx.Err()
}

// Sample draws n records (rows, or groups of a grouped table) uniformly with
// replacement.
func (s *Bootstrap) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.train != nil, n); err != nil {
		return nil, err
	}
	r := newRand(seed, 0x626f6f74)
	if s.plan == nil {
		m := s.train.NumRows()
		idx := make([]int, n)
		if m > 0 {
			for i := range idx {
				idx[i] = r.IntN(m)
			}
		}
		if m == 0 && n > 0 {
			return nil, errEmptyTrain(s.Name())
		}
		return s.train.Take(idx), ctx.Err()
	}
	if len(s.plan.ranges) == 0 && n > 0 {
		return nil, errEmptyTrain(s.Name())
	}
	var idx []int
	sizes := make([]int, n)
	for g := range sizes {
		rg := s.plan.ranges[r.IntN(len(s.plan.ranges))]
		for i := rg[0]; i < rg[1]; i++ {
			idx = append(idx, i)
		}
		sizes[g] = rg[1] - rg[0]
	}
	out := s.train.Take(idx)
	b := &builder{cols: out.Cols, tp: &template{groupKey: out.GroupKey}}
	b.cols[s.plan.key] = cloneColumn(b.cols[s.plan.key])
	setGroupKey(b, s.plan.key, sizes)
	t, err := b.table()
	if err != nil {
		return nil, err
	}
	return t, ctx.Err()
}

func cloneColumn(c *table.Column) *table.Column {
	out := *c
	out.Codes = slices.Clone(c.Codes)
	out.Ints = slices.Clone(c.Ints)
	out.Floats = slices.Clone(c.Floats)
	out.Strs = slices.Clone(c.Strs)
	out.Nulls = slices.Clone(c.Nulls)
	out.Dict = slices.Clone(c.Dict)
	return &out
}

// Uniform draws each column uniformly over its observed domain: the
// categories that occur, the integers (or datetimes, or floats) between the
// observed minimum and maximum, the distinct observed strings. Missing
// values keep their observed share. Columns are independent.
type Uniform struct {
	tp   *template
	cols []uniformCol
}

type uniformCol struct {
	missing float64
	codes   []int32  // categorical: observed codes
	lo, hi  float64  // numeric range
	strs    []string // text: distinct observed strings, sorted
	empty   bool
}

// NewUniform returns an unfitted Uniform.
func NewUniform() *Uniform { return &Uniform{} }

// Name returns "uniform".
func (*Uniform) Name() string { return "uniform" }

// Label says what the method is.
func (*Uniform) Label() string { return LabelUniform }

// Fit records each column's observed domain and missing share.
func (s *Uniform) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, false); err != nil {
		return err
	}
	s.tp = newTemplate(train)
	s.cols = make([]uniformCol, train.NumCols())
	for j, c := range train.Cols {
		u := &s.cols[j]
		n := c.Len()
		if n > 0 {
			u.missing = float64(c.NullCount()) / float64(n)
		}
		switch {
		case c.Kind == table.Categorical:
			seen := make([]bool, len(c.Dict))
			for _, k := range c.Codes {
				if k >= 0 {
					seen[k] = true
				}
			}
			for k, ok := range seen {
				if ok {
					u.codes = append(u.codes, int32(k))
				}
			}
			u.empty = len(u.codes) == 0
		case c.Kind.Numeric():
			u.lo, u.hi = math.Inf(1), math.Inf(-1)
			for _, v := range c.Values() {
				u.lo, u.hi = min(u.lo, v), max(u.hi, v)
			}
			u.empty = u.lo > u.hi
		default:
			set := map[string]bool{}
			for i, x := range c.Strs {
				if !c.IsNull(i) {
					set[x] = true
				}
			}
			for x := range set {
				u.strs = append(u.strs, x)
			}
			slices.Sort(u.strs)
			u.empty = len(u.strs) == 0
		}
	}
	return ctx.Err()
}

// Sample draws n rows.
func (s *Uniform) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.tp != nil, n); err != nil {
		return nil, err
	}
	r := newRand(seed, 0x756e6966)
	b := s.tp.builder(n)
	for j := range s.cols {
		u := &s.cols[j]
		c := b.cols[j]
		for i := 0; i < n; i++ {
			if u.empty || (u.missing > 0 && r.Float64() < u.missing) {
				b.null(j, i)
				continue
			}
			switch c.Kind {
			case table.Categorical:
				c.Codes[i] = u.codes[r.IntN(len(u.codes))]
			case table.Float:
				c.Floats[i] = u.lo + r.Float64()*(u.hi-u.lo)
			case table.Integer, table.Datetime:
				lo, hi := int64(u.lo), int64(u.hi)
				c.Ints[i] = lo + int64(r.Uint64N(uint64(hi-lo)+1))
			case table.Text:
				c.Strs[i] = u.strs[r.IntN(len(u.strs))]
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return b.table()
}

// Independent draws each column from its own empirical marginal: categories
// by their observed frequencies, numbers by the empirical quantile function
// with linear interpolation between order statistics (so values stay inside
// the observed range; integer and datetime columns are rounded), strings
// by resampling observed values. Missing values keep their observed share.
//
// For a grouped table, each output group takes the size of a training group
// drawn at random, group-level columns (Field.Group) are drawn once per group
// from their marginal over groups, the other columns once per row, and
// groups get fresh keys 1..n; n counts groups.
type Independent struct {
	tp    *template
	marg  []*marginal
	plan  *groupPlan
	gmarg []*marginal // grouped: marginals of group-level columns over groups
}

// NewIndependent returns an unfitted Independent.
func NewIndependent() *Independent { return &Independent{} }

// Name returns "independent".
func (*Independent) Name() string { return "independent" }

// Label says what the method is.
func (*Independent) Label() string { return LabelIndependent }

// Fit computes every column's marginal.
func (s *Independent) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, true); err != nil {
		return err
	}
	s.tp = newTemplate(train)
	s.marg = make([]*marginal, train.NumCols())
	for j, c := range train.Cols {
		s.marg[j] = newMarginal(c)
	}
	s.plan, s.gmarg = nil, nil
	if train.GroupKey != "" {
		p, err := newGroupPlan(train)
		if err != nil {
			s.tp = nil
			return fmt.Errorf("%s: fit: %w", s.Name(), err)
		}
		s.plan = p
		first := make([]int, len(p.ranges))
		for g, rg := range p.ranges {
			first[g] = rg[0]
		}
		s.gmarg = make([]*marginal, train.NumCols())
		for j, c := range train.Cols {
			if p.level[j] {
				s.gmarg[j] = newMarginal(c.Take(first))
			}
		}
	}
	return ctx.Err()
}

// Sample draws n rows (groups, for a grouped table).
func (s *Independent) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.tp != nil, n); err != nil {
		return nil, err
	}
	r := newRand(seed, 0x696e6465)
	if s.plan == nil {
		b := s.tp.builder(n)
		for j, m := range s.marg {
			for i := 0; i < n; i++ {
				m.draw(b, j, i, r)
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		return b.table()
	}
	if len(s.plan.ranges) == 0 && n > 0 {
		return nil, errEmptyTrain(s.Name())
	}
	sizes := make([]int, n)
	rows := 0
	for g := range sizes {
		rg := s.plan.ranges[r.IntN(len(s.plan.ranges))]
		sizes[g] = rg[1] - rg[0]
		rows += sizes[g]
	}
	b := s.tp.builder(rows)
	for j, m := range s.marg {
		if j == s.plan.key {
			continue
		}
		i := 0
		for _, size := range sizes {
			if s.plan.level[j] {
				s.gmarg[j].draw(b, j, i, r)
				for k := 1; k < size; k++ {
					b.copyCell(j, i+k, b.cols[j], i)
				}
			} else {
				for k := 0; k < size; k++ {
					m.draw(b, j, i+k, r)
				}
			}
			i += size
		}
	}
	setGroupKey(b, s.plan.key, sizes)
	return b.table()
}
