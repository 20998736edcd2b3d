package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/synthor/synthor/metrics"
)

// Ranking orders methods on the scorecard's ranked scores and says which
// differences are significant, as Demšar (2006) sets out for comparing
// classifiers over several data sets ("Statistical comparisons of
// classifiers over multiple data sets", JMLR 7):
//
//  1. A block is one (dataset, seed): the methods' cells on one dataset
//     with one seed, paired by that seed. Within a block, the methods are
//     ranked on each ranked score (1 = best, ties sharing their mean rank)
//     and a method's block value is its mean rank over those scores.
//     Seeds where some ranked method has no value are left out.
//  2. The Friedman test, read through Iman and Davenport's F, asks whether
//     the methods' mean ranks over the blocks differ more than chance
//     would put them. Blocks are independent: each has its own seed, or
//     its own dataset.
//  3. When it does (p ≤ Alpha), the Nemenyi test calls two methods
//     different when their mean ranks differ by at least the critical
//     difference CD; methods closer than CD are tied. When it does not,
//     every method is tied with every other.
//
// A ranking over one dataset has its seeds as blocks; over several, every
// dataset's seeds, with the methods present on every dataset.
type Ranking struct {
	// Scores are the keys of the scores ranked on.
	Scores []string `json:"scores"`
	Alpha  float64  `json:"alpha"`
	// Blocks counts the (dataset, seed) blocks; Dropped those left out.
	Blocks  int `json:"blocks"`
	Dropped int `json:"dropped,omitempty"`
	// Friedman is the test's outcome; nil below two methods.
	Friedman *Friedman `json:"friedman,omitempty"`
	// Significant: the Friedman test rejects equal mean ranks at Alpha.
	Significant bool `json:"significant"`
	// CD is the Nemenyi critical difference at Alpha (0 without a test).
	CD float64 `json:"cd"`
	// Methods are the ranked methods, best first.
	Methods []RankedMethod `json:"methods"`
	// Cliques are the groups of methods (in rank order) whose mean ranks
	// lie within CD of each other: the bars of a critical-difference
	// diagram. Single methods are left out.
	Cliques [][]string `json:"cliques,omitempty"`
	// Unranked are the methods left out, with why.
	Unranked []Unranked `json:"unranked,omitempty"`
	// Reason says why there is no test, or no ranking.
	Reason string `json:"reason,omitempty"`
}

// RankedMethod is a method's standing.
type RankedMethod struct {
	Label string `json:"label"`
	// MeanRank is its mean rank over the blocks (1 = best).
	MeanRank float64 `json:"mean_rank"`
	// Wins counts the ranked scores (per dataset) where its mean is best.
	Wins int `json:"wins"`
	// Datasets counts the datasets it was ranked on.
	Datasets int `json:"datasets"`
	// TiedWith lists the methods not significantly different from it.
	TiedWith []string `json:"tied_with,omitempty"`
	// Copies is set when its records look copied on some dataset.
	Copies bool `json:"copies,omitempty"`
}

// Unranked is a method left out of a ranking.
type Unranked struct {
	Label  string `json:"label"`
	Reason string `json:"reason"`
}

// rankBlocks are one dataset's blocks over a set of its methods.
type rankBlocks struct {
	cols    []int
	rows    [][]float64 // rows[block][method]: mean rank over cols
	dropped int
}

// rankedColumns are d's ranked columns with a value for some method.
func rankedColumns(d *ScorecardDataset) []int {
	var out []int
	for j, c := range d.Columns {
		n := 0
		for _, me := range d.Methods {
			if me.Values[j].N > 0 {
				n++
			}
		}
		if c.Rank && n > 0 {
			out = append(out, j)
		}
	}
	return out
}

// candidates splits d's methods into those with a value on every ranked
// column and those left out.
func candidates(d *ScorecardDataset, cols []int) (in []int, out []Unranked) {
	for i, me := range d.Methods {
		var missing []string
		for _, j := range cols {
			if me.Values[j].N == 0 {
				missing = append(missing, d.Columns[j].Key)
			}
		}
		switch {
		case me.OK == 0:
			out = append(out, Unranked{me.Label, notOKReason(me)})
		case len(missing) > 0:
			out = append(out, Unranked{me.Label, "no value for " + strings.Join(missing, ", ")})
		default:
			in = append(in, i)
		}
	}
	return in, out
}

// blocks builds d's blocks over the methods idx: one per seed where every
// one of them has a value on every column of cols.
func blocks(d *ScorecardDataset, cols, idx []int) rankBlocks {
	rb := rankBlocks{cols: cols}
	seeds := map[uint64]bool{}
	for _, i := range idx {
		for _, j := range cols {
			for _, s := range d.Methods[i].Values[j].Seeds {
				seeds[s] = true
			}
		}
	}
	for _, s := range slicesSorted(seeds) {
		row, ok := blockRow(d, cols, idx, s)
		if !ok {
			rb.dropped++
			continue
		}
		rb.rows = append(rb.rows, row)
	}
	return rb
}

func slicesSorted(m map[uint64]bool) []uint64 {
	out := make([]uint64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// blockRow is each method's mean rank over cols at seed s; false when
// one of them has no value there.
func blockRow(d *ScorecardDataset, cols, idx []int, s uint64) ([]float64, bool) {
	row := make([]float64, len(idx))
	for _, j := range cols {
		bad := make([]float64, len(idx))
		for k, i := range idx {
			e := d.Methods[i].Values[j]
			at := slices.Index(e.Seeds, s)
			if at < 0 {
				return nil, false
			}
			bad[k] = e.Values[at]
			if d.Columns[j].Better != metrics.Lower {
				bad[k] = -bad[k]
			}
		}
		r, _ := midRanks(bad)
		for k := range row {
			row[k] += r[k] / float64(len(cols))
		}
	}
	return row, true
}

// rankDataset ranks d's methods over its seeds.
func rankDataset(d *ScorecardDataset, alpha float64) *Ranking {
	cols := rankedColumns(d)
	rk := &Ranking{Alpha: alpha}
	for _, j := range cols {
		rk.Scores = append(rk.Scores, d.Columns[j].Key)
	}
	idx, out := candidates(d, cols)
	rk.Unranked = out
	if len(cols) == 0 {
		rk.Reason = "no ranked score has a value"
		return rk
	}
	rb := blocks(d, cols, idx)
	labels := make([]string, len(idx))
	for k, i := range idx {
		labels[k] = d.Methods[i].Label
	}
	rk.decide(labels, rb.rows, rb.dropped)
	for k := range rk.Methods {
		me := d.Method(rk.Methods[k].Label)
		rk.Methods[k].Datasets = 1
		rk.Methods[k].Copies = me.Copies != nil
		for _, j := range cols {
			if me.Values[j].Best {
				rk.Methods[k].Wins++
			}
		}
	}
	return rk
}

// rankOverall ranks the methods ranked on every dataset over all the
// datasets' blocks.
func rankOverall(ds []*ScorecardDataset, alpha float64) *Ranking {
	rk := &Ranking{Alpha: alpha}
	count := map[string]int{}
	var order []string
	ranked := 0
	for _, d := range ds {
		if len(d.Ranking.Methods) == 0 {
			continue
		}
		ranked++
		for _, m := range d.Ranking.Methods {
			if count[m.Label] == 0 {
				order = append(order, m.Label)
			}
			count[m.Label]++
		}
		for _, s := range d.Ranking.Scores {
			if !slices.Contains(rk.Scores, s) {
				rk.Scores = append(rk.Scores, s)
			}
		}
	}
	var labels []string
	for _, l := range order {
		if count[l] == ranked {
			labels = append(labels, l)
		} else {
			rk.Unranked = append(rk.Unranked, Unranked{l, fmt.Sprintf("ranked on %d of %d datasets", count[l], ranked)})
		}
	}
	if ranked == 0 {
		rk.Reason = "no dataset has a ranking"
		return rk
	}
	var rows [][]float64
	dropped := 0
	for _, d := range ds {
		if len(d.Ranking.Methods) == 0 {
			continue
		}
		idx := make([]int, len(labels))
		for k, l := range labels {
			idx[k] = slices.IndexFunc(d.Methods, func(m *ScoredMethod) bool { return m.Label == l })
		}
		rb := blocks(d, rankedColumns(d), idx)
		rows, dropped = append(rows, rb.rows...), dropped+rb.dropped
	}
	rk.decide(labels, rows, dropped)
	for k := range rk.Methods {
		for _, d := range ds {
			for _, m := range d.Ranking.Methods {
				if m.Label == rk.Methods[k].Label {
					rk.Methods[k].Wins += m.Wins
					rk.Methods[k].Datasets++
					rk.Methods[k].Copies = rk.Methods[k].Copies || m.Copies
				}
			}
		}
	}
	return rk
}

// decide runs the tests over rows (block × method) and orders labels.
func (rk *Ranking) decide(labels []string, rows [][]float64, dropped int) {
	rk.Blocks, rk.Dropped = len(rows), dropped
	k := len(labels)
	means := make([]float64, k)
	switch {
	case k == 0:
		rk.Reason = "no method has a value on every ranked score"
		return
	case len(rows) == 0:
		rk.Reason = "no seed where every method has a value on every ranked score"
		return
	case k == 1:
		means[0] = 1
		rk.Reason = "one method"
	default:
		f, err := FriedmanTest(rows)
		if err != nil {
			rk.Reason = err.Error()
			return
		}
		rk.Friedman, means = &f, f.MeanRanks
		rk.CD = NemenyiCD(k, len(rows), rk.Alpha)
		if len(rows) < 2 {
			rk.Reason = "one block (one seed): no test, every method tied"
		}
		rk.Significant = len(rows) >= 2 && f.PF <= rk.Alpha
	}
	for i, l := range labels {
		rk.Methods = append(rk.Methods, RankedMethod{Label: l, MeanRank: means[i]})
	}
	slices.SortStableFunc(rk.Methods, func(a, b RankedMethod) int { return cmp.Compare(a.MeanRank, b.MeanRank) })
	for i := range rk.Methods {
		for j := range rk.Methods {
			if i != j && k > 1 && rk.tied(rk.Methods[i].MeanRank, rk.Methods[j].MeanRank) {
				rk.Methods[i].TiedWith = append(rk.Methods[i].TiedWith, rk.Methods[j].Label)
			}
		}
	}
	rk.Cliques = cliques(rk)
}

// tied reports whether two mean ranks are not significantly different.
func (rk *Ranking) tied(a, b float64) bool {
	return !rk.Significant || math.Abs(a-b) < rk.CD
}

// cliques returns the maximal runs of methods (in rank order) tied with
// each other, of two methods or more.
func cliques(rk *Ranking) [][]string {
	var out [][]string
	lastEnd := -1
	ms := rk.Methods
	for i := range ms {
		j := i
		for j+1 < len(ms) && rk.tied(ms[i].MeanRank, ms[j+1].MeanRank) {
			j++
		}
		if j > i && j > lastEnd {
			var c []string
			for _, m := range ms[i : j+1] {
				c = append(c, m.Label)
			}
			out = append(out, c)
			lastEnd = j
		}
	}
	return out
}

// Tied reports whether the method labelled label is tied with another.
func (rk *Ranking) Tied(label string) bool {
	for _, m := range rk.Methods {
		if m.Label == label {
			return len(m.TiedWith) > 0
		}
	}
	return false
}

// Ranks cuts the ranking down to the Model's Rank rows.
func (rk *Ranking) Ranks() []Rank {
	var out []Rank
	for _, m := range rk.Methods {
		out = append(out, Rank{Label: m.Label, MeanRank: m.MeanRank, Wins: m.Wins, Datasets: m.Datasets, TiedWith: m.TiedWith})
	}
	return out
}
