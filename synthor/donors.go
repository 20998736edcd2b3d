package synthor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// A run with a prior draws whole records from the prior's donors instead
// of drawing each value from the proposal. Per proposal:
//
//  1. Named cells. A proposal's values are the cells it asks for. One that
//     gives every variable a value (the paper's prompt asks an LLM for
//     that) keeps those of the joint guidance cells it realises (of the
//     marginal ones when it realises no joint cell) and leaves the others
//     to the prior; when it realises none (a what-if of its own), it keeps
//     them all. One that names fewer (the stat planner names one target
//     cell) keeps all it names.
//  2. Candidates. The donors whose values lie in every named cell: a
//     category, missing, a numeric bin, or any numeric range.
//  3. Choice. For each record, donorChoices candidates are drawn at random
//     and the one that lowers the discrepancy of the level's tables most
//     is taken (scorer.need: every marginal, joint and fine marginal, and
//     a group's member tables, measured at the size the records will have
//     with it). One draw alone would be the prior's conditional given the
//     named cells; the choice among a few keeps every target, not only the
//     named one, on its shares as the records build up, while each record
//     stays one the prior made.
//  4. No candidate (the prior never made a record in those cells, or they
//     are used up): in a flat table the choice is among the donors that
//     meet the most named cells, and the named cells a record misses are
//     then set from the proposal as a prior-less run draws them; a group
//     stays whole and is chosen among all donors. Either way the record counts as the repair
//     prior_unmatched.
//
// The model prior's donors are used at most once; a sample's may be drawn
// again (population synthesis expands a sample). Deficits are lowered as
// records are taken, so one proposal's records spread over the cells its
// targets lack.

// donorChoices is the number of candidates each record is chosen among.
const donorChoices = 16

// RepairPriorUnmatched counts records whose named cells no donor held.
const RepairPriorUnmatched = "prior_unmatched"

// pool holds a run's donors encoded over the cells of the level(s), as the
// records made are (store), with the donors of each cell of each target
// table in a seeded random order, built when first needed.
type pool struct {
	rec, mem *store
	// recKeys and memKeys hold each donor's cells in the level's scorer
	// tables, recT and memT per record (indexKeys).
	recKeys, memKeys []int32
	recT, memT       int
	members          [][2]int // grouped: each donor group's members in mem
	reuse            bool
	used             []bool
	all              []int32 // the usable donors not known to be used
	usable           []int32 // every usable donor
	index            map[*macro.Contingency][][]int32
	rng              *rand.Rand
}

// newPool encodes donors for run r. Donors holding a category a level does
// not know are left out; a run whose donors are all left out is an error.
func newPool(r *run, donors *table.Table, reuse bool) (*pool, error) {
	st, s := r.st, r.s
	p := &pool{reuse: reuse, index: map[*macro.Contingency][][]int32{}, rng: rand.New(rand.NewPCG(r.st.Seed, 0x646f6e6f72))}
	p.rec = newStore(st.Records, s.num, s.Config.Sampling)
	var bad []bool
	var err error
	if st.Members == nil {
		rows := make([]int, donors.NumRows())
		for i := range rows {
			rows[i] = i
		}
		if bad, err = p.rec.load(donors, rows, nil); err != nil {
			return nil, err
		}
	} else if bad, err = p.loadGroups(r, donors); err != nil {
		return nil, err
	}
	p.used = make([]bool, p.rec.len())
	for j := range p.used {
		if bad[j] {
			p.used[j] = true
			continue
		}
		p.all = append(p.all, int32(j))
	}
	p.usable = slices.Clone(p.all)
	if len(p.all) == 0 {
		return nil, fmt.Errorf("prior: none of its %d records can be used (every one holds a category the targets do not know)", len(bad))
	}
	p.recKeys = indexKeys(st.Records, p.rec)
	p.recT = len(p.recKeys) / max(1, p.rec.len())
	if p.mem != nil {
		p.memKeys = indexKeys(st.Members, p.mem)
		p.memT = len(p.memKeys) / max(1, p.mem.len())
	}
	return p, nil
}

// loadGroups encodes grouped donors: one record per group (its group-level
// values, derived values recomputed from its members) and its members.
func (p *pool) loadGroups(r *run, donors *table.Table) ([]bool, error) {
	if donors.GroupKey == "" {
		return nil, fmt.Errorf("prior: the table is grouped and the prior's records are not (give them a group key)")
	}
	groups, err := donors.Groups()
	if err != nil {
		return nil, fmt.Errorf("prior: %w", err)
	}
	first := make([]int, len(groups))
	var rows []int
	p.members = make([][2]int, len(groups))
	for g, gr := range groups {
		first[g] = gr[0]
		p.members[g] = [2]int{len(rows), len(rows) + gr[1] - gr[0]}
		for i := gr[0]; i < gr[1]; i++ {
			rows = append(rows, i)
		}
	}
	derived := func(name string) bool { return r.st.Derived != nil && r.st.Derived.has(name) }
	bad, err := p.rec.load(donors, first, derived)
	if err != nil {
		return nil, err
	}
	p.mem = newStore(r.st.Members, r.s.num, r.s.Config.Sampling)
	mbad, err := p.mem.load(donors, rows, nil)
	if err != nil {
		return nil, err
	}
	for g, m := range p.members {
		if slices.Contains(mbad[m[0]:m[1]], true) {
			bad[g] = true
		}
		recountDerived(r.st, p.rec, p.mem, g, m[0], m[1])
	}
	return bad, nil
}

// load appends the given rows of t as records, each variable read from
// t's column of its name (a variable optional accepts and t lacks is
// missing), and reports the rows holding a category the variable does not
// know.
func (s *store) load(t *table.Table, rows []int, optional func(string) bool) ([]bool, error) {
	bad := make([]bool, len(rows))
	for i, v := range s.vars {
		c := t.Col(v.Name)
		if c == nil && optional != nil && optional(v.Name) {
			miss := int32(v.MissingCell())
			for range rows {
				s.cells[i] = append(s.cells[i], miss)
			}
			continue
		}
		if err := s.loadColumn(i, c, rows, bad); err != nil {
			return nil, err
		}
	}
	for range rows {
		s.deleted = append(s.deleted, false)
		s.live++
	}
	return bad, nil
}

// loadColumn appends variable i's values of the given rows of c.
func (s *store) loadColumn(i int, c *table.Column, rows []int, bad []bool) error {
	v := s.vars[i]
	switch {
	case c == nil:
		return fmt.Errorf("prior: its records have no column %q", v.Name)
	case v.Numeric() != c.Kind.Numeric() || (!v.Numeric() && c.Kind != table.Categorical):
		return fmt.Errorf("prior: column %q is %s in its records, %s in the targets", v.Name, c.Kind, v.Kind)
	case v.Numeric():
		for _, r := range rows {
			x := math.NaN()
			if !c.IsNull(r) {
				x = c.Float(r)
			}
			cell, fcell := v.MissingCell(), s.fine[i].MissingCell()
			if !math.IsNaN(x) {
				cell, fcell = v.Bins.Index(x), s.fine[i].Bins.Index(x)
			}
			s.cells[i] = append(s.cells[i], int32(cell))
			s.fcells[i] = append(s.fcells[i], int32(fcell))
			s.nums[i] = append(s.nums[i], x)
		}
		return nil
	}
	remap := make([]int32, len(c.Dict))
	for k, name := range c.Dict {
		remap[k] = int32(v.CategoryCell(name))
	}
	for j, r := range rows {
		cell := int32(v.MissingCell())
		if code := c.Codes[r]; code != table.Missing && !c.IsNull(r) {
			if cell = remap[code]; cell < 0 {
				bad[j] = true
				cell = int32(v.MissingCell())
			}
		}
		s.cells[i] = append(s.cells[i], cell)
	}
	return nil
}

// need is one named cell of a proposal: variable i in cell (cell >= 0),
// or a numeric value in [lo, hi].
type need struct {
	i      int
	cell   int32
	lo, hi float64
	val    Value
}

// holds reports whether record j of s meets n.
func (n need) holds(s *store, j int) bool {
	if n.cell >= 0 {
		return s.cells[n.i][j] == n.cell
	}
	x := s.nums[n.i][j]
	return x >= n.lo && x <= n.hi
}

// needsOf turns the named values of a level (set[i]) into needs: a
// category or missing is a cell; a numeric range is its bin when it is a
// bin's own, else a range.
func needsOf(vars []*macro.Var, vals []Value, set []bool) []need {
	var out []need
	for i, v := range vars {
		if !set[i] {
			continue
		}
		val := vals[i]
		n := need{i: i, cell: -1, val: val}
		switch {
		case val.Missing:
			n.cell = int32(v.MissingCell())
		case !v.Numeric():
			n.cell = int32(v.CategoryCell(val.Category))
		default:
			n.lo, n.hi = val.Range[0], val.Range[1]
			if k := v.Bins.Index(n.lo); k >= 0 {
				if a, z := v.Bins.Bounds(k); a == n.lo && z == n.hi {
					n.cell = int32(k)
				}
			}
		}
		out = append(out, n)
	}
	return out
}

// candidates returns the donors meeting every need: from the index of the
// target table over exactly the needs' variables when every need is a
// cell, else by a scan.
func (p *pool) candidates(l *Level, needs []need) *[]int32 {
	if len(needs) == 0 {
		return &p.all
	}
	if tab, at := p.table(l, needs); tab != nil {
		lists := p.lists(l, tab)
		return &lists[at]
	}
	var out []int32
	for _, j := range p.all {
		if !p.reuse && p.used[j] {
			continue
		}
		ok := true
		for _, n := range needs {
			if ok = n.holds(p.rec, int(j)); !ok {
				break
			}
		}
		if ok {
			out = append(out, j)
		}
	}
	return &out
}

// table returns the target table of l over exactly the needs' variables
// and the needs' cell in it, when every need is a cell.
func (p *pool) table(l *Level, needs []need) (*macro.Contingency, int) {
	names := make([]string, len(needs))
	for k, n := range needs {
		if n.cell < 0 {
			return nil, 0
		}
		names[k] = l.Vars[n.i].Name
	}
	slices.Sort(names)
	for _, c := range l.Targets.Tables() {
		have := c.Names()
		slices.Sort(have)
		if !slices.Equal(have, names) {
			continue
		}
		at := make([]int, len(c.Vars))
		for k, v := range c.Vars {
			for _, n := range needs {
				if l.Vars[n.i].Name == v.Name {
					at[k] = int(n.cell)
				}
			}
		}
		return c, c.Cell(at...)
	}
	return nil, 0
}

// lists returns the donors of every cell of target table c, each list in a
// seeded random order.
func (p *pool) lists(l *Level, c *macro.Contingency) [][]int32 {
	if ls, ok := p.index[c]; ok {
		return ls
	}
	pos := make([]int, len(c.Vars))
	for k, v := range c.Vars {
		pos[k] = varIndex(l.Vars, v.Name)
	}
	ls := make([][]int32, len(c.Counts))
	at := make([]int, len(pos))
	for _, j := range p.all {
		for k, i := range pos {
			at[k] = int(p.rec.cells[i][j])
		}
		cell := c.Cell(at...)
		ls[cell] = append(ls[cell], j)
	}
	for _, list := range ls {
		p.rng.Shuffle(len(list), func(a, b int) { list[a], list[b] = list[b], list[a] })
	}
	p.index[c] = ls
	return ls
}

// best draws up to donorChoices live donors from list (dropping used ones
// it meets) and returns the one with the highest score, or −1 when the
// list holds none.
func (p *pool) best(list *[]int32, score func(j int) float64) int {
	best, top := -1, math.Inf(-1)
	for tries := 0; tries < donorChoices && len(*list) > 0; {
		k := p.rng.IntN(len(*list))
		j := int((*list)[k])
		if !p.reuse && p.used[j] {
			last := len(*list) - 1
			(*list)[k] = (*list)[last]
			*list = (*list)[:last]
			continue
		}
		tries++
		if sc := score(j); sc > top {
			best, top = j, sc
		}
	}
	return best
}

// recKey and memKey return donor record (member) j's cells in the scorer
// tables.
func (p *pool) recKey(j int) []int32 { return p.recKeys[j*p.recT : (j+1)*p.recT] }
func (p *pool) memKey(j int) []int32 { return p.memKeys[j*p.memT : (j+1)*p.memT] }

// take marks donor j used (unless donors are reused).
func (p *pool) take(j int) {
	if !p.reuse {
		p.used[j] = true
	}
}

// scorer holds, for every table of a level (marginals, joints, fine
// marginals), its target shares and the records counted in each of its
// cells so far, updated as records are taken one at a time.
type scorer struct {
	tabs []scoreTable
	m    float64 // the records so far
}

type scoreTable struct {
	pos     []int // the table's variables, by index in the level
	strides []int
	fine    bool // cells are the fine cells of one numeric variable
	share   []float64
	count   []float64
}

func newScorer(l *Level) *scorer {
	sc := &scorer{m: l.Synth.Size}
	add := func(tc, syn *macro.Contingency, fine bool) {
		t := scoreTable{fine: fine, share: tc.Shares(), count: slices.Clone(syn.Counts), strides: tc.Strides()}
		for _, v := range tc.Vars {
			t.pos = append(t.pos, varIndex(l.Vars, v.Name))
		}
		sc.tabs = append(sc.tabs, t)
	}
	for i, m := range l.Targets.Marginals {
		add(m, l.Synth.Marginals[i], false)
	}
	for i, j := range l.Targets.Joints {
		add(j, l.Synth.Joints[i], false)
	}
	for _, v := range l.Vars {
		if f, ok := l.Targets.FineMarginals[v.Name]; ok && v.Numeric() {
			add(f, l.Synth.FineMarginals[v.Name], true)
		}
	}
	return sc
}

// cell returns record j's cell in table t.
func (t *scoreTable) cell(s *store, j int) int {
	if t.fine {
		return int(s.fcells[t.pos[0]][j])
	}
	k := 0
	for m, i := range t.pos {
		k += int(s.cells[i][j]) * t.strides[m]
	}
	return k
}

// keys returns record j's cell in every table of the scorer, in table
// order (appended to dst).
func (sc *scorer) keys(s *store, j int, dst []int32) []int32 {
	for t := range sc.tabs {
		dst = append(dst, int32(sc.tabs[t].cell(s, j)))
	}
	return dst
}

// need returns how much taking the record whose cells are keys lowers the
// discrepancy of the level's tables at the size they will have with it
// (m + 1 records): the sum over the tables of |d| − |d − 1| at its cell,
// d = share·(m + 1) − count the records the cell lacks then. A term is 1
// where the cell still lacks a record, −1 where it has its share already,
// between for a fraction. Measured at the current size rather than the
// target size, it keeps every table on its shares as the records build
// up: a cell the prior's records over-represent is held back from the
// first records on, not only once it is full.
func (sc *scorer) need(keys []int32) float64 {
	sum := 0.0
	for t, k := range keys {
		tab := &sc.tabs[t]
		d := tab.share[k]*(sc.m+1) - tab.count[k]
		sum += math.Abs(d) - math.Abs(d-1)
	}
	return sum
}

// take counts the record whose cells are keys.
func (sc *scorer) take(keys []int32) {
	for t, k := range keys {
		sc.tabs[t].count[k]++
	}
	sc.m++
}

// indexKeys returns the cells of every record of s in the tables of l's
// scorer, record by record (the tables of one record side by side, so
// that scoring a record reads a few cache lines).
func indexKeys(l *Level, s *store) []int32 {
	sc := newScorer(l)
	out := make([]int32, 0, s.len()*len(sc.tabs))
	for j := range s.len() {
		out = sc.keys(s, j, out)
	}
	return out
}
