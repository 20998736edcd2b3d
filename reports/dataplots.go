package reports

import (
	"fmt"
	"html/template"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// dataFile returns a result's synthetic table file, "" when it has none.
func dataFile(r *bench.Result, dir string) string {
	for _, f := range r.Files {
		if strings.Contains(filepath.Base(f), "synth.") && safeRel(f) {
			return filepath.Join(dir, f)
		}
	}
	return ""
}

// safeRel reports whether f stays inside its run directory: relative,
// without "..", not empty.
func safeRel(f string) bool { return filepath.IsLocal(f) }

// synthTables reads, for each method of d with an ok cell, the synthetic
// table of its lowest seed, in d's method order; methods without one are
// skipped, with a note.
func synthTables(run *Run, d *Dataset, real *table.Table) (labels []string, tables []*table.Table, notes []string) {
	opts := table.ReadOptions{Schema: real.Schema()}
	for _, me := range d.Methods {
		var best *bench.Result
		dir := ""
		for i := range run.Results {
			r := &run.Results[i]
			if r.Dataset == d.Name && label(r) == me.Label && r.Status == bench.StatusOK && dataFile(r, run.Dirs[i]) != "" &&
				(best == nil || r.Seed < best.Seed) {
				best, dir = r, run.Dirs[i]
			}
		}
		if best == nil {
			continue
		}
		t, err := table.ReadFile(dataFile(best, dir), opts)
		if err != nil {
			notes = append(notes, me.Label+": "+err.Error())
			continue
		}
		labels, tables = append(labels, fmt.Sprintf("%s (seed %d)", me.Label, best.Seed)), append(tables, t)
	}
	return labels, tables, notes
}

// dataSection is what the HTML report draws from a dataset's data files.
type dataSection struct {
	// Legend names the colour of each method's synthetic data.
	Legend []legendItem
	// Dists are each column's real against synthetic distributions.
	Dists []distRow
	// Pairs are the pair-association heat maps (the real data's, then
	// each method's difference); PairNote says what they leave out.
	Pairs    []Plot
	PairNote string
	// Joints are the targeted joints of each LLMSynthor method.
	Joints []Plot
	// Problems are the files that could not be read or binned.
	Problems []Plot
}

// legendItem is a method and its colour (CSS).
type legendItem struct{ Label, Color string }

// dataPlots draws, when the real table of d is known, from the synthetic
// table of each method's lowest seed: each column's real and synthetic
// distributions, the pair-association heat maps, and for each LLMSynthor
// method its targeted two- and three-way joints (target, synthetic and
// their difference). colorOf gives a method's colour.
func dataPlots(run *Run, d *Dataset, colorOf func(label string) color.Color) dataSection {
	var out dataSection
	real := run.Real[d.Name]
	if real == nil {
		return out
	}
	labels, synths, notes := synthTables(run, d, real)
	for _, n := range notes {
		out.Problems = append(out.Problems, Plot{Title: "Synthetic data unreadable", Note: n})
	}
	if len(synths) == 0 {
		return out
	}
	methods := methodsOf(d, labels)
	colors := make([]color.Color, len(labels))
	for k, me := range methods {
		colors[k] = colorOf(me.Label)
		out.Legend = append(out.Legend, legendItem{Label: labels[k], Color: cssColor(colors[k])})
	}
	out.Dists = distRows(real, labels, synths, colors)
	space, err := macro.NewSpace(real, macro.DefaultBins, synths...)
	if err != nil {
		out.Problems = append(out.Problems, Plot{Title: "Pair associations", Note: err.Error()})
		return out
	}
	encReal, err := space.Encode(real)
	if err != nil {
		out.Problems = append(out.Problems, Plot{Title: "Pair associations", Note: err.Error()})
		return out
	}
	encs := make([]*macro.Encoded, len(synths))
	for i, s := range synths {
		if encs[i], err = space.Encode(s); err != nil {
			out.Problems = append(out.Problems, Plot{Title: "Pair associations", Note: labels[i] + ": " + err.Error()})
			return out
		}
	}
	out.Pairs, out.PairNote = pairPlots(real, space, encReal, labels, synths, encs)
	for _, mt := range d.Metrics {
		if mt.Targeted == nil || !*mt.Targeted || len(mt.Columns) < 2 || len(mt.Columns) > 3 || mt.Name != "jsd" {
			continue
		}
		vars, err := space.Lookup(mt.Columns...)
		if err != nil {
			continue
		}
		target := contingency(vars, encReal)
		for i, me := range methods {
			if me == nil || me.Name != "llmsynthor" {
				continue
			}
			out.Joints = append(out.Joints, heatMaps(mt.Label, labels[i], target, contingency(vars, encs[i])))
		}
	}
	return out
}

// methodsOf maps plot labels back to d's methods.
func methodsOf(d *Dataset, labels []string) []*Method {
	out := make([]*Method, len(labels))
	for i, l := range labels {
		for _, me := range d.Methods {
			if strings.HasPrefix(l, me.Label+" (seed ") {
				out[i] = me
			}
		}
	}
	return out
}

func contingency(vars []*macro.Var, e *macro.Encoded) *macro.Contingency {
	c := macro.NewContingency(vars...)
	n := 0
	if len(e.Cells) > 0 {
		n = len(e.Cells[0])
	}
	_ = c.Add(e, 0, n)
	return c
}

// heatGrid is a heat map's cells: rows are the cells of all but the last
// variable, columns those of the last; missing cells are left out.
type heatGrid struct {
	z          [][]float64
	rows, cols []string
}

func (g heatGrid) Dims() (c, r int)   { return len(g.cols), len(g.rows) }
func (g heatGrid) Z(c, r int) float64 { return g.z[r][c] }
func (g heatGrid) X(c int) float64    { return float64(c) }
func (g heatGrid) Y(r int) float64    { return float64(r) }

var _ plotter.GridXYZ = heatGrid{}

func toGrid(c *macro.Contingency, sub *macro.Contingency) heatGrid {
	last := len(c.Vars) - 1
	g := heatGrid{}
	for i := range c.Vars[last].Levels() {
		g.cols = append(g.cols, c.Vars[last].Label(i))
	}
	sh := c.Shares()
	var ssh []float64
	if sub != nil {
		ssh = sub.Shares()
	}
	rowIndex := map[string]int{}
	for k := range sh {
		cells := c.Unravel(k)
		miss := false
		for j, x := range cells {
			miss = miss || x == c.Vars[j].MissingCell()
		}
		if miss {
			continue
		}
		labels := c.Labels(k)
		rl := strings.Join(labels[:last], " · ")
		r, ok := rowIndex[rl]
		if !ok {
			r = len(g.rows)
			rowIndex[rl] = r
			g.rows = append(g.rows, rl)
			g.z = append(g.z, make([]float64, len(g.cols)))
		}
		v := sh[k]
		if ssh != nil {
			v -= ssh[k]
		}
		g.z[r][cells[last]] = v
	}
	return g
}

// heatMaps draws target, synthetic and synthetic − target shares of a
// joint side by side in one figure.
func heatMaps(cols, method string, target, synth *macro.Contingency) Plot {
	title := fmt.Sprintf("Targeted joint [%s], %s: target, synthetic, difference", cols, method)
	tg, sg, dg := toGrid(target, nil), toGrid(synth, nil), toGrid(synth, target)
	hi := 0.0
	for _, g := range []heatGrid{tg, sg} {
		for _, row := range g.z {
			for _, v := range row {
				hi = max(hi, v)
			}
		}
	}
	dmax := 1e-12
	for _, row := range dg.z {
		for _, v := range row {
			dmax = max(dmax, math.Abs(v))
		}
	}
	// Kindlmann runs from black to white; its last shades are cut so that
	// the largest share does not read as an empty cell.
	var seq palette.Palette = colors(moreland.Kindlmann().Palette(80).Colors()[:68])
	div := moreland.SmoothBlueRed()
	div.SetMin(-dmax)
	div.SetMax(dmax)
	height := vg.Length(max(7, 0.45*float64(len(tg.rows))+3)) * vg.Centimeter
	var svgs []string
	for k, g := range []heatGrid{tg, sg, dg} {
		p := newPlot()
		pal := seq
		lo, up := 0.0, hi
		switch k {
		case 0:
			p.Title.Text = "target (real)"
		case 1:
			p.Title.Text = "synthetic"
		case 2:
			p.Title.Text = fmt.Sprintf("synthetic − target (±%.3g)", dmax)
			pal, lo, up = div.Palette(64), -dmax, dmax
		}
		h := plotter.NewHeatMap(g, pal)
		// A value at Max would fall past the palette's last colour.
		h.Min, h.Max = lo-1e-12, up+1e-9*math.Abs(up)+1e-12
		p.Add(h)
		p.NominalX(g.cols...)
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -1, -0.5
		if k == 0 {
			p.NominalY(g.rows...)
		} else {
			p.NominalY(make([]string, len(g.rows))...)
		}
		s, err := svg(p, 9*vg.Centimeter, height)
		if err != nil {
			return Plot{Title: title, Note: err.Error()}
		}
		svgs = append(svgs, string(s))
	}
	return Plot{Title: title, SVG: htmlJoin(svgs), Note: fmt.Sprintf("shares of records per cell; the colour scale of target and synthetic runs from 0 to %.3g", hi)}
}

// colors is a palette of the given colours.
type colors []color.Color

func (c colors) Colors() []color.Color { return c }

var _ palette.Palette = colors(nil)

// htmlJoin places several SVG elements side by side.
func htmlJoin(svgs []string) template.HTML {
	return template.HTML(`<div class="row">` + strings.Join(svgs, "") + `</div>`) // #nosec: gonum's SVG output
}
