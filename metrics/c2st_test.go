package metrics

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

func TestC2ST(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name           string
		real, synth    *table.Table
		maxGap         float64
		aucLo, aucHigh float64
	}{
		// Two samples of one distribution: nothing to learn.
		{"same distribution", mixed(3000, 10, 0), mixed(3000, 11, 0), 0.04, 0.45, 0.55},
		// Unequal sizes, same distribution: both sides are drawn to the
		// same size, so the threshold stays honest.
		{"unequal sizes", mixed(4000, 12, 0), mixed(1000, 13, 0), 0.05, 0.44, 0.56},
		// Means 4 standard deviations apart: near-perfect separation.
		{"separated", mixed(2000, 14, 0), mixed(2000, 15, 4), 0.5, 0.97, 1},
	}
	for _, clf := range C2STClassifiers {
		for _, c := range cases {
			t.Run(clf+"/"+c.name, func(t *testing.T) {
				r, err := C2ST(ctx, c.real, c.synth, C2STConfig{Seed: 7, Classifier: clf})
				if err != nil {
					t.Fatal(err)
				}
				if r.Gap > c.maxGap || math.Abs(r.Gap-math.Abs(r.Accuracy-0.5)) > 1e-15 {
					t.Errorf("gap %g (accuracy %g), want at most %g", r.Gap, r.Accuracy, c.maxGap)
				}
				if r.AUC < c.aucLo || r.AUC > c.aucHigh {
					t.Errorf("AUC %g, want in [%g, %g]", r.AUC, c.aucLo, c.aucHigh)
				}
				k := min(c.real.NumRows(), c.synth.NumRows())
				n := 2 * k
				switch clf {
				case C2STForest:
					if r.Train+r.Test != n || math.Abs(float64(r.Test)-0.3*float64(n)) > 2 || r.Folds != 0 {
						t.Errorf("train %d, test %d; want %d rows split 70/30", r.Train, r.Test, n)
					}
				case C2STHGB:
					// Five stratified folds of k/5 rows per side: each
					// classifier trains on 4/5 of the rows.
					if r.Test != n || r.Folds != 5 || r.Train != n-2*(k/5) {
						t.Errorf("train %d, test %d, folds %d; want %d rows in 5 folds", r.Train, r.Test, r.Folds, n)
					}
				}
				if r.Rows != k || r.Classifier != clf {
					t.Errorf("rows %d, classifier %q", r.Rows, r.Classifier)
				}
				t.Logf("accuracy %.4f, gap %.4f, AUC %.4f ± %.4f", r.Accuracy, r.Gap, r.AUC, r.AUCStd)
			})
		}
		t.Run(clf+"/separated gap", func(t *testing.T) {
			r, _ := C2ST(ctx, mixed(2000, 14, 0), mixed(2000, 15, 4), C2STConfig{Seed: 7, Classifier: clf})
			if r.Gap < 0.4 {
				t.Errorf("gap %g on separated tables, want near 0.5", r.Gap)
			}
		})
		t.Run(clf+"/dependence only", func(t *testing.T) {
			// c and g are associated in the real table; the synthetic one
			// keeps both marginals but breaks the association by shuffling
			// g. Trees see interactions, so they must tell them apart.
			real := mixed(3000, 16, 0)
			g := real.Col("g")
			idx := sample(newRand(3), g.Len(), g.Len())
			cols := append([]*table.Column{}, real.Cols...)
			cols[3] = g.Take(idx)
			synth := table.MustNew(cols...)
			r, err := C2ST(ctx, real, synth, C2STConfig{Seed: 7, Classifier: clf})
			if err != nil {
				t.Fatal(err)
			}
			if r.Gap < 0.15 || r.AUC < 0.65 {
				t.Errorf("gap %g, AUC %g: the classifier should see the broken dependence", r.Gap, r.AUC)
			}
		})
		t.Run(clf+"/seeded", func(t *testing.T) {
			a, _ := C2ST(ctx, mixed(1000, 1, 0), mixed(1000, 2, 0.3), C2STConfig{Seed: 9, Rows: 600, Classifier: clf})
			b, _ := C2ST(ctx, mixed(1000, 1, 0), mixed(1000, 2, 0.3), C2STConfig{Seed: 9, Rows: 600, Classifier: clf})
			if a != b {
				t.Errorf("same seed, different results: %+v vs %+v", a, b)
			}
			if a.Rows != 600 || a.Test+a.Train < 1200 {
				t.Errorf("rows not capped at 600 per side: %+v", a)
			}
		})
	}
	t.Run("hgb/same seed, any GOMAXPROCS", func(t *testing.T) {
		real, synth := mixed(1500, 1, 0), mixed(1500, 2, 0.2)
		a, _ := C2ST(ctx, real, synth, C2STConfig{Seed: 4})
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		b, _ := C2ST(ctx, real, synth, C2STConfig{Seed: 4})
		if a != b {
			t.Errorf("GOMAXPROCS 1 changed the result: %+v vs %+v", b, a)
		}
	})
	t.Run("hgb/folds", func(t *testing.T) {
		r, err := C2ST(ctx, mixed(500, 1, 0), mixed(500, 2, 0), C2STConfig{Seed: 1, Folds: 3})
		if err != nil || r.Folds != 3 || r.Train != 2*(500-500/3) {
			t.Errorf("%+v, %v: want 3 folds", r, err)
		}
		// Fewer rows per side than folds: as many folds as rows.
		r, err = C2ST(ctx, mixed(3, 1, 0), mixed(3, 2, 0), C2STConfig{Seed: 1})
		if err != nil || r.Folds != 3 || r.AUC != 0.5 {
			t.Errorf("%+v, %v: want 3 folds and AUC ½ (no split on 4 rows)", r, err)
		}
	})
}

// TestC2STOddTables runs both classifiers on tables that carry nothing or
// little: each gives a value or a reason, never a panic.
func TestC2STOddTables(t *testing.T) {
	ctx := context.Background()
	nan := math.NaN()
	constant := table.MustNew(table.NewFloat("x", []float64{1, 1, 1, 1, 1, 1}), cat("c", "a", "a", "a", "a", "a", "a"))
	missing := table.MustNew(table.NewFloat("x", []float64{nan, nan, nan, nan, nan, nan}), table.NewCategorical("c", nil, []int32{-1, -1, -1, -1, -1, -1}))
	text := table.MustNew(table.NewText("t", []string{"a", "b", "c"}, nil))
	for _, clf := range C2STClassifiers {
		for _, c := range []struct {
			name        string
			real, synth *table.Table
			reason      string
		}{
			{"constant columns", constant, constant, ""},
			{"all-missing columns", missing, missing, ""},
			{"constant against all-missing", constant, missing, ""},
			{"no comparable column", text, text, "no column to compare"},
			{"one row", table.MustNew(table.NewFloat("x", []float64{1})), constant, "at least 2 rows"},
		} {
			t.Run(clf+"/"+c.name, func(t *testing.T) {
				scores, err := C2STScores(ctx, Input{Real: c.real, Synth: c.synth, C2STClassifier: clf})
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range scores {
					switch {
					case c.reason == "" && !s.OK():
						t.Errorf("%s: no value (%s)", s.Name, s.Reason)
					case c.reason != "" && (s.OK() || !strings.Contains(s.Reason, c.reason)):
						t.Errorf("%s = %g, reason %q; want a reason with %q", s.Name, s.Value, s.Reason, c.reason)
					}
				}
			})
		}
	}
	if _, err := C2STScores(ctx, Input{Real: constant, Synth: constant, C2STClassifier: "svm"}); err == nil || !strings.Contains(err.Error(), "hgb, forest") {
		t.Errorf("unknown classifier: error %v, want one listing the valid names", err)
	}
	scores, err := C2STScores(ctx, Input{Synth: constant})
	if err != nil || scores[0].OK() || scores[0].Reason == "" {
		t.Errorf("no real table: %+v, %v", scores, err)
	}
}

func TestC2STErrors(t *testing.T) {
	ctx := context.Background()
	tiny := table.MustNew(table.NewFloat("x", []float64{1}))
	if _, err := C2ST(ctx, tiny, tiny, C2STConfig{}); err == nil || !strings.Contains(err.Error(), "at least 2 rows") {
		t.Errorf("one row: error %v", err)
	}
	for _, c := range []struct {
		cfg C2STConfig
		key string
	}{
		{C2STConfig{Rows: -1}, "rows"},
		{C2STConfig{TestFraction: 1}, "test_fraction"},
		{C2STConfig{Trees: -2}, "trees"},
		{C2STConfig{MinLeaf: -1}, "min_leaf"},
		{C2STConfig{Folds: 1}, "folds"},
		{C2STConfig{Classifier: "tree"}, "classifier"},
	} {
		if err := c.cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%+v: error %v, want one naming %q", c.cfg, err, c.key)
		}
	}
	if err := (C2STConfig{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
	scores, err := C2STScores(ctx, Input{Real: tiny, Synth: tiny, Targeted: map[string]bool{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 2 || scores[0].OK() || scores[0].Reason == "" || scores[1].Name != "c2st_auc" {
		t.Fatalf("scores %+v, want two undefined scores with reasons", scores)
	}
	if scores[0].Targeted == nil || *scores[0].Targeted {
		t.Error("c2st scores must be marked untargeted when a target set is given")
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 2)) }

func TestC2STScores(t *testing.T) {
	ctx := context.Background()
	real, synth := mixed(400, 20, 0), mixed(300, 21, 0)
	for _, c := range []struct {
		clf, param string
		value      any
	}{{"", "folds", 5}, {C2STForest, "test_fraction", 0.3}} {
		t.Run(c.param, func(t *testing.T) {
			in := Input{Real: real, Synth: synth, Seed: 5, C2STRows: 250, C2STClassifier: c.clf}
			r, err := C2ST(ctx, real, synth, C2STConfig{Rows: 250, Seed: 5, Classifier: c.clf})
			if err != nil {
				t.Fatal(err)
			}
			scores, err := C2STScores(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "c2st_gap", scores[0].Value, r.Gap, 0)
			near(t, "c2st_auc (folded)", scores[1].Value, max(r.AUC, 1-r.AUC), 0)
			if scores[1].Value < 0.5 || scores[0].Params["rows"] != 250 || scores[0].Targeted != nil {
				t.Errorf("scores %+v", scores)
			}
			if scores[0].Params["classifier"] != r.Classifier || scores[0].Params[c.param] != c.value || scores[0].Params["seed"] != uint64(5) {
				t.Errorf("params %v, want classifier %s and %s %v", scores[0].Params, r.Classifier, c.param, c.value)
			}
			for _, s := range scores {
				if s.ReferenceKind != "" {
					t.Errorf("%s: reference kind %q: C2ST's reference is computed by the scoring path, not fixed", s.Name, s.ReferenceKind)
				}
			}
		})
	}
}
