package reports

import (
	"io"
	"math"
	"strconv"
	"strings"
)

// CSVHeader is the header of WriteCSV: the scorecard's rows first (table
// "scorecard": one per dataset × method × headline score; group is the
// score's source, metric its key, columns the params it was picked by),
// then one row per dataset × method × metric (table "scores"); numbers in
// their shortest round-trip form, empty when undefined. ci_low and ci_high
// bound the mean's t interval at the scorecard's level; reference is what
// unseen real data scores, where known.
var CSVHeader = []string{"table", "dataset", "method", "name", "planner", "backend", "group", "metric", "columns",
	"better", "targeted", "n", "mean", "sd", "min", "max", "best", "reason", "ci_low", "ci_high", "reference", "reference_kind"}

// WriteCSV writes the scorecard and the model's cells as CSV.
func WriteCSV(w io.Writer, m *Model) error {
	level := DefaultLevel
	if m.Scorecard != nil {
		level = m.Scorecard.Level
	}
	return writeCSV(w, CSVHeader, func(emit func([]string) error) error {
		if err := scorecardCSV(m.Scorecard, emit); err != nil {
			return err
		}
		for _, d := range m.Datasets {
			for i, me := range d.Methods {
				for j, mt := range d.Metrics {
					c := d.Cells[i][j]
					lo, hi := minMax(c.Values)
					cl, ch, ok := MeanCI(c.Stat, level)
					if err := emit([]string{"scores", d.Name, me.Label, me.Name, me.Planner, me.Backend, mt.Group, mt.Name,
						strings.Join(mt.Columns, ","), string(mt.Better), targetedCSV(mt.Targeted), strconv.Itoa(c.N),
						num(c.N > 0, c.Mean), num(c.N > 1, c.SD), num(c.N > 0, lo), num(c.N > 0, hi),
						strconv.FormatBool(c.Best), c.Reason, num(ok, cl), num(ok, ch), "", ""}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

func targetedCSV(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func num(ok bool, v float64) string {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func minMax(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	lo, hi := xs[0], xs[0]
	for _, x := range xs[1:] {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

// WriteJSON writes the model as indented JSON (the Model's fields).
func WriteJSON(w io.Writer, m *Model) error { return writeJSON(w, m) }
