package synthor

import (
	"math"
	"slices"
	"strings"

	"github.com/synthor/synthor/macro"
)

// emptyLike returns targets over the same tables as tg with zero counts:
// the synthetic side of a Level.
func emptyLike(tg *macro.Targets) *macro.Targets {
	out := &macro.Targets{Space: tg.Space, Fine: tg.Fine, FineMarginals: map[string]*macro.Contingency{}}
	for _, m := range tg.Marginals {
		out.Marginals = append(out.Marginals, macro.NewContingency(m.Vars...))
	}
	for _, j := range tg.Joints {
		out.Joints = append(out.Joints, macro.NewContingency(j.Vars...))
	}
	for name, f := range tg.FineMarginals {
		out.FineMarginals[name] = macro.NewContingency(f.Vars...)
	}
	return out
}

// deficits returns, per table (marginals, then joints) of a level, the
// records each cell lacks at the level's target size.
type deficits struct {
	marg  []*tableDef
	joint []*tableDef
	fine  map[string]*tableDef
	fineK int      // sub-bins per main bin in fine
	grid  [2][]int // scratch of subGrid
}

type tableDef struct {
	c   *macro.Contingency // the target table (for shape and labels)
	d   []float64          // records lacking per cell (negative: surplus)
	pos []int              // for each variable of the table, its index in Level.Vars
	un  []int              // per cell, its per-variable cells (Unravel), flat
	key string             // c.Key()
	hi  float64            // the largest deficit when made: a bound of d while a plan runs (take only lowers it)
}

// cell returns the per-variable cells of cell k (not to be modified).
func (td *tableDef) cell(k int) []int {
	nv := len(td.pos)
	return td.un[k*nv : (k+1)*nv]
}

// unravel returns the flat per-variable cells of every cell of c,
// computed once per table of a level.
func (l *Level) unravel(c *macro.Contingency) []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if un, ok := l.cache[c]; ok {
		return un
	}
	if l.cache == nil {
		l.cache = map[*macro.Contingency][]int{}
	}
	un := make([]int, 0, len(c.Counts)*len(c.Vars))
	for k := range c.Counts {
		un = append(un, c.Unravel(k)...)
	}
	l.cache[c] = un
	return un
}

func newDeficits(l *Level) *deficits {
	idx := make(map[string]int, len(l.Vars))
	for i, v := range l.Vars {
		idx[v.Name] = i
	}
	mk := func(tc, sc *macro.Contingency) *tableDef {
		td := &tableDef{c: tc, d: macro.Deficit(tc, sc, l.Size), un: l.unravel(tc), key: tc.Key(), hi: math.Inf(1)}
		if len(td.d) > 0 {
			td.hi = slices.Max(td.d)
		}
		for _, v := range tc.Vars {
			td.pos = append(td.pos, idx[v.Name])
		}
		return td
	}
	d := &deficits{fine: map[string]*tableDef{}, fineK: max(1, l.Targets.Fine)}
	for i, m := range l.Targets.Marginals {
		d.marg = append(d.marg, mk(m, l.Synth.Marginals[i]))
	}
	for i, j := range l.Targets.Joints {
		d.joint = append(d.joint, mk(j, l.Synth.Joints[i]))
	}
	for name, f := range l.Targets.FineMarginals {
		d.fine[name] = mk(f, l.Synth.FineMarginals[name])
	}
	return d
}

// positiveMass returns, per table key, the positive deficit mass in shares of
// the level size, and their sum.
func (d *deficits) positiveMass(size float64) (map[string]float64, float64) {
	out := make(map[string]float64)
	total := 0.0
	for _, td := range append(slices.Clone(d.marg), d.joint...) {
		m := macro.PositiveMass(td.d) / size
		out[td.c.Key()] = m
		total += m
	}
	return out, total
}

// cellValue renders cell x of v as a proposal value: the category, the
// bin's range, or missing.
func cellValue(v *macro.Var, x int) Value {
	if x == v.MissingCell() {
		return Missing()
	}
	if v.Numeric() {
		lo, hi := v.Bins.Bounds(x)
		return Range(lo, hi)
	}
	return Cat(v.Categories[x])
}

// guidance renders the topJoint most under-represented joint cells and the
// topMarginal most under-represented marginal cells of a level from its
// deficits d. For a numeric variable the marginal cells are the sub-bins of
// its main bin with the largest positive gap (the paper's refinement).
// Shares are of size.
func guidance(d *deficits, l *Level, size float64, topJoint, topMarginal int) Guidance {
	var g Guidance
	type cand struct {
		td  *tableDef
		k   int
		gap float64
	}
	collect := func(tds []*tableDef, top int, perTable bool) []Cell {
		var cs []cand
		for _, td := range tds {
			for k, x := range td.d {
				if x > 0 {
					cs = append(cs, cand{td, k, x})
				}
			}
		}
		// (gap, table, cell) is a total order: the sort need not be stable.
		slices.SortFunc(cs, func(a, b cand) int {
			if a.gap != b.gap {
				if a.gap > b.gap {
					return -1
				}
				return 1
			}
			if c := strings.Compare(a.td.key, b.td.key); c != 0 {
				return c
			}
			return a.k - b.k
		})
		if !perTable && len(tds) > 1 {
			// Joints take turns: every joint's largest gap, then every
			// joint's second, ..., so that a planner following the first
			// lines aligns every dependency group, not only the one whose
			// cells are fewest (and so largest); within a turn the joint
			// with the most positive mass comes first.
			rank := make([]int, len(cs))
			seen := map[*tableDef]int{}
			for i, c := range cs {
				rank[i] = seen[c.td]
				seen[c.td]++
			}
			idx := make([]int, len(cs))
			for i := range idx {
				idx[i] = i
			}
			// Within a turn, the joint with the most positive mass first.
			mass := map[*tableDef]float64{}
			for _, c := range cs {
				mass[c.td] += c.gap
			}
			slices.SortStableFunc(idx, func(a, b int) int {
				if rank[a] != rank[b] {
					return rank[a] - rank[b]
				}
				ma, mb := mass[cs[a].td], mass[cs[b].td]
				switch {
				case ma > mb:
					return -1
				case ma < mb:
					return 1
				}
				return 0
			})
			sorted := make([]cand, len(cs))
			for i, j := range idx {
				sorted[i] = cs[j]
			}
			cs = sorted
		}
		if len(cs) > top {
			// Keep the top cells, and the most under-represented cell of
			// every table the top leaves out.
			shown := map[*tableDef]bool{}
			for _, c := range cs[:top] {
				shown[c.td] = true
			}
			kept := cs[:top:top]
			for _, c := range cs[top:] {
				if !shown[c.td] && perTable {
					shown[c.td] = true
					kept = append(kept, c)
				}
			}
			cs = kept
		}
		out := make([]Cell, len(cs))
		for i, c := range cs {
			cells := c.td.cell(c.k)
			share := 0.0
			if c.td.c.Total > 0 {
				share = c.td.c.Counts[c.k] / c.td.c.Total
			}
			cell := Cell{Vars: c.td.c.Names(), Target: share * l.Size / size}
			cell.Synth = cell.Target - c.gap/size
			for j, x := range cells {
				cell.Values = append(cell.Values, cellValue(c.td.c.Vars[j], x))
			}
			out[i] = cell
		}
		return out
	}
	g.Joint = collect(d.joint, topJoint, false)
	// Marginals: categorical as they are; numeric refined around the main
	// bin with the largest positive gap.
	var marg []*tableDef
	for _, td := range d.marg {
		v := td.c.Vars[0]
		f, ok := d.fine[v.Name]
		if !v.Numeric() || !ok {
			marg = append(marg, td)
			continue
		}
		best := bestCell(td.d, func(k int) bool { return k != v.MissingCell() })
		if best < 0 {
			continue
		}
		k := d.fineK
		sub := &tableDef{c: f.c, d: make([]float64, len(f.d)), pos: f.pos, un: f.un, key: f.key}
		for j := 0; j < k; j++ {
			sub.d[best*k+j] = f.d[best*k+j]
		}
		miss := f.c.Vars[0].MissingCell()
		sub.d[miss] = f.d[miss]
		marg = append(marg, sub)
	}
	g.Marginal = collect(marg, topMarginal, true)
	return g
}

// fill returns the value for variable i of a proposal that left it out: the
// marginal cell that lacks the most records, and for a numeric variable the
// sub-bin inside it that lacks the most.
func (d *deficits) fill(i int) Value {
	td := d.marg[i]
	v := td.c.Vars[0]
	k := max(0, bestCell(td.d, func(k int) bool { return td.c.Counts[k] > 0 }))
	if k == v.MissingCell() {
		return Missing()
	}
	if f, ok := d.fine[v.Name]; ok && v.Numeric() {
		fv := f.c.Vars[0]
		if sub := bestCell(f.d, func(c int) bool { return c/d.fineK == k && c < fv.Levels() }); sub >= 0 {
			return cellValue(fv, sub)
		}
	}
	return cellValue(v, k)
}

// bestCell returns the index of the largest value among the cells ok
// accepts (ties: the first), or −1 when none is accepted.
func bestCell(d []float64, ok func(int) bool) int {
	best, bv := -1, math.Inf(-1)
	for k, x := range d {
		if ok(k) && x > bv {
			best, bv = k, x
		}
	}
	return best
}
