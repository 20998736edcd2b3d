package synthor

import (
	"math"
	"slices"
	"sort"

	"github.com/synthor/synthor/macro"
)

// The rule AutoDependencies follows when the data chooses the dependency
// groups (n_joints unset, the stat planner).
const (
	// AutoThreshold is the Cramér's V (over the variables' cells, missing
	// included) from which a pair of variables is a dependency.
	AutoThreshold = 0.12
	// AutoTripleGain is the conditional mutual information I(A; C | B), in
	// nats and net of its small-sample bias, from which two dependent pairs
	// [A, B] and [B, C] are merged into the triple [A, B, C]: the pairs
	// alone would make A and C independent given B.
	AutoTripleGain = 0.01
	// AutoMaxGroups caps the number of groups.
	AutoMaxGroups = 12
	// AutoMaxCells caps the cells of a merged triple's joint.
	AutoMaxCells = 4096
)

// AutoDependencies chooses the dependency groups from the data: every pair
// of variables whose Cramér's V in tg's pair joints is at least
// AutoThreshold, strongest first; a pair that shares a variable with a
// chosen pair is merged with it into a triple when the triple's
// conditional mutual information is at least AutoTripleGain (computed
// from e, the table's cells) and its joint has at most AutoMaxCells cells;
// at most AutoMaxGroups groups. A pair both of whose variables are already
// in one group is covered by it.
func AutoDependencies(tg *macro.Targets, e *macro.Encoded) [][]string {
	type pair struct {
		a, b string
		v    float64
	}
	var pairs []pair
	for _, j := range tg.Joints {
		if len(j.Vars) != 2 {
			continue
		}
		if v := cramersV(j); v >= AutoThreshold {
			pairs = append(pairs, pair{j.Vars[0].Name, j.Vars[1].Name, v})
		}
	}
	sort.SliceStable(pairs, func(i, k int) bool { return pairs[i].v > pairs[k].v })
	var groups [][]string
	covered := func(a, b string) bool {
		for _, g := range groups {
			if slices.Contains(g, a) && slices.Contains(g, b) {
				return true
			}
		}
		return false
	}
	for _, p := range pairs {
		if covered(p.a, p.b) {
			continue
		}
		best, gain := -1, AutoTripleGain
		for gi, g := range groups {
			if len(g) != 2 {
				continue
			}
			var other, shared, fresh string
			switch {
			case g[0] == p.a || g[0] == p.b:
				shared, other = g[0], g[1]
			case g[1] == p.a || g[1] == p.b:
				shared, other = g[1], g[0]
			default:
				continue
			}
			fresh = p.a
			if fresh == shared {
				fresh = p.b
			}
			va, vb, vc := tg.Space.Var(other), tg.Space.Var(shared), tg.Space.Var(fresh)
			if va.Size()*vb.Size()*vc.Size() > AutoMaxCells {
				continue
			}
			if x := condMI(e, va, vb, vc); x > gain {
				best, gain = gi, x
			}
		}
		if best >= 0 {
			g := groups[best]
			fresh := p.a
			if slices.Contains(g, fresh) {
				fresh = p.b
			}
			groups[best] = append(slices.Clone(g), fresh)
			continue
		}
		if len(groups) < AutoMaxGroups {
			groups = append(groups, []string{p.a, p.b})
		}
	}
	return groups
}

// cramersV is Cramér's V of a two-way table (rows and columns that are
// empty left out); 0 when a variable has a single occupied cell.
func cramersV(j *macro.Contingency) float64 {
	r, c := j.Shape[0], j.Shape[1]
	rs, cs := make([]float64, r), make([]float64, c)
	for k, x := range j.Counts {
		rs[k/c] += x
		cs[k%c] += x
	}
	nr, nc := 0, 0
	for _, x := range rs {
		if x > 0 {
			nr++
		}
	}
	for _, x := range cs {
		if x > 0 {
			nc++
		}
	}
	if nr < 2 || nc < 2 || j.Total <= 0 {
		return 0
	}
	chi := 0.0
	for k, x := range j.Counts {
		ex := rs[k/c] * cs[k%c] / j.Total
		if ex > 0 {
			chi += (x - ex) * (x - ex) / ex
		}
	}
	return math.Sqrt(chi / (j.Total * float64(min(nr, nc)-1)))
}

// condMI returns I(A; C | B) in nats from the cells of e, less the
// Miller–Madow estimate of its bias, (|A|−1)(|C|−1)|B| / 2N over the
// occupied cells.
func condMI(e *macro.Encoded, a, b, c *macro.Var) float64 {
	j := macro.NewContingency(a, b, c)
	if err := j.Add(e, 0, e.N); err != nil || j.Total == 0 {
		return 0
	}
	na, nb, nc := a.Size(), b.Size(), c.Size()
	pab := make([]float64, na*nb)
	pbc := make([]float64, nb*nc)
	pb := make([]float64, nb)
	for k, x := range j.Counts {
		ia, ib, ic := k/(nb*nc), (k/nc)%nb, k%nc
		pab[ia*nb+ib] += x
		pbc[ib*nc+ic] += x
		pb[ib] += x
	}
	mi := 0.0
	for k, x := range j.Counts {
		if x <= 0 {
			continue
		}
		ia, ib, ic := k/(nb*nc), (k/nc)%nb, k%nc
		mi += x * math.Log(x*pb[ib]/(pab[ia*nb+ib]*pbc[ib*nc+ic]))
	}
	mi /= j.Total
	occ := func(xs []float64) int {
		n := 0
		for _, x := range xs {
			if x > 0 {
				n++
			}
		}
		return n
	}
	occA, occC := 0, 0
	ma, mc := make([]float64, na), make([]float64, nc)
	for k, x := range pab {
		ma[k/nb] += x
	}
	for k, x := range pbc {
		mc[k%nc] += x
	}
	occA, occC = occ(ma), occ(mc)
	bias := float64(max(0, occA-1)*max(0, occC-1)*occ(pb)) / (2 * j.Total)
	return mi - bias
}
