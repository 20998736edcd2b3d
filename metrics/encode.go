package metrics

import (
	"slices"

	"github.com/synthor/synthor/table"
)

// mixedCol is one column of several tables encoded alike: numeric values
// (NaN where missing) or categorical codes over the sorted union of the
// tables' dictionaries (-1 where missing), one slice per table.
type mixedCol struct {
	name   string
	cat    bool
	levels int         // categorical: size of the union dictionary
	dict   []string    // categorical: the union dictionary
	num    [][]float64 // numeric: values per table
	codes  [][]int32   // categorical: codes per table
}

// encodeTables encodes the columns of ts[0] that every table holds with a
// compatible kind (numeric against numeric, categorical against
// categorical), leaving out text columns, the group key and the names in
// skip. Categorical codes are over the sorted union of all dictionaries, so
// the result does not depend on dictionary order.
func encodeTables(skip []string, ts ...*table.Table) []mixedCol {
	var out []mixedCol
	for _, c := range ts[0].Cols {
		if c.Kind == table.Text || c.Name == ts[0].GroupKey || slices.Contains(skip, c.Name) {
			continue
		}
		cols := make([]*table.Column, len(ts))
		ok := true
		for k, t := range ts {
			cols[k] = t.Col(c.Name)
			if cols[k] == nil || cols[k].Kind == table.Text || cols[k].Kind.Numeric() != c.Kind.Numeric() {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if c.Kind.Numeric() {
			m := mixedCol{name: c.Name}
			for _, col := range cols {
				m.num = append(m.num, floats(col))
			}
			out = append(out, m)
			continue
		}
		out = append(out, encodeCategorical(c.Name, cols))
	}
	return out
}

// encodeCategorical recodes categorical columns over the sorted union of
// their dictionaries.
func encodeCategorical(name string, cols []*table.Column) mixedCol {
	var names []string
	for _, col := range cols {
		names = append(names, col.Dict...)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	union := make(map[string]int32, len(names))
	for k, v := range names {
		union[v] = int32(k)
	}
	m := mixedCol{name: name, cat: true, levels: len(names), dict: names}
	for _, col := range cols {
		remap := make([]int32, len(col.Dict))
		for k, v := range col.Dict {
			remap[k] = union[v]
		}
		codes := make([]int32, len(col.Codes))
		for i, k := range col.Codes {
			if k < 0 {
				codes[i] = -1
			} else {
				codes[i] = remap[k]
			}
		}
		m.codes = append(m.codes, codes)
	}
	return m
}
