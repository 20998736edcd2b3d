package macro

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/synthor/synthor/table"
)

// ControlSpec says which controls ControlsFromTable takes from a grouped
// table: the statistics a census publishes for a population whose seed
// sample a population synthesizer expands.
type ControlSpec struct {
	// Groups and Members name the group-level and member-level variables;
	// each gets a marginal.
	Groups, Members []string
	// Joints are groups of variables of one level each, counted jointly.
	Joints [][]string
	// Composition, when set, adds the households by members per band of a
	// member-level numeric variable.
	Composition *CompositionSpec
	// Options bin the numeric variables (NumericBins, edges then Rounded);
	// a zero Discrete or PointShare means DiscreteValues or PointShare, a
	// negative one none.
	Options SpaceOptions
}

// CompositionSpec names the member variable and the band cuts of a
// composition control.
type CompositionSpec struct {
	Member string    `json:"member" yaml:"member"`
	Cuts   []float64 `json:"cuts" yaml:"cuts"`
}

// ControlsFromTable returns grouped targets computed from the grouped
// table t (t.GroupKey set): group-level tables count each group once,
// member-level ones each member once. Numeric variables are binned by
// NumericBins with spec.Options, interval edges rounded (Bins.Rounded) and
// the composition's cuts added as edges of its member variable. An
// integer group-level variable equal to every group's size is the group
// size (binned by its values as points); a member-level integer column
// numbering the members 1..k is the index. A name that is not a column, a
// group-level variable that varies within a group, a joint across levels
// or a variable of the key or index is an error naming it.
func ControlsFromTable(t *table.Table, spec ControlSpec) (*Targets, error) {
	if t.GroupKey == "" {
		return nil, fmt.Errorf("controls: the table has no group key (a grouped table: households of persons)")
	}
	groups, err := t.Groups()
	if err != nil {
		return nil, fmt.Errorf("controls: %w", err)
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("controls: the table has no rows")
	}
	if len(spec.Groups) == 0 || len(spec.Members) == 0 {
		return nil, fmt.Errorf("controls: name at least one group-level and one member-level variable")
	}
	index := findIndex(t, groups)
	for _, lv := range []struct {
		what  string
		names []string
	}{{"groups", spec.Groups}, {"members", spec.Members}} {
		for _, n := range lv.names {
			c := t.Col(n)
			switch {
			case c == nil:
				return nil, fmt.Errorf("controls: %s: %q is not a column (columns: %s)", lv.what, n, strings.Join(t.Names(), ", "))
			case n == t.GroupKey || n == index:
				return nil, fmt.Errorf("controls: %s: %q is the group key or the member index: it is made, not controlled", lv.what, n)
			case c.Kind == table.Text:
				return nil, fmt.Errorf("controls: %s: %q is free text", lv.what, n)
			}
		}
	}
	if both := intersect(spec.Groups, spec.Members); len(both) > 0 {
		return nil, fmt.Errorf("controls: %q is named on both levels", both[0])
	}
	first := make([]int, len(groups))
	for g, r := range groups {
		first[g] = r[0]
		for _, n := range spec.Groups {
			if i := varies(t.Col(n), r); i >= 0 {
				return nil, fmt.Errorf("controls: groups: %q varies within the group at rows %d-%d (row %d): it is not a group-level variable", n, r[0]+1, r[1], i+1)
			}
		}
	}
	pick := func(names []string) *table.Table {
		cols := make([]*table.Column, len(names))
		for i, n := range names {
			cols[i] = t.Col(n)
		}
		return table.MustNew(cols...)
	}
	grpT, memT := pick(spec.Groups).Take(first), pick(spec.Members)
	opt := spec.Options
	if opt.Discrete == 0 {
		opt.Discrete = DiscreteValues
	}
	if opt.PointShare == 0 {
		opt.PointShare = PointShare
	}
	grpS, err := controlSpace(grpT, opt)
	if err != nil {
		return nil, err
	}
	memS, err := controlSpace(memT, opt)
	if err != nil {
		return nil, err
	}
	g := &Grouping{Key: t.GroupKey, Index: index, GroupSize: findGroupSize(grpT, groups)}
	if g.GroupSize != "" {
		v := grpS.Var(g.GroupSize)
		v.Bins = Bins{Points: distinct(grpT.Col(g.GroupSize).Values())}
	}
	if cs := spec.Composition; cs != nil {
		if g.Composition, err = composition(t, groups, memS, cs); err != nil {
			return nil, err
		}
	}
	var grpJ, memJ [][]string
	for _, j := range spec.Joints {
		switch {
		case allInSpace(grpS, j):
			grpJ = append(grpJ, j)
		case allInSpace(memS, j):
			memJ = append(memJ, j)
		default:
			return nil, fmt.Errorf("controls: joint [%s]: its variables are not all on one level (groups: %s; members: %s)",
				strings.Join(j, ", "), strings.Join(spec.Groups, ", "), strings.Join(spec.Members, ", "))
		}
	}
	tg, err := TargetsFromTable(grpT, grpS, grpJ)
	if err != nil {
		return nil, fmt.Errorf("controls: groups: %w", err)
	}
	if tg.Members, err = TargetsFromTable(memT, memS, memJ); err != nil {
		return nil, fmt.Errorf("controls: members: %w", err)
	}
	tg.Grouping = g
	if err := tg.checkGrouped(); err != nil {
		return nil, fmt.Errorf("controls: %w", err)
	}
	return tg, nil
}

// controlSpace bins the columns of t for controls: NumericBins, interval
// edges rounded to the schema's domain.
func controlSpace(t *table.Table, opt SpaceOptions) (*Space, error) {
	sp, err := NewSpaceOptions(t, opt)
	if err != nil {
		return nil, fmt.Errorf("controls: %w", err)
	}
	for _, v := range sp.Vars {
		if v.Numeric() {
			f := t.Col(v.Name).Field
			v.Bins = v.Bins.Rounded(f.Min, f.Max)
		}
	}
	return sp, nil
}

// composition counts the groups of t by their members per band of the
// member variable, adding the cuts to its interval edges in memS.
func composition(t *table.Table, groups [][2]int, memS *Space, cs *CompositionSpec) (*Composition, error) {
	v := memS.Var(cs.Member)
	if v == nil || !v.Numeric() {
		return nil, fmt.Errorf("controls: composition: member %q is not a numeric member-level variable", cs.Member)
	}
	if len(cs.Cuts) == 0 || !slices.IsSorted(cs.Cuts) || len(slices.Compact(slices.Clone(cs.Cuts))) != len(cs.Cuts) {
		return nil, fmt.Errorf("controls: composition: cuts %v: give distinct ascending band edges", cs.Cuts)
	}
	if e := v.Bins.Edges; len(e) >= 2 {
		lo, hi := e[0], e[len(e)-1]
		for _, x := range cs.Cuts {
			if x > lo && x < hi {
				e = append(e, x)
			}
		}
		slices.Sort(e)
		v.Bins.Edges = slices.Compact(e)
	}
	c := &Composition{Member: cs.Member, Cuts: slices.Clone(cs.Cuts)}
	col := t.Col(cs.Member)
	members := make([]int, c.Bands())
	for _, r := range groups {
		clear(members)
		for i := r[0]; i < r[1]; i++ {
			if !col.IsNull(i) {
				members[c.Band(col.Float(i))]++
			}
		}
		if sum(members) == 0 {
			continue
		}
		if k := c.Cell(members); k >= 0 {
			c.Cells[k].Count++
		} else {
			c.Cells = append(c.Cells, CompositionCell{Members: slices.Clone(members), Count: 1})
		}
		c.Total++
	}
	slices.SortFunc(c.Cells, func(a, b CompositionCell) int { return slices.Compare(a.Members, b.Members) })
	return c, nil
}

// findIndex returns the integer column that numbers every group's rows 1..k,
// or "".
func findIndex(t *table.Table, groups [][2]int) string {
	for _, c := range t.Cols {
		if c.Kind != table.Integer || c.Group || c.Name == t.GroupKey {
			continue
		}
		ok := true
		for _, r := range groups {
			for i := r[0]; i < r[1] && ok; i++ {
				ok = !c.IsNull(i) && c.Ints[i] == int64(i-r[0]+1)
			}
			if !ok {
				break
			}
		}
		if ok {
			return c.Name
		}
	}
	return ""
}

// findGroupSize returns the integer column of the group table (one row per
// group) equal to every group's size, or "".
func findGroupSize(grp *table.Table, groups [][2]int) string {
	for _, c := range grp.Cols {
		if c.Kind != table.Integer {
			continue
		}
		ok := true
		for g, r := range groups {
			if c.IsNull(g) || c.Ints[g] != int64(r[1]-r[0]) {
				ok = false
				break
			}
		}
		if ok {
			return c.Name
		}
	}
	return ""
}

// varies returns the first row of r whose value of c differs from the
// group's first, or −1.
func varies(c *table.Column, r [2]int) int {
	for i := r[0] + 1; i < r[1]; i++ {
		if c.IsNull(i) != c.IsNull(r[0]) || !c.IsNull(i) && c.String(i) != c.String(r[0]) {
			return i
		}
	}
	return -1
}

func distinct(xs []float64) []float64 {
	out := slices.DeleteFunc(slices.Clone(xs), math.IsNaN)
	slices.Sort(out)
	return slices.Compact(out)
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func allInSpace(sp *Space, names []string) bool {
	for _, n := range names {
		if sp.Var(n) == nil {
			return false
		}
	}
	return len(names) > 0
}
