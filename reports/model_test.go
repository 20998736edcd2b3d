package reports

import (
	"math"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// cell makes an ok result with the given scores.
func result(id, dataset, label string, seed uint64, scores ...metrics.Score) bench.Result {
	return bench.Result{ID: id, Dataset: dataset, Method: bench.MethodRef{Name: label, Label: label}, Seed: seed,
		Status: bench.StatusOK, Metrics: scores}
}

func score(name string, v float64, better metrics.Direction, cols ...string) metrics.Score {
	return metrics.Score{Name: name, Group: "fidelity", Columns: cols, Value: v, Better: better}
}

// hand is a small run whose statistics are computed by hand in the tests.
func hand() []bench.Result {
	lo, hi := metrics.Lower, metrics.Higher
	return []bench.Result{
		result("a1", "d1", "a", 1, score("tvd", 1, lo, "x"), score("auc", 0.9, hi, "x", "y", "z")),
		result("a2", "d1", "a", 2, score("tvd", 2, lo, "x"), score("auc", 0.7, hi, "x", "y", "z")),
		result("a3", "d1", "a", 3, score("tvd", 3, lo, "x"), score("auc", 0.8, hi, "x", "y", "z")),
		result("b1", "d1", "b", 1, score("tvd", 0.5, lo, "x"), score("auc", 0.6, hi, "x", "y", "z")),
		result("b2", "d1", "b", 2, score("tvd", 1.5, lo, "x"), metrics.Undefined("auc", "fidelity", []string{"x", "y", "z"}, hi, "constant column")),
		{ID: "b3", Dataset: "d1", Method: bench.MethodRef{Name: "b", Label: "b"}, Seed: 3, Status: bench.StatusTimeout, Reason: "killed at 30s"},
		result("a4", "d2", "a", 1, score("tvd", 0.2, lo, "x")),
		result("b4", "d2", "b", 1, score("tvd", 0.2, lo, "x")),
		result("c4", "d2", "c", 1, score("tvd", 0.4, lo, "x")),
	}
}

func TestBuildStatistics(t *testing.T) {
	m := Build(hand())
	if len(m.Datasets) != 2 {
		t.Fatalf("%d datasets", len(m.Datasets))
	}
	d := m.Datasets[0]
	// a's tvd: 1, 2, 3 → mean 2, sample sd 1. b's tvd: 0.5, 1.5 → mean 1,
	// sd sqrt(0.5). a's auc: 0.9, 0.7, 0.8 → 0.8, sd 0.1.
	cases := []struct {
		method, metric int
		n              int
		mean, sd       float64
		best           bool
	}{
		{0, 0, 3, 2, 1, false},
		{1, 0, 2, 1, math.Sqrt(0.5), true},
		{0, 1, 3, 0.8, 0.1, true},
		{1, 1, 1, 0.6, 0, false},
	}
	for _, c := range cases {
		got := d.Cells[c.method][c.metric]
		if got.N != c.n || math.Abs(got.Mean-c.mean) > 1e-12 || math.Abs(got.SD-c.sd) > 1e-12 || got.Best != c.best {
			t.Errorf("cell %d,%d = %+v, want n=%d mean=%g sd=%g best=%v", c.method, c.metric, got, c.n, c.mean, c.sd, c.best)
		}
	}
	if b := d.Methods[1]; b.Seeds != 3 || b.OK != 2 || len(b.Failures) != 1 || b.Failures[0].Status != bench.StatusTimeout {
		t.Errorf("method b %+v", b)
	}
	if l := d.Metrics[1].Label; l != "all columns" {
		t.Errorf("auc over x, y, z labelled %q, want all columns", l)
	}
	// d1: a ranks 2 on tvd and 1 on auc (mean 1.5, 1 win); b 1 and 2.
	// d2: a and b tie on tvd (rank 1.5 each, both best), c 3.
	// Overall: a (1.5+1.5)/2 = 1.5 with 2 wins; b 1.5 with 2 wins; c 3.
	want := []Rank{{"a", 1.5, 2, 2}, {"b", 1.5, 2, 2}, {"c", 3, 0, 1}}
	if len(m.Ranking) != len(want) {
		t.Fatalf("ranking %+v", m.Ranking)
	}
	for i, w := range want {
		if m.Ranking[i] != w {
			t.Errorf("rank %d = %+v, want %+v", i, m.Ranking[i], w)
		}
	}
}

func TestFailedMethodCells(t *testing.T) {
	rs := []bench.Result{
		result("a", "d", "a", 1, score("tvd", 1, metrics.Lower, "x")),
		{ID: "f", Dataset: "d", Method: bench.MethodRef{Name: "f"}, Seed: 1, Status: bench.StatusFailed, Reason: "boom"},
	}
	d := Build(rs).Datasets[0]
	if c := d.Cells[1][0]; c.N != 0 || c.Reason != "failed" {
		t.Fatalf("failed method's cell %+v", c)
	}
	if got := FormatCell(d.Cells[1][0], 2); got != "— (failed)" {
		t.Fatalf("rendered %q", got)
	}
}

func TestFormatValue(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{0.011, "0.0110"},
		{2.88416e-05, "2.88e-5"},
		{0.0012345, "0.00123"},
		{0.00099951, "1.00e-3"},
		{13.2478, "13.2"},
		{4.89667, "4.90"},
		{0.99951, "1.00"},
		{12345.6, "12346"},
		{2345678, "2.35e6"},
		{-0.5, "-0.500"},
		{3e-9, "3.00e-9"},
		{math.NaN(), "n/a"},
	} {
		if got := FormatValue(c.v); got != c.want {
			t.Errorf("FormatValue(%g) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestFormatStat(t *testing.T) {
	// Sig = 3 significant digits of the mean; the sd with the mean's
	// decimals, or 2 significant digits of the sd when the mean is 0 or
	// shown with an exponent.
	for _, c := range []struct {
		s    Stat
		want string
	}{
		{Stat{N: 3, Mean: 0.013333, SD: 0.0012}, "0.0133 ± 0.0012"},
		{Stat{N: 3, Mean: 24.5949, SD: 9.5245}, "24.6 ± 9.5"},
		{Stat{N: 3, Mean: 1234.6, SD: 10.26}, "1235 ± 10"},
		{Stat{N: 3, Mean: 0.000012, SD: 0.0000134}, "1.20e-5 ± 1.3e-5"},
		{Stat{N: 3, Mean: 0.000818, SD: 0.001417}, "8.18e-4 ± 1.4e-3"},
		{Stat{N: 2, Mean: 0, SD: 0.00123}, "0.0000 ± 0.0012"},
		{Stat{N: 2, Mean: 0, SD: 0.00002}, "0 ± 2.0e-5"},
		{Stat{N: 2, Mean: 0, SD: 0}, "0 ± 0"},
		{Stat{N: 1, Mean: 0.5}, "0.500"},
		{Stat{N: 2, Mean: 0.002, SD: 0}, "0.00200 ± 0.00000"},
	} {
		if got := FormatStat(c.s); got != c.want {
			t.Errorf("FormatStat(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestColumnDecimals(t *testing.T) {
	// Smallest non-zero mean 0.0123 needs 4 decimals for 3 significant
	// digits; 12.5 then shows as 12.5000.
	rs := []bench.Result{
		result("a", "d", "a", 1, score("w", 12.5, metrics.Lower, "x")),
		result("b", "d", "b", 1, score("w", 0.0123, metrics.Lower, "x")),
		result("c", "d", "c", 1, score("w", 0, metrics.Lower, "x")),
	}
	d := Build(rs).Datasets[0]
	if d.Metrics[0].Decimals != 4 {
		t.Fatalf("decimals %d, want 4", d.Metrics[0].Decimals)
	}
	if got := FormatCell(d.Cells[0][0], 4); got != "12.5000" {
		t.Fatalf("cell %q", got)
	}
}

func TestFileLabels(t *testing.T) {
	for _, c := range []struct {
		in, want []string
	}{
		{[]string{"bayes-net.csv", "my_file.v2.csv", "x.csv.gz"}, []string{"bayes-net", "my_file.v2", "x"}},
		{[]string{"a/s.csv", "b/s.csv", "c/t.csv"}, []string{"a/s", "b/s", "t"}},
		{[]string{"r/a/s.csv", "q/a/s.csv"}, []string{"r/a/s", "q/a/s"}},
		{[]string{"s.csv", "s.csv"}, []string{"s #1", "s #2"}},
	} {
		got := FileLabels(c.in)
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("FileLabels(%q) = %q, want %q", c.in, got, c.want)
				break
			}
		}
	}
}

func TestPaperBesideAdult(t *testing.T) {
	q := metrics.Score{Name: "sdmetrics_quality", Group: "sdmetrics", Columns: []string{}, Value: 0.9, Better: metrics.Higher}
	rs := []bench.Result{result("i", "adult", "independent", 1, q)}
	rs[0].Method.Name = "independent"
	bs := PaperBeside(Build(rs).Datasets[0])
	if len(bs) != 1 || bs[0].Row.Method != "independent columns" {
		t.Fatalf("beside %+v", bs)
	}
	// Published 0.881 (DATASETS.md); ours 0.9: +0.019.
	if d, ok := bs[0].Diff(0); !ok || math.Abs(d-0.019) > 1e-12 {
		t.Fatalf("diff %v %v", d, ok)
	}
	if bs[0].Published.Protocol == "" {
		t.Fatal("no protocol note")
	}
}

// Scores of one name and columns that differ in an identifying param (the
// utility group's classifier) are separate metrics, labelled by it.
func TestBuildKeepsVariants(t *testing.T) {
	util := func(clf string, v float64) metrics.Score {
		return metrics.Score{Name: "tstr_accuracy", Group: "utility", Columns: []string{"income"}, Value: v,
			Better: metrics.Higher, Params: map[string]any{"classifier": clf, "target": "income"}}
	}
	m := Build([]bench.Result{result("1", "adult", "cart", 1, util("logistic", 0.80), util("tree", 0.78), util("forest", 0.84))})
	d := m.Datasets[0]
	if len(d.Metrics) != 3 {
		t.Fatalf("%d metrics, want one per classifier (3)", len(d.Metrics))
	}
	want := map[string]float64{"income (logistic)": 0.80, "income (tree)": 0.78, "income (forest)": 0.84}
	for j, mt := range d.Metrics {
		v, ok := want[mt.Label]
		if !ok {
			t.Errorf("metric label %q", mt.Label)
			continue
		}
		if got := d.Cells[0][j].Mean; math.Abs(got-v) > 1e-12 {
			t.Errorf("%s: mean %g, want %g", mt.Label, got, v)
		}
	}
}

// The SDGym rows (DATASETS.md) are set beside the mean over our three
// classifiers, seed by seed, and the real-data row beside our trtr scores.
func TestPaperBesideAdultUtility(t *testing.T) {
	util := func(name, clf string, v float64) metrics.Score {
		return metrics.Score{Name: name, Group: "utility", Columns: []string{"income"}, Value: v, Better: metrics.Higher,
			Params: map[string]any{"classifier": clf, "target": "income"}}
	}
	cell := func(id string, seed uint64, d float64) bench.Result {
		return result(id, "adult", "independent", seed,
			util("tstr_accuracy", "logistic", 0.70+d), util("tstr_accuracy", "tree", 0.60+d), util("tstr_accuracy", "forest", 0.80+d),
			util("tstr_macro_f1", "logistic", 0.50), util("tstr_macro_f1", "tree", 0.40), util("tstr_macro_f1", "forest", 0.60),
			util("trtr_accuracy", "logistic", 0.80), util("trtr_accuracy", "tree", 0.82), util("trtr_accuracy", "forest", 0.84),
			util("trtr_macro_f1", "logistic", 0.70), util("trtr_macro_f1", "tree", 0.70), util("trtr_macro_f1", "forest", 0.70))
	}
	bs := PaperBeside(Build([]bench.Result{cell("1", 1, 0), cell("2", 2, 0.02)}).Datasets[0])
	got := map[string]Beside{}
	for _, b := range bs {
		got[b.Row.Method] = b
	}
	if len(bs) != 2 || got["real training data"].Ours == nil || got["independent columns"].Ours == nil {
		t.Fatalf("beside: %+v", bs)
	}
	// Per seed: (0.70+0.60+0.80)/3 = 0.70 and 0.72; mean 0.71, sd √(2·0.01²) = 0.014142;
	// published 0.638, so +0.072. F1: 0.50 on both seeds against 0.151.
	ind := got["independent columns"]
	near := func(what string, got, want float64) {
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %.6f, want %.6f", what, got, want)
		}
	}
	near("accuracy mean", ind.Cells[0].Mean, 0.71)
	near("accuracy sd", ind.Cells[0].SD, 0.01*math.Sqrt2)
	if d, ok := ind.Diff(0); !ok {
		t.Error("no accuracy difference")
	} else {
		near("accuracy diff", d, 0.072)
	}
	near("F1 mean", ind.Cells[1].Mean, 0.50)
	// Real: trtr accuracy (0.80+0.82+0.84)/3 = 0.82 against 0.824; F1 0.70 against 0.663.
	real := got["real training data"]
	if d, ok := real.Diff(0); !ok {
		t.Error("no real accuracy difference")
	} else {
		near("real accuracy diff", d, -0.004)
	}
	near("real F1", real.Cells[1].Mean, 0.70)
	if !strings.Contains(real.Published.Protocol, "holdout") || !strings.Contains(real.Published.Protocol, "AdaBoost") {
		t.Errorf("protocol note: %s", real.Published.Protocol)
	}
}

// Table 4's columns are one variant each of query_category_mre (the
// category) and the rejection rates one level each: ours is matched by
// variant, not by the first score of the name.
func TestPaperBesidePopulation(t *testing.T) {
	mre := func(cat string, v float64) metrics.Score {
		return metrics.Score{Name: "query_category_mre", Group: "queries", Columns: []string{}, Value: v, Better: metrics.Lower,
			Params: map[string]any{"category": cat, "queries": 2}}
	}
	rej := func(level string, v float64) metrics.Score {
		return metrics.Score{Name: "rule_rejection_rate", Group: "plausibility", Columns: []string{}, Value: v, Better: metrics.Lower,
			Params: map[string]any{"rule": "all", "level": level}}
	}
	r := result("p", "population", "llmsynthor-stat", 1, mre("Equity", 0.5), mre("Employment", 0.1), mre("Mobility", 0.3),
		rej("record", 0.02), rej("group", 0.08))
	r.Method.Name, r.Method.Planner = "llmsynthor", "stat"
	secs := PaperSections(Build([]bench.Result{r}).Datasets[0])
	if len(secs) != 2 || len(secs[0].Beside) != 1 || len(secs[1].Beside) != 1 {
		t.Fatalf("sections %+v", secs)
	}
	// Published (LLMSYNTHOR.md §5.2): Employment 0.20, Equity 0.25, Mobility
	// 0.35; household 13.3%, person 6.3%. Demographics has no score of ours.
	want := map[string][2]float64{"Employment MRE": {0.1, 0.2}, "Equity MRE": {0.5, 0.25}, "Mobility MRE": {0.3, 0.35},
		"household rejection": {0.08, 0.133}, "person rejection": {0.02, 0.063}}
	for _, sec := range secs {
		b := sec.Beside[0]
		for k, pm := range sec.Published.Metrics {
			w, ok := want[pm.Label]
			d, has := b.Diff(k)
			if ok != has || (ok && math.Abs(d-(w[0]-w[1])) > 1e-12) {
				t.Errorf("%s: diff %v %v, want %v (%v)", pm.Label, d, has, w[0]-w[1], ok)
			}
		}
	}
	// The rejection table lists the methods the paper compares, without a
	// person rate where it gives none.
	header, rows := secs[1].Table(Build([]bench.Result{r}).Datasets[0])
	if len(header) != 3 || rows[1][0] != "published: HMM" || rows[1][2] != "—" || rows[4][0] != "ours: llmsynthor-stat" {
		t.Errorf("table %q %q", header, rows)
	}
}
