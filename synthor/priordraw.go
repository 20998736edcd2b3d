package synthor

import (
	"context"
	"maps"
	"slices"
)

// loadPrior draws the prior's donors for the run (a run without a prior
// has none).
func (r *run) loadPrior(ctx context.Context) error {
	if r.s.Prior == nil {
		return nil
	}
	donors, reuse, err := r.s.Prior.Donors(ctx, r.n, r.st.Seed)
	if err != nil {
		return err
	}
	if r.pool, err = newPool(r, donors, reuse); err != nil {
		return err
	}
	r.res.Prior = r.s.Prior.Kind()
	return nil
}

// priorNeeds checks a proposal's named values (repairs counted in rep) and
// returns the needs the prior's records must meet, or false when the
// proposal is rejected. Member proposals are not used: a group comes from
// the prior whole.
func (r *run) priorNeeds(p Proposal, rep Repairs) ([]need, bool) {
	vals := p.Values
	if d := r.st.Derived; d != nil {
		// A derived value no category matches is not a cell asked for.
		vals = maps.Clone(vals)
		for name, x := range vals {
			i := varIndex(r.st.Records.Vars, name)
			if d.has(name) && i >= 0 && (x.IsRange() || r.st.Records.Vars[i].CategoryCell(x.Category) < 0) {
				delete(vals, name)
			}
		}
	}
	named, set, ok := r.recVal.named(Proposal{Values: vals}, rep)
	if !ok {
		return nil, false
	}
	if !slices.Contains(set, false) {
		set = realised(r.st.Guidance, r.st.Records, named, set)
	}
	return needsOf(r.st.Records.Vars, named, set), true
}

// realised returns the variables of the joint guidance cells whose values
// the proposal's hold (a category or missing equal, a range inside the
// cell's range); when it holds none, those of the marginal guidance cells
// it holds; when it holds none of those either, all.
func realised(g Guidance, l *Level, vals []Value, all []bool) []bool {
	for _, cells := range [][]Cell{g.Joint, g.Marginal} {
		out := make([]bool, len(vals))
		found := false
		for _, c := range cells {
			idx := make([]int, len(c.Vars))
			ok := true
			for k, name := range c.Vars {
				idx[k] = varIndex(l.Vars, name)
				if ok = idx[k] >= 0 && within(vals[idx[k]], c.Values[k]); !ok {
					break
				}
			}
			if !ok {
				continue
			}
			found = true
			for _, i := range idx {
				out[i] = true
			}
		}
		if found {
			return out
		}
	}
	return all
}

// within reports whether proposal value v lies in guidance value c.
func within(v, c Value) bool {
	switch {
	case v.Missing || c.Missing:
		return v.Missing == c.Missing
	case v.IsRange() != c.IsRange():
		return false
	case !v.IsRange():
		return v.Category == c.Category
	}
	return v.Range[0] >= c.Range[0] && v.Range[1] <= c.Range[1]
}

// drawPrior adds num records (groups) taken from the prior's donors for
// needs, with deficits sc (members: msc) lowered as they are taken.
func (r *run) drawPrior(needs []need, num int, sc, msc *scorer, rep Repairs) {
	p := r.pool
	list := p.candidates(r.st.Records, needs)
	score := func(j int) float64 {
		s := sc.need(p.recKey(j))
		if p.mem != nil {
			for m := p.members[j][0]; m < p.members[j][1]; m++ {
				s += msc.need(p.memKey(m))
			}
		}
		return s
	}
	exact := true
	for range num {
		j := p.best(list, score)
		if j < 0 && exact {
			list, exact = p.closest(needs), false
			j = p.best(list, score)
		}
		if j < 0 { // every donor used: reuse them from now on
			p.reuse, p.all = true, slices.Clone(p.usable)
			j = p.best(&p.all, score)
		}
		p.take(j)
		g := r.recS.copyFrom(p.rec, j)
		keys := p.recKey(j)
		if !exact {
			rep.add(RepairPriorUnmatched)
			if p.mem == nil { // a group stays whole: its values are its members'
				r.setNeeds(g, j, needs)
				keys = sc.keys(r.recS, g, nil)
			}
		}
		sc.take(keys)
		if p.mem != nil {
			r.src = append(r.src, int32(j))
			from := r.memS.len()
			for m := p.members[j][0]; m < p.members[j][1]; m++ {
				r.memS.copyFrom(p.mem, m)
				msc.take(p.memKey(m))
			}
			r.sizes = append(r.sizes, r.memS.len()-from)
			r.recount(g, from, r.memS.len())
		}
	}
}

// setNeeds sets the needs that donor j misses on record g (its copy) as a
// prior-less run draws them from the proposal.
func (r *run) setNeeds(g, j int, needs []need) {
	for _, n := range needs {
		if !n.holds(r.pool.rec, j) {
			dr := r.recS.drawerOf(n.i, n.val)
			r.recS.set(n.i, g, &dr, r.rng)
		}
	}
}

// closest returns the live donors that meet the most needs; for a grouped
// table, every live donor (a group is taken whole, whatever it misses, so
// only how much it helps the targets counts).
func (p *pool) closest(needs []need) *[]int32 {
	if p.mem != nil {
		return &p.all
	}
	var out []int32
	most := -1
	for _, j := range p.all {
		if !p.reuse && p.used[j] {
			continue
		}
		n := 0
		for _, x := range needs {
			if x.holds(p.rec, int(j)) {
				n++
			}
		}
		switch {
		case n > most:
			out, most = append(out[:0], j), n
		case n == most:
			out = append(out, j)
		}
	}
	return &out
}
