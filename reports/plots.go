package reports

import (
	"bufio"
	"bytes"
	"cmp"
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
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
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

// plotFont is the typeface of every plot: Liberation Sans, embedded in
// gonum/plot, drawn by the browser from the page's sans-serif fonts.
var plotFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Text sizes in points (a point is 4/3 of a CSS pixel at the plots' own
// size): titles 11, axis labels 10, ticks and legends 9 (12 px).
const (
	titleSize = 11
	labelSize = 10
	tickSize  = 9
)

// newPlot is plot.New in the report's typeface and text sizes.
func newPlot() *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = font.From(plotFont, titleSize)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(plotFont, labelSize)
		a.Tick.Label.Font = font.From(plotFont, tickSize)
	}
	p.Legend.TextStyle.Font = font.From(plotFont, tickSize)
	p.X.Tick.Marker, p.Y.Tick.Marker = plainTicks{}, plainTicks{}
	return p
}

// plainTicks are gonum's default ticks without trailing zeros (25, not
// 25.00; 0.6, not 0.60).
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if l := ts[i].Label; strings.Contains(l, ".") && !strings.ContainsAny(l, "eE") {
			ts[i].Label = strings.TrimRight(strings.TrimRight(l, "0"), ".")
		}
	}
	return ts
}

var _ plot.Ticker = plainTicks{}

// palette are the methods' colours (Okabe and Ito's colour-blind safe set,
// yellow left out: it does not show on white), then gonum's.
var methodPalette = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xff}, color.RGBA{0xD5, 0x5E, 0x00, 0xff}, color.RGBA{0x00, 0x9E, 0x73, 0xff},
	color.RGBA{0xCC, 0x79, 0xA7, 0xff}, color.RGBA{0xE6, 0x9F, 0x00, 0xff}, color.RGBA{0x56, 0xB4, 0xE9, 0xff},
	color.RGBA{0x8C, 0x56, 0x4B, 0xff}, color.RGBA{0x44, 0x44, 0x44, 0xff},
}

// methodColor is the colour of the k-th method of a page.
func methodColor(k int) color.Color {
	if k < len(methodPalette) {
		return methodPalette[k]
	}
	return plotutil.Color(k - len(methodPalette))
}

// cssColor is c as a CSS hex colour.
func cssColor(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// realColor is the colour of the real data in every plot.
var realColor = color.RGBA{0xa8, 0xa8, 0xa8, 0xff}

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
	p := newPlot()
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
func columnBars(d *Dataset, colorOf func(string) color.Color) *Plot {
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
	p := newPlot()
	p.Y.Label.Text = "tvd (categorical) or ks (numeric), lower is better"
	p.Legend.Top = true
	err := methodBars(p, d, colorOf, func(i int) plotter.Values {
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
func splitBars(d *Dataset, colorOf func(string) color.Color) *Plot {
	sp := TargetSplits(d)
	if len(sp) == 0 || len(okMethods(d)) == 0 {
		return nil
	}
	var names []string
	for _, x := range sp {
		names = append(names, x.Metric+"\ntargeted", x.Metric+"\nuntargeted")
	}
	p := newPlot()
	p.Y.Label.Text = "mean over the joints of each kind"
	p.Legend.Top = true
	err := methodBars(p, d, colorOf, func(i int) plotter.Values {
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
func methodBars(p *plot.Plot, d *Dataset, colorOf func(string) color.Color, values func(i int) plotter.Values) error {
	shown := okMethods(d)
	w := vg.Points(max(4, 60/float64(len(shown))))
	for k, i := range shown {
		b, err := plotter.NewBarChart(values(i), w)
		if err != nil {
			return err
		}
		b.Color = colorOf(d.Methods[i].Label)
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

// axisCaption says what a trade-off axis shows and where its ideal is.
var axisCaption = map[string]string{
	"sdmetrics_quality": "SDMetrics quality (1 = real) ↑",
	"c2st_auc":          "C2ST AUC (0.5 = like real) ↓",
	"membership_auc":    "membership AUC (0.5 = no leak) ↓",
	"dcr_share":         "DCR share (0.5 = no copying) ↓",
}

// tradeOffPlot draws, one panel a dataset of fs, each method at its
// privacy score (membership-attack AUC, else DCR share) against its
// detection AUC (else SDMetrics quality), the point's area proportional to
// its seconds per cell and its bars ± the sd over seeds (or the confidence
// interval where the scorecard has one). A dataset without both scores
// gets no panel. colorOf gives a method's colour.
func tradeOffPlot(fs FirstScreen, colorOf func(string) color.Color) *Plot {
	var svgs, missing []string
	for _, d := range fs.Datasets {
		y := d.ByRole(RoleDetection, "c2st_auc")
		if y == "" {
			y = d.ByRole(RoleFidelity, "sdmetrics_quality")
		}
		x := d.ByRole(RolePrivacy, "membership_auc", "dcr_share")
		if x == "" || y == "" {
			missing = append(missing, d.Name)
			continue
		}
		s, err := tradeOffPanel(d, x, y, colorOf)
		if err != nil {
			return &Plot{Title: "Trade-off", Note: err.Error()}
		}
		svgs = append(svgs, string(s))
	}
	if len(svgs) == 0 {
		return nil
	}
	note := "each point a method at its mean over seeds; area ∝ seconds per cell; bars ± 1 sd over seeds, or the 95% interval where shown"
	if len(missing) > 0 {
		note += "; no privacy or detection score on " + strings.Join(missing, ", ")
	}
	return &Plot{Title: "Trade-off: detection (or fidelity) against privacy, cost as size", SVG: htmlJoin(svgs), Note: note}
}

// spread is the half-width of v's bar: its interval or its sd.
func spread(v ScreenValue) (lo, hi float64) {
	if v.CI {
		return v.Mean - v.Lo, v.Hi - v.Mean
	}
	return v.SD, v.SD
}

func tradeOffPanel(d ScreenDataset, x, y string, colorOf func(string) color.Color) (template.HTML, error) {
	p := newPlot()
	p.Title.Text = d.Name
	p.X.Label.Text, p.Y.Label.Text = axisCaption[x], axisCaption[y]
	var pts plotter.XYs
	var xerr plotter.XErrors
	var yerr plotter.YErrors
	var names []string
	var secs []float64
	var cols []color.Color
	for _, r := range d.Rows {
		xv, okx := d.Value(r, x)
		yv, oky := d.Value(r, y)
		if !okx || !oky {
			continue
		}
		sv, _ := d.Value(r, "seconds")
		pts = append(pts, plotter.XY{X: xv.Mean, Y: yv.Mean})
		xl, xh := spread(xv)
		yl, yh := spread(yv)
		xerr = append(xerr, struct{ Low, High float64 }{xl, xh})
		yerr = append(yerr, struct{ Low, High float64 }{yl, yh})
		names, secs, cols = append(names, r.Method), append(secs, sv.Mean), append(cols, colorOf(r.Method))
	}
	if len(pts) == 0 {
		return "", fmt.Errorf("trade-off of %s: no method has both %s and %s", d.Name, x, y)
	}
	top := slices.Max(secs)
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return "", err
	}
	sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
		r := 4.0
		if top > 0 {
			r = 4 + 10*math.Sqrt(secs[i]/top)
		}
		c := color.NRGBAModel.Convert(cols[i]).(color.NRGBA)
		c.A = 0xb0
		return draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(r), Color: c}
	}
	bars := &struct {
		plotter.XYs
		plotter.XErrors
		plotter.YErrors
	}{pts, xerr, yerr}
	xb, err := plotter.NewXErrorBars(bars)
	if err != nil {
		return "", err
	}
	yb, err := plotter.NewYErrorBars(bars)
	if err != nil {
		return "", err
	}
	xb.LineStyle.Color, yb.LineStyle.Color = color.Gray{Y: 90}, color.Gray{Y: 90}
	p.Add(xb, yb, sc)
	pad := func(lo, hi float64) (float64, float64) {
		w := max(hi-lo, 0.02)
		return lo - 0.12*w, hi + 0.3*w
	}
	p.X.Min, p.X.Max = pad(p.X.Min, p.X.Max)
	p.Y.Min, p.Y.Max = pad(p.Y.Min, p.Y.Max)
	radius := make([]float64, len(pts))
	for i := range pts {
		radius[i] = sc.GlyphStyleFunc(i).Radius.Points()
	}
	// The plotting area is about 7.8 × 5.4 cm (222 × 153 pt) of the panel.
	place := labelPlaces(pts, radius, names, 222/(p.X.Max-p.X.Min), 153/(p.Y.Max-p.Y.Min))
	for i, pl := range place {
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: pts[i : i+1], Labels: names[i : i+1]})
		if err != nil {
			return "", err
		}
		lb.TextStyle[0].Font = font.From(plotFont, tickSize)
		lb.TextStyle[0].XAlign = pl.align
		lb.Offset = vg.Point{X: vg.Points(pl.dx), Y: vg.Points(pl.dy)}
		p.Add(lb)
	}
	return svg(p, 10*vg.Centimeter, 7.5*vg.Centimeter)
}

// labelPlace is where a point's label goes: an offset in points from the
// point and the label's horizontal alignment.
type labelPlace struct {
	dx, dy float64
	align  text.XAlignment
}

// labelPlaces puts each point's label, in order, at the first of a few
// places around it (right, lower right, left, lower left, above, below)
// that overlaps no label placed before and no point, else at the first;
// sx and sy convert data units to points, the label's size is estimated
// from its length (a 9-point sans character is about 5 points wide).
func labelPlaces(pts plotter.XYs, radius []float64, names []string, sx, sy float64) []labelPlace {
	type box struct{ x0, y0, x1, y1 float64 }
	overlap := func(a, b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }
	var taken []box
	for i, p := range pts {
		r := radius[i] * 0.8
		taken = append(taken, box{p.X*sx - r, p.Y*sy - r, p.X*sx + r, p.Y*sy + r})
	}
	out := make([]labelPlace, len(pts))
	for i, p := range pts {
		w, h, r := 5*float64(len([]rune(names[i]))), 10.0, radius[i]+2
		cands := []labelPlace{{r, 1, draw.XLeft}, {r, -h, draw.XLeft}, {-r, 1, draw.XRight}, {-r, -h, draw.XRight},
			{0, r, draw.XCenter}, {0, -r - h, draw.XCenter}}
		out[i] = cands[0]
		for _, c := range cands {
			x0 := p.X*sx + c.dx + float64(c.align)*w
			b := box{x0, p.Y*sy + c.dy, x0 + w, p.Y*sy + c.dy + h}
			free := true
			for k, t := range taken {
				if k != i && overlap(b, t) {
					free = false
					break
				}
			}
			if free {
				out[i] = c
				break
			}
		}
		c := out[i]
		x0 := p.X*sx + c.dx + float64(c.align)*w
		taken = append(taken, box{x0, p.Y*sy + c.dy, x0 + w, p.Y*sy + c.dy + h})
	}
	return out
}

// cdPlot is the critical-difference diagram of a ranking (Demšar 2006,
// "Statistical comparisons of classifiers over multiple data sets", JMLR
// 7:1–30, Fig. 1): the methods at their mean ranks on one axis, a bar the
// length of the critical difference, and a thick line joining each
// largest run of methods whose ranks lie within it of one another.
func cdPlot(d ScreenDataset) *Plot {
	if d.Critical <= 0 {
		return nil
	}
	var pts plotter.XYs
	var names []string
	for k, r := range d.Rows {
		if r.Rank <= 0 {
			continue
		}
		y := 1.0 + float64(k%2)*0.6 + float64(k/2)*0.25
		pts = append(pts, plotter.XY{X: r.Rank, Y: y})
		names = append(names, r.Method)
	}
	if len(pts) < 2 {
		return nil
	}
	p := newPlot()
	p.X.Label.Text = "mean rank (1 = best)"
	p.HideY()
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return &Plot{Title: "Critical difference", Note: err.Error()}
	}
	sc.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(3)}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: names})
	if err != nil {
		return &Plot{Title: "Critical difference", Note: err.Error()}
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font = font.From(plotFont, tickSize)
	}
	lb.Offset = vg.Point{X: vg.Points(5), Y: vg.Points(2)}
	p.Add(sc, lb)
	lo := slices.MinFunc(pts, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) }).X
	cd, err := plotter.NewLine(plotter.XYs{{X: lo, Y: 0.4}, {X: lo + d.Critical, Y: 0.4}})
	if err != nil {
		return &Plot{Title: "Critical difference", Note: err.Error()}
	}
	cd.Width = vg.Points(2)
	p.Add(cd)
	for _, run := range cliques(pts, d.Critical) {
		l, err := plotter.NewLine(plotter.XYs{{X: run[0], Y: 0.7}, {X: run[1], Y: 0.7}})
		if err == nil {
			l.Width, l.Color = vg.Points(4), color.Gray{Y: 110}
			p.Add(l)
		}
	}
	p.Y.Min, p.Y.Max = 0.2, 1.0+0.6+float64(len(pts)/2)*0.25+0.3
	s, err := svg(p, 16*vg.Centimeter, vg.Length(4+0.3*float64(len(pts)))*vg.Centimeter)
	if err != nil {
		return &Plot{Title: "Critical difference", Note: err.Error()}
	}
	return &Plot{Title: "Critical difference: " + d.Name, SVG: s,
		Note: fmt.Sprintf("the bar at the bottom left is the critical difference (%.2f); methods joined by a grey line are not significantly apart", d.Critical)}
}

// cliques returns the largest runs [lo, hi] of the sorted ranks of pts
// spanning less than cd, each not inside another.
func cliques(pts plotter.XYs, cd float64) [][2]float64 {
	xs := make([]float64, len(pts))
	for i, p := range pts {
		xs[i] = p.X
	}
	slices.Sort(xs)
	var out [][2]float64
	last := -1
	for i := range xs {
		j := i
		for j+1 < len(xs) && xs[j+1]-xs[i] < cd {
			j++
		}
		if j > i && j > last {
			out = append(out, [2]float64{xs[i], xs[j]})
			last = j
		}
	}
	return out
}
