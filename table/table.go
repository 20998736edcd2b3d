package table

import (
	"errors"
	"fmt"
)

// Table is a columnar table: equal-length columns with unique names. A table
// may carry a group key (GroupKey names one of its columns): rows that share
// the key form one record of variable length, such as the persons of a
// household, and the columns whose Field.Group is set are constant within a
// group. Rows of one group are contiguous.
type Table struct {
	Cols     []*Column
	GroupKey string
	index    map[string]int
}

// ErrNoColumn is returned (wrapped) when a named column does not exist.
var ErrNoColumn = errors.New("no such column")

// New returns a table over cols. It checks that names are unique and
// non-empty and that every column has the same length.
func New(cols ...*Column) (*Table, error) {
	t := &Table{Cols: cols}
	if err := t.reindex(); err != nil {
		return nil, err
	}
	return t, nil
}

// MustNew is New for tables built by code; it panics on error.
func MustNew(cols ...*Column) *Table {
	t, err := New(cols...)
	if err != nil {
		panic(err)
	}
	return t
}

func (t *Table) reindex() error {
	t.index = make(map[string]int, len(t.Cols))
	for i, c := range t.Cols {
		if c.Name == "" {
			return fmt.Errorf("column %d has no name", i+1)
		}
		if _, dup := t.index[c.Name]; dup {
			return fmt.Errorf("column %q appears twice", c.Name)
		}
		if c.Len() != t.Cols[0].Len() {
			return fmt.Errorf("column %q has %d rows, column %q has %d", c.Name, c.Len(), t.Cols[0].Name, t.Cols[0].Len())
		}
		t.index[c.Name] = i
	}
	if t.GroupKey != "" {
		if _, ok := t.index[t.GroupKey]; !ok {
			return fmt.Errorf("group key %q: %w", t.GroupKey, ErrNoColumn)
		}
	}
	return nil
}

// NumRows returns the number of rows.
func (t *Table) NumRows() int {
	if len(t.Cols) == 0 {
		return 0
	}
	return t.Cols[0].Len()
}

// NumCols returns the number of columns.
func (t *Table) NumCols() int { return len(t.Cols) }

// Col returns the named column, or nil.
func (t *Table) Col(name string) *Column {
	if t.index == nil || len(t.index) != len(t.Cols) {
		_ = t.reindex()
	}
	i, ok := t.index[name]
	if !ok {
		return nil
	}
	return t.Cols[i]
}

// Lookup returns the named column or an error naming it.
func (t *Table) Lookup(name string) (*Column, error) {
	if c := t.Col(name); c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("column %q: %w", name, ErrNoColumn)
}

// Names returns the column names in order.
func (t *Table) Names() []string {
	out := make([]string, len(t.Cols))
	for i, c := range t.Cols {
		out[i] = c.Name
	}
	return out
}

// Schema returns the fields of the table's columns, in order.
func (t *Table) Schema() *Schema {
	s := &Schema{GroupKey: t.GroupKey, Fields: make([]Field, len(t.Cols))}
	for i, c := range t.Cols {
		f := c.Field
		if f.Kind == Categorical && len(f.Categories) == 0 {
			f.Categories = c.Dict
		}
		s.Fields[i] = f
	}
	return s
}

// Take returns a new table with rows idx of t, in that order.
func (t *Table) Take(idx []int) *Table {
	cols := make([]*Column, len(t.Cols))
	for i, c := range t.Cols {
		cols[i] = c.Take(idx)
	}
	out := &Table{Cols: cols, GroupKey: t.GroupKey}
	_ = out.reindex()
	return out
}

// Head returns the first n rows (all of them if n exceeds the row count).
func (t *Table) Head(n int) *Table {
	if n > t.NumRows() {
		n = t.NumRows()
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return t.Take(idx)
}

// Groups returns the row ranges [start, end) of each group of a grouped
// table, in row order; an ungrouped table has one group per row. Rows of one
// group must be contiguous: a key that reappears after another key is an
// error.
func (t *Table) Groups() ([][2]int, error) {
	n := t.NumRows()
	if t.GroupKey == "" {
		out := make([][2]int, n)
		for i := range out {
			out[i] = [2]int{i, i + 1}
		}
		return out, nil
	}
	key, err := t.Lookup(t.GroupKey)
	if err != nil {
		return nil, err
	}
	var out [][2]int
	seen := make(map[string]bool)
	start := 0
	for i := 1; i <= n; i++ {
		if i < n && key.String(i) == key.String(start) {
			continue
		}
		k := key.String(start)
		if seen[k] {
			return nil, fmt.Errorf("group key %s: value %s at row %d is not contiguous with its group", quote(t.GroupKey), quote(k), start+1)
		}
		seen[k] = true
		out = append(out, [2]int{start, i})
		start = i
	}
	return out, nil
}
