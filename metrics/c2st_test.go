package metrics

import (
	"context"
	"math"
	"math/rand/v2"
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
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := C2ST(ctx, c.real, c.synth, C2STConfig{Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			if r.Gap > c.maxGap || math.Abs(r.Gap-math.Abs(r.Accuracy-0.5)) > 1e-15 {
				t.Errorf("gap %g (accuracy %g), want at most %g", r.Gap, r.Accuracy, c.maxGap)
			}
			if r.AUC < c.aucLo || r.AUC > c.aucHigh {
				t.Errorf("AUC %g, want in [%g, %g]", r.AUC, c.aucLo, c.aucHigh)
			}
			n := 2 * min(c.real.NumRows(), c.synth.NumRows())
			if r.Train+r.Test != n || math.Abs(float64(r.Test)-0.3*float64(n)) > 2 {
				t.Errorf("train %d, test %d; want %d rows split 70/30", r.Train, r.Test, n)
			}
			t.Logf("accuracy %.4f, gap %.4f, AUC %.4f", r.Accuracy, r.Gap, r.AUC)
		})
	}
	t.Run("separated gap", func(t *testing.T) {
		r, _ := C2ST(ctx, mixed(2000, 14, 0), mixed(2000, 15, 4), C2STConfig{Seed: 7})
		if r.Gap < 0.4 {
			t.Errorf("gap %g on separated tables, want near 0.5", r.Gap)
		}
	})
	t.Run("dependence only", func(t *testing.T) {
		// c and g are associated in the real table; the synthetic one keeps
		// both marginals but breaks the association by shuffling g. The
		// forest sees interactions, so it must tell them apart.
		real := mixed(3000, 16, 0)
		g := real.Col("g")
		idx := sample(newRand(3), g.Len(), g.Len())
		cols := append([]*table.Column{}, real.Cols...)
		cols[3] = g.Take(idx)
		synth := table.MustNew(cols...)
		r, err := C2ST(ctx, real, synth, C2STConfig{Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if r.Gap < 0.15 || r.AUC < 0.65 {
			t.Errorf("gap %g, AUC %g: the forest should see the broken dependence", r.Gap, r.AUC)
		}
	})
	t.Run("seeded", func(t *testing.T) {
		a, _ := C2ST(ctx, mixed(1000, 1, 0), mixed(1000, 2, 0.3), C2STConfig{Seed: 9, Rows: 600})
		b, _ := C2ST(ctx, mixed(1000, 1, 0), mixed(1000, 2, 0.3), C2STConfig{Seed: 9, Rows: 600})
		if a != b {
			t.Errorf("same seed, different results: %+v vs %+v", a, b)
		}
		if a.Train+a.Test != 1200 {
			t.Errorf("rows not capped at 600 per side: %d", a.Train+a.Test)
		}
	})
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
	in := Input{Real: real, Synth: synth, Seed: 5, C2STRows: 250}
	r, err := C2ST(ctx, real, synth, C2STConfig{Rows: 250, Seed: 5})
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
}
