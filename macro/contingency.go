package macro

import (
	"fmt"
	"slices"
	"strings"
)

// Contingency is a k-way frequency table over variables: a flat, row-major
// count array with one cell per combination of the variables' cells (the
// last variable varies fastest). A 1-way contingency table is a marginal
// frequency table. Counts are float64 so that targets given as shares and
// scaled targets fit the same type.
type Contingency struct {
	Vars    []*Var
	Shape   []int
	Counts  []float64
	Total   float64
	strides []int
}

// NewContingency returns an empty table over vars.
func NewContingency(vars ...*Var) *Contingency {
	c := &Contingency{Vars: vars, Shape: make([]int, len(vars)), strides: make([]int, len(vars))}
	size := 1
	for i := len(vars) - 1; i >= 0; i-- {
		c.Shape[i] = vars[i].Size()
		c.strides[i] = size
		size *= c.Shape[i]
	}
	c.Counts = make([]float64, size)
	return c
}

// Names returns the variable names.
func (c *Contingency) Names() []string {
	out := make([]string, len(c.Vars))
	for i, v := range c.Vars {
		out[i] = v.Name
	}
	return out
}

// Key returns the variable names joined by commas: the table's identity.
func (c *Contingency) Key() string { return strings.Join(c.Names(), ",") }

// Add counts rows [from, to) of e. The cost is proportional to to − from.
func (c *Contingency) Add(e *Encoded, from, to int) error {
	cols := make([][]int32, len(c.Vars))
	for i, v := range c.Vars {
		cols[i] = e.Col(v.Name)
		if cols[i] == nil {
			return fmt.Errorf("variable %q is not encoded", v.Name)
		}
	}
	c.AddCells(cols, from, to, 1)
	return nil
}

// AddCells adds weight w for each row i in [from, to) at the cell
// (cols[0][i], cols[1][i], ...); cols is aligned with Vars. A negative w
// removes rows.
func (c *Contingency) AddCells(cols [][]int32, from, to int, w float64) {
	switch len(cols) {
	case 1:
		a := cols[0]
		for i := from; i < to; i++ {
			c.Counts[a[i]] += w
		}
	case 2:
		a, b := cols[0], cols[1]
		s := int32(c.strides[0])
		for i := from; i < to; i++ {
			c.Counts[a[i]*s+b[i]] += w
		}
	default:
		for i := from; i < to; i++ {
			k := 0
			for j, col := range cols {
				k += int(col[i]) * c.strides[j]
			}
			c.Counts[k] += w
		}
	}
	c.Total += float64(to-from) * w
}

// Strides returns a copy of the table's strides: the flat index of a cell
// is Σ_j cell_j · stride_j, the last variable varying fastest.
func (c *Contingency) Strides() []int { return slices.Clone(c.strides) }

// Cell returns the flat index of the cell with the given per-variable cells.
func (c *Contingency) Cell(cells ...int) int {
	k := 0
	for j, x := range cells {
		k += x * c.strides[j]
	}
	return k
}

// Unravel returns the per-variable cells of flat index k.
func (c *Contingency) Unravel(k int) []int {
	out := make([]int, len(c.Vars))
	for j := range c.Vars {
		out[j] = k / c.strides[j]
		k %= c.strides[j]
	}
	return out
}

// Labels returns the per-variable labels of flat index k.
func (c *Contingency) Labels(k int) []string {
	cells := c.Unravel(k)
	out := make([]string, len(cells))
	for j, x := range cells {
		out[j] = c.Vars[j].Label(x)
	}
	return out
}

// Shares returns Counts / Total (all zero when the table is empty).
func (c *Contingency) Shares() []float64 {
	out := make([]float64, len(c.Counts))
	if c.Total == 0 {
		return out
	}
	for i, x := range c.Counts {
		out[i] = x / c.Total
	}
	return out
}

// Clone returns a deep copy.
func (c *Contingency) Clone() *Contingency {
	d := *c
	d.Counts = slices.Clone(c.Counts)
	return &d
}

// Reset zeroes the counts.
func (c *Contingency) Reset() {
	clear(c.Counts)
	c.Total = 0
}

// Gap returns, per cell, the target share minus the synthetic share. Positive
// cells are under-represented in the synthetic data. The tables must be over
// the same variables.
func Gap(target, synth *Contingency) []float64 {
	ts, ss := target.Shares(), synth.Shares()
	for i := range ts {
		ts[i] -= ss[i]
	}
	return ts
}

// Deficit returns, per cell, how many records the synthetic table lacks to
// match the target's share at size n: n·target share − synthetic count. In
// shares of n it is the signed discrepancy that LLMSynthor acts on when
// records are only added; its positive part sums to at least n minus the
// synthetic size.
func Deficit(target, synth *Contingency, n float64) []float64 {
	out := target.Shares()
	for i := range out {
		out[i] = out[i]*n - synth.Counts[i]
	}
	return out
}

// TopPositive returns the indices of the k largest positive values of gap,
// largest first (ties by index), fewer when fewer are positive.
func TopPositive(gap []float64, k int) []int {
	var idx []int
	for i, g := range gap {
		if g > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case gap[a] > gap[b]:
			return -1
		case gap[a] < gap[b]:
			return 1
		}
		return 0
	})
	if len(idx) > k {
		idx = idx[:k]
	}
	return idx
}

// PositiveMass returns the sum of the positive values of gap.
func PositiveMass(gap []float64) float64 {
	s := 0.0
	for _, g := range gap {
		if g > 0 {
			s += g
		}
	}
	return s
}
