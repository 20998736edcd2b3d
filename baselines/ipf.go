package baselines

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

const LabelIPF = "ipf: macro-only; iterative proportional fitting of the target marginals and joints over a candidate pool, then integerised sampling"

// IPFConfig configures IPF. The zero value works: marginals only, 6 bins,
// 100 sweeps, tolerance 1e-6, a pool of 10 candidates per record.
type IPFConfig struct {
	// Joints are the variable groups targeted when fitting on a table.
	Joints [][]string
	// Bins is the number of quantile bins per numeric column when fitting
	// on a table; 0 means macro.DefaultBins.
	Bins int
	// Iterations bounds the raking sweeps; 0 means 100.
	Iterations int
	// Tolerance stops raking when every target share is matched within it;
	// 0 means 1e-6.
	Tolerance float64
	// Pool is the number of candidate records per output record; 0 means 10.
	Pool int
}

// DefaultIPFConfig returns the defaults spelled out.
func DefaultIPFConfig() IPFConfig {
	return IPFConfig{Bins: 6, Iterations: 100, Tolerance: 1e-6, Pool: 10}
}

// Validate reports the first bad setting, naming its key.
func (c IPFConfig) Validate() error {
	switch {
	case c.Bins < 0:
		return fmt.Errorf("ipf: bins %d is negative", c.Bins)
	case c.Iterations < 0:
		return fmt.Errorf("ipf: iterations %d is negative", c.Iterations)
	case c.Tolerance < 0 || math.IsNaN(c.Tolerance):
		return fmt.Errorf("ipf: tolerance %g must be >= 0", c.Tolerance)
	case c.Pool < 0:
		return fmt.Errorf("ipf: pool %d is negative", c.Pool)
	}
	for _, j := range c.Joints {
		if len(j) < 2 {
			return fmt.Errorf("ipf: joint [%s] needs two or more variables", strings.Join(j, ", "))
		}
	}
	return nil
}

// IPF is the macro-supervised IPF baseline: it sees only the target
// statistics (the marginal of every variable and the joints), like
// LLMSynthor, never a record.
//
// Sample builds a pool of Pool·n candidate records (at most max(n, 2²¹),
// which bounds memory for large n): each joint in turn
// draws its unset variables from its target shares conditional on the
// variables already set (its marginal shares when none is), and variables
// in no joint are drawn from their marginal. Iterative proportional fitting
// (raking; Deming and Stephan 1940) then scales the candidates' weights, one
// target table at a time, until every weighted marginal and joint matches
// its target within Tolerance or Iterations sweeps are done. Integerised
// sampling (truncate, replicate, sample: Lovelace and Ballas 2013) turns the
// weights into n records: each candidate is replicated floor(n·w) times and
// the remaining records are drawn by systematic sampling on the fractional
// parts. A numeric value is drawn in its bin, through the fine marginal
// (the bin's equal-width sub-bins, by their target shares within the bin)
// when the targets have one, then uniformly in the sub-bin; integer and
// datetime columns are rounded. Text columns, which targets cannot describe,
// are left missing. Grouped tables are refused.
type IPF struct {
	cfg     IPFConfig
	targets *macro.Targets
	tp      *template
	colOf   []int     // per space variable: output column
	codeOf  [][]int32 // per categorical variable: cell -> code
	// Converged reports whether the last Sample's raking met Tolerance, and
	// MaxError the largest target share error it left.
	Converged bool
	MaxError  float64
}

// maxPool caps the candidate pool (unless n itself is larger).
const maxPool = 1 << 21

// NewIPF returns an unfitted IPF.
func NewIPF(c IPFConfig) (*IPF, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Bins == 0 {
		c.Bins = macro.DefaultBins
	}
	if c.Iterations == 0 {
		c.Iterations = 100
	}
	if c.Tolerance == 0 {
		c.Tolerance = 1e-6
	}
	if c.Pool == 0 {
		c.Pool = 10
	}
	return &IPF{cfg: c}, nil
}

// Name returns "ipf".
func (*IPF) Name() string { return "ipf" }

// Label says what the method is.
func (*IPF) Label() string { return LabelIPF }

// Fit computes the targets from the training table as LLMSynthor's
// defaults do (every marginal, the configured joints, Bins quantile bins)
// and keeps only them; output keeps the training schema.
func (s *IPF) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, false); err != nil {
		return err
	}
	space, err := macro.NewSpace(train, s.cfg.Bins)
	if err != nil {
		return fmt.Errorf("ipf: fit: %w", err)
	}
	tg, err := macro.TargetsFromTable(train, space, s.cfg.Joints)
	if err != nil {
		return fmt.Errorf("ipf: fit: %w", err)
	}
	return s.fitTargets(ctx, tg, newTemplate(train))
}

// FitTargets keeps the targets; the output has one column per target
// variable, in the space's order (categorical columns with the variable's
// categories). schema, when not nil, supplies the columns' descriptions.
func (s *IPF) FitTargets(ctx context.Context, schema *table.Schema, targets *macro.Targets) error {
	if targets == nil || targets.Space == nil || len(targets.Space.Vars) == 0 {
		return errors.New("ipf: fit targets: no target variables")
	}
	if targets.Members != nil {
		return fmt.Errorf("ipf: fit targets: grouped targets (groups: and members:): %w (llmsynthor fits them; ipu with a seed sample)", ErrGrouped)
	}
	tp := &template{}
	for _, v := range targets.Space.Vars {
		c := &table.Column{Field: table.Field{Name: v.Name, Kind: v.Kind}}
		if v.Kind == table.Categorical {
			c.Dict = v.Categories
			c.Categories = v.Categories
		}
		if schema != nil {
			if f := schema.Field(v.Name); f != nil {
				c.Description = f.Description
			}
		}
		tp.cols = append(tp.cols, c)
	}
	return s.fitTargets(ctx, targets, tp)
}

func (s *IPF) fitTargets(ctx context.Context, tg *macro.Targets, tp *template) error {
	s.colOf = make([]int, len(tg.Space.Vars))
	s.codeOf = make([][]int32, len(tg.Space.Vars))
	for k, v := range tg.Space.Vars {
		j := -1
		for jj, c := range tp.cols {
			if c.Name == v.Name {
				j = jj
			}
		}
		if j < 0 {
			return fmt.Errorf("ipf: target variable %q has no column", v.Name)
		}
		s.colOf[k] = j
		if v.Kind == table.Categorical {
			if tp.cols[j].Kind != table.Categorical {
				return fmt.Errorf("ipf: target variable %q is categorical, its column %s", v.Name, tp.cols[j].Kind)
			}
			codes := make([]int32, len(v.Categories))
			pos := make(map[string]int32, len(tp.cols[j].Dict))
			for code, d := range tp.cols[j].Dict {
				pos[d] = int32(code)
			}
			for cell, cat := range v.Categories {
				code, ok := pos[cat]
				codes[cell] = code
				if !ok {
					// A target category the template lacks: add it.
					tp.cols[j].Dict = append(tp.cols[j].Dict, cat)
					codes[cell] = int32(len(tp.cols[j].Dict) - 1)
				}
			}
			s.codeOf[k] = codes
		}
	}
	for _, c := range tg.Tables() {
		if c.Total <= 0 {
			return fmt.Errorf("ipf: target table [%s] is empty", c.Key())
		}
	}
	s.targets, s.tp = tg, tp
	return ctx.Err()
}

// Sample rakes a fresh candidate pool and draws n records from it.
func (s *IPF) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.targets != nil, n); err != nil {
		return nil, err
	}
	r := newRand(seed, 0x697066)
	vars := s.targets.Space.Vars
	idx := make(map[string]int, len(vars))
	for k, v := range vars {
		idx[v.Name] = k
	}
	m := max(min(s.cfg.Pool*n, max(n, maxPool)), 1)
	cells := make([][]int32, len(vars))
	for k := range cells {
		cells[k] = make([]int32, m)
		for i := range cells[k] {
			cells[k][i] = -1
		}
	}
	// Seed the pool from the joints, then the marginals.
	tables := s.targets.Tables()
	for _, jt := range append(append([]*macro.Contingency(nil), s.targets.Joints...), s.targets.Marginals...) {
		ks := make([]int, len(jt.Vars))
		for q, v := range jt.Vars {
			ks[q] = idx[v.Name]
		}
		shares := jt.Shares()
		conds := map[string][]float64{}
		key := make([]byte, 0, 64)
		for i := 0; i < m; i++ {
			key = key[:0]
			free := false
			for _, k := range ks {
				key = strconv.AppendInt(key, int64(cells[k][i]), 10)
				key = append(key, ',')
				free = free || cells[k][i] < 0
			}
			if !free {
				continue
			}
			cum, ok := conds[string(key)]
			if !ok {
				w := make([]float64, len(shares))
				for cell, p := range shares {
					match := true
					for q, x := range jt.Unravel(cell) {
						if c := cells[ks[q]][i]; c >= 0 && int(c) != x {
							match = false
							break
						}
					}
					if match {
						w[cell] = p
					}
				}
				cum = cumulative(w)
				if cum[len(cum)-1] == 0 {
					cum = cumulative(shares) // no target mass: ignore what is set
				}
				conds[string(key)] = cum
			}
			for q, x := range jt.Unravel(searchCum(cum, r.Float64())) {
				if cells[ks[q]][i] < 0 {
					cells[ks[q]][i] = int32(x)
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	// Flat cell of every candidate in every table.
	flat := make([][]int32, len(tables))
	target := make([][]float64, len(tables))
	for t, tb := range tables {
		flat[t] = make([]int32, m)
		cols := make([][]int32, len(tb.Vars))
		for q, v := range tb.Vars {
			cols[q] = cells[idx[v.Name]]
		}
		for i := 0; i < m; i++ {
			c := 0
			for q := range cols {
				c = c*tb.Shape[q] + int(cols[q][i])
			}
			flat[t][i] = int32(c)
		}
		target[t] = tb.Shares()
	}
	w := make([]float64, m)
	for i := range w {
		w[i] = 1 / float64(m)
	}
	s.Converged, s.MaxError = false, math.Inf(1)
	for it := 0; it < s.cfg.Iterations; it++ {
		for t := range tables {
			cur := make([]float64, len(target[t]))
			var tot float64
			for i, c := range flat[t] {
				cur[c] += w[i]
				tot += w[i]
			}
			f := make([]float64, len(cur))
			for c := range cur {
				if cur[c] > 0 {
					f[c] = target[t][c] * tot / cur[c]
				}
			}
			for i, c := range flat[t] {
				w[i] *= f[c]
			}
		}
		// Largest share error after the sweep.
		var worst float64
		for t := range tables {
			cur := make([]float64, len(target[t]))
			var tot float64
			for i, c := range flat[t] {
				cur[c] += w[i]
				tot += w[i]
			}
			for c := range cur {
				if tot > 0 {
					worst = max(worst, math.Abs(cur[c]/tot-target[t][c]))
				}
			}
		}
		s.MaxError = worst
		if worst <= s.cfg.Tolerance {
			s.Converged = true
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	pick := integerise(w, n, r)
	// Shuffle so that replicated candidates are not adjacent.
	r.Shuffle(len(pick), func(a, b int) { pick[a], pick[b] = pick[b], pick[a] })
	b := s.tp.builder(n)
	for k, v := range vars {
		j := s.colOf[k]
		var fine []float64
		var nf int
		if fm := s.targets.FineMarginals[v.Name]; fm != nil && v.Numeric() && s.targets.Fine > 0 {
			fine, nf = fm.Shares(), s.targets.Fine
		}
		for i, p := range pick {
			cell := int(cells[k][p])
			if cell == v.MissingCell() {
				b.null(j, i)
				continue
			}
			if !v.Numeric() {
				b.cols[j].Codes[i] = s.codeOf[k][cell]
				continue
			}
			lo, hi := v.Bins.Bounds(cell)
			if fine != nil {
				sub := fine[cell*nf : (cell+1)*nf]
				q := searchCum(cumulative(sub), r.Float64())
				width := (hi - lo) / float64(nf)
				lo, hi = lo+float64(q)*width, lo+float64(q+1)*width
			}
			b.num(j, i, lo+r.Float64()*(hi-lo))
		}
	}
	// Columns no target describes (text) stay missing.
	described := make([]bool, len(s.tp.cols))
	for _, j := range s.colOf {
		described[j] = true
	}
	for j := range s.tp.cols {
		if !described[j] {
			for i := 0; i < n; i++ {
				b.null(j, i)
			}
		}
	}
	return b.table()
}

// integerise turns weights into n candidate indices: floor(n·w_i/Σw)
// copies of each, and the remainder by systematic sampling on the
// fractional parts (an exact total of n).
func integerise(w []float64, n int, r *rand.Rand) []int {
	var tot float64
	for _, x := range w {
		tot += x
	}
	out := make([]int, 0, n)
	if tot <= 0 || n == 0 {
		for len(out) < n {
			out = append(out, r.IntN(len(w)))
		}
		return out
	}
	frac := make([]float64, len(w))
	var fsum float64
	for i, x := range w {
		e := float64(n) * x / tot
		k := int(math.Floor(e))
		for c := 0; c < k && len(out) < n; c++ {
			out = append(out, i)
		}
		frac[i] = e - float64(k)
		fsum += frac[i]
	}
	rest := n - len(out)
	if rest <= 0 {
		return out
	}
	step := fsum / float64(rest)
	u := r.Float64() * step
	var acc float64
	for i, f := range frac {
		acc += f
		for u < acc && len(out) < n {
			out = append(out, i)
			u += step
		}
	}
	for len(out) < n { // rounding at the end of the sweep
		out = append(out, len(w)-1)
	}
	return out
}
