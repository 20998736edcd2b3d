package macro

import (
	"fmt"

	"github.com/synthor/synthor/table"
)

// Var is a discretised variable: a categorical variable with its
// categories, or a numeric (integer, float or datetime) variable with its
// bins. Its cells are the categories (or bins) in order, then one more cell
// for a missing value: missing is counted as its own category.
type Var struct {
	Name       string     `json:"name" yaml:"name"`
	Kind       table.Kind `json:"kind" yaml:"kind"`
	Categories []string   `json:"categories,omitempty" yaml:"categories,omitempty"`
	Bins       Bins       `json:"bins,omitzero" yaml:"bins,omitempty"`
	// Decimals, when set, is the number of decimals a float variable's
	// values have (its precision); nil: full precision.
	Decimals *int `json:"decimals,omitempty" yaml:"decimals,omitempty"`
}

// Numeric reports whether the variable is binned.
func (v *Var) Numeric() bool { return v.Kind.Numeric() }

// Levels returns the number of non-missing cells.
func (v *Var) Levels() int {
	if v.Numeric() {
		return v.Bins.Len()
	}
	return len(v.Categories)
}

// Size returns the number of cells, the missing cell included.
func (v *Var) Size() int { return v.Levels() + 1 }

// MissingCell returns the index of the missing cell.
func (v *Var) MissingCell() int { return v.Levels() }

// Label returns a readable label of a cell: the category, the bin's range,
// or "missing".
func (v *Var) Label(cell int) string {
	if cell == v.MissingCell() {
		return "missing"
	}
	if v.Numeric() {
		return v.Bins.Label(cell)
	}
	return v.Categories[cell]
}

// CategoryCell returns the cell of category s, or −1.
func (v *Var) CategoryCell(s string) int {
	for i, c := range v.Categories {
		if c == s {
			return i
		}
	}
	return -1
}

// Fine returns a copy of a numeric variable whose every bin is split into k
// equal-width sub-bins (sub-bin j of bin i is cell i·k + j); a categorical
// variable is returned unchanged.
func (v *Var) Fine(k int) *Var {
	if !v.Numeric() {
		return v
	}
	f := *v
	f.Bins = v.Bins.Split(k)
	return &f
}

// encode returns the cell of every row of c.
func (v *Var) encode(c *table.Column, dst []int32) error {
	n := c.Len()
	miss := int32(v.MissingCell())
	if v.Numeric() {
		if !c.Kind.Numeric() {
			return fmt.Errorf("column %q is %s, expected a numeric column", c.Name, c.Kind)
		}
		for i := 0; i < n; i++ {
			if c.IsNull(i) {
				dst[i] = miss
				continue
			}
			dst[i] = int32(v.Bins.Index(c.Float(i)))
		}
		return nil
	}
	if c.Kind != table.Categorical {
		return fmt.Errorf("column %q is %s, expected a categorical column", c.Name, c.Kind)
	}
	cells := make(map[string]int32, len(v.Categories))
	for i, s := range v.Categories {
		cells[s] = int32(i)
	}
	remap := make([]int32, len(c.Dict))
	for j, s := range c.Dict {
		cell, ok := cells[s]
		if !ok {
			cell = -1
		}
		remap[j] = cell
	}
	for i, code := range c.Codes {
		if code == table.Missing {
			dst[i] = miss
			continue
		}
		cell := remap[code]
		if cell < 0 {
			return fmt.Errorf("column %q, row %d: category %q is not among the variable's %d categories", c.Name, i+1, c.Dict[code], len(v.Categories))
		}
		dst[i] = cell
	}
	return nil
}

// Space is the set of discretised variables that frequency and contingency
// tables are built over; the same Space applied to the real and synthetic
// tables makes every cell comparable.
type Space struct {
	Vars  []*Var `json:"variables" yaml:"variables"`
	index map[string]int
}

// DefaultBins is the number of quantile bins of a numeric variable
// (LLMSynthor's first binning stage).
const DefaultBins = 6

// NewSpace builds a Space over the categorical and numeric columns of ref
// (text columns and the group key are skipped). Numeric variables get
// QuantileBins of ref's values with the given number of bins (DefaultBins
// when bins <= 0). Categorical variables get the categories of ref's schema
// field when it lists them, else ref's dictionary, followed by categories
// that only the other tables have, in their order: pass the synthetic table
// as other so that its unseen categories have cells of their own.
func NewSpace(ref *table.Table, bins int, others ...*table.Table) (*Space, error) {
	return NewSpaceOptions(ref, SpaceOptions{Bins: bins}, others...)
}

// SpaceOptions says how NewSpaceOptions bins numeric columns.
type SpaceOptions struct {
	// Bins is the number of quantile bins (DefaultBins when <= 0).
	Bins int
	// Discrete is the most distinct values of a numeric column planned as a
	// discrete variable, every value a cell; 0: none (NumericBins).
	Discrete int
	// PointShare is the share of a column's values above which a value is a
	// point mass with a cell of its own; 0: none (NumericBins).
	PointShare float64
}

// NewSpaceOptions is NewSpace with numeric columns binned by NumericBins.
func NewSpaceOptions(ref *table.Table, opt SpaceOptions, others ...*table.Table) (*Space, error) {
	bins := opt.Bins
	if bins <= 0 {
		bins = DefaultBins
	}
	s := &Space{}
	for _, c := range ref.Cols {
		if c.Name == ref.GroupKey || c.Kind == table.Text {
			continue
		}
		v := &Var{Name: c.Name, Kind: c.Kind}
		if c.Kind.Numeric() {
			v.Bins = NumericBins(c.Values(), bins, opt.Discrete, opt.PointShare)
		} else {
			seen := make(map[string]bool)
			add := func(cats []string) {
				for _, x := range cats {
					if !seen[x] {
						seen[x] = true
						v.Categories = append(v.Categories, x)
					}
				}
			}
			add(c.Categories)
			add(usedCategories(c))
			for _, o := range others {
				oc := o.Col(c.Name)
				if oc == nil {
					continue
				}
				if oc.Kind != table.Categorical {
					return nil, fmt.Errorf("column %q is categorical in the reference and %s in another table", c.Name, oc.Kind)
				}
				add(usedCategories(oc))
			}
		}
		s.Vars = append(s.Vars, v)
	}
	s.reindex()
	return s, nil
}

// usedCategories returns the dictionary entries of c that occur, in
// dictionary order.
func usedCategories(c *table.Column) []string {
	used := make([]bool, len(c.Dict))
	for _, k := range c.Codes {
		if k >= 0 {
			used[k] = true
		}
	}
	var out []string
	for i, u := range used {
		if u {
			out = append(out, c.Dict[i])
		}
	}
	return out
}

func (s *Space) reindex() {
	s.index = make(map[string]int, len(s.Vars))
	for i, v := range s.Vars {
		s.index[v.Name] = i
	}
}

// Var returns the named variable, or nil.
func (s *Space) Var(name string) *Var {
	if s.index == nil || len(s.index) != len(s.Vars) {
		s.reindex()
	}
	i, ok := s.index[name]
	if !ok {
		return nil
	}
	return s.Vars[i]
}

// Lookup returns the named variables, or an error naming the first unknown.
func (s *Space) Lookup(names ...string) ([]*Var, error) {
	out := make([]*Var, len(names))
	for i, n := range names {
		v := s.Var(n)
		if v == nil {
			return nil, fmt.Errorf("variable %q is not in the target space", n)
		}
		out[i] = v
	}
	return out, nil
}

// Encoded holds, for every variable of a Space, the cell of each row of a
// table: Cells[j][i] is the cell of row i for variable Vars[j].
type Encoded struct {
	N     int
	Cells [][]int32
	index map[string]int
}

// Encode maps every row of t to its cells. A variable whose column t lacks,
// a column of the wrong kind, or a category the space does not know is an
// error naming the column.
func (s *Space) Encode(t *table.Table) (*Encoded, error) {
	n := t.NumRows()
	e := &Encoded{N: n, Cells: make([][]int32, len(s.Vars)), index: make(map[string]int, len(s.Vars))}
	for j, v := range s.Vars {
		c := t.Col(v.Name)
		if c == nil {
			return nil, fmt.Errorf("column %q: %w", v.Name, table.ErrNoColumn)
		}
		e.Cells[j] = make([]int32, n)
		if err := v.encode(c, e.Cells[j]); err != nil {
			return nil, err
		}
		e.index[v.Name] = j
	}
	return e, nil
}

// Col returns the cells of the named variable, or nil.
func (e *Encoded) Col(name string) []int32 {
	j, ok := e.index[name]
	if !ok {
		return nil
	}
	return e.Cells[j]
}
