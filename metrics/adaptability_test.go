package metrics

import (
	"context"
	"errors"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/synthor"
	"github.com/synthor/synthor/table"
)

func TestZeroConfigSuccess(t *testing.T) {
	runs := []Run{
		{"adult", "independent", 0.70, nil}, {"adult", "cart", 0.80, nil}, {"adult", "ipf", 0, errors.New("needs joints")},
		{"ecom", "independent", 0.60, nil}, {"ecom", "cart", 0.55, nil}, {"ecom", "ipf", 0.65, nil},
		{"pop", "independent", 0.50, nil}, {"pop", "cart", 0.90, nil},
		{"mob", "independent", math.NaN(), nil}, {"mob", "cart", 0.9, nil}, {"mob", "ipf", 0.9, nil},
	}
	got := ZeroConfigSuccess(runs, "independent")
	if len(got) != 2 {
		t.Fatalf("%d scores, want 2", len(got))
	}
	// cart beats independent on adult and pop, not on ecom: 2/3; mob is
	// unjudged. ipf fails on adult, wins ecom, is not run on pop: 1/3.
	want := map[string]struct {
		v        float64
		failures []string
	}{
		"cart": {2.0 / 3, []string{"ecom: quality 0.5500 does not beat independent's 0.6000"}},
		"ipf":  {1.0 / 3, []string{"adult: needs joints", "pop: not run"}},
	}
	for _, s := range got {
		m := s.Params["method"].(string)
		w := want[m]
		if math.Abs(s.Value-w.v) > 1e-12 || !slices.Equal(s.Params["failures"].([]string), w.failures) {
			t.Errorf("%s: %v, failures %q; want %v, %q", m, s.Value, s.Params["failures"], w.v, w.failures)
		}
		if u := s.Params["unjudged"].([]string); !slices.Equal(u, []string{"mob"}) {
			t.Errorf("%s: unjudged %q", m, u)
		}
	}
	if s := ZeroConfigSuccess(runs[:2], "bootstrap"); len(s) != 2 || s[0].OK() {
		t.Errorf("no baseline runs: %+v", s)
	}
}

func TestScenarioByHand(t *testing.T) {
	// Real: c = a a b b c c c c (a 0.25, b 0.25, c 0.5), g = x x x x y y y y.
	// Synth: c = a a a a b b c c (a 0.5 by override; b : c = 1 : 1 as in
	// real), g = x x x y y y y y.
	cat := func(name string, dict []string, codes ...int32) *table.Column {
		return table.NewCategorical(name, dict, codes)
	}
	real := table.MustNew(cat("c", []string{"a", "b", "c"}, 0, 0, 1, 1, 2, 2, 2, 2), cat("g", []string{"x", "y"}, 0, 0, 0, 0, 1, 1, 1, 1))
	synth := table.MustNew(cat("c", []string{"a", "b", "c"}, 0, 0, 0, 0, 1, 1, 2, 2), cat("g", []string{"x", "y"}, 0, 0, 0, 1, 1, 1, 1, 1))
	scores, err := Adaptability(context.Background(), Input{Real: real, Synth: synth, Overrides: settings.Overrides{{Var: "c", Category: "a", Share: 0.45}}})
	if err != nil {
		t.Fatal(err)
	}
	// gap |0.5 - 0.45| = 0.05; drift of c among b, c: real 1/3, 2/3,
	// synth 1/2, 1/2: TVD 1/6. Reference for g: rows of a weigh 0.45/0.25
	// = 1.8, the others 0.55/0.75; x = 2(1.8) + 2(0.55/0.75) = 76/15 of 8,
	// so TVD |76/120 - 3/8| = 31/120 (unweighted: |0.5 - 0.375| = 0.125).
	want := []float64{0.05, 1.0 / 6, 31.0 / 120, 31.0 / 120}
	if len(scores) != len(want) {
		t.Fatalf("%d scores: %+v", len(scores), scores)
	}
	for i, w := range want {
		if math.Abs(scores[i].Value-w) > 1e-12 {
			t.Errorf("%s %v: %v, want %v", scores[i].Name, scores[i].Columns, scores[i].Value, w)
		}
	}
	if u := scores[2].Params["unweighted"]; u != 0.125 {
		t.Errorf("unweighted drift of g: %v, want 0.125", u)
	}
	none, err := Adaptability(context.Background(), Input{Real: real, Synth: synth})
	if err != nil || len(none) != 2 || none[0].OK() || none[0].Reason == "" {
		t.Errorf("no overrides: %+v %v", none, err)
	}
}

// TestWhatIfOverride runs LLMSynthor (stat planner) with the override
// product_category=Electronics:0.35 on ecommerce-bn data: the output's
// Electronics share is 0.35 ± 0.01, and every marginal not overridden
// drifts from the scenario's reference less than independent fresh draws
// of the same size drift from the real table (the sampling noise floor,
// averaged over 10 draws).
func TestWhatIfOverride(t *testing.T) {
	if testing.Short() {
		t.Skip("fits LLMSynthor")
	}
	const n = 4000
	real := datasets.EcommerceBN(n, 1)
	cfg := synthor.DefaultConfig
	cfg.Joints = [][]string{{"user_age", "user_gender", "product_category"}, {"product_category", "price"}, {"user_location_tier", "payment_method"}}
	cfg.Overrides = settings.Overrides{{Var: "product_category", Category: "Electronics", Share: 0.35}}
	s, err := synthor.New(cfg, synthor.Stat{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Fit(ctx, real); err != nil {
		t.Fatal(err)
	}
	// The output's drift and gap, averaged over 5 samples of the fitted
	// synthesizer, against the noise floor: the mean drift from the real
	// table of 10 independent draws of the same size from the generator.
	const samples, draws = 5, 10
	drift, noise := map[string]float64{}, map[string]float64{}
	unweighted := map[string]float64{}
	for k := range samples {
		out, err := s.Sample(ctx, n, uint64(3+k))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Adaptability(ctx, Input{Real: real, Synth: out, Overrides: cfg.Overrides})
		if err != nil {
			t.Fatal(err)
		}
		if g := got[0]; g.Name != nameTargetGap || !(g.Value <= 0.01) {
			t.Errorf("sample %d: Electronics share %v, want 0.35 ± 0.01", k, g.Params["synth"])
		} else {
			t.Logf("sample %d: Electronics share %.4f", k, g.Params["synth"])
		}
		for _, s := range got[1:] {
			if len(s.Columns) == 1 {
				drift[s.Columns[0]] += s.Value / samples
				if u, ok := s.Params["unweighted"].(float64); ok {
					unweighted[s.Columns[0]] += u / samples
				}
			}
		}
	}
	for k := range draws {
		floor, err := Scenario(ctx, real, datasets.EcommerceBN(n, uint64(100+k)), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range floor {
			if len(s.Columns) == 1 {
				noise[s.Columns[0]] += s.Value / draws
			}
		}
	}
	checked := 0
	for _, c := range slices.Sorted(maps.Keys(drift)) {
		d := drift[c]
		if c == "product_category" {
			continue
		}
		t.Logf("%s: mean drift %.4f (against real itself %.4f), fresh draws %.4f", c, d, unweighted[c], noise[c])
		if !(d < noise[c]) {
			t.Errorf("%s: mean drift %.4f, not below fresh draws' %.4f", c, d, noise[c])
		}
		checked++
	}
	if checked != 5 {
		t.Errorf("%d columns checked for drift, want 5", checked)
	}
}
