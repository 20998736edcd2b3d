package synthor

import (
	"github.com/synthor/synthor/macro"
)

// remover implements the optional removal step: it indexes records by their
// cell in the first tracked joint (else the first marginal) and drops the
// newest records of the cell with the largest surplus over its target share
// of the records made so far. Its cost per iteration is proportional to the
// batch and the records removed.
type remover struct {
	tab     int     // index into Targets.Tables()
	cells   [][]int // per cell: record indices, oldest first
	indexed int     // records indexed so far
}

func newRemover(l *Level) *remover {
	tabs := l.Targets.Tables()
	tab := len(l.Targets.Marginals)
	if tab >= len(tabs) {
		tab = 0
	}
	return &remover{tab: tab, cells: make([][]int, len(tabs[tab].Counts))}
}

// remove drops at most limit records from the most over-represented cell.
func (r *remover) remove(st *store, l *Level, limit int) int {
	c := l.Targets.Tables()[r.tab]
	for ; r.indexed < st.len(); r.indexed++ {
		at := make([]int, len(c.Vars))
		for j, v := range c.Vars {
			at[j] = int(st.cells[st.index[v.Name]][r.indexed])
		}
		k := c.Cell(at...)
		r.cells[k] = append(r.cells[k], r.indexed)
	}
	d := macro.Deficit(c, l.Synth.Tables()[r.tab], float64(st.live))
	k, surplus := -1, 0.0
	for i, x := range d {
		if -x > surplus {
			k, surplus = i, -x
		}
	}
	if k < 0 || surplus < 1 {
		return 0
	}
	drop := min(int(surplus), limit)
	removed := 0
	for removed < drop && len(r.cells[k]) > 0 {
		last := len(r.cells[k]) - 1
		rec := r.cells[k][last]
		r.cells[k] = r.cells[k][:last]
		st.deleted[rec] = true
		st.live--
		st.count(l, rec, rec+1, -1)
		removed++
	}
	return removed
}
