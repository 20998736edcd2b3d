package reports

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

func cat(name string, values ...string) *table.Column {
	var dict []string
	var codes []int32
	for _, v := range values {
		k := slices.Index(dict, v)
		if k < 0 {
			k = len(dict)
			dict = append(dict, v)
		}
		codes = append(codes, int32(k))
	}
	return table.NewCategorical(name, dict, codes)
}

func repeat(v string, n int) []string { return slices.Repeat([]string{v}, n) }

func near12(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}

// Categorical shares by hand: real a 5, b 3, c 2; synthetic a 2, b 2, d 6
// (d unknown to the real data, so an "other" bar): real .5 .3 .2 0,
// synthetic .2 .2 0 .6, TVD ½(.3 + .1 + .2 + .6) = .6.
func TestCategoricalDistribution(t *testing.T) {
	real := cat("x", slices.Concat(repeat("a", 5), repeat("b", 3), repeat("c", 2))...)
	synth := cat("x", slices.Concat(repeat("a", 2), repeat("b", 2), repeat("d", 6))...)
	d := newDistribution(real, []*table.Column{synth})
	if !slices.Equal(d.labels, []string{"a", "b", "c", "other"}) {
		t.Fatalf("labels %q", d.labels)
	}
	if !near12(d.real, []float64{.5, .3, .2, 0}) || !near12(d.synths[0], []float64{.2, .2, 0, .6}) {
		t.Fatalf("shares %v %v", d.real, d.synths[0])
	}
	if math.Abs(d.tvd(0)-0.6) > 1e-12 || !strings.Contains(d.note, "other") {
		t.Fatalf("tvd %v, note %q", d.tvd(0), d.note)
	}
}

// More categories than maxCategories: the 11 most frequent, then other.
func TestTopCategories(t *testing.T) {
	var vals []string
	for k := range 15 {
		vals = append(vals, repeat(string(rune('a'+k)), 20-k)...)
	}
	labels, note := topCategories(cat("x", vals...))
	if len(labels) != maxCategories || labels[0] != "a" || labels[10] != "k" || labels[11] != "other" || note == "" {
		t.Fatalf("labels %q note %q", labels, note)
	}
	// 15 categories of 20, 19, ..., 6 values (195): l..o, 9 + 8 + 7 + 6 =
	// 30 of them, in other.
	sh := categoryShares(cat("x", vals...), labels)
	if math.Abs(sh[11]-30.0/195) > 1e-12 {
		t.Fatalf("other %v, want %v", sh[11], 30.0/195)
	}
}

func TestNumericBins(t *testing.T) {
	// Values outside the edges go to the edge bins: [0, .5, -5] in the first,
	// 1.5 in the second, [2.5, 99] in the last.
	col := table.NewFloat("x", []float64{0, 0.5, 1.5, 2.5, 99, -5})
	if got := histShares(col, []float64{0, 1, 2, 3}); !near12(got, []float64{3.0 / 6, 1.0 / 6, 2.0 / 6}) {
		t.Errorf("shares %v", got)
	}
	// An integer column of 1..10: a bin a value, each 1/10.
	ints := make([]int64, 10)
	for i := range ints {
		ints[i] = int64(i + 1)
	}
	edges, _ := numericEdges(table.NewInteger("n", ints, nil))
	if len(edges) != 11 || edges[0] != 0.5 || edges[10] != 10.5 {
		t.Fatalf("edges %v", edges)
	}
	// 0..99: wider than maxUnitBins, so ⌈100/24⌉ = 5 values a bin, 20 bins
	// of 1/20 each (no bin split between values).
	wide := make([]int64, 100)
	for i := range wide {
		wide[i] = int64(i)
	}
	col = table.NewInteger("n", wide, nil)
	edges, _ = numericEdges(col)
	sh := histShares(col, edges)
	if len(sh) != 20 || !near12(sh, slices.Repeat([]float64{0.05}, 20)) {
		t.Fatalf("edges %v shares %v", edges, sh)
	}
}

// Associations by closed form: a and b determine each other (Cramér's V
// 1), x and y = −x (Pearson's r −1); in the synthetic table b is
// independent of a (V 0: counts 1 in each cell) and y = x (r 1).
func TestPairAssociations(t *testing.T) {
	mk := func(b []string, sign float64) *table.Table {
		x := []float64{1, 2, 3, 4}
		y := make([]float64, 4)
		for i := range x {
			y[i] = sign * x[i]
		}
		tb, err := table.New(cat("a", "p", "p", "q", "q"), cat("b", b...), table.NewFloat("x", x), table.NewFloat("y", y))
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}
	real, synth := mk([]string{"u", "u", "v", "v"}, -1), mk([]string{"u", "v", "u", "v"}, 1)
	space, err := macro.NewSpace(real, 2, synth)
	if err != nil {
		t.Fatal(err)
	}
	er, _ := space.Encode(real)
	es, _ := space.Encode(synth)
	rm, sm := pairMatrix(real, er, space.Vars), pairMatrix(synth, es, space.Vars)
	if math.Abs(rm[1][0]-1) > 1e-12 || math.Abs(rm[3][2]+1) > 1e-12 || math.Abs(sm[1][0]) > 1e-12 || math.Abs(sm[3][2]-1) > 1e-12 {
		t.Fatalf("real %v, synthetic %v", rm, sm)
	}
	d := pairDiff(rm, sm)
	if math.Abs(d[1][0]-1) > 1e-12 || math.Abs(d[3][2]-2) > 1e-12 || !math.IsNaN(d[0][1]) {
		t.Fatalf("diff %v", d)
	}
}

// The critical-difference runs of ranks 1, 1.5, 3, 3.2, 5 at CD 1: {1, 1.5}
// and {3, 3.2}; 5 is alone.
func TestCliques(t *testing.T) {
	pts := plotter.XYs{{X: 3}, {X: 1}, {X: 5}, {X: 1.5}, {X: 3.2}}
	got := cliques(pts, 1)
	if len(got) != 2 || got[0] != [2]float64{1, 1.5} || got[1] != [2]float64{3, 3.2} {
		t.Fatalf("cliques %v", got)
	}
	if p := cdPlot(ScreenDataset{Name: "d", Critical: 1, Rows: []ScreenRow{{Method: "a", Rank: 1}, {Method: "b", Rank: 1.5}, {Method: "c", Rank: 3}}}); p == nil || p.SVG == "" {
		t.Fatalf("no diagram: %+v", p)
	}
}

// Two labels of points at one place do not go to one place.
func TestLabelPlaces(t *testing.T) {
	pts := plotter.XYs{{X: 1, Y: 1}, {X: 1, Y: 1}, {X: 9, Y: 9}}
	pl := labelPlaces(pts, []float64{5, 5, 5}, []string{"bayes-net", "llmsynthor", "cart"}, 10, 10)
	if pl[0] == pl[1] || pl[2] != pl[0] {
		t.Fatalf("places %+v", pl)
	}
}

// The first screen of a hand-made run: ranked on the headline scores
// alone, a copying method flagged, cost columns added.
func TestFirstScreenOf(t *testing.T) {
	q := func(v float64) metrics.Score {
		return metrics.Score{Name: "sdmetrics_quality", Group: "sdmetrics", Columns: []string{}, Value: v, Better: metrics.Higher}
	}
	em := func(v float64) metrics.Score {
		return metrics.Score{Name: "exact_match_rate", Group: "privacy", Columns: []string{"x", "y"}, Value: v, Better: metrics.Lower}
	}
	tvd := func(v float64) metrics.Score { return score("tvd", v, metrics.Lower, "x") }
	rs := []bench.Result{
		result("a", "d", "a", 1, q(0.8), em(0), tvd(0.01)),
		result("b", "d", "b", 1, q(0.9), em(0.95), tvd(0.5)),
	}
	rs[0].Timings.TotalS, rs[1].Timings.TotalS = 2, 1
	fs := FirstScreenOf(Build(rs))
	d := fs.Datasets[0]
	// b: quality 0.9 (rank 1), exact match 0.95 (rank 2): 1.5; a: 2 and 1:
	// 1.5; tie broken by wins (1 each), then order: a first. tvd is not a
	// headline score.
	if len(d.Scores) != 3 || d.Scores[2].Name != "seconds" || d.Scores[0].Label != "SDMetrics quality" {
		t.Fatalf("scores %+v", d.Scores)
	}
	if len(d.Rows) != 2 || d.Rows[0].Rank != 1.5 || d.Rows[1].Rank != 1.5 {
		t.Fatalf("rows %+v", d.Rows)
	}
	b := d.Rows[slices.IndexFunc(d.Rows, func(r ScreenRow) bool { return r.Method == "b" })]
	if len(b.Flags) != 1 || !strings.Contains(b.Flags[0], "copies training records") {
		t.Errorf("b's flags %q", b.Flags)
	}
	if v, ok := d.Value(b, "seconds"); !ok || v.Mean != 1 || !v.Best {
		t.Errorf("b's seconds %+v", v)
	}
	if d.ByRole(RoleFidelity, "sdmetrics_quality") != "sdmetrics_quality" || d.ByRole(RolePrivacy, "dcr_share") != "" {
		t.Error("roles")
	}
}

// A run directory's prepared training data is found through its manifest
// and read; an unreadable one leaves a note.
func TestLoadPrepared(t *testing.T) {
	dir := t.TempDir()
	man := map[string]any{"config": map[string]any{"datasets": []map[string]any{{"name": "first"}, {"name": "second"}}}}
	b, _ := json.Marshal(man)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "01-second.train.csv"), []byte("a,b\n1,x\n2,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "00-first.train.gob"), []byte("not gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := &Run{Results: []bench.Result{{Dataset: "first"}, {Dataset: "second"}, {Dataset: "third"}}, Dirs: []string{dir, dir, dir}}
	run.LoadPrepared()
	if tb := run.Real["second"]; tb == nil || tb.NumRows() != 2 || tb.Col("b") == nil {
		t.Fatalf("second: %v", run.Real)
	}
	if run.Real["first"] != nil || len(run.Notes) != 1 || !strings.Contains(run.Notes[0], "first") {
		t.Fatalf("first: %v, notes %q", run.Real["first"], run.Notes)
	}
}
