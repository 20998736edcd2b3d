package reports

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// Pair-association heat maps: how strongly each pair of columns goes
// together in the real data, and how far each method's synthetic data is
// from it.

// maxPairColumns is the most columns a heat map shows (the first ones).
const maxPairColumns = 20

// association is a pair's association: Pearson's r of two numeric columns
// (raw values, rows with both present), else Cramér's V of the pair's
// contingency table over the space's cells (numeric columns in the real
// data's quantile bins, missing a category of its own); NaN when
// undefined (a constant column).
//
// References: metrics.Pearson (scipy.stats.pearsonr) and metrics.CramersV
// (scipy.stats.contingency.association, method="cramer").
func association(t *table.Table, enc *macro.Encoded, a, b *macro.Var) float64 {
	ca, cb := t.Col(a.Name), t.Col(b.Name)
	if ca == nil || cb == nil {
		return math.NaN()
	}
	if numericValues(ca) && numericValues(cb) {
		x, y := make([]float64, ca.Len()), make([]float64, cb.Len())
		for i := range x {
			x[i], y[i] = ca.Float(i), cb.Float(i)
		}
		r, err := metrics.Pearson(x, y)
		if err != nil {
			return math.NaN()
		}
		return r
	}
	ka, kb := enc.Col(a.Name), enc.Col(b.Name)
	counts := make([]float64, a.Size()*b.Size())
	for i := range ka {
		counts[int(ka[i])*b.Size()+int(kb[i])]++
	}
	v, err := metrics.CramersV(counts, a.Size(), b.Size())
	if err != nil {
		return math.NaN()
	}
	return v
}

// numericValues reports whether c holds numbers Pearson's r applies to.
func numericValues(c *table.Column) bool { return c.Kind == table.Integer || c.Kind == table.Float }

// pairMatrix is the association of every pair (i > j) of vars in t.
func pairMatrix(t *table.Table, enc *macro.Encoded, vars []*macro.Var) [][]float64 {
	m := make([][]float64, len(vars))
	for i := range vars {
		m[i] = make([]float64, len(vars))
		for j := range m[i] {
			m[i][j] = math.NaN()
		}
		for j := range i {
			m[i][j] = association(t, enc, vars[i], vars[j])
		}
	}
	return m
}

// pairDiff is |real − synth| per pair; NaN where either is undefined.
func pairDiff(real, synth [][]float64) [][]float64 {
	out := make([][]float64, len(real))
	for i := range real {
		out[i] = make([]float64, len(real[i]))
		for j := range real[i] {
			out[i][j] = math.Abs(real[i][j] - synth[i][j])
		}
	}
	return out
}

// meanDefined is the mean of the defined lower-triangle values of m.
func meanDefined(m [][]float64) float64 {
	s, n := 0.0, 0
	for i := range m {
		for j := range i {
			if !math.IsNaN(m[i][j]) {
				s += m[i][j]
				n++
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// ramp is a palette of n colours from one colour to another.
type ramp struct {
	from, to color.RGBA
	n        int
}

func (r ramp) Colors() []color.Color {
	out := make([]color.Color, r.n)
	for k := range out {
		f := float64(k) / float64(r.n-1)
		mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + f*(float64(b)-float64(a)))) }
		out[k] = color.RGBA{mix(r.from.R, r.to.R), mix(r.from.G, r.to.G), mix(r.from.B, r.to.B), 0xff}
	}
	return out
}

var _ palette.Palette = ramp{}

// The heat maps' scales: the real associations from white to blue, the
// differences from white to red.
var (
	assocRamp = ramp{color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0x21, 0x66, 0xac, 0xff}, 64}
	diffRamp  = ramp{color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0xd6, 0x60, 0x4d, 0xff}, 64}
)

// pairPanel draws the lower triangle of m (rows vars 1.., columns vars
// ..n-2) over the scale [0, top] of pal, each cell labelled with its value
// (two decimals); abs shows |m|.
func pairPanel(title string, names []string, m [][]float64, pal palette.Palette, top float64, abs bool) Plot {
	n := len(names)
	if n < 2 {
		return Plot{Title: title, Note: "fewer than two columns"}
	}
	g := heatGrid{}
	g.cols = names[:n-1]
	var pts plotter.XYs
	var texts []string
	for r := range n - 1 {
		i := n - 1 - r // the top row is the second column
		g.rows = append(g.rows, names[i])
		row := make([]float64, n-1)
		for j := range n - 1 {
			row[j] = math.NaN()
			if j < i && !math.IsNaN(m[i][j]) {
				row[j] = m[i][j]
				if abs {
					row[j] = math.Abs(row[j])
				}
				pts = append(pts, plotter.XY{X: float64(j), Y: float64(r)})
				texts = append(texts, strconv.FormatFloat(row[j], 'f', 2, 64))
			}
		}
		g.z = append(g.z, row)
	}
	p := newPlot()
	p.Title.Text = title
	h := plotter.NewHeatMap(g, pal)
	h.Min, h.Max = 0, top+1e-9
	h.NaN = color.Transparent
	h.Overflow = pal.Colors()[len(pal.Colors())-1]
	p.Add(h)
	if len(pts) > 0 {
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: texts})
		if err == nil {
			for k := range lb.TextStyle {
				lb.TextStyle[k].Font = font.From(plotFont, tickSize)
				lb.TextStyle[k].XAlign, lb.TextStyle[k].YAlign = draw.XCenter, draw.YCenter
			}
			p.Add(lb)
		}
	}
	p.NominalX(g.cols...)
	p.NominalY(g.rows...)
	p.X.Tick.Label.Rotation = math.Pi / 4
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -1, -0.5
	margin := vg.Length(min(longest(names), 18))*0.2*vg.Centimeter + 1.5*vg.Centimeter
	side := vg.Length(n-1)*0.95*vg.Centimeter + margin
	s, err := svg(p, side, side)
	if err != nil {
		return Plot{Title: title, Note: err.Error()}
	}
	return Plot{Title: title, SVG: s}
}

// pairPlots draws the real data's pair associations and, for each
// synthetic table, |real − synthetic| per pair on one scale.
func pairPlots(real *table.Table, space *macro.Space, encReal *macro.Encoded, labels []string, synths []*table.Table, encs []*macro.Encoded) ([]Plot, string) {
	var vars []*macro.Var
	for _, v := range space.Vars {
		if v.Name != real.GroupKey {
			vars = append(vars, v)
		}
	}
	note := ""
	if len(vars) > maxPairColumns {
		note = fmt.Sprintf("the first %d of %d columns", maxPairColumns, len(vars))
		vars = vars[:maxPairColumns]
	}
	names := make([]string, len(vars))
	for i, v := range vars {
		names[i] = v.Name
	}
	rm := pairMatrix(real, encReal, vars)
	diffs := make([][][]float64, len(synths))
	top := 0.1
	for k, s := range synths {
		diffs[k] = pairDiff(rm, pairMatrix(s, encs[k], vars))
		for i := range diffs[k] {
			for j := range i {
				if v := diffs[k][i][j]; !math.IsNaN(v) {
					top = max(top, v)
				}
			}
		}
	}
	top = math.Min(top, 1)
	out := []Plot{pairPanel("real (training split)\nassociation: |r| or V", names, rm, assocRamp, 1, true)}
	for k := range synths {
		title := fmt.Sprintf("%s\n|real − synthetic|, mean %s", labels[k], FormatValue(meanDefined(diffs[k])))
		out = append(out, pairPanel(title, names, diffs[k], diffRamp, top, false))
	}
	return out, note
}
