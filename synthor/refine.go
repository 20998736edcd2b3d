package synthor

import (
	"context"
	"math"
	"slices"
)

// A run fitted to grouped targets (controls) with a sample prior
// (households of persons expanded from a seed sample, the population
// synthesis setting) ends with a swap refinement. The loop chooses each
// household among a few candidates as the records build up, and leaves
// every control table a little off at the end; the refinement moves the
// output toward the controls while it stays made of whole seed households
// (so no plausibility rule a seed household keeps is broken).
//
// Let c_j be the number of output copies of seed household j, p_j its
// profile (the cells it counts in, one per group-level table and one per
// member per member-level table) and S = Σ_j c_j p_j the output's counts.
// The refinement lowers
//
//	E(c) = Σ_t w_t Σ_{k∈t} (S_k − T_k)²,   w_t = K_t / (Σ_{k∈t} T_k)²
//
// over the control tables t of both levels (marginals, joints and the
// composition), T_k the control's share of cell k times the level's size
// and K_t the cells with T_k > 0: each term is the table's (%RMSE/100)²,
// the controls group's measure. The tables no control covers (every pair
// of variables of a level, and of a household and a person variable, that
// no control table holds both of) are added with w_t scaled by swapWeight
// and T the seed's own counts of the pair, times the level's size over
// the seed's, raked (iterative proportional fitting) to the control
// marginals of its two variables where they count what the table counts:
// a small pull that keeps the seed's association between the two while
// the controls move their margins. (The seed's shares unraked fight the
// controls: with the same weight on configs/population-sample.yaml they
// left the worst control at 0.59% %RMSE instead of 0.25%, and more
// untargeted joints further from the population's than the seed's own.)
//
// A swap replaces one output copy of household a by one of household b,
// changing E by
//
//	ΔE(a, b) = 2 (L_b − L_a) + Σ_k w_k (p_b,k − p_a,k)²,   L_j = Σ_k w_k (S_k − T_k) p_j,k
//
// Each step takes the swapChoices households whose removal alone lowers E
// most (−2 L_a + Σ w p_a²) and those whose addition alone does
// (2 L_b + Σ w p_b²), and makes the best of their pairs when it lowers E;
// the refinement stops when none does or after as many swaps as output
// households. Every choice is by value with ties to the lower index, so a
// seed gives the same output.

// swapWeight scales the untargeted tables' weight in E.
const swapWeight = 0.01

// swapChoices is the households on each side of a step's candidate pairs.
const swapChoices = 16

// refVar is one variable of a refinement table: of the member level or
// the group level, by index in the level.
type refVar struct {
	member bool
	i      int
}

// refTable is one table of E: its variables, its cells' first index
// among all tables' cells, its targets and its weight. A table with a
// member-level variable counts members, else groups.
type refTable struct {
	vars    []refVar
	strides []int
	off     int
	target  []float64
	w       float64
	seed    bool // untargeted: the target is the seed's counts, raked
}

func (t *refTable) members() bool {
	return slices.ContainsFunc(t.vars, func(v refVar) bool { return v.member })
}

// cellCount is a profile entry: a cell (index among all tables' cells)
// and how many times a household counts in it.
type cellCount struct {
	k int32
	n float64
}

// refine runs the swap refinement on a run fitted to grouped targets
// (controls) with a sample prior and rebuilds the output from the
// households chosen. A run fitted to a table is left as the loop made it:
// its tables are the dependency groups chosen from the data (three-way
// joints among them), which a small seed cannot meet cell by cell, and
// trading its marginals for them made them worse.
func (r *run) refine(ctx context.Context) error {
	if !r.s.controls || r.pool == nil || r.pool.mem == nil || r.s.Prior == nil || r.s.Prior.Kind() != PriorSample || len(r.src) == 0 {
		return nil
	}
	sw := newSwapper(r)
	for r.res.Swaps < len(r.src) {
		if r.res.Swaps%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		a, b, ok := sw.step()
		if !ok {
			break
		}
		sw.apply(a, b)
		r.res.Swaps++
	}
	if r.res.Swaps > 0 {
		r.rebuild(sw.assign(r.src))
	}
	return nil
}

// swapper holds the refinement's state, per cell k of all tables: its
// weight w_k and its error d_k = S_k − T_k; per seed household j: its
// profile, Σ_k w_k p_j,k² (self), L_j (lin) and its output copies.
type swapper struct {
	w, d      []float64
	prof      [][]cellCount
	self, lin []float64
	count     []int
	donors    []int   // the households that may be added
	tiny      float64 // the least ΔE a swap must gain
}

// newSwapper sets up E for run r: its tables, every household's profile,
// and the errors of the households the loop chose (r.src).
func newSwapper(r *run) *swapper {
	p := r.pool
	tabs := refTables(r.st)
	n := p.rec.len()
	sw := &swapper{prof: make([][]cellCount, n), self: make([]float64, n), lin: make([]float64, n), count: make([]int, n)}
	for j := range n {
		sw.prof[j] = profileOf(tabs, p, j)
	}
	for _, j := range p.usable {
		sw.donors = append(sw.donors, int(j))
	}
	seedTargets(tabs, sw, r.st)
	sw.tiny = math.Inf(1)
	for _, t := range tabs {
		if t.w > 0 {
			sw.tiny = math.Min(sw.tiny, 1e-9*t.w)
		}
		for _, x := range t.target {
			sw.w = append(sw.w, t.w)
			sw.d = append(sw.d, -x)
		}
	}
	for _, j := range r.src {
		sw.count[j]++
		for _, e := range sw.prof[j] {
			sw.d[e.k] += e.n
		}
	}
	for j, pr := range sw.prof {
		for _, e := range pr {
			sw.self[j] += sw.w[e.k] * e.n * e.n
		}
	}
	return sw
}

// refTables returns E's tables for st: the control tables of both levels
// (scaled to the levels' sizes, weights K_t / (Σ T)²), then the
// untargeted pairs (pairTables).
func refTables(st *State) []refTable {
	var out []refTable
	covered := map[[2]refVar]bool{}
	off := 0
	for li, l := range []*Level{st.Records, st.Members} {
		for _, c := range slices.Concat(l.Targets.Marginals, l.Targets.Joints) {
			t := refTable{off: off, strides: c.Strides(), target: c.Shares()}
			for _, v := range c.Vars {
				t.vars = append(t.vars, refVar{member: li == 1, i: varIndex(l.Vars, v.Name)})
			}
			for a := range t.vars {
				for b := a + 1; b < len(t.vars); b++ {
					covered[[2]refVar{t.vars[a], t.vars[b]}] = true
					covered[[2]refVar{t.vars[b], t.vars[a]}] = true
				}
			}
			for k := range t.target {
				t.target[k] *= l.Size
			}
			t.w = tableWeight(t.target)
			off += len(t.target)
			out = append(out, t)
		}
	}
	return append(out, pairTables(st, covered, off)...)
}

// pairTables returns a table for every pair of variables (group-level
// ones but the derived, and member-level ones) that no control table
// holds both of, its cells numbered from off; seedTargets sets their
// targets.
func pairTables(st *State, covered map[[2]refVar]bool, off int) []refTable {
	var all []refVar
	for i, v := range st.Records.Vars {
		if st.Derived == nil || !st.Derived.has(v.Name) {
			all = append(all, refVar{i: i})
		}
	}
	for i := range st.Members.Vars {
		all = append(all, refVar{member: true, i: i})
	}
	size := func(v refVar) int {
		if v.member {
			return st.Members.Vars[v.i].Size()
		}
		return st.Records.Vars[v.i].Size()
	}
	var out []refTable
	for a := range all {
		for b := a + 1; b < len(all); b++ {
			if covered[[2]refVar{all[a], all[b]}] {
				continue
			}
			na, nb := size(all[a]), size(all[b])
			out = append(out, refTable{vars: []refVar{all[a], all[b]}, strides: []int{nb, 1}, off: off, target: make([]float64, na*nb), seed: true})
			off += na * nb
		}
	}
	return out
}

// tableWeight returns K / (Σ_k T_k)², K the cells with T_k > 0 (0 for a
// table with no target).
func tableWeight(target []float64) float64 {
	k, sum := 0, 0.0
	for _, x := range target {
		if x > 0 {
			k++
			sum += x
		}
	}
	if sum == 0 {
		return 0
	}
	return float64(k) / (sum * sum)
}

// seedTargets sets the untargeted tables' targets, the seed's shares (each
// usable household once) times the level's size, and their weights.
func seedTargets(tabs []refTable, sw *swapper, st *State) {
	if len(tabs) == 0 {
		return
	}
	marg := map[refVar][]float64{}
	for _, t := range tabs {
		if !t.seed && len(t.vars) == 1 {
			marg[t.vars[0]] = t.target
		}
	}
	last := tabs[len(tabs)-1]
	seed := make([]float64, last.off+len(last.target))
	for _, j := range sw.donors {
		for _, e := range sw.prof[j] {
			seed[e.k] += e.n
		}
	}
	for ti := range tabs {
		t := &tabs[ti]
		if !t.seed {
			continue
		}
		copy(t.target, seed[t.off:])
		size, sum := st.Records.Size, 0.0
		for _, x := range t.target {
			sum += x
		}
		if t.members() {
			size = st.Members.Size
		}
		for k := range t.target {
			t.target[k] *= size / math.Max(sum, 1)
		}
		rake(t, marg)
		t.w = swapWeight * tableWeight(t.target)
	}
}

// rakeRounds is the rounds of iterative proportional fitting in rake.
const rakeRounds = 20

// rake fits an untargeted pair table's seed counts to the control
// marginals of its variables that count what the table counts (members
// for a table with a member variable, else groups) by iterative
// proportional fitting: the seed's association between the two, the
// controls' margins. marg holds each controlled variable's marginal
// targets.
func rake(t *refTable, marg map[refVar][]float64) {
	nb := t.strides[0]
	var sides [2][]float64
	for x, v := range t.vars {
		if m, ok := marg[v]; ok && v.member == t.members() {
			sides[x] = m
		}
	}
	for range rakeRounds {
		for x, m := range sides {
			if m == nil {
				continue
			}
			got := make([]float64, len(m))
			for k, c := range t.target {
				got[[2]int{k / nb, k % nb}[x]] += c
			}
			for k := range t.target {
				if i := [2]int{k / nb, k % nb}[x]; got[i] > 0 {
					t.target[k] *= m[i] / got[i]
				}
			}
		}
	}
}

// profileOf returns household j's profile: its cell in every group-level
// table and each member's in every member-level one, counted.
func profileOf(tabs []refTable, p *pool, j int) []cellCount {
	var ks []int32
	for ti := range tabs {
		t := &tabs[ti]
		if !t.members() {
			ks = append(ks, int32(t.off+t.cell(p, j, -1)))
			continue
		}
		for m := p.members[j][0]; m < p.members[j][1]; m++ {
			ks = append(ks, int32(t.off+t.cell(p, j, m)))
		}
	}
	slices.Sort(ks)
	var out []cellCount
	for _, k := range ks {
		if len(out) > 0 && out[len(out)-1].k == k {
			out[len(out)-1].n++
			continue
		}
		out = append(out, cellCount{k: k, n: 1})
	}
	return out
}

// cell returns the cell of household j (member m of the pool's members,
// −1 for none) in t.
func (t *refTable) cell(p *pool, j, m int) int {
	k := 0
	for x, v := range t.vars {
		c := p.rec.cells[v.i][j]
		if v.member {
			c = p.mem.cells[v.i][m]
		}
		k += int(c) * t.strides[x]
	}
	return k
}

// step returns the best swap among the candidate pairs (out a, in b), or
// false when none lowers E.
func (sw *swapper) step() (a, b int, ok bool) {
	sw.linear()
	out := sw.top(func(j int) (float64, bool) { return sw.self[j] - 2*sw.lin[j], sw.count[j] > 0 })
	in := sw.top(func(j int) (float64, bool) { return sw.self[j] + 2*sw.lin[j], true })
	best := -sw.tiny
	a, b = -1, -1
	for _, x := range out {
		for _, y := range in {
			if x == y {
				continue
			}
			if d := sw.delta(x, y); d < best {
				best, a, b = d, x, y
			}
		}
	}
	return a, b, a >= 0
}

// linear sets L_j for every household.
func (sw *swapper) linear() {
	for j, pr := range sw.prof {
		l := 0.0
		for _, e := range pr {
			l += sw.w[e.k] * sw.d[e.k] * e.n
		}
		sw.lin[j] = l
	}
}

// top returns the swapChoices households with the lowest score among
// those ok, lowest first, ties to the lower index (an insertion into a
// short sorted list: one pass over the households).
func (sw *swapper) top(score func(j int) (float64, bool)) []int {
	out := make([]int, 0, swapChoices+1)
	vals := make([]float64, 0, swapChoices+1)
	for _, j := range sw.donors {
		s, ok := score(j)
		if !ok || (len(out) == swapChoices && s >= vals[len(vals)-1]) {
			continue
		}
		at := len(vals)
		for at > 0 && vals[at-1] > s {
			at--
		}
		out, vals = slices.Insert(out, at, j), slices.Insert(vals, at, s)
		if len(out) > swapChoices {
			out, vals = out[:swapChoices], vals[:swapChoices]
		}
	}
	return out
}

// delta returns ΔE(a, b) = 2 (L_b − L_a) + Σ_k w_k (p_b,k − p_a,k)², the
// square expanded as self_a + self_b − 2 Σ_k w_k p_a,k p_b,k over the two
// sorted profiles.
func (sw *swapper) delta(a, b int) float64 {
	pa, pb := sw.prof[a], sw.prof[b]
	cross := 0.0
	for x, y := 0, 0; x < len(pa) && y < len(pb); {
		switch {
		case pa[x].k < pb[y].k:
			x++
		case pa[x].k > pb[y].k:
			y++
		default:
			cross += sw.w[pa[x].k] * pa[x].n * pb[y].n
			x++
			y++
		}
	}
	return 2*(sw.lin[b]-sw.lin[a]) + sw.self[a] + sw.self[b] - 2*cross
}

// apply swaps one output copy of household a for one of b.
func (sw *swapper) apply(a, b int) {
	sw.count[a]--
	sw.count[b]++
	for _, e := range sw.prof[a] {
		sw.d[e.k] -= e.n
	}
	for _, e := range sw.prof[b] {
		sw.d[e.k] += e.n
	}
}

// assign returns the output's households after the swaps: each output
// position keeps its household while that household has copies left (the
// first ones in output order), and the positions freed take the added
// households in index order.
func (sw *swapper) assign(src []int32) []int32 {
	out := slices.Clone(src)
	left := slices.Clone(sw.count)
	var free []int
	for g, j := range out {
		if left[j] > 0 {
			left[j]--
		} else {
			free = append(free, g)
		}
	}
	for _, j := range sw.donors {
		for ; left[j] > 0; left[j]-- {
			out[free[0]], free = int32(j), free[1:]
		}
	}
	return out
}

// rebuild remakes the run's records from the seed households src (one
// output group each, in order) and recounts the levels' tables.
func (r *run) rebuild(src []int32) {
	p, st := r.pool, r.st
	recS := newStore(st.Records, r.s.num, r.s.Config.Sampling)
	memS := newStore(st.Members, r.s.num, r.s.Config.Sampling)
	sizes := make([]int, 0, len(src))
	for _, j := range src {
		g := recS.copyFrom(p.rec, int(j))
		from := memS.len()
		for m := p.members[j][0]; m < p.members[j][1]; m++ {
			memS.copyFrom(p.mem, m)
		}
		sizes = append(sizes, memS.len()-from)
		recountDerived(st, recS, memS, g, from, memS.len())
	}
	r.recS, r.memS, r.sizes, r.src = recS, memS, sizes, src
	st.Records.Synth, st.Members.Synth = emptyLike(st.Records.Targets), emptyLike(st.Members.Targets)
	recS.count(st.Records, 0, recS.len(), 1)
	memS.count(st.Members, 0, memS.len(), 1)
}
