package reports

import (
	"io"
	"math"
	"strconv"
	"strings"
)

// CSVHeader is the header of WriteCSV: one row per dataset × method ×
// metric, numbers in their shortest round-trip form, empty when undefined.
var CSVHeader = []string{"dataset", "method", "name", "planner", "backend", "group", "metric", "columns",
	"better", "targeted", "n", "mean", "sd", "min", "max", "best", "reason"}

// WriteCSV writes the model's cells as CSV.
func WriteCSV(w io.Writer, m *Model) error {
	return writeCSV(w, CSVHeader, func(emit func([]string) error) error {
		for _, d := range m.Datasets {
			for i, me := range d.Methods {
				for j, mt := range d.Metrics {
					c := d.Cells[i][j]
					lo, hi := minMax(c.Values)
					if err := emit([]string{d.Name, me.Label, me.Name, me.Planner, me.Backend, mt.Group, mt.Name,
						strings.Join(mt.Columns, ","), string(mt.Better), targetedCSV(mt.Targeted), strconv.Itoa(c.N),
						num(c.N > 0, c.Mean), num(c.N > 1, c.SD), num(c.N > 0, lo), num(c.N > 0, hi),
						strconv.FormatBool(c.Best), c.Reason}); err != nil {
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
