package synthor

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/synthor/synthor/macro"
)

// Stat is the "stat" planner: a deterministic planner that uses no LLM. It
// is the default when no LLM backend is configured, so that LLMSynthor runs
// offline, and the ablation that isolates what an LLM adds to the loop.
//
// Each iteration it takes the joint cells that lack the most records (the
// largest positive deficits at the target size), one proposal per cell, and
// completes the variables a cell leaves open from the target statistics:
// first from the joints that overlap the variables already fixed (a cell
// consistent with them, drawn with probability proportional to its deficit:
// a conditional of what is still missing), then from each variable's
// marginal the same way. A numeric variable's range is a sub-bin inside the
// chosen main bin, drawn by deficit too (the paper's refinement). The draws
// come from the run seed and the iteration, so a seed gives one output;
// drawing rather than always taking the largest cell keeps variables that
// no target ties together from being coupled by the order in which cells
// fill. The batch is split among the proposals
// in proportion to their deficits. After each proposal the working deficits
// are lowered by its share of the batch, so one iteration's proposals spread
// over different cells. Dependencies ("auto") are the groups with the
// highest mutual information in the target tables it has.
//
// With a prior (State.Prior set) a proposal names only the cell that chose
// it (the joint cell, or for a level without joints the marginal cell; a
// numeric variable's main bin), and has no member proposals: the prior
// supplies the rest of each record.
//
// Results produced with this planner are LLMSynthor's loop with no LLM and
// must be labelled so.
type Stat struct{}

var _ Planner = Stat{}

// Name returns "stat".
func (Stat) Name() string { return "stat" }

// Label is the description results carry for this planner.
const StatLabel = "LLMSynthor loop with the stat planner (no LLM)"

// Dependencies picks up to max pairs of variables with the highest mutual
// information in the target joints; with targets that hold no joints it
// returns none (marginals only). Ties keep schema order.
func (Stat) Dependencies(_ context.Context, st *State, max int) ([][]string, error) {
	type scored struct {
		vars []string
		mi   float64
	}
	var out []scored
	for _, l := range []*Level{st.Records, st.Members} {
		if l == nil {
			continue
		}
		for _, j := range l.Targets.Joints {
			for a := 0; a < len(j.Vars); a++ {
				for b := a + 1; b < len(j.Vars); b++ {
					out = append(out, scored{[]string{j.Vars[a].Name, j.Vars[b].Name}, pairMI(j, a, b)})
				}
			}
		}
	}
	sort.SliceStable(out, func(i, k int) bool { return out[i].mi > out[k].mi })
	seen := map[string]bool{}
	var deps [][]string
	for _, s := range out {
		key := s.vars[0] + "," + s.vars[1]
		if seen[key] || len(deps) >= max {
			continue
		}
		seen[key] = true
		deps = append(deps, s.vars)
	}
	return deps, nil
}

// pairMI is the mutual information (nats) of variables a and b of joint j.
func pairMI(j *macro.Contingency, a, b int) float64 {
	na, nb := j.Shape[a], j.Shape[b]
	p := make([]float64, na*nb)
	sh := j.Shares()
	for k, x := range sh {
		c := j.Unravel(k)
		p[c[a]*nb+c[b]] += x
	}
	pa, pb := make([]float64, na), make([]float64, nb)
	for x := 0; x < na; x++ {
		for y := 0; y < nb; y++ {
			pa[x] += p[x*nb+y]
			pb[y] += p[x*nb+y]
		}
	}
	mi := 0.0
	for x := 0; x < na; x++ {
		for y := 0; y < nb; y++ {
			if q := p[x*nb+y]; q > 0 {
				mi += q * math.Log(q/(pa[x]*pb[y]))
			}
		}
	}
	return mi
}

// Plan proposes st.Batch records in at most st.MaxProposals proposals.
func (Stat) Plan(_ context.Context, st *State) (*Plan, error) {
	if st.Batch <= 0 {
		return &Plan{}, nil
	}
	w := newDeficits(st.Records)
	var mw *deficits
	if st.Members != nil {
		mw = newDeficits(st.Members)
	}
	rng := rand.New(rand.NewPCG(st.Seed, uint64(st.Iteration)))
	nprop := max(1, min(st.MaxProposals, st.Batch))
	est := float64(st.Batch) / float64(nprop)
	var props []Proposal
	var weights []float64
	for len(props) < nprop {
		cells, weight, named := w.pickNamed(rng, nil)
		if cells == nil {
			break
		}
		vals := w.values(st.Records, cells)
		if st.Prior != "" {
			vals = w.namedValues(cells, named)
		}
		p := Proposal{Values: vals}
		if st.Members != nil && st.Prior == "" {
			size := groupSize(st, vals)
			if size > 0 {
				p.Values[st.GroupSize] = Range(float64(size), float64(size))
			}
			p.Members = proposeMembers(st, mw, p.Values, size, rng, est)
		}
		p.Reason = fmt.Sprintf("stat planner: cell with deficit %.1f records", weight)
		props = append(props, p)
		weights = append(weights, math.Max(weight, 1e-9))
		w.take(cells, est)
	}
	if len(props) == 0 {
		return &Plan{Skip: "stat planner: no cell to propose"}, nil
	}
	nums := apportion(st.Batch, weights)
	out := &Plan{}
	for i, p := range props {
		if nums[i] > 0 {
			p.Num = nums[i]
			out.Proposals = append(out.Proposals, p)
		}
	}
	return out, nil
}

// groupSize returns the group size a group proposal sets through the
// group-size variable (0 when there is none).
func groupSize(st *State, vals map[string]Value) int {
	if st.GroupSize == "" {
		return 0
	}
	v, ok := vals[st.GroupSize]
	if !ok || !v.IsRange() {
		return 0
	}
	return max(1, int(math.Round((v.Range[0]+v.Range[1])/2)))
}

// pickFixed chooses the cell to propose next: the joint cell (any joint)
// with the largest deficit, then the variables it leaves open completed
// from overlapping joints and marginals. It returns per-variable cells
// (fine cells for numeric variables) and the deficit that chose it, or nil
// when the level has no variable. Some variables' cells may be fixed
// beforehand (pre[i] >= 0; nil: none). With pre set (member proposals of a
// grouped table), the others are completed from the joints overlapping
// them, then the marginals, and a joint's cell is drawn only if every
// other joint whose variables it completes holds records in the resulting
// cell.
func (d *deficits) pickFixed(rng *rand.Rand, pre []int) ([]int, float64) {
	cells, weight, _ := d.pickNamed(rng, pre)
	return cells, weight
}

// pickNamed is pickFixed that also returns the variables (indices) of the
// cell that chose the weight: the joint cell with the largest deficit, or,
// for a level without joints, the marginal cell (none when pre fixed
// variables).
func (d *deficits) pickNamed(rng *rand.Rand, pre []int) ([]int, float64, []int) {
	nvars := len(d.marg)
	if nvars == 0 {
		return nil, 0, nil
	}
	var named []int
	cells := make([]int, nvars)
	for i := range cells {
		cells[i] = -1
		if pre != nil {
			cells[i] = pre[i]
		}
	}
	weight := math.Inf(-1)
	// The joint cell with the largest deficit, counting with it the mean
	// deficit of its variables' marginal cells, so that ties among joint
	// cells go to values the marginals still lack.
	var first *tableDef
	bestK := -1
	score := math.Inf(-1)
	for _, td := range d.joint {
		if slices.ContainsFunc(pre, func(c int) bool { return c >= 0 }) {
			break
		}
		// An upper bound of the marginal term prunes cells that cannot win.
		bound := 0.0
		for _, p := range td.pos {
			bound += slices.Max(d.marg[p].d)
		}
		bound /= float64(len(td.pos))
		if td.hi+bound <= score { // no cell of this joint can win
			continue
		}
		for k, x := range td.d {
			if x <= 0 && first != nil || x+bound <= score || td.c.Counts[k] <= 0 {
				continue
			}
			m := 0.0
			for j, c := range td.cell(k) {
				m += d.marg[td.pos[j]].d[c]
			}
			if sc := x + m/float64(len(td.pos)); sc > score {
				score, weight, first, bestK = sc, x, td, k
			}
		}
	}
	if first != nil {
		for j, x := range first.cell(bestK) {
			cells[first.pos[j]] = x
		}
		named = first.pos
	}
	// Complete from the joints, those overlapping the fixed variables most
	// first (a conditional of the target), then the others.
	for {
		var next *tableDef
		most := -1
		for _, td := range d.joint {
			fixed, open := 0, 0
			for _, p := range td.pos {
				if cells[p] >= 0 {
					fixed++
				} else {
					open++
				}
			}
			if open > 0 && fixed > most {
				next, most = td, fixed
			}
		}
		if next == nil {
			break
		}
		sub := next.subGrid(cells, &d.grid)
		ok := func(k int) bool { return next.c.Counts[k] > 0 }
		if pre != nil {
			ok = func(k int) bool { return next.c.Counts[k] > 0 && d.consistent(next, k, cells) }
		}
		k := drawAmong(next.d, sub, rng, ok)
		if k < 0 && pre != nil {
			k = drawAmong(next.d, sub, rng, func(k int) bool { return next.c.Counts[k] > 0 })
		}
		if k < 0 { // no target cell agrees with the values fixed so far
			k = drawAmong(next.d, sub, rng, func(int) bool { return true })
		}
		for j, x := range next.cell(k) {
			cells[next.pos[j]] = x
		}
	}
	// Then marginals, for variables still open (and for a level without
	// joints, the marginal cell with the largest deficit picks the weight).
	for i, td := range d.marg {
		if cells[i] >= 0 {
			continue
		}
		v := td.c.Vars[0]
		k := drawCell(td.d, rng, func(k int) bool { return td.c.Counts[k] > 0 })
		if k < 0 {
			k = v.MissingCell()
		}
		cells[i] = k
		if first == nil && td.d[k] > weight {
			weight = td.d[k]
			named = []int{i}
		}
	}
	// Numeric variables: the fine sub-bin inside the main bin.
	for i, td := range d.marg {
		v := td.c.Vars[0]
		f, ok := d.fine[v.Name]
		if !v.Numeric() || !ok {
			continue
		}
		k := d.fineK
		main := cells[i]
		sub := drawCell(f.d, rng, func(c int) bool { return c/k == main && c < f.c.Vars[0].Levels() })
		if sub < 0 {
			sub = main * k
		}
		cells[i] = sub
	}
	return cells, weight, named
}

// namedValues renders the main cells of the named variables alone as
// proposal values (a numeric variable's main bin, not its sub-bin): what
// a proposal names when a prior completes the records.
func (d *deficits) namedValues(cells, named []int) map[string]Value {
	out := make(map[string]Value, len(named))
	for _, i := range named {
		v := d.marg[i].c.Vars[0]
		k := cells[i]
		if _, ok := d.fine[v.Name]; ok && v.Numeric() {
			k /= d.fineK
		}
		out[v.Name] = cellValue(v, k)
	}
	return out
}

// values renders per-variable cells (fine for numeric) as proposal values.
func (d *deficits) values(l *Level, cells []int) map[string]Value {
	out := make(map[string]Value, len(cells))
	for i, td := range d.marg {
		v := td.c.Vars[0]
		if f, ok := d.fine[v.Name]; ok && v.Numeric() {
			out[v.Name] = cellValue(f.c.Vars[0], cells[i])
			continue
		}
		out[v.Name] = cellValue(v, cells[i])
	}
	return out
}

// take lowers the working deficits of every table at the given cells by n
// records.
func (d *deficits) take(cells []int, n float64) {
	main := slices.Clone(cells)
	for i, td := range d.marg {
		v := td.c.Vars[0]
		if f, ok := d.fine[v.Name]; ok && v.Numeric() {
			f.d[cells[i]] -= n
			main[i] = cells[i] / d.fineK
		}
		td.d[main[i]] -= n
	}
	for _, td := range d.joint {
		at := make([]int, len(td.pos))
		for j, p := range td.pos {
			at[j] = main[p]
		}
		td.d[td.c.Cell(at...)] -= n
	}
}

// subGrid returns the cells of td consistent with the per-variable cells
// fixed so far (−1: open), enumerated over the open variables only.
// The result is in buf (grown as needed).
func (td *tableDef) subGrid(cells []int, buf *[2][]int) []int {
	base := 0
	for j, p := range td.pos {
		if c := cells[p]; c >= 0 {
			base += c * td.stride(j)
		}
	}
	out := append(buf[0][:0], base)
	next := buf[1][:0]
	for j, p := range td.pos {
		if cells[p] >= 0 {
			continue
		}
		st, n := td.stride(j), td.c.Shape[j]
		next = next[:0]
		for _, b := range out {
			for x := range n {
				next = append(next, b+x*st)
			}
		}
		out, next = next, out
	}
	buf[0], buf[1] = out, next
	return out
}

// stride returns the flat-index stride of variable j of td's table.
func (td *tableDef) stride(j int) int {
	st := 1
	for i := j + 1; i < len(td.c.Shape); i++ {
		st *= td.c.Shape[i]
	}
	return st
}

// drawAmong draws one of the cells ks that ok accepts with probability
// proportional to its positive deficit; with none positive, the largest
// (the first on ties); −1 when ok accepts none.
func drawAmong(d []float64, ks []int, rng *rand.Rand, ok func(int) bool) int {
	total := 0.0
	best, bv := -1, math.Inf(-1)
	for _, k := range ks {
		if !ok(k) {
			continue
		}
		if d[k] > 0 {
			total += d[k]
		}
		if d[k] > bv {
			best, bv = k, d[k]
		}
	}
	if total <= 0 {
		return best
	}
	u := rng.Float64() * total
	last := -1
	for _, k := range ks {
		if d[k] > 0 && ok(k) {
			last = k
			if u -= d[k]; u < 0 {
				return k
			}
		}
	}
	return last
}

// drawCell draws a cell among those ok accepts with probability
// proportional to its positive deficit; with no positive deficit it returns
// the largest (bestCell).
func drawCell(d []float64, rng *rand.Rand, ok func(int) bool) int {
	total := 0.0
	for k, x := range d {
		if x > 0 && ok(k) {
			total += x
		}
	}
	if total <= 0 {
		return bestCell(d, ok)
	}
	u := rng.Float64() * total
	last := -1
	for k, x := range d {
		if x > 0 && ok(k) {
			last = k
			if u -= x; u < 0 {
				return k
			}
		}
	}
	return last
}

// apportion splits total among weights in proportion (largest remainders,
// ties to the earlier), so the parts sum to total.
func apportion(total int, weights []float64) []int {
	out := make([]int, len(weights))
	if len(weights) == 0 || total <= 0 {
		return out
	}
	sum := 0.0
	for _, w := range weights {
		if w > 0 && !math.IsInf(w, 0) {
			sum += w
		}
	}
	if !(sum > 0) || math.IsInf(sum, 0) { // no usable weight: equal parts
		weights = make([]float64, len(weights))
		for i := range weights {
			weights[i] = 1
		}
		sum = float64(len(weights))
	}
	rem := make([]float64, len(weights))
	given := 0
	for i, w := range weights {
		if !(w > 0) || math.IsInf(w, 0) {
			w = 0
		}
		x := float64(total) * w / sum
		out[i] = int(math.Floor(x))
		rem[i] = x - float64(out[i])
		given += out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for i := 0; given < total; i = (i + 1) % len(order) {
		out[order[i]]++
		given++
	}
	return out
}
