package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/synthor"
)

// Plot is one SVG figure of the HTML report.
type Plot struct {
	Title string
	SVG   template.HTML
	// Note says what the figure shows or why it is missing.
	Note string
}

// svg renders p as an inline <svg> element (no XML prolog).
func svg(p *plot.Plot, w, h vg.Length) (template.HTML, error) {
	var buf bytes.Buffer
	wt, err := p.WriterTo(w, h, "svg")
	if err != nil {
		return "", err
	}
	if _, err := wt.WriteTo(&buf); err != nil {
		return "", err
	}
	b := buf.Bytes()
	if i := bytes.Index(b, []byte("<svg")); i > 0 {
		b = b[i:]
	}
	return template.HTML(b), nil // #nosec: gonum's own SVG output
}

// maxTraceLines bounds the iterations read from one trace, and
// maxTraceLine one line of it.
const (
	maxTraceLines = 100000
	maxTraceLine  = 64 << 20
)

// readTrace reads a synthor trace (JSON lines of synthor.TraceLine).
func readTrace(path string) ([]synthor.TraceLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), maxTraceLine)
	var out []synthor.TraceLine
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		if n > maxTraceLines {
			break
		}
		var l synthor.TraceLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// traceFile returns the trace of a result, "" when it has none.
func traceFile(r *bench.Result, dir string) string {
	for _, f := range r.Files {
		if strings.HasSuffix(f, "trace.jsonl") {
			if !safeRel(f) {
				return ""
			}
			return filepath.Join(dir, f)
		}
	}
	return ""
}

// tracePlots draws, for the first seed of each LLMSynthor method of a
// dataset with a trace, the discrepancy (positive mass of each targeted
// table's deficit, in shares) against iteration: joints and marginals in
// two figures.
func tracePlots(run *Run, d *Dataset) []Plot {
	var out []Plot
	for _, me := range d.Methods {
		r, dir := firstTrace(run, d.Name, me.Label)
		if r == nil {
			continue
		}
		lines, err := readTrace(traceFile(r, dir))
		if err != nil {
			out = append(out, Plot{Title: me.Label + ": discrepancy", Note: "trace unreadable: " + err.Error()})
			continue
		}
		for _, joint := range []bool{true, false} {
			kind := "marginals"
			if joint {
				kind = "joints"
			}
			p, n := discrepancyPlot(lines, joint)
			title := fmt.Sprintf("%s (seed %d): targeted %s, discrepancy by iteration", me.Label, r.Seed, kind)
			if n == 0 {
				continue
			}
			p.Title.Text = ""
			s, err := svg(p, 16*vg.Centimeter, 9*vg.Centimeter)
			if err != nil {
				out = append(out, Plot{Title: title, Note: err.Error()})
				continue
			}
			out = append(out, Plot{Title: title, SVG: s,
				Note: "the trace tracks the targeted tables only; untargeted statistics are compared in the score tables"})
		}
	}
	return out
}

func firstTrace(run *Run, dataset, label string) (*bench.Result, string) {
	var best *bench.Result
	dir := ""
	for i := range run.Results {
		r := &run.Results[i]
		if r.Dataset != dataset || labelOf(r) != label || r.Status != bench.StatusOK || traceFile(r, run.Dirs[i]) == "" {
			continue
		}
		if best == nil || r.Seed < best.Seed {
			best, dir = r, run.Dirs[i]
		}
	}
	return best, dir
}

func labelOf(r *bench.Result) string { return label(r) }

// discrepancyPlot draws one line per table key of the kind asked.
func discrepancyPlot(lines []synthor.TraceLine, joint bool) (*plot.Plot, int) {
	keys := map[string]bool{}
	for _, l := range lines {
		for k := range l.Discrepancy {
			if strings.Contains(k, ",") == joint {
				keys[k] = true
			}
		}
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	p := plot.New()
	p.X.Label.Text = "iteration"
	p.Y.Label.Text = "discrepancy (share of records)"
	p.Legend.Top = true
	for i, k := range names {
		pts := make(plotter.XYs, 0, len(lines))
		for _, l := range lines {
			if v, ok := l.Discrepancy[k]; ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				pts = append(pts, plotter.XY{X: float64(l.Iteration), Y: v})
			}
		}
		ln, err := plotter.NewLine(pts)
		if err != nil {
			continue
		}
		ln.Color = plotutil.Color(i)
		ln.Width = vg.Points(1.5)
		ln.Dashes = plotutil.Dashes(i / 7)
		p.Add(ln)
		p.Legend.Add(k, ln)
	}
	return p, len(names)
}

// columnBars draws, for each column with a per-column distance (tvd for
// categorical columns, ks for numeric ones), one bar per method.
func columnBars(d *Dataset) *Plot {
	var cols []string
	idx := map[string]int{}
	for j, mt := range d.Metrics {
		if len(mt.Columns) != 1 || (mt.Name != "tvd" && mt.Name != "ks") {
			continue
		}
		if _, ok := idx[mt.Columns[0]]; !ok {
			idx[mt.Columns[0]] = j
			cols = append(cols, mt.Columns[0])
		}
	}
	if len(cols) == 0 || len(okMethods(d)) == 0 {
		return nil
	}
	p := plot.New()
	p.Y.Label.Text = "tvd (categorical) or ks (numeric), lower is better"
	p.Legend.Top = true
	err := methodBars(p, d, func(i int) plotter.Values {
		vals := make(plotter.Values, len(cols))
		for k, c := range cols {
			if cell := d.Cells[i][idx[c]]; cell.N > 0 {
				vals[k] = cell.Mean
			}
		}
		return vals
	})
	if err != nil {
		return &Plot{Title: "Per-column distance", Note: err.Error()}
	}
	p.NominalX(cols...)
	p.Y.Max *= 1.3
	s, err := svg(p, vg.Length(max(16, 3*float64(len(cols))))*vg.Centimeter, 9*vg.Centimeter)
	if err != nil {
		return &Plot{Title: "Per-column distance", Note: err.Error()}
	}
	return &Plot{Title: "Per-column distance to the real marginal (mean over seeds)", SVG: s,
		Note: "results hold scores, not data: each bar is the method's distance between its synthetic and the real marginal of the column"}
}

// splitBars draws the targeted and untargeted means of each split metric.
func splitBars(d *Dataset) *Plot {
	sp := TargetSplits(d)
	if len(sp) == 0 || len(okMethods(d)) == 0 {
		return nil
	}
	var names []string
	for _, x := range sp {
		names = append(names, x.Metric+"\ntargeted", x.Metric+"\nuntargeted")
	}
	p := plot.New()
	p.Y.Label.Text = "mean over the joints of each kind"
	p.Legend.Top = true
	err := methodBars(p, d, func(i int) plotter.Values {
		var vals plotter.Values
		for _, x := range sp {
			vals = append(vals, zeroNaN(x.Targeted[i]), zeroNaN(x.Untargeted[i]))
		}
		return vals
	})
	if err != nil {
		return &Plot{Title: "Targeted and untargeted", Note: err.Error()}
	}
	p.NominalX(names...)
	p.Y.Max *= 1.3
	s, err := svg(p, vg.Length(max(16, 3.2*float64(len(names))))*vg.Centimeter, 9*vg.Centimeter)
	if err != nil {
		return &Plot{Title: "Targeted and untargeted", Note: err.Error()}
	}
	return &Plot{Title: "Targeted and untargeted joints apart", SVG: s,
		Note: "targeted: the statistics the synthesizer was aligned to; untargeted: the others"}
}

// methodBars adds to p, for each method of d with an ok cell, a bar chart
// of its values side by side with the others', one colour and legend
// entry a method.
func methodBars(p *plot.Plot, d *Dataset, values func(i int) plotter.Values) error {
	shown := okMethods(d)
	w := vg.Points(max(4, 60/float64(len(shown))))
	for k, i := range shown {
		b, err := plotter.NewBarChart(values(i), w)
		if err != nil {
			return err
		}
		b.Color = plotutil.Color(k)
		b.LineStyle.Width = 0
		b.Offset = w * vg.Length(float64(k)-float64(len(shown)-1)/2)
		p.Add(b)
		p.Legend.Add(d.Methods[i].Label, b)
	}
	return nil
}

// okMethods are the indexes of the methods with an ok cell.
func okMethods(d *Dataset) []int {
	var out []int
	for i, me := range d.Methods {
		if me.OK > 0 {
			out = append(out, i)
		}
	}
	return out
}

func zeroNaN(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// costPlot draws each method's mean rank on a dataset against its mean
// seconds per cell (and tokens when an LLM ran: in the point's label).
func costPlot(d *Dataset) *Plot {
	rank := map[string]float64{}
	for _, r := range d.Ranking {
		rank[r.Label] = r.MeanRank
	}
	p := plot.New()
	p.X.Label.Text = "seconds per cell (mean over seeds)"
	p.Y.Label.Text = "mean rank (1 = best)"
	var pts plotter.XYs
	var labels []string
	for _, me := range d.Methods {
		r, ok := rank[me.Label]
		if !ok || me.TotalS.N == 0 {
			continue
		}
		pts = append(pts, plotter.XY{X: me.TotalS.Mean, Y: r})
		l := me.Label
		if me.Backend != "" && !strings.Contains(l, me.Backend) {
			l += " [" + me.Backend + "]"
		}
		if me.Tokens.N > 0 {
			l += fmt.Sprintf(" (%.0f tokens, $%.4f)", me.Tokens.Mean, me.CostUSD.Mean)
		}
		labels = append(labels, l)
	}
	if len(pts) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return &Plot{Title: "Quality against cost", Note: err.Error()}
	}
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	sc.GlyphStyle.Radius = vg.Points(4)
	sc.GlyphStyle.Color = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		return &Plot{Title: "Quality against cost", Note: err.Error()}
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].XAlign = draw.XLeft
	}
	lb.Offset = vg.Point{X: vg.Points(6)}
	p.Add(sc, lb)
	p.Y.Scale = plot.LinearScale{}
	p.Y.Min, p.Y.Max = math.Max(0.5, p.Y.Min-0.5), p.Y.Max+0.5
	p.X.Min, p.X.Max = 0, p.X.Max*1.6+0.01
	s, err := svg(p, 16*vg.Centimeter, 9*vg.Centimeter)
	if err != nil {
		return &Plot{Title: "Quality against cost", Note: err.Error()}
	}
	return &Plot{Title: "Quality against cost", SVG: s,
		Note: "lower left is better: a low mean rank for few seconds per cell"}
}
