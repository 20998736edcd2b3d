package table

import "fmt"

// Concat returns the rows of ts appended in order, as a new table. Columns
// are matched by name (every table must have the same set of names; the
// order is the first table's) and must have the same kind; categorical
// dictionaries are unioned: the first table's categories in order, then
// each new category in order of appearance. Fields and the group key come
// from the first table. Concat of no tables is an empty table.
func Concat(ts ...*Table) (*Table, error) {
	if len(ts) == 0 {
		return MustNew(), nil
	}
	first := ts[0]
	total := 0
	for k, t := range ts {
		if t.NumCols() != first.NumCols() {
			return nil, fmt.Errorf("concat: table %d has %d columns, table 1 has %d", k+1, t.NumCols(), first.NumCols())
		}
		for _, c := range first.Cols {
			d := t.Col(c.Name)
			if d == nil {
				return nil, fmt.Errorf("concat: table %d: column %q: %w", k+1, c.Name, ErrNoColumn)
			}
			if d.Kind != c.Kind {
				return nil, fmt.Errorf("concat: table %d: column %q is %s, table 1 has %s", k+1, c.Name, d.Kind, c.Kind)
			}
		}
		total += t.NumRows()
	}
	cols := make([]*Column, len(first.Cols))
	for j, c := range first.Cols {
		out := &Column{Field: c.Field}
		anyNull := false
		for _, t := range ts {
			anyNull = anyNull || t.Col(c.Name).Nulls != nil
		}
		if anyNull {
			out.Nulls = make([]bool, 0, total)
		}
		var index map[string]int32
		if c.Kind == Categorical {
			out.Dict = make([]string, 0, len(c.Dict))
			index = make(map[string]int32, len(c.Dict))
			out.Codes = make([]int32, 0, total)
		}
		for _, t := range ts {
			d := t.Col(c.Name)
			n := d.Len()
			switch c.Kind {
			case Categorical:
				remap := make([]int32, len(d.Dict))
				for k, s := range d.Dict {
					code, ok := index[s]
					if !ok {
						code = int32(len(out.Dict))
						out.Dict = append(out.Dict, s)
						index[s] = code
					}
					remap[k] = code
				}
				for _, k := range d.Codes {
					if k == Missing {
						out.Codes = append(out.Codes, Missing)
					} else {
						out.Codes = append(out.Codes, remap[k])
					}
				}
			case Integer, Datetime:
				out.Ints = append(out.Ints, d.Ints...)
			case Float:
				out.Floats = append(out.Floats, d.Floats...)
			case Text:
				out.Strs = append(out.Strs, d.Strs...)
			}
			if anyNull {
				if d.Nulls != nil {
					out.Nulls = append(out.Nulls, d.Nulls...)
				} else {
					out.Nulls = append(out.Nulls, make([]bool, n)...)
				}
			}
		}
		if c.Kind == Float && out.Floats == nil {
			out.Floats = []float64{}
		}
		cols[j] = out
	}
	t, err := New(cols...)
	if err != nil {
		return nil, fmt.Errorf("concat: %w", err)
	}
	t.GroupKey = first.GroupKey
	if err := t.reindex(); err != nil {
		return nil, fmt.Errorf("concat: %w", err)
	}
	return t, nil
}
