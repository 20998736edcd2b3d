package reports

import (
	"encoding/json"
	"fmt"
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

// The critical-difference diagram is drawn from the ranking where the
// Friedman test found a difference, and not otherwise.
func TestCDPlot(t *testing.T) {
	rk := &Ranking{Significant: true, CD: 1, Alpha: 0.05, Methods: []RankedMethod{{Label: "a", MeanRank: 1}, {Label: "b", MeanRank: 1.5}, {Label: "c", MeanRank: 3}},
		Cliques: [][]string{{"a", "b"}}}
	p := cdPlot(ScreenDataset{Name: "d", Critical: 1, Ranking: rk})
	if p == nil || !strings.Contains(string(p.SVG), ">a (1.00)<") || !strings.Contains(string(p.SVG), "CD = 1.00") {
		t.Fatalf("diagram %+v", p)
	}
	if p := cdPlot(ScreenDataset{Name: "d", Ranking: &Ranking{Methods: rk.Methods}}); p != nil {
		t.Fatalf("a diagram without a critical difference: %+v", p)
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

// The first screen of a hand-made run is the scorecard's: b is better on
// quality at every seed and ranks first; b copies training records and is
// flagged; values carry their t interval and reference; seconds is a cost
// column in the trade-off's cost role.
func TestFirstScreenOf(t *testing.T) {
	q := func(v float64) metrics.Score {
		return metrics.Score{Name: "sdmetrics_quality", Group: "sdmetrics", Columns: []string{}, Value: v, Better: metrics.Higher,
			Reference: 0.95, ReferenceKind: metrics.ReferenceHoldout}
	}
	em := func(v float64) metrics.Score {
		return metrics.Score{Name: "exact_match_rate", Group: "privacy", Columns: []string{"x", "y"}, Value: v, Better: metrics.Lower}
	}
	var rs []bench.Result
	for seed := uint64(1); seed <= 3; seed++ {
		s := float64(seed) / 100
		rs = append(rs, result(fmt.Sprint("a", seed), "d", "a", seed, q(0.8+s), em(0)),
			result(fmt.Sprint("b", seed), "d", "b", seed, q(0.9+s), em(0.95)))
	}
	for i := range rs {
		rs[i].Timings.TotalS = 2
	}
	fs := FirstScreenOf(Build(rs))
	d := fs.Datasets[0]
	k := slices.IndexFunc(d.Scores, func(s ScreenScore) bool { return s.Name == "sdmetrics_quality" })
	if k < 0 || d.Scores[k].Role != RoleFidelity {
		t.Fatalf("scores %+v", d.Scores)
	}
	if d.ByRole(RoleCost, CostSeconds) != CostSeconds {
		t.Errorf("no seconds column in the cost role: %+v", d.Scores)
	}
	if len(d.Rows) != 2 || d.Rows[0].Method != "b" || d.Rows[0].Rank != 1 || d.Rows[1].Rank != 2 {
		t.Fatalf("rows %+v", d.Rows)
	}
	b := d.Rows[0]
	if len(b.Flags) != 1 || !strings.Contains(b.Flags[0], "copies records") {
		t.Errorf("b's flags %q", b.Flags)
	}
	v, ok := d.Value(b, "sdmetrics_quality")
	// Mean 0.92, sd 0.01 over 3 seeds; t(0.975, 2) = 4.302653 (SciPy).
	if !ok || math.Abs(v.Mean-0.92) > 1e-12 || !v.CI || math.Abs(v.Hi-v.Mean-4.302653*0.01/math.Sqrt(3)) > 1e-6 || !v.HasRef || math.Abs(v.Ref-0.95) > 1e-12 || !v.Best {
		t.Errorf("b's quality %+v", v)
	}
	if len(d.Notes) == 0 {
		t.Error("no notes under the scorecard")
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
