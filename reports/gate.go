package reports

import (
	"fmt"
	"io"
	"math"
	"strconv"
)

// Tolerance is how much worse a metric may get before the gate fails: the
// new mean may be worse than the baseline's by up to
// max(SD × standard error of the difference, Rel × |baseline mean|, Abs).
type Tolerance struct {
	// SD is K, the number of standard errors of the difference of the two
	// seed means (sqrt(sd₁²/n₁ + sd₂²/n₂)).
	SD float64 `json:"sd"`
	// Rel is a share of the baseline mean.
	Rel float64 `json:"rel"`
	// Abs is an absolute floor, for metrics whose baseline is 0.
	Abs float64 `json:"abs"`
}

// DefaultTolerance is 3 standard errors, 5 % of the baseline, 1e-9.
var DefaultTolerance = Tolerance{SD: 3, Rel: 0.05, Abs: 1e-9}

// Regression is one metric of one method and dataset that got worse, or a
// method whose cells no longer end ok.
type Regression struct {
	Dataset string `json:"dataset"`
	Method  string `json:"method"`
	Group   string `json:"group,omitempty"`
	Metric  string `json:"metric,omitempty"`
	Columns string `json:"columns,omitempty"`
	Base    Stat   `json:"base"`
	New     Stat   `json:"new"`
	// Allowed is the tolerance the worsening exceeded.
	Allowed float64 `json:"allowed"`
	// Note explains a regression that is not a worse mean.
	Note string `json:"note,omitempty"`
}

// Worse is how much worse the new mean is, in the metric's direction.
func (r Regression) Worse() float64 { return math.Abs(r.New.Mean - r.Base.Mean) }

// Compare lists what got worse from base to cur: every metric of a
// (dataset, method label) present in both whose seed mean moved in the bad
// direction beyond tol, and every method with fewer ok cells than before.
// Metrics or methods present on one side only are not compared.
func Compare(cur, base *Model, tol Tolerance) []Regression {
	var out []Regression
	for _, bd := range base.Datasets {
		nd := cur.Dataset(bd.Name)
		if nd == nil {
			continue
		}
		for bi, bm := range bd.Methods {
			nm := nd.methodOK(bm.Label)
			if nm == nil {
				continue
			}
			if nm.OK < bm.OK {
				out = append(out, Regression{Dataset: bd.Name, Method: bm.Label,
					Note: fmt.Sprintf("%d of %d cells ok, was %d of %d", nm.OK, nm.Seeds, bm.OK, bm.Seeds)})
			}
			for bj, mt := range bd.Metrics {
				bc := bd.Cells[bi][bj]
				nc, _, ok := nd.cell(bm.Label, mt.Key())
				if !ok || bc.N == 0 {
					continue
				}
				r := Regression{Dataset: bd.Name, Method: bm.Label, Group: mt.Group, Metric: mt.Name,
					Columns: mt.Label, Base: bc.Stat, New: nc.Stat}
				if nc.N == 0 {
					r.Note = "no value: " + nc.Reason
					out = append(out, r)
					continue
				}
				se := math.Sqrt(sq(bc.SD)/float64(bc.N) + sq(nc.SD)/float64(nc.N))
				r.Allowed = max(tol.SD*se, tol.Rel*math.Abs(bc.Mean), tol.Abs)
				if better(mt.Better, bc.Mean, nc.Mean) && r.Worse() > r.Allowed {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

func sq(x float64) float64 { return x * x }

func (d *Dataset) methodOK(label string) *Method {
	for _, me := range d.Methods {
		if me.Label == label {
			return me
		}
	}
	return nil
}

// WriteRegressionsJSON writes {"passed": bool, "tolerance": ..., "regressions": [...]}.
func WriteRegressionsJSON(w io.Writer, regs []Regression, tol Tolerance) error {
	if regs == nil {
		regs = []Regression{}
	}
	return writeJSON(w, struct {
		Passed      bool         `json:"passed"`
		Tolerance   Tolerance    `json:"tolerance"`
		Regressions []Regression `json:"regressions"`
	}{len(regs) == 0, tol, regs})
}

// WriteRegressions writes the gate's verdict: a line saying whether it
// passed and a table of the regressions (Markdown when markdown is set, for
// a CI comment).
func WriteRegressions(w io.Writer, markdown bool, regs []Regression, tol Tolerance) error {
	ew := &errWriter{w: w}
	tolText := fmt.Sprintf("tolerance: %g standard errors, %g%% of the baseline", tol.SD, tol.Rel*100)
	if len(regs) == 0 {
		if markdown {
			ew.printf("### Regression gate: passed\n\nNo metric got worse beyond the %s.\n", tolText)
		} else {
			ew.printf("regression gate: passed (no metric got worse beyond the %s)\n", tolText)
		}
		return ew.err
	}
	if markdown {
		ew.printf("### Regression gate: failed\n\n%d metrics got worse beyond the %s.\n\n", len(regs), tolText)
	} else {
		ew.printf("regression gate: failed: %d metrics got worse beyond the %s\n", len(regs), tolText)
	}
	var rows [][]string
	for _, r := range regs {
		dec := 4
		rows = append(rows, []string{r.Dataset, r.Method, r.Group, r.Metric, r.Columns,
			statText(r.Base, dec), statText(r.New, dec), gateAllowed(r), r.Note})
	}
	grid(ew, style{markdown: markdown}, []string{"dataset", "method", "group", "metric", "columns", "baseline", "new", "allowed", "note"}, rows)
	return ew.err
}

func gateAllowed(r Regression) string {
	if r.Note != "" {
		return ""
	}
	return "±" + strconv.FormatFloat(r.Allowed, 'g', 3, 64)
}
