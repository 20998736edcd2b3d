package reports

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// Distribution plots: each column's real against synthetic distribution,
// one small panel a method, the panels of a column side by side on one
// scale.

// Bins of the distribution plots: numeric columns get histBins equal-width
// bins over the real data's 0.5–99.5% range (values beyond it in the edge
// bins), or a bin per value for an integer column of at most maxUnitBins
// values there; categorical ones their maxCategories most frequent real
// categories and "other".
const (
	histBins      = 24
	maxUnitBins   = 30
	maxCategories = 12
)

// maxDistColumns is the most columns whose distributions the page draws
// (the first ones), which bounds its size: about 10 KB a panel.
const maxDistColumns = 40

// distribution is one column's shares of its non-missing values over bins
// shared by the real and every synthetic table.
type distribution struct {
	column  string
	numeric bool
	// edges bound the numeric bins (len(real)+1 of them); labels name the
	// categorical ones.
	edges  []float64
	labels []string
	real   []float64
	synths [][]float64
	// missing is the share of missing values: real, then each synthetic.
	missing []float64
	note    string
}

// newDistribution bins real and the synthetic columns (nil where a table
// lacks the column).
func newDistribution(real *table.Column, synths []*table.Column) distribution {
	d := distribution{column: real.Name, numeric: real.Kind.Numeric()}
	cols := append([]*table.Column{real}, synths...)
	for _, c := range cols {
		m := 0.0
		if c != nil && c.Len() > 0 {
			m = float64(c.NullCount()) / float64(c.Len())
		}
		d.missing = append(d.missing, m)
	}
	if d.numeric {
		d.edges, d.note = numericEdges(real)
		for k, c := range cols {
			sh := histShares(c, d.edges)
			if k == 0 {
				d.real = sh
			} else {
				d.synths = append(d.synths, sh)
			}
		}
		return d
	}
	d.labels, d.note = topCategories(real)
	if !slices.Contains(d.labels, "other") && slices.ContainsFunc(synths, func(c *table.Column) bool { return unlabelled(c, d.labels) }) {
		d.labels = append(d.labels, "other")
		d.note = joinNotes(d.note, "synthetic categories the real data lacks are counted as other")
	}
	for k, c := range cols {
		sh := categoryShares(c, d.labels)
		if k == 0 {
			d.real = sh
		} else {
			d.synths = append(d.synths, sh)
		}
	}
	return d
}

// numericEdges returns the bin edges of a numeric column (see histBins).
func numericEdges(c *table.Column) ([]float64, string) {
	vals := c.Values()
	vals = slices.DeleteFunc(vals, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
	if len(vals) == 0 {
		return []float64{0, 1}, "no real values"
	}
	slices.Sort(vals)
	lo, hi := macro.Quantile(vals, 0.005), macro.Quantile(vals, 0.995)
	note := ""
	if lo > vals[0] || hi < vals[len(vals)-1] {
		note = "values beyond the real data's 0.5–99.5% range are counted in the edge bins"
	}
	if c.Kind == table.Integer {
		// Bins of whole numbers of values: one value a bin for a short
		// range, else the fewest values a bin that keeps histBins bins.
		lo, hi := math.Floor(lo), math.Ceil(hi)
		width := 1.0
		if hi-lo+1 > maxUnitBins {
			width = math.Ceil((hi - lo + 1) / histBins)
		}
		var edges []float64
		for v := lo - 0.5; v < hi+0.5; v += width {
			edges = append(edges, v)
		}
		return append(edges, edges[len(edges)-1]+width), note
	}
	if hi <= lo {
		return []float64{lo - 0.5, lo + 0.5}, note
	}
	edges := make([]float64, histBins+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/histBins
	}
	return edges, note
}

// histShares is the share of c's non-missing values in each bin, values
// outside the edges counted in the edge bins; nil for a nil column.
func histShares(c *table.Column, edges []float64) []float64 {
	if c == nil {
		return nil
	}
	out := make([]float64, len(edges)-1)
	n := 0.0
	for i := range c.Len() {
		v := c.Float(i)
		if math.IsNaN(v) {
			continue
		}
		k, _ := slices.BinarySearch(edges, v)
		out[min(max(k-1, 0), len(out)-1)]++
		n++
	}
	return normalise(out, n)
}

func normalise(xs []float64, n float64) []float64 {
	if n > 0 {
		for i := range xs {
			xs[i] /= n
		}
	}
	return xs
}

// topCategories returns the maxCategories most frequent values of c (ties
// in first-seen order), with "other" when there are more.
func topCategories(c *table.Column) ([]string, string) {
	count := map[string]int{}
	var order []string
	for i := range c.Len() {
		if c.IsNull(i) {
			continue
		}
		s := c.String(i)
		if count[s] == 0 {
			order = append(order, s)
		}
		count[s]++
	}
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(count[b], count[a]) })
	if len(order) <= maxCategories {
		return order, ""
	}
	rest := len(order) - (maxCategories - 1)
	return append(order[:maxCategories-1:maxCategories-1], "other"),
		strconv.Itoa(rest) + " rarer real categories, and synthetic ones the real data lacks, are counted as other"
}

// unlabelled reports whether c has a value none of labels names.
func unlabelled(c *table.Column, labels []string) bool {
	if c == nil {
		return false
	}
	for i := range c.Len() {
		if !c.IsNull(i) && !slices.Contains(labels, c.String(i)) {
			return true
		}
	}
	return false
}

// categoryShares is the share of c's non-missing values of each label, the
// values without a label of their own counted as the last label when it is
// "other" (else left out); nil for a nil column.
func categoryShares(c *table.Column, labels []string) []float64 {
	if c == nil {
		return nil
	}
	index := make(map[string]int, len(labels))
	for k, l := range labels {
		index[l] = k
	}
	other := -1
	if n := len(labels); n > 0 && labels[n-1] == "other" {
		other = n - 1
		delete(index, "other")
	}
	out := make([]float64, len(labels))
	n := 0.0
	for i := range c.Len() {
		if c.IsNull(i) {
			continue
		}
		n++
		if k, ok := index[c.String(i)]; ok {
			out[k]++
		} else if other >= 0 {
			out[other]++
		}
	}
	return normalise(out, n)
}

// top is the largest share of d, real or synthetic: the panels' common
// scale.
func (d distribution) top() float64 {
	t := slices.Max(append([]float64{0}, d.real...))
	for _, s := range d.synths {
		if len(s) > 0 {
			t = max(t, slices.Max(s))
		}
	}
	return t
}

// tvd is the total variation distance between the real and the k-th
// synthetic shares over d's bins: ½ Σ |p − q|.
func (d distribution) tvd(k int) float64 {
	if d.synths[k] == nil {
		return math.NaN()
	}
	s := 0.0
	for i, p := range d.real {
		s += math.Abs(p - d.synths[k][i])
	}
	return s / 2
}

// Panel sizes of the distribution plots.
const (
	panelW = 7 * vg.Centimeter
	panelH = 5 * vg.Centimeter
)

// distPanel draws real (grey) against the k-th synthetic distribution of d
// (in colour): overlaid histograms for a numeric column, bars side by side
// for a categorical one; the y axis from 0 to top.
func distPanel(d distribution, k int, title string, col color.Color, top float64) Plot {
	p := newPlot()
	p.Title.Text = fmt.Sprintf("%s · TVD %s", title, FormatValue(d.tvd(k)))
	p.Y.Label.Text = "share"
	p.Y.Min, p.Y.Max = 0, top*1.08+1e-12
	h := panelH
	if d.numeric {
		real, synth := histogram(d.edges, d.real), histogram(d.edges, d.synths[k])
		real.FillColor, real.LineStyle.Width = realColor, 0
		synth.FillColor, synth.LineStyle.Color, synth.LineStyle.Width = nil, col, vg.Points(1.6)
		p.Add(real, synth)
		p.X.Label.Text = d.column
	} else {
		w := vg.Points(max(3, 70/float64(len(d.labels))))
		for j, sh := range [][]float64{d.real, d.synths[k]} {
			b, err := plotter.NewBarChart(plotter.Values(sh), w)
			if err != nil {
				return Plot{Title: title, Note: err.Error()}
			}
			b.LineStyle.Width = 0
			b.Color = realColor
			if j == 1 {
				b.Color = col
			}
			b.Offset = w * vg.Length(float64(j)-0.5)
			p.Add(b)
		}
		p.NominalX(d.labels...)
		if len(d.labels) > 4 {
			p.X.Tick.Label.Rotation = math.Pi / 4
			p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -1, -0.5
			h += vg.Length(min(longest(d.labels), 14)) * 0.16 * vg.Centimeter
		}
	}
	p.Y.Max = top*1.08 + 1e-12
	s, err := svg(p, panelW, h)
	if err != nil {
		return Plot{Title: title, Note: err.Error()}
	}
	return Plot{Title: title, SVG: s}
}

// histogram is a gonum histogram of shares over edges.
func histogram(edges, shares []float64) *plotter.Histogram {
	h := &plotter.Histogram{Width: edges[1] - edges[0]}
	for i, s := range shares {
		h.Bins = append(h.Bins, plotter.HistogramBin{Min: edges[i], Max: edges[i+1], Weight: s})
	}
	return h
}

// longest is the length of the longest label, in characters.
func longest(labels []string) int {
	n := 0
	for _, l := range labels {
		n = max(n, len([]rune(l)))
	}
	return n
}

// distRow is one column's panels: its real distribution against each
// method's.
type distRow struct {
	Column, Kind, Note string
	Panels             []Plot
}

// distRows draws a row of panels for every column of real (its group key
// aside), one panel for each synthetic table; colors[k] is the colour of
// synths[k], labels[k] its title.
func distRows(real *table.Table, labels []string, synths []*table.Table, colors []color.Color) []distRow {
	var out []distRow
	for _, c := range real.Cols {
		if c.Name == real.GroupKey {
			continue
		}
		if len(out) == maxDistColumns {
			out = append(out, distRow{Column: "…", Note: fmt.Sprintf("the first %d of %d columns are drawn", maxDistColumns, real.NumCols())})
			break
		}
		cols := make([]*table.Column, len(synths))
		for k, s := range synths {
			cols[k] = s.Col(c.Name)
		}
		d := newDistribution(c, cols)
		row := distRow{Column: c.Name, Kind: c.Kind.String(), Note: d.note}
		if d.missing[0] > 0 {
			row.Note = joinNotes(row.Note, fmt.Sprintf("%.1f%% of the real values are missing (not shown)", 100*d.missing[0]))
		}
		top := d.top()
		for k := range synths {
			if cols[k] == nil {
				row.Panels = append(row.Panels, Plot{Title: labels[k], Note: "the synthetic table has no column " + c.Name})
				continue
			}
			row.Panels = append(row.Panels, distPanel(d, k, labels[k], colors[k], top))
		}
		out = append(out, row)
	}
	return out
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
