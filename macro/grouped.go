package macro

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/synthor/synthor/table"
)

// Grouping says how the members of grouped targets (households of persons)
// form groups. Grouped Targets hold the group level's tables (each group
// counted once) and, in Members, the member level's (each member counted
// once); a table never mixes the levels.
type Grouping struct {
	// Key names the group key column of a table made to the targets
	// (DefaultGroupKey when the file gives none).
	Key string
	// Index, when set, names a member-level integer column numbering the
	// members of each group 1..k (a person number): made, not targeted.
	Index string
	// GroupSize, when set, names the group-level integer variable that
	// holds each group's number of members; its bins are points.
	GroupSize string
	// Composition, when set, counts the groups by their members per band of
	// a member-level numeric variable.
	Composition *Composition
}

// DefaultGroupKey is the group key of a grouped targets file that names
// none.
const DefaultGroupKey = "group_id"

// Composition counts groups by how many of their members fall in each band
// of a numeric member-level variable: with Member age and Cuts [18, 65], a
// household of two adults and a child has composition [1, 2, 0] (members
// under 18, 18 to 64, 65 and over). It is the control on "members per
// household by age band" that a census states and that member-level tables
// alone cannot: which persons share a household.
type Composition struct {
	// Member names the member-level numeric variable that is banded.
	Member string
	// Cuts are the band edges, ascending: band b is [Cuts[b-1], Cuts[b]),
	// the first open below and the last open above.
	Cuts []float64
	// Cells are the compositions with their number of groups.
	Cells []CompositionCell
	// Total is the sum of the cells' counts.
	Total float64
}

// CompositionCell is one composition: the members per band and how many
// groups have it.
type CompositionCell struct {
	Members []int
	Count   float64
}

// Bands returns the number of bands.
func (c *Composition) Bands() int { return len(c.Cuts) + 1 }

// Band returns the band of x.
func (c *Composition) Band(x float64) int {
	b := 0
	for b < len(c.Cuts) && x >= c.Cuts[b] {
		b++
	}
	return b
}

// MeanMembers returns the mean number of members per group.
func (c *Composition) MeanMembers() float64 {
	s := 0.0
	for _, cell := range c.Cells {
		s += cell.Count * float64(sum(cell.Members))
	}
	return s / c.Total
}

// Cell returns the index of the cell with the given members per band, or
// −1.
func (c *Composition) Cell(members []int) int {
	return slices.IndexFunc(c.Cells, func(x CompositionCell) bool { return slices.Equal(x.Members, members) })
}

// Key is the statistic the composition covers, as Contingency.Key names
// tables: "composition(age:18,65)".
func (c *Composition) Key() string {
	cuts := make([]string, len(c.Cuts))
	for i, x := range c.Cuts {
		cuts[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return "composition(" + c.Member + ":" + strings.Join(cuts, ",") + ")"
}

func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// Levels returns the targets of each level: the receiver alone for flat
// targets, the group level then the member level for grouped ones.
func (tg *Targets) Levels() []*Targets {
	if tg.Members == nil {
		return []*Targets{tg}
	}
	return []*Targets{tg, tg.Members}
}

// MembersPerGroup returns the mean number of members per group of grouped
// targets (0 for flat targets): from the group-size variable's marginal,
// else the composition, else the ratio of the two levels' sizes.
func (tg *Targets) MembersPerGroup() float64 {
	g := tg.Grouping
	switch {
	case g == nil || tg.Members == nil:
		return 0
	case g.GroupSize != "":
		return meanOfPoints(tg.Marginal(g.GroupSize))
	case g.Composition != nil:
		return g.Composition.MeanMembers()
	}
	return tg.Members.Size / tg.Size
}

// meanOfPoints returns the mean value of a marginal over point cells
// (missing left out).
func meanOfPoints(m *Contingency) float64 {
	v := m.Vars[0]
	s, n := 0.0, 0.0
	for c := range v.Levels() {
		lo, _ := v.Bins.Bounds(c)
		s += lo * m.Counts[c]
		n += m.Counts[c]
	}
	if n == 0 {
		return 0
	}
	return s / n
}

// groupsFile is the groups: section of a grouped targets file.
type groupsFile struct {
	Key       string           `json:"key,omitempty" yaml:"key,omitempty"`
	Index     string           `json:"index,omitempty" yaml:"index,omitempty"`
	GroupSize string           `json:"group_size,omitempty" yaml:"group_size,omitempty"`
	Size      float64          `json:"size,omitempty" yaml:"size,omitempty"`
	Variables []*Var           `json:"variables" yaml:"variables"`
	Marginals []fileTable      `json:"marginals,omitempty" yaml:"marginals,omitempty"`
	Joints    []fileTable      `json:"joints,omitempty" yaml:"joints,omitempty"`
	Compose   *compositionFile `json:"composition,omitempty" yaml:"composition,omitempty"`
}

// membersFile is the members: section of a grouped targets file.
type membersFile struct {
	Size      float64     `json:"size,omitempty" yaml:"size,omitempty"`
	Variables []*Var      `json:"variables" yaml:"variables"`
	Marginals []fileTable `json:"marginals,omitempty" yaml:"marginals,omitempty"`
	Joints    []fileTable `json:"joints,omitempty" yaml:"joints,omitempty"`
}

type compositionFile struct {
	Member string            `json:"member" yaml:"member"`
	Cuts   []float64         `json:"cuts" yaml:"cuts"`
	Cells  []compositionCell `json:"cells" yaml:"cells"`
}

type compositionCell struct {
	Members []int    `json:"members" yaml:"members"`
	Count   *float64 `json:"count,omitempty" yaml:"count,omitempty"`
	Share   *float64 `json:"share,omitempty" yaml:"share,omitempty"`
}

// parseGrouped builds grouped targets from a file with groups: and
// members: sections; each level is checked as a flat file is, then the
// levels against each other (checkGrouped).
func (f *file) parseGrouped() (*Targets, error) {
	switch {
	case f.Groups == nil:
		return nil, fmt.Errorf("members: given without groups: (a grouped targets file has both)")
	case f.Members == nil:
		return nil, fmt.Errorf("groups: given without members: (a grouped targets file has both)")
	case f.Size != 0 || len(f.Variables) > 0 || len(f.Marginals) > 0 || len(f.Joints) > 0:
		return nil, fmt.Errorf("a grouped targets file states size, variables, marginals and joints under groups: and members:, not at the top level")
	}
	gf := file{Size: f.Groups.Size, Fine: f.Fine, Variables: f.Groups.Variables, Marginals: f.Groups.Marginals, Joints: f.Groups.Joints}
	mf := file{Size: f.Members.Size, Fine: f.Fine, Variables: f.Members.Variables, Marginals: f.Members.Marginals, Joints: f.Members.Joints}
	gf.budget, mf.budget = f.budget, f.budget // one limit for both levels
	tg, err := gf.parseFlat()
	if err != nil {
		return nil, fmt.Errorf("groups: %w", err)
	}
	mem, err := mf.parseFlat()
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	tg.Members = mem
	tg.Grouping = &Grouping{Key: f.Groups.Key, Index: f.Groups.Index, GroupSize: f.Groups.GroupSize}
	if tg.Grouping.Key == "" {
		tg.Grouping.Key = DefaultGroupKey
	}
	if f.Groups.Compose != nil {
		c, err := f.Groups.Compose.build(tg, mem)
		if err != nil {
			return nil, fmt.Errorf("groups: composition: %w", err)
		}
		tg.Grouping.Composition = c
	}
	if err := tg.checkGrouped(); err != nil {
		return nil, err
	}
	return tg, nil
}

// build checks the composition section against the two levels and returns
// it: the member variable is numeric and no interval bin of it straddles a
// cut; each cell has one count per band (at least one member in all) and
// one value, a count or a share, finite and at least zero; no composition
// repeats; shares sum to 1 within SharesTolerance, counts to the group
// level's size within CountsTolerance when it is given.
func (cf *compositionFile) build(tg, mem *Targets) (*Composition, error) {
	v := mem.Space.Var(cf.Member)
	switch {
	case cf.Member == "":
		return nil, fmt.Errorf("member: name a member-level numeric variable (age)")
	case v == nil:
		return nil, fmt.Errorf("member %q is not a variable of the members: level", cf.Member)
	case !v.Numeric():
		return nil, fmt.Errorf("member %q is %s: a composition bands a numeric variable", cf.Member, v.Kind)
	case len(cf.Cuts) == 0:
		return nil, fmt.Errorf("cuts: give at least one band edge (age: [18, 65])")
	case len(cf.Cells) == 0:
		return nil, fmt.Errorf("cells: none given")
	}
	for i, x := range cf.Cuts {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("cuts: cut %d is %v", i+1, x)
		}
		if i > 0 && x <= cf.Cuts[i-1] {
			return nil, fmt.Errorf("cuts: cut %d (%g) is not above cut %d (%g)", i+1, x, i, cf.Cuts[i-1])
		}
		for b := range v.Levels() {
			if lo, hi := v.Bins.Bounds(b); lo < x && x < hi {
				return nil, fmt.Errorf("cuts: cut %g falls inside bin %s of %s: make it an edge of %s's bins", x, v.Bins.Label(b), v.Name, v.Name)
			}
		}
	}
	c := &Composition{Member: cf.Member, Cuts: cf.Cuts}
	shares := cf.Cells[0].Share != nil
	for i, cell := range cf.Cells {
		where := fmt.Sprintf("cell %d of %d", i+1, len(cf.Cells))
		var x *float64
		switch {
		case (cell.Count == nil) == (cell.Share == nil):
			return nil, fmt.Errorf("%s: give either count or share", where)
		case (cell.Share != nil) != shares:
			return nil, fmt.Errorf("%s: give every cell a count, or every cell a share", where)
		case cell.Count != nil:
			x = cell.Count
		default:
			x = cell.Share
		}
		if *x < 0 || math.IsNaN(*x) || math.IsInf(*x, 0) {
			return nil, fmt.Errorf("%s: value is %v", where, *x)
		}
		if len(cell.Members) != c.Bands() {
			return nil, fmt.Errorf("%s: %d member counts, expected %d (one per band of %s)", where, len(cell.Members), c.Bands(), cf.Member)
		}
		for b, k := range cell.Members {
			if k < 0 {
				return nil, fmt.Errorf("%s: member count %d is %d", where, b+1, k)
			}
		}
		if sum(cell.Members) == 0 {
			return nil, fmt.Errorf("%s: a group has at least one member", where)
		}
		if j := c.Cell(cell.Members); j >= 0 {
			return nil, fmt.Errorf("%s: members %v repeat cell %d", where, cell.Members, j+1)
		}
		c.Cells = append(c.Cells, CompositionCell{Members: slices.Clone(cell.Members), Count: *x})
		c.Total += *x
	}
	switch {
	case c.Total == 0:
		return nil, fmt.Errorf("cells: all values are zero")
	case shares && math.Abs(c.Total-1) > SharesTolerance:
		return nil, fmt.Errorf("cells: shares sum to %.6g, not 1 (tolerance %g)", c.Total, SharesTolerance)
	case !shares && !tg.SharesOnly && math.Abs(c.Total-tg.Size) > CountsTolerance*tg.Size:
		return nil, fmt.Errorf("cells: counts sum to %.6g, not the groups' size %.6g (tolerance %g%%)", c.Total, tg.Size, CountsTolerance*100)
	}
	if shares && !tg.SharesOnly {
		f := tg.Size / c.Total
		for i := range c.Cells {
			c.Cells[i].Count *= f
		}
		c.Total = tg.Size
	}
	return c, nil
}

// checkGrouped checks the levels against each other: no variable is on
// both levels nor named as the key or index; the group-size variable is a
// group-level integer with point bins of at least 1; the composition's
// group sizes agree with the group-size variable's marginal, and its band
// totals with the member variable's marginal (shares within
// AgreementTolerance); the mean group size implied by the group-size
// variable, the composition and the two sizes agree within CountsTolerance.
func (tg *Targets) checkGrouped() error {
	g, mem := tg.Grouping, tg.Members
	for _, v := range tg.Space.Vars {
		if mem.Space.Var(v.Name) != nil {
			return fmt.Errorf("variable %q is on both levels (groups: and members:)", v.Name)
		}
	}
	for _, n := range []struct{ key, name string }{{"key", g.Key}, {"index", g.Index}} {
		if n.name != "" && (tg.Space.Var(n.name) != nil || mem.Space.Var(n.name) != nil) {
			return fmt.Errorf("groups: %s %q is also a variable: it is made, not targeted", n.key, n.name)
		}
	}
	if g.Index != "" && g.Index == g.Key {
		return fmt.Errorf("groups: index %q is also the key", g.Index)
	}
	if g.GroupSize != "" {
		if err := tg.checkGroupSize(); err != nil {
			return fmt.Errorf("groups: group_size %q: %w", g.GroupSize, err)
		}
	}
	if g.Composition != nil {
		if err := tg.checkComposition(); err != nil {
			return fmt.Errorf("groups: composition disagrees with %w", err)
		}
	}
	return tg.checkMeanSize()
}

func (tg *Targets) checkGroupSize() error {
	v := tg.Space.Var(tg.Grouping.GroupSize)
	switch {
	case v == nil:
		if tg.Members.Space.Var(tg.Grouping.GroupSize) != nil {
			return fmt.Errorf("is a member-level variable; it must be a group-level one")
		}
		return fmt.Errorf("is not a variable of the groups: level")
	case v.Kind != table.Integer:
		return fmt.Errorf("is %s, expected an integer variable", v.Kind)
	case len(v.Bins.Edges) > 0 || len(v.Bins.Points) == 0:
		return fmt.Errorf("give its bins as points, one per size (bins: {points: [1, 2, 3, 4]})")
	case v.Bins.Points[0] < 1 || slices.ContainsFunc(v.Bins.Points, func(x float64) bool { return x != math.Trunc(x) }):
		return fmt.Errorf("points must be whole numbers of at least 1")
	}
	return nil
}

// checkComposition compares the composition with the group-size marginal
// and with the member variable's marginal.
func (tg *Targets) checkComposition() error {
	c := tg.Grouping.Composition
	if tg.Grouping.GroupSize != "" {
		m := tg.Marginal(tg.Grouping.GroupSize)
		v := m.Vars[0]
		sizes := make([]float64, len(m.Counts))
		for i, cell := range c.Cells {
			k := sum(cell.Members)
			b := slices.Index(v.Bins.Points, float64(k))
			if b < 0 {
				return fmt.Errorf("%s: cell %d has %d members, which %s has no cell for", v.Name, i+1, k, v.Name)
			}
			sizes[b] += cell.Count
		}
		if err := agree(sizes, c.Total, m, func(b int) string { return fmt.Sprintf("groups of %s", v.Bins.Label(b)) }); err != nil {
			return fmt.Errorf("%s: %w", v.Name, err)
		}
	}
	m := tg.Members.Marginal(c.Member)
	v := m.Vars[0]
	bands := make([]float64, c.Bands())
	for _, cell := range c.Cells {
		for b, k := range cell.Members {
			bands[b] += cell.Count * float64(k)
		}
	}
	inBands := make([]float64, c.Bands())
	for b := range v.Levels() {
		lo, _ := v.Bins.Bounds(b)
		inBands[c.Band(lo)] += m.Counts[b]
	}
	return agreeShares(bands, inBands, func(b int) string {
		return fmt.Sprintf("the marginal of %s: band %d of %d", v.Name, b+1, c.Bands())
	})
}

// agree compares per-cell counts got (summing to total) with marginal m
// over m's non-missing cells.
func agree(got []float64, total float64, m *Contingency, name func(int) string) error {
	want := make([]float64, m.Vars[0].Levels())
	copy(want, m.Counts)
	return agreeShares(got[:len(want)], want, name)
}

// agreeShares returns an error when the shares of a and b (each over its
// own sum) differ by more than AgreementTolerance in some cell.
func agreeShares(a, b []float64, name func(int) string) error {
	sa, sb := 0.0, 0.0
	for i := range a {
		sa += a[i]
		sb += b[i]
	}
	if sa == 0 || sb == 0 {
		return nil
	}
	for i := range a {
		x, y := a[i]/sa, b[i]/sb
		if math.Abs(x-y) > AgreementTolerance {
			return fmt.Errorf("%s has share %.4g in the composition and %.4g in the marginal (tolerance %g)", name(i), x, y, AgreementTolerance)
		}
	}
	return nil
}

// checkMeanSize compares the mean group size each source gives; with
// none, it says how to state one.
func (tg *Targets) checkMeanSize() error {
	type source struct {
		what string
		mean float64
	}
	var got []source
	g := tg.Grouping
	if g.GroupSize != "" {
		got = append(got, source{"group_size " + g.GroupSize, meanOfPoints(tg.Marginal(g.GroupSize))})
	}
	if g.Composition != nil {
		got = append(got, source{"the composition", g.Composition.MeanMembers()})
	}
	if !tg.SharesOnly && !tg.Members.SharesOnly {
		got = append(got, source{"the sizes of members: and groups:", tg.Members.Size / tg.Size})
	}
	if len(got) == 0 {
		return fmt.Errorf("groups: the number of members per group is not stated: give group_size, a composition, or counts (or size) on both levels")
	}
	for _, s := range got[1:] {
		if math.Abs(s.mean-got[0].mean) > CountsTolerance*got[0].mean {
			return fmt.Errorf("groups: %s gives %.4g members per group but %s gives %.4g (tolerance %g%%)",
				s.what, s.mean, got[0].what, got[0].mean, CountsTolerance*100)
		}
	}
	return nil
}

// groupedFile returns the file form of grouped targets (WriteJSON).
func (tg *Targets) groupedFile() file {
	g := tg.Grouping
	gf := &groupsFile{Key: g.Key, Index: g.Index, GroupSize: g.GroupSize, Size: tg.Size, Variables: tg.Space.Vars}
	gf.Marginals, gf.Joints = fileTables(tg)
	if c := g.Composition; c != nil {
		gf.Compose = &compositionFile{Member: c.Member, Cuts: c.Cuts}
		for _, cell := range c.Cells {
			x := cell.Count
			gf.Compose.Cells = append(gf.Compose.Cells, compositionCell{Members: cell.Members, Count: &x})
		}
	}
	mf := &membersFile{Size: tg.Members.Size, Variables: tg.Members.Space.Vars}
	mf.Marginals, mf.Joints = fileTables(tg.Members)
	return file{Fine: tg.Fine, Groups: gf, Members: mf}
}

// fileTables returns the marginals and joints of one level in file form.
func fileTables(tg *Targets) (ms, js []fileTable) {
	for _, m := range tg.Marginals {
		ms = append(ms, fileTable{Vars: m.Names(), Counts: m.Counts})
	}
	for _, j := range tg.Joints {
		js = append(js, fileTable{Vars: j.Names(), Counts: j.Counts})
	}
	return ms, js
}
