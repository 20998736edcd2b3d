package synthor

import (
	"math"
	"math/rand/v2"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// store holds the records of one level column by column: for each variable
// its cell, its fine cell (numeric variables) and its value. Records are
// only appended; removal marks them deleted.
type store struct {
	vars    []*macro.Var
	index   map[string]int // variable name → position in vars
	fine    []*macro.Var
	kinds   []table.Kind
	cells   [][]int32
	fcells  [][]int32
	nums    [][]float64
	deleted []bool
	live    int
}

// newStore returns an empty store for the level's variables; numeric values
// are also counted in the sub-bins of the level's fine marginals.
func newStore(l *Level) *store {
	s := &store{vars: l.Vars, fine: make([]*macro.Var, len(l.Vars)), kinds: make([]table.Kind, len(l.Vars)),
		cells: make([][]int32, len(l.Vars)), fcells: make([][]int32, len(l.Vars)), nums: make([][]float64, len(l.Vars)),
		index: make(map[string]int, len(l.Vars))}
	for i, v := range l.Vars {
		s.index[v.Name] = i
		s.kinds[i] = v.Kind
		if v.Numeric() {
			s.fine[i] = v.Fine(l.Targets.Fine)
		}
	}
	return s
}

func (s *store) len() int { return len(s.deleted) }

// add draws one record from the repaired values (categories copied,
// numbers uniform inside their range, integers uniform over the integers
// inside it) and returns its index. cats holds the cells of the
// categorical values (categoryCells), looked up once per proposal.
func (s *store) add(vals []Value, cats []int32, rng *rand.Rand) int {
	for i, v := range s.vars {
		if !v.Numeric() {
			s.cells[i] = append(s.cells[i], cats[i])
			continue
		}
		x := drawNumber(s.kinds[i], vals[i].Range[0], vals[i].Range[1], rng)
		s.nums[i] = append(s.nums[i], x)
		s.cells[i] = append(s.cells[i], int32(v.Bins.Index(x)))
		s.fcells[i] = append(s.fcells[i], int32(s.fine[i].Bins.Index(x)))
	}
	s.deleted = append(s.deleted, false)
	s.live++
	return len(s.deleted) - 1
}

// categoryCells returns, per variable, the cell of a categorical value
// (numeric variables: −1).
func (s *store) categoryCells(vals []Value) []int32 {
	out := make([]int32, len(s.vars))
	for i, v := range s.vars {
		out[i] = -1
		if !v.Numeric() {
			out[i] = int32(v.CategoryCell(vals[i].Category))
		}
	}
	return out
}

// drawNumber draws uniformly from [lo, hi]: a float for float columns, an
// integer among those inside the range for integer and datetime columns (the
// rounded midpoint when none is inside).
func drawNumber(k table.Kind, lo, hi float64, rng *rand.Rand) float64 {
	if k == table.Float {
		if hi == lo {
			return lo
		}
		return lo + rng.Float64()*(hi-lo)
	}
	ilo, ihi := math.Ceil(lo), math.Floor(hi)
	if ilo > ihi {
		return math.Round((lo + hi) / 2)
	}
	span := ihi - ilo
	if span < 1<<53 {
		return ilo + float64(rng.Int64N(int64(span)+1))
	}
	return math.Round(lo + rng.Float64()*(hi-lo))
}

// count adds (w = 1) or removes (w = −1) records [from, to) to the synthetic
// tables of l.
func (s *store) count(l *Level, from, to int, w float64) {
	for _, m := range l.Synth.Marginals {
		m.AddCells([][]int32{s.cells[s.index[m.Vars[0].Name]]}, from, to, w)
	}
	for _, j := range l.Synth.Joints {
		cols := make([][]int32, len(j.Vars))
		for k, v := range j.Vars {
			cols[k] = s.cells[s.index[v.Name]]
		}
		j.AddCells(cols, from, to, w)
	}
	for name, f := range l.Synth.FineMarginals {
		f.AddCells([][]int32{s.fcells[s.index[name]]}, from, to, w)
	}
	l.Synth.Size += float64(to-from) * w
}

// column returns variable i as a table column over the live records, with
// each record repeated rep[r] times (rep nil: once).
func (s *store) column(i int, f table.Field, rep []int) *table.Column {
	v := s.vars[i]
	var idx []int
	for r, d := range s.deleted {
		if d {
			continue
		}
		n := 1
		if rep != nil {
			n = rep[r]
		}
		for range n {
			idx = append(idx, r)
		}
	}
	c := &table.Column{Field: f}
	switch {
	case !v.Numeric():
		c.Kind = table.Categorical
		c.Dict = v.Categories
		if len(f.Categories) > 0 {
			c.Dict = f.Categories
		}
		remap := make([]int32, len(v.Categories))
		for k, name := range v.Categories {
			remap[k] = int32(indexOf(c.Dict, name))
			if remap[k] < 0 { // the schema lists fewer categories than the targets
				c.Dict = v.Categories
				for j := range remap {
					remap[j] = int32(j)
				}
				break
			}
		}
		c.Codes = make([]int32, len(idx))
		for j, r := range idx {
			c.Codes[j] = remap[s.cells[i][r]]
		}
	case f.Kind == table.Float:
		c.Floats = make([]float64, len(idx))
		for j, r := range idx {
			c.Floats[j] = s.nums[i][r]
		}
	default: // integer, datetime
		c.Ints = make([]int64, len(idx))
		for j, r := range idx {
			c.Ints[j] = int64(s.nums[i][r])
		}
	}
	return c
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}
