package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/synthor/synthor/metrics"
)

// maxTableScores is the most scores eval's table and Markdown formats list
// one per row. Above it (a wide table: 1,000 columns give 1.9 million
// fidelity scores), each metric's column and pair scores are summarised in
// one row; --format csv or json lists every score.
const maxTableScores = 5000

// summarizeWide returns scores as they are when there are at most
// maxTableScores, else with the scores over one or two columns replaced by
// one row per group, metric and arity: the mean of the defined values (and
// of the references), how many it covers and the worst one. The second
// result is a note saying so ("" when nothing was summarised).
func summarizeWide(scores []metrics.Score) ([]metrics.Score, string) {
	if len(scores) <= maxTableScores {
		return scores, ""
	}
	type agg struct {
		s                  metrics.Score
		n, undefined, refs int
		sum, refSum, worst float64
		worstCols          []string
		arity              string
		pos                int // its row in out
	}
	var out []metrics.Score
	var order []string
	byKey := map[string]*agg{}
	for _, s := range scores {
		arity := map[int]string{1: "columns", 2: "pairs"}[len(s.Columns)]
		if arity == "" {
			out = append(out, s)
			continue
		}
		k := s.Group + "\x00" + s.Name + "\x00" + arity
		a := byKey[k]
		if a == nil {
			a = &agg{s: metrics.Score{Name: s.Name, Group: s.Group, Better: s.Better}, arity: arity, worst: math.NaN(), pos: len(out)}
			out = append(out, metrics.Score{})
			byKey[k] = a
			order = append(order, k)
		}
		if !s.OK() {
			a.undefined++
			continue
		}
		a.n++
		a.sum += s.Value
		if math.IsNaN(a.worst) || (s.Better == metrics.Lower && s.Value > a.worst) || (s.Better == metrics.Higher && s.Value < a.worst) {
			a.worst, a.worstCols = s.Value, s.Columns
		}
		if s.HasReference() {
			a.refs++
			a.refSum += s.Reference
		}
	}
	for _, k := range order {
		a := byKey[k]
		s := a.s
		s.Value = math.NaN()
		s.Params = map[string]any{"mean_of": fmt.Sprintf("%d %s", a.n, a.arity)}
		if a.n > 0 {
			s.Value = a.sum / float64(a.n)
			s.Params["worst"] = fmt.Sprintf("%.4g (%s)", a.worst, strings.Join(a.worstCols, ", "))
		} else {
			s.Reason = fmt.Sprintf("no defined value among %d %s", a.undefined, a.arity)
		}
		if a.undefined > 0 {
			s.Params["undefined"] = a.undefined
		}
		if a.refs > 0 {
			s.Reference, s.ReferenceKind = a.refSum/float64(a.refs), metrics.ReferenceHoldout
		}
		out[a.pos] = s
	}
	return out, fmt.Sprintf("%d scores: each metric's column and pair scores are summarised as their mean (mean_of) with the worst; --format csv or json lists every score.", len(scores))
}
