package synthor

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/synthor/synthor/table"
)

// Columns that another column determines (a model prior's "passive"
// columns, as synthpop calls columns defined from others). A postal code
// determines its state and region; an airport its latitude and longitude.
// A tree-based model such as sequential CART splits a category with
// hundreds of levels into a few leaves (or, above its level cap, does not
// model it at all), so its records break such relations, and a classifier
// tells them apart at once. The model prior therefore finds, in the
// training table, every column B that a categorical column A determines on
// at least functionalShare of the rows, and after the model has sampled its
// records it redraws B from the training values of B among the rows that
// share the record's A: for an exact function, the one value; otherwise
// the training conditional, as a tree splitting A into all its categories
// would. Only these per-category value lists are kept; no row is copied
// whole.

// functionalShare is the least share of rows on which A must determine B
// (B equal to the most frequent B of its A category).
const functionalShare = 0.99

// passive is a column B drawn from the training rows sharing A's value.
type passive struct {
	b, a string
	rows map[string][]int32 // A's value (its text; "" missing) → training rows
	col  *table.Column      // B's training column
}

// findPassive returns the passive columns of train, determinants first:
// for each column B that a categorical column A (2 or more categories,
// at most half as many as rows) determines, the finest such A (most
// categories; ties: the earlier column), unless B determines A back and
// comes first (one-to-one columns: the later one is passive). Text columns
// take no part.
func findPassive(train *table.Table) []passive {
	levels := map[string]int{}
	for _, c := range train.Cols {
		levels[c.Name] = distinct(c)
	}
	var out []passive
	for bi, b := range train.Cols {
		if b.Kind == table.Text || levels[b.Name] < 2 {
			continue
		}
		var best *table.Column
		for ai, a := range train.Cols {
			if a == b || a.Kind != table.Categorical || levels[a.Name] < 2 || 2*levels[a.Name] > train.NumRows() {
				continue
			}
			if levels[a.Name] < levels[b.Name] || (levels[a.Name] == levels[b.Name] && ai > bi) {
				continue // a coarser A cannot determine B; of one-to-one columns, the later is passive
			}
			if best != nil && levels[a.Name] <= levels[best.Name] {
				continue
			}
			if determines(a, b) {
				best = a
			}
		}
		if best != nil {
			out = append(out, passive{b: b.Name, a: best.Name, rows: groupRows(best), col: b})
		}
	}
	// Determinants first: finer columns (more categories) first.
	slices.SortStableFunc(out, func(x, y passive) int { return levels[y.b] - levels[x.b] })
	return out
}

// distinct counts the distinct values of c, missing counted as one.
func distinct(c *table.Column) int {
	seen := map[uint64]bool{}
	for i := range c.Len() {
		seen[valueKey(c, i)] = true
	}
	return len(seen)
}

// valueKey identifies row i's value of c: its category code, the bits of
// its number, or a mark for missing.
func valueKey(c *table.Column, i int) uint64 {
	switch {
	case c.IsNull(i) || (c.Kind == table.Categorical && c.Codes[i] < 0):
		return math.MaxUint64
	case c.Kind == table.Categorical:
		return uint64(c.Codes[i])
	case c.Kind == table.Text:
		return mix(uint64(len(c.Strs[i]))) // text takes no part
	}
	return math.Float64bits(c.Float(i))
}

// determines reports whether B equals the most frequent B of its A
// category on at least functionalShare of the rows.
func determines(a, b *table.Column) bool {
	type pair struct{ a, b uint64 }
	counts := map[pair]int{}
	for i := range a.Len() {
		counts[pair{valueKey(a, i), valueKey(b, i)}]++
	}
	top := map[uint64]int{}
	for p, n := range counts {
		top[p.a] = max(top[p.a], n)
	}
	held := 0
	for _, n := range top {
		held += n
	}
	return float64(held) >= functionalShare*float64(a.Len())
}

// groupRows maps each value of categorical column a (its text, "" for
// missing) to the rows holding it.
func groupRows(a *table.Column) map[string][]int32 {
	out := map[string][]int32{}
	for i := range a.Len() {
		k := a.String(i)
		out[k] = append(out[k], int32(i))
	}
	return out
}

// applyPassive redraws the passive columns of t (determinants first) from
// the training rows sharing each record's determinant. A column whose
// determinant takes, in t, a value the training table never had keeps the
// model's values (a model that draws only observed values never does so).
func applyPassive(t *table.Table, ps []passive, rng *rand.Rand) *table.Table {
	if len(ps) == 0 {
		return t
	}
	cols := slices.Clone(t.Cols)
	for _, p := range ps {
		a := table.MustNew(cols...).Col(p.a)
		bi := slices.IndexFunc(cols, func(c *table.Column) bool { return c.Name == p.b })
		if a == nil || bi < 0 {
			continue
		}
		idx := make([]int, t.NumRows())
		for i := range idx {
			rows := p.rows[a.String(i)]
			if len(rows) == 0 {
				idx = nil
				break
			}
			idx[i] = int(rows[rng.IntN(len(rows))])
		}
		if idx != nil {
			cols[bi] = p.col.Take(idx)
		}
	}
	out := table.MustNew(cols...)
	out.GroupKey = t.GroupKey
	return out
}
