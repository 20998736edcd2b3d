package metrics

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

// cat builds a categorical column from strings ("" is missing).
func cat(name string, vals ...string) *table.Column {
	var dict []string
	codes := make([]int32, len(vals))
	for i, v := range vals {
		if v == "" {
			codes[i] = table.Missing
			continue
		}
		k := -1
		for j, d := range dict {
			if d == v {
				k = j
			}
		}
		if k < 0 {
			dict = append(dict, v)
			k = len(dict) - 1
		}
		codes[i] = int32(k)
	}
	return table.NewCategorical(name, dict, codes)
}

// find returns the score with the given name and columns.
func find(t *testing.T, scores []Score, name string, cols ...string) Score {
	t.Helper()
	for _, s := range scores {
		if s.Name == name && reflect.DeepEqual(s.Columns, cols) {
			return s
		}
	}
	t.Fatalf("no score %s%v", name, cols)
	return Score{}
}

// checkReasons fails on a NaN without a reason.
func checkReasons(t *testing.T, scores []Score) {
	t.Helper()
	for _, s := range scores {
		if !s.OK() && s.Reason == "" {
			t.Errorf("score %s%v is undefined with no reason", s.Name, s.Columns)
		}
		if s.Group != "fidelity" {
			t.Errorf("score %s%v in group %q", s.Name, s.Columns, s.Group)
		}
	}
}

// mixed returns an n-row table with two numeric and two categorical
// columns, drawn from a fixed generator: b depends on a, g on c.
func mixed(n int, seed uint64, shift float64) *table.Table {
	rng := rand.New(rand.NewPCG(seed, 1))
	a := make([]float64, n)
	b := make([]int64, n)
	c := make([]string, n)
	g := make([]string, n)
	for i := range n {
		a[i] = rng.NormFloat64() + shift
		b[i] = int64(math.Round(2*a[i] + rng.NormFloat64()))
		c[i] = []string{"x", "y", "z"}[rng.IntN(3)]
		if rng.Float64() < 0.7 {
			g[i] = map[string]string{"x": "p", "y": "q", "z": "r"}[c[i]]
		} else {
			g[i] = "p"
		}
	}
	return table.MustNew(table.NewFloat("a", a), table.NewInteger("b", b, nil), cat("c", c...), cat("g", g...))
}

func TestDistributionsIdentical(t *testing.T) {
	tb := mixed(500, 1, 0)
	scores, err := Distributions(context.Background(), Input{Real: tb, Synth: tb})
	if err != nil {
		t.Fatal(err)
	}
	checkReasons(t, scores)
	// 2 numeric × 4 + 2 categorical × 3 column scores; 6 pairs: 1 numeric
	// pair × 5, 1 categorical pair × 4, 4 mixed × 3.
	if want := 8 + 6 + 5 + 4 + 12; len(scores) != want {
		t.Fatalf("%d scores, want %d", len(scores), want)
	}
	for _, s := range scores {
		if !s.OK() {
			t.Errorf("%s%v undefined: %s", s.Name, s.Columns, s.Reason)
			continue
		}
		if math.Abs(s.Value) > 1e-12 {
			t.Errorf("%s%v = %g on identical tables, want 0", s.Name, s.Columns, s.Value)
		}
		if s.Targeted != nil {
			t.Errorf("%s%v targeted set without a target set", s.Name, s.Columns)
		}
	}
}

func TestDistributionsDisjoint(t *testing.T) {
	real := table.MustNew(cat("c", "a", "b", "a", "b"), table.NewFloat("x", []float64{0, 1, 2, 3}))
	synth := table.MustNew(cat("c", "d", "e", "e"), table.NewFloat("x", []float64{10, 11, 12}))
	scores, err := Distributions(context.Background(), Input{Real: real, Synth: synth})
	if err != nil {
		t.Fatal(err)
	}
	checkReasons(t, scores)
	for _, c := range []struct {
		name string
		cols []string
		want float64
	}{
		{"tvd", []string{"c"}, 1},
		{"jsd", []string{"c"}, 1},
		{"hellinger", []string{"c"}, 1},
		{"ks", []string{"x"}, 1},
		{"wasserstein", []string{"x"}, 9.5}, // mean shift 11 − 1.5 with no overlap
		{"tvd", []string{"c", "x"}, 1},
		{"jsd", []string{"c", "x"}, 1},
	} {
		s := find(t, scores, c.name, c.cols...)
		near(t, c.name+strings.Join(c.cols, ","), s.Value, c.want, 1e-12)
	}
}

// TestDistributionsGolden runs golden inputs through the whole pipeline:
// the scores of a table must equal SciPy's values on its columns.
func TestDistributionsGolden(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Samples {
		t.Run(c.Name, func(t *testing.T) {
			real := table.MustNew(table.NewFloat("v", nans(c.X)))
			synth := table.MustNew(table.NewFloat("v", nans(c.Y)))
			scores, err := Distributions(context.Background(), Input{Real: real, Synth: synth})
			if err != nil {
				t.Fatal(err)
			}
			near(t, "ks", find(t, scores, "ks", "v").Value, c.KS, 1e-12)
			near(t, "wasserstein", find(t, scores, "wasserstein", "v").Value, c.Wasserstein, 1e-9)
		})
	}
	// Correlation differences: real = case 0 ("gaussian"), synth = each case
	// of the same length.
	base := g.Correlations[0]
	real := table.MustNew(table.NewFloat("x", nans(base.X)), table.NewFloat("y", nans(base.Y)))
	for _, c := range g.Correlations[1:] {
		if len(c.X) != len(base.X) {
			continue
		}
		t.Run("corr_"+c.Name, func(t *testing.T) {
			synth := table.MustNew(table.NewFloat("x", nans(c.X)), table.NewFloat("y", nans(c.Y)))
			scores, err := Distributions(context.Background(), Input{Real: real, Synth: synth})
			if err != nil {
				t.Fatal(err)
			}
			near(t, "pearson_diff", find(t, scores, "pearson_diff", "x", "y").Value, math.Abs(base.Pearson-c.Pearson), 1e-12)
			near(t, "spearman_diff", find(t, scores, "spearman_diff", "x", "y").Value, math.Abs(base.Spearman-c.Spearman), 1e-12)
		})
	}
}

// TestDistributionsFrequencies checks the tables behind jsd, tvd and
// cramers_v_diff: missing is a category of its own and categories are the
// union of both sides.
func TestDistributionsFrequencies(t *testing.T) {
	real := table.MustNew(cat("c", "a", "a", "b", "", "b", "a"), cat("d", "u", "u", "v", "v", "v", "u"))
	synth := table.MustNew(cat("c", "a", "n", "", "", "b"), cat("d", "v", "u", "v", "u", "v"))
	scores, err := Distributions(context.Background(), Input{Real: real, Synth: synth})
	if err != nil {
		t.Fatal(err)
	}
	// Cells a, b, n, missing.
	p, q := []float64{3, 2, 0, 1}, []float64{1, 1, 1, 2}
	for _, m := range []struct {
		name string
		f    func(p, q []float64) (float64, error)
	}{{"tvd", TVD}, {"jsd", JSD}, {"hellinger", Hellinger}} {
		want, _ := m.f(p, q)
		near(t, m.name, find(t, scores, m.name, "c").Value, want, 1e-15)
	}
	// Joint c×d, rows a, b, n, missing; columns u, v, missing (empty).
	pj := []float64{3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0}
	qj := []float64{0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0}
	want, _ := SRMSE(pj, qj)
	near(t, "srmse", find(t, scores, "srmse", "c", "d").Value, want, 1e-15)
	vr, _ := CramersV(pj, 4, 3)
	vs, _ := CramersV(qj, 4, 3)
	near(t, "cramers_v_diff", find(t, scores, "cramers_v_diff", "c", "d").Value, math.Abs(vr-vs), 1e-15)
}

func TestDistributionsUndefined(t *testing.T) {
	nan := math.NaN()
	real := table.MustNew(
		table.NewFloat("x", []float64{1, 2, 3, 4}),
		table.NewFloat("k", []float64{5, 5, 5, 5}),
		table.NewFloat("gone", []float64{1, 2, 3, 4}),
		cat("only_real", "a", "b", "a", "b"),
		table.NewFloat("huge", []float64{1e200, -1e200, 1e200, -3e200}),
	)
	synth := table.MustNew(
		table.NewFloat("huge", []float64{1e200, -1e200, 2e200, -3e200}),
		table.NewFloat("x", []float64{1, 3, 2, 2}),
		table.NewFloat("k", []float64{5, 5, 6, 5}),
		table.NewFloat("gone", []float64{nan, nan, nan, nan}),
	)
	scores, err := Distributions(context.Background(), Input{Real: real, Synth: synth})
	if err != nil {
		t.Fatal(err)
	}
	checkReasons(t, scores)
	for _, c := range []struct {
		name   string
		cols   []string
		reason string // substring; "" means defined
	}{
		{"ks", []string{"gone"}, "the synthetic column has no values (missing in every row)"},
		{"wasserstein", []string{"gone"}, "the synthetic column has no values (missing in every row)"},
		{"jsd", []string{"gone"}, ""}, // all mass in the missing cell: defined
		{"ks", []string{"k"}, ""},     // constant columns have distributions
		{"pearson_diff", []string{"x", "k"}, "real: constant"},
		{"spearman_diff", []string{"x", "k"}, "real: constant"},
		{"pearson_diff", []string{"x", "gone"}, "synthetic: fewer than 2 complete rows"},
		{"tvd", []string{"only_real"}, "absent from the synthetic table"},
		{"jsd", []string{"x", "only_real"}, `column "only_real": column absent`},
		{"pearson_diff", []string{"x", "huge"}, ""}, // scaled: no overflow
		{"ks", []string{"huge"}, ""},
	} {
		s := find(t, scores, c.name, c.cols...)
		if c.reason == "" {
			if !s.OK() {
				t.Errorf("%s%v undefined (%s), want a value", c.name, c.cols, s.Reason)
			}
			continue
		}
		if s.OK() || !strings.Contains(s.Reason, c.reason) {
			t.Errorf("%s%v = %g, reason %q; want undefined with %q", c.name, c.cols, s.Value, s.Reason, c.reason)
		}
	}
}

func TestDistributionsKindMismatch(t *testing.T) {
	real := table.MustNew(table.NewFloat("x", []float64{1, 2}), cat("c", "a", "b"))
	synth := table.MustNew(cat("x", "1", "2"), cat("c", "a", "a"))
	scores, err := Distributions(context.Background(), Input{Real: real, Synth: synth})
	if err != nil {
		t.Fatal(err)
	}
	s := find(t, scores, "ks", "x")
	if s.OK() || !strings.Contains(s.Reason, "float in the real table and categorical in the synthetic table") {
		t.Errorf("ks[x] = %g, reason %q", s.Value, s.Reason)
	}
	if find(t, scores, "tvd", "c").Value != 0.5 {
		t.Errorf("tvd[c] = %g, want 0.5", find(t, scores, "tvd", "c").Value)
	}
}

func TestDistributionsJointsAndTargets(t *testing.T) {
	tb := mixed(300, 2, 0)
	sy := mixed(300, 3, 0.5)
	in := Input{
		Real: tb, Synth: sy,
		Joints:   [][]string{{"c", "a", "g"}, {"b", "a"}},
		Targeted: map[string]bool{"a": true, "a,c,g": true},
		Bins:     4,
	}
	scores, err := Distributions(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	checkReasons(t, scores)
	var joints []string
	for _, s := range scores {
		if len(s.Columns) > 1 {
			joints = append(joints, s.Name+"["+strings.Join(s.Columns, ",")+"]")
		}
		if s.Targeted == nil {
			t.Fatalf("%s%v: targeted not set with a target set", s.Name, s.Columns)
		}
		want := key(s.Columns) == "a" || key(s.Columns) == "a,c,g"
		if *s.Targeted != want {
			t.Errorf("%s%v targeted = %v, want %v", s.Name, s.Columns, *s.Targeted, want)
		}
	}
	wantJoints := []string{"jsd[c,a,g]", "tvd[c,a,g]", "srmse[c,a,g]", "jsd[b,a]", "tvd[b,a]", "srmse[b,a]", "pearson_diff[b,a]", "spearman_diff[b,a]"}
	if !reflect.DeepEqual(joints, wantJoints) {
		t.Errorf("joint scores %v, want %v", joints, wantJoints)
	}
	if p := find(t, scores, "jsd", "a").Params; p["bins"] != 4 {
		t.Errorf("jsd[a] params %v, want bins 4", p)
	}
	for _, bad := range []struct {
		joints [][]string
		err    string
	}{
		{[][]string{{"a", "zz"}}, `column "zz" is not a scored column`},
		{[][]string{{"a"}}, "at least two columns"},
		{[][]string{{"a", "a"}}, "appears twice"},
	} {
		in.Joints = bad.joints
		if _, err := Distributions(context.Background(), in); err == nil || !strings.Contains(err.Error(), bad.err) {
			t.Errorf("joints %v: error %v, want %q", bad.joints, err, bad.err)
		}
	}
}

func TestDistributionsDeterministic(t *testing.T) {
	in := Input{Real: mixed(2000, 4, 0), Synth: mixed(1500, 5, 0.2)}
	a, err := Distributions(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Distributions(context.Background(), in)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs differ")
	}
	// Shifted data must score worse than the identical case on every
	// distance of a.
	if s := find(t, a, "wasserstein", "a"); s.Value < 0.1 {
		t.Errorf("wasserstein[a] = %g for a 0.2 shift", s.Value)
	}
}

func TestDistributionsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tb := mixed(100, 1, 0)
	if _, err := Distributions(ctx, Input{Real: tb, Synth: tb}); err == nil {
		t.Fatal("no error on a cancelled context")
	}
	if _, err := Distributions(context.Background(), Input{Real: tb}); err == nil {
		t.Fatal("no error without a synthetic table")
	}
}

// TestFidelitySummary checks that the group carries the SDMetrics summary
// rows, taken from SDMetrics itself and relabelled.
func TestFidelitySummary(t *testing.T) {
	ctx := context.Background()
	in := Input{Real: mixed(400, 30, 0), Synth: mixed(300, 31, 0.3), Targeted: map[string]bool{"a": true}, C2STRows: -1}
	scores, err := Fidelity(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	checkReasons(t, scores)
	sd, err := SDMetrics(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, want := range sd {
		for _, got := range scores {
			if got.Name == want.Name && reflect.DeepEqual(got.Columns, want.Columns) {
				n++
				near(t, got.Name, got.Value, want.Value, 0)
				if got.Targeted == nil || *got.Targeted != (key(got.Columns) == "a") {
					t.Errorf("%s%v targeted %v", got.Name, got.Columns, got.Targeted)
				}
			}
		}
	}
	// 2 ks_complement + 2 tv_complement + column_shapes + column_pair_trends.
	if n != 6 {
		t.Errorf("%d summary rows, want 6", n)
	}
	for _, s := range scores {
		if strings.HasPrefix(s.Name, "c2st") {
			t.Errorf("c2st score with C2STRows < 0")
		}
	}
}
