package table

import (
	"fmt"
	"math"
	"slices"
)

// Equal reports whether t and u hold the same data: the same group key,
// the same columns (names, kinds, order), the same categorical
// dictionaries (in order), the same missing positions and the same values
// (floats bit for bit, apart from NaN at missing positions). Field metadata
// (categories, range, description, layout, group flag) is not compared.
func (t *Table) Equal(u *Table) bool { return Diff(t, u) == "" }

// Diff describes the first difference between a and b in one line, or
// returns "" when a.Equal(b).
func Diff(a, b *Table) string {
	if a == nil || b == nil {
		if a == b {
			return ""
		}
		return "one table is nil"
	}
	if a.GroupKey != b.GroupKey {
		return fmt.Sprintf("group key %q vs %q", a.GroupKey, b.GroupKey)
	}
	if !slices.Equal(a.Names(), b.Names()) {
		return fmt.Sprintf("columns %q vs %q", a.Names(), b.Names())
	}
	if a.NumRows() != b.NumRows() {
		return fmt.Sprintf("%d rows vs %d", a.NumRows(), b.NumRows())
	}
	for j, ca := range a.Cols {
		if d := diffColumn(ca, b.Cols[j]); d != "" {
			return fmt.Sprintf("column %q: %s", ca.Name, d)
		}
	}
	return ""
}

func diffColumn(a, b *Column) string {
	if a.Kind != b.Kind {
		return fmt.Sprintf("kind %s vs %s", a.Kind, b.Kind)
	}
	if a.Len() != b.Len() {
		return fmt.Sprintf("%d rows vs %d", a.Len(), b.Len())
	}
	if a.Kind == Categorical && !slices.Equal(a.Dict, b.Dict) {
		return fmt.Sprintf("dictionary %q vs %q", a.Dict, b.Dict)
	}
	for i := 0; i < a.Len(); i++ {
		na, nb := a.IsNull(i), b.IsNull(i)
		if na != nb {
			return fmt.Sprintf("row %d: missing %v vs %v", i+1, na, nb)
		}
		if na {
			continue
		}
		same := true
		switch a.Kind {
		case Categorical:
			same = a.Codes[i] == b.Codes[i]
		case Integer, Datetime:
			same = a.Ints[i] == b.Ints[i]
		case Float:
			same = math.Float64bits(a.Floats[i]) == math.Float64bits(b.Floats[i])
		case Text:
			same = a.Strs[i] == b.Strs[i]
		}
		if !same {
			return fmt.Sprintf("row %d: %q vs %q", i+1, a.String(i), b.String(i))
		}
	}
	return ""
}
