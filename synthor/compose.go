package synthor

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// Derived group-level variables (grouped tables). The members of a group
// are planned one member proposal each; targets on the member level alone
// say nothing about which members share a group, so a household of a child
// and a person of 70 is as likely as the data's parents and children. Fit
// therefore adds group-level variables computed from each group's members,
// whose marginals and joints are targeted like any other group variable:
//
//   - the composition: how many members fall in each band of a member-level
//     numeric variable (age: under 18, 18-64, 65 and more), as one category
//     ("age<18: 1, age 18-64: 2, age>=65: 0");
//   - for each member-level categorical variable that the data's groups
//     share far more often than independent members would (race, in
//     households), the shared value, or "mixed".
//
// Only these aggregates are kept. A group proposal's derived values
// condition its member proposals (the stat planner draws each member inside
// its band, and a shared value for every member), and when a group is drawn
// its derived values are recomputed from the members actually drawn, so
// the synthetic counts are honest whatever the planner proposed.

// CompositionAuto and CompositionNone are the values of Config.Composition.
const (
	CompositionAuto = ""
	CompositionNone = "none"
)

// compositionVar is the name of the derived composition variable.
const compositionVar = "composition"

// edgeShare is the least share of members an age edge taken from a
// category's range must set apart (alignBands).
const edgeShare = 0.05

// mixedLabel is the shared-value category of groups whose members differ.
const mixedLabel = "mixed"

// Shared-value detection: a member categorical is shared when at least
// sharedMin of the groups (of 2 or more members) have one value for all
// members, and that share exceeds the share expected of independent
// members (the marginal's Σ p^n per group) by sharedExcess.
const (
	sharedMin    = 0.5
	sharedExcess = 0.2
)

// Derived describes the group-level variables derived from the members.
type Derived struct {
	// Composition is the composition variable's name ("" when none);
	// Member the member-level numeric variable it bands, Cuts the band
	// edges (band b is [Cuts[b-1], Cuts[b]), the first and last open).
	Composition, Member string
	Cuts                []float64
	// Shared maps a derived group variable to the member categorical whose
	// shared value (or "mixed") it holds.
	Shared map[string]string
}

// bands returns the number of bands.
func (d *Derived) bands() int { return len(d.Cuts) + 1 }

// band returns the band of x.
func (d *Derived) band(x float64) int {
	b := 0
	for b < len(d.Cuts) && x >= d.Cuts[b] {
		b++
	}
	return b
}

// bandRange returns band b's half-open bounds [lo, hi).
func (d *Derived) bandRange(b int) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	if b > 0 {
		lo = d.Cuts[b-1]
	}
	if b < len(d.Cuts) {
		hi = d.Cuts[b]
	}
	return lo, hi
}

func (d *Derived) bandName(b int) string {
	lo, hi := d.bandRange(b)
	switch {
	case b == 0:
		return d.Member + "<" + fmtNum(hi)
	case b == len(d.Cuts):
		return d.Member + ">=" + fmtNum(lo)
	}
	return d.Member + " " + fmtNum(lo) + "-" + fmtNum(hi-1)
}

// label renders per-band counts as a composition category.
func (d *Derived) label(counts []int) string {
	parts := make([]string, len(counts))
	for b, n := range counts {
		parts[b] = d.bandName(b) + ": " + strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// counts parses a composition category back to per-band counts.
func (d *Derived) counts(label string) ([]int, bool) {
	parts := strings.Split(label, ", ")
	if len(parts) != d.bands() {
		return nil, false
	}
	out := make([]int, len(parts))
	for b, p := range parts {
		name, n, ok := strings.Cut(p, ": ")
		k, err := strconv.Atoi(n)
		if !ok || err != nil || name != d.bandName(b) || k < 0 {
			return nil, false
		}
		out[b] = k
	}
	return out, true
}

// description is the prompt description of a derived variable.
func (d *Derived) description(name string) string {
	if name == d.Composition {
		return fmt.Sprintf("derived from the members, not an output column: how many members fall in each %s band; the members listed must match it", d.Member)
	}
	return fmt.Sprintf("derived from the members, not an output column: the %s every member shares, or %q; the members listed must match it", d.Shared[name], mixedLabel)
}

// deriveGroupVars returns the derived group-level columns of train (one
// value per group, in group order) and their description, or nil when the
// table gives none or cfg turns them off.
func deriveGroupVars(train *table.Table, groups [][2]int, member func(table.Field) bool, mode string) ([]*table.Column, *Derived) {
	if mode == CompositionNone {
		return nil, nil
	}
	d := &Derived{Shared: map[string]string{}}
	taken := func(name string) bool { return train.Col(name) != nil }
	var cols []*table.Column
	for _, c := range train.Cols {
		if !member(c.Field) || !c.Kind.Numeric() || !strings.EqualFold(c.Name, "age") || taken(compositionVar) {
			continue
		}
		d.Composition, d.Member, d.Cuts = compositionVar, c.Name, []float64{18, 65}
		labels := make([]string, len(groups))
		counts := make([]int, d.bands())
		for g, r := range groups {
			clear(counts)
			for i := r[0]; i < r[1]; i++ {
				if !c.IsNull(i) {
					counts[d.band(c.Float(i))]++
				}
			}
			labels[g] = d.label(counts)
		}
		cols = append(cols, categoricalOf(compositionVar, labels))
		break
	}
	for _, c := range train.Cols {
		if !member(c.Field) || c.Kind != table.Categorical {
			continue
		}
		name := c.Name + "_shared"
		if taken(name) {
			continue
		}
		labels, ok := sharedValues(c, groups)
		if !ok {
			continue
		}
		d.Shared[name] = c.Name
		cols = append(cols, categoricalOf(name, labels))
	}
	if len(cols) == 0 {
		return nil, nil
	}
	return cols, d
}

// sharedValues returns each group's shared value of c (or "mixed") when c
// passes the shared-value test.
func sharedValues(c *table.Column, groups [][2]int) ([]string, bool) {
	p := make([]float64, len(c.Dict))
	n := 0
	for i := range c.Codes {
		if !c.IsNull(i) {
			p[c.Codes[i]]++
			n++
		}
	}
	if n == 0 {
		return nil, false
	}
	for k := range p {
		p[k] /= float64(n)
	}
	labels := make([]string, len(groups))
	same, expect, multi := 0.0, 0.0, 0
	for g, r := range groups {
		labels[g] = mixedLabel
		first := c.Codes[r[0]]
		all := !c.IsNull(r[0])
		for i := r[0] + 1; i < r[1] && all; i++ {
			all = !c.IsNull(i) && c.Codes[i] == first
		}
		if all {
			labels[g] = c.Dict[first]
		}
		if r[1]-r[0] < 2 {
			continue
		}
		multi++
		if all {
			same++
		}
		for _, q := range p {
			expect += math.Pow(q, float64(r[1]-r[0]))
		}
	}
	if multi == 0 {
		return nil, false
	}
	same, expect = same/float64(multi), expect/float64(multi)
	return labels, same >= sharedMin && same-expect >= sharedExcess
}

// categoricalOf returns a categorical column of the given values, its
// categories in sorted order.
func categoricalOf(name string, vals []string) *table.Column {
	dict := slices.Clone(vals)
	slices.Sort(dict)
	dict = slices.Compact(dict)
	codes := make([]int32, len(vals))
	for i, v := range vals {
		k, _ := slices.BinarySearch(dict, v)
		codes[i] = int32(k)
	}
	return table.NewCategorical(name, dict, codes)
}

// memberConstraint restricts one member variable of a member proposal: to
// the numeric band [lo, hi), or to one category (cat >= 0).
type memberConstraint struct {
	v      int // index in the member level's variables
	lo, hi float64
	cat    int
}

// proposeMembers returns the member proposals of a group proposal whose
// values are vals: size of them, conditioned on the derived values (each
// member inside its band of the composition, a shared value for every
// member); size is replaced by the composition's total when it has one.
// The working member deficits mw are lowered by est per member.
func proposeMembers(st *State, mw *deficits, vals map[string]Value, size int, rng *rand.Rand, est float64) []Proposal {
	d := st.Derived
	var shared []memberConstraint
	var bandsOf []int // the band of each member, in order
	if d != nil {
		for g, m := range d.Shared {
			vi := varIndex(st.Members.Vars, m)
			if v, ok := vals[g]; ok && vi >= 0 && !v.Missing && v.Category != mixedLabel {
				if k := st.Members.Vars[vi].CategoryCell(v.Category); k >= 0 {
					shared = append(shared, memberConstraint{v: vi, cat: k})
				}
			}
		}
		slices.SortFunc(shared, func(a, b memberConstraint) int { return a.v - b.v })
		if v, ok := vals[d.Composition]; ok && d.Composition != "" {
			if counts, ok := d.counts(v.Category); ok {
				// The bands above the first come first (the householder is
				// an adult), the first band (children) last.
				for b := 1; b <= len(counts); b++ {
					for range counts[b%len(counts)] {
						bandsOf = append(bandsOf, b%len(counts))
					}
				}
			}
		}
	}
	if len(bandsOf) > 0 {
		size = len(bandsOf)
		if st.GroupSize != "" {
			vals[st.GroupSize] = Range(float64(size), float64(size))
		}
	}
	ai := -1
	if d != nil {
		ai = varIndex(st.Members.Vars, d.Member)
	}
	var out []Proposal
	for j := range max(1, size) {
		cons := slices.Clone(shared)
		if j < len(bandsOf) && ai >= 0 {
			lo, hi := d.bandRange(bandsOf[j])
			cons = append(cons, memberConstraint{v: ai, lo: lo, hi: hi, cat: -1})
		}
		mc, _ := mw.pickWithin(rng, cons)
		if mc == nil {
			break
		}
		mv := mw.values(st.Members, mc)
		for _, c := range cons {
			if c.cat < 0 {
				mv[st.Members.Vars[c.v].Name] = clipBand(mv[st.Members.Vars[c.v].Name], st.Members.Vars[c.v].Kind, c.lo, c.hi)
			}
		}
		out = append(out, Proposal{Values: mv, Num: 1})
		mw.take(mc, est)
	}
	return out
}

// clipBand clips a range value to the band [lo, hi) (closed below hi for
// integers); a value outside the band becomes the band's range.
func clipBand(v Value, k table.Kind, lo, hi float64) Value {
	if !v.IsRange() {
		return v
	}
	top := math.Nextafter(hi, math.Inf(-1))
	if k != table.Float && !math.IsInf(hi, 1) {
		top = math.Ceil(hi) - 1
	}
	a, z := math.Max(v.Range[0], lo), math.Min(v.Range[1], top)
	if a > z {
		a, z = math.Max(lo, v.Range[0]), math.Max(lo, v.Range[0])
		if a > top {
			a, z = top, top
		}
	}
	return Range(a, z)
}

// maskedOut is the deficit given to cells a constraint excludes: far below
// any real deficit, so pickFixed takes them only when nothing else is possible.
const maskedOut = -1e18

// pickWithin is pick with the cells the constraints exclude masked out of
// every table holding a constrained variable (restored before it returns).
func (d *deficits) pickWithin(rng *rand.Rand, cons []memberConstraint) ([]int, float64) {
	type saved struct {
		td *tableDef
		d  []float64
	}
	var undo []saved
	mask := func(td *tableDef, bad func(k int) bool) {
		undo = append(undo, saved{td, slices.Clone(td.d)})
		for k := range td.d {
			if bad(k) {
				td.d[k] = maskedOut
			}
		}
	}
	for _, c := range cons {
		td := d.marg[c.v]
		v := td.c.Vars[0]
		ok := func(cell int) bool { return cellAllowed(v, cell, c) }
		mask(td, func(k int) bool { return !ok(k) })
		if f, has := d.fine[v.Name]; has && v.Numeric() {
			fv := f.c.Vars[0]
			mask(f, func(k int) bool { return !cellAllowed(fv, k, c) })
		}
		for _, j := range d.joint {
			for p, vi := range j.pos {
				if vi == c.v {
					mask(j, func(k int) bool { return !ok(j.cell(k)[p]) })
				}
			}
		}
	}
	// The constrained variables first: the category, or the band's main
	// cell drawn by deficit; the rest completed around them.
	fixed := make([]int, len(d.marg))
	for i := range fixed {
		fixed[i] = -1
	}
	for _, c := range cons {
		if c.cat >= 0 {
			fixed[c.v] = c.cat
			continue
		}
		td := d.marg[c.v]
		v := td.c.Vars[0]
		k := drawCell(td.d, rng, func(k int) bool { return td.c.Counts[k] > 0 && cellAllowed(v, k, c) })
		if k < 0 {
			k = bestCell(td.d, func(k int) bool { return cellAllowed(v, k, c) })
		}
		if k < 0 {
			k = bestCell(td.d, func(k int) bool { return k != v.MissingCell() })
		}
		fixed[c.v] = k
	}
	cells, w := d.pickFixed(rng, fixed)
	for i := len(undo) - 1; i >= 0; i-- {
		copy(undo[i].td.d, undo[i].d)
	}
	return cells, w
}

// cellAllowed reports whether cell of v meets constraint c: the category,
// or a bin overlapping the band.
func cellAllowed(v *macro.Var, cell int, c memberConstraint) bool {
	if cell == v.MissingCell() {
		return false
	}
	if c.cat >= 0 {
		return cell == c.cat
	}
	if !v.Numeric() {
		return true
	}
	a, z := v.Bins.Bounds(cell)
	if a == z {
		return a >= c.lo && a < c.hi
	}
	return a < c.hi && z > c.lo
}

// deriveGroups adds the derived group-level variables of train to recT
// (one row per group) and records their description.
func (s *Synthesizer) deriveGroups(train *table.Table, groups [][2]int, recT *table.Table, planned map[string]bool) (*table.Table, error) {
	member := func(f table.Field) bool { return !f.Group && f.Name != train.GroupKey && planned[f.Name] }
	cols, d := deriveGroupVars(train, groups, member, s.Config.Composition)
	if d == nil {
		return recT, nil
	}
	s.derived = d
	return table.New(append(slices.Clone(recT.Cols), cols...)...)
}

// planSchema is the schema planners see: the table's, with the derived
// group-level variables described.
func (s *Synthesizer) planSchema() *table.Schema {
	if s.derived == nil {
		return s.schema
	}
	out := *s.schema
	out.Fields = slices.Clone(s.schema.Fields)
	names := []string{}
	if s.derived.Composition != "" {
		names = append(names, s.derived.Composition)
	}
	for g := range s.derived.Shared {
		names = append(names, g)
	}
	slices.Sort(names)
	for _, n := range names {
		out.Fields = append(out.Fields, table.Field{Name: n, Kind: table.Categorical, Group: true, Description: s.derived.description(n)})
	}
	return &out
}

// recount sets the derived variables of group record g from its members
// [from, to) as drawn.
func (r *run) recount(g, from, to int) { recountDerived(r.st, r.recS, r.memS, g, from, to) }

// has reports whether name is a derived variable.
func (d *Derived) has(name string) bool {
	_, shared := d.Shared[name]
	return shared || (name == d.Composition && name != "")
}

// recountDerived sets the derived variables of group record g of recS
// from its members [from, to) of memS.
func recountDerived(st *State, recS, memS *store, g, from, to int) {
	d := st.Derived
	if d == nil {
		return
	}
	recVars, memVars := st.Records.Vars, st.Members.Vars
	set := func(name, label string) {
		i := varIndex(recVars, name)
		if i < 0 {
			return
		}
		k := recVars[i].CategoryCell(label)
		if k < 0 {
			k = recVars[i].MissingCell()
		}
		recS.cells[i][g] = int32(k)
	}
	if d.Composition != "" {
		if ai := varIndex(memVars, d.Member); ai >= 0 {
			counts := make([]int, d.bands())
			for m := from; m < to; m++ {
				if x := memS.nums[ai][m]; !math.IsNaN(x) {
					counts[d.band(x)]++
				}
			}
			set(d.Composition, d.label(counts))
		}
	}
	for name, m := range d.Shared {
		vi := varIndex(memVars, m)
		if vi < 0 || from >= to {
			continue
		}
		v := memVars[vi]
		first := memS.cells[vi][from]
		label := mixedLabel
		if int(first) != v.MissingCell() {
			label = v.Categories[first]
		}
		for k := from + 1; k < to; k++ {
			if memS.cells[vi][k] != first {
				label = mixedLabel
			}
		}
		set(name, label)
	}
}

// alignBands adds inner edges to the binning of the composition's member
// variable in the member space sp: the band cuts, and, for an integer
// variable, the values where a member category's range of it starts or
// ends (age 5 for Preschool, 16 for Under 16), so that no bin mixes ages
// a category holds with ages it never does. Each edge is an aggregate (a
// category's smallest value, or one above its largest) that sets apart at
// least edgeShare of the members, inside the variable's range, rounded like
// every inner edge.
func (d *Derived) alignBands(mem *table.Table, sp *macro.Space) {
	if d == nil || d.Composition == "" {
		return
	}
	v, c := sp.Var(d.Member), mem.Col(d.Member)
	if v == nil || c == nil || len(v.Bins.Edges) < 2 {
		return
	}
	edges := slices.Clone(v.Bins.Edges)
	lo, hi := edges[0], edges[len(edges)-1]
	add := func(x float64) {
		if x > lo && x < hi {
			edges = append(edges, x)
		}
	}
	for _, x := range d.Cuts {
		add(x)
	}
	if c.Kind == table.Integer {
		// An edge must set apart at least edgeShare of the members on the
		// side the category never reaches: the extremes of a small
		// category (one person's age) are not taken.
		all := slices.DeleteFunc(slices.Clone(c.Values()), math.IsNaN)
		slices.Sort(all)
		below := func(x float64) float64 {
			k, _ := slices.BinarySearch(all, x)
			return float64(k) / float64(max(1, len(all)))
		}
		for _, cat := range mem.Cols {
			if cat.Kind != table.Categorical {
				continue
			}
			mn := make([]float64, len(cat.Dict))
			mx := make([]float64, len(cat.Dict))
			for k := range mn {
				mn[k], mx[k] = math.Inf(1), math.Inf(-1)
			}
			for i := range cat.Codes {
				if cat.IsNull(i) || c.IsNull(i) {
					continue
				}
				k, x := cat.Codes[i], c.Float(i)
				mn[k], mx[k] = math.Min(mn[k], x), math.Max(mx[k], x)
			}
			for k := range mn {
				if math.IsInf(mn[k], 0) {
					continue
				}
				if below(mn[k]) >= edgeShare {
					add(mn[k])
				}
				if 1-below(mx[k]+1) >= edgeShare {
					add(mx[k] + 1)
				}
			}
		}
	}
	slices.Sort(edges)
	edges = slices.Compact(edges)
	b := v.Bins
	b.Edges = edges
	v.Bins = b.Rounded(&lo, &hi)
}

// consistent reports whether cell k of joint next, with the cells fixed so
// far, leaves every other joint it completes at a cell holding records.
func (d *deficits) consistent(next *tableDef, k int, cells []int) bool {
	at := next.cell(k)
	val := func(p int) int {
		for j, q := range next.pos {
			if q == p {
				return at[j]
			}
		}
		return cells[p]
	}
	for _, td := range d.joint {
		if td == next {
			continue
		}
		idx, full := 0, true
		for j, p := range td.pos {
			c := val(p)
			if c < 0 {
				full = false
				break
			}
			idx += c * td.stride(j)
		}
		if full && td.c.Counts[idx] <= 0 {
			return false
		}
	}
	return true
}

// derivedPlaceholders returns a proposal's group values with every derived
// variable set to a valid category: what a planner gives them is not
// checked, since draw recomputes them from the members (recount).
func (r *run) derivedPlaceholders(vals map[string]Value) map[string]Value {
	d := r.st.Derived
	if d == nil {
		return vals
	}
	out := make(map[string]Value, len(vals)+1+len(d.Shared))
	maps.Copy(out, vals)
	for _, v := range r.st.Records.Vars {
		_, shared := d.Shared[v.Name]
		if v.Name != d.Composition && !shared {
			continue
		}
		if x, ok := out[v.Name]; !ok || x.IsRange() || v.CategoryCell(x.Category) < 0 {
			out[v.Name] = Cat(v.Categories[0])
		}
	}
	return out
}
