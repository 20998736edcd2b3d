package synthor

import (
	"context"
	"testing"

	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// adultTestPath is the Adult test split (16,281 rows): unseen real records,
// the non-members of the membership attack.
const adultTestPath = "../datasets/data/adult_test.csv.gz"

// TestAdultModelPrior is the acceptance test of the model prior on Adult
// (seed 1, as many rows as the training split): the gradient-boosted
// detector (5-fold, scikit-learn's HistGradientBoosting reproduced and
// checked in package metrics) tells its records from real ones at AUC ≤
// 0.60 (the stat planner without a prior: about 0.8); its SDMetrics quality
// stays within 0.005 of the prior-less loop's; it copies no more training
// records than the cart baseline it is built on (exact-match rate, DCR
// share); and the membership attack, members the training split and
// non-members the test split, stays near ½ (≤ 0.55; cart's records, with
// leaves of 5 rows: about 0.60). The prior's cart model is built as the
// registry builds it: leaves of at least PriorMinLeaf rows.
func TestAdultModelPrior(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("-short or -race: make test runs it in its plain pass")
	}
	ctx := context.Background()
	ref := readAdult(t)
	test, err := table.ReadFile(adultTestPath, table.ReadOptions{NullValues: []string{"", "?"}})
	if err != nil {
		t.Fatal(err)
	}
	n := ref.NumRows()
	_, stat := fitSample(t, DefaultConfig, nil, ref, n, 1)
	s := withPrior(t, DefaultConfig, nil, NewModelPrior(priorModel(t)))
	if err := s.Fit(ctx, ref); err != nil {
		t.Fatal(err)
	}
	prior, err := s.Sample(ctx, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := cartModel(t)
	if err := c.Fit(ctx, ref); err != nil {
		t.Fatal(err)
	}
	cart, err := c.Sample(ctx, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	score := func(out *table.Table) map[string]float64 {
		in := metrics.Input{Real: ref, Synth: out, Holdout: test, Seed: 1}
		got := map[string]float64{}
		for _, f := range []func(context.Context, metrics.Input) ([]metrics.Score, error){metrics.SDMetrics, metrics.C2STScores, metrics.Privacy} {
			scores, err := f(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, sc := range scores {
				if len(sc.Columns) >= len(ref.Cols) || sc.Name == metrics.NameSDMetricsQuality {
					got[sc.Name] = sc.Value
				}
			}
		}
		return got
	}
	st, pr, ca := score(stat), score(prior), score(cart)
	for _, name := range []string{metrics.NameSDMetricsQuality, metrics.NameC2STAUC, metrics.NameExactMatchRate, metrics.NameDCRShare, metrics.NameMembershipAUC} {
		t.Logf("%-20s stat %.4f  stat+cart-prior %.4f  cart %.4f", name, st[name], pr[name], ca[name])
	}
	if v := pr[metrics.NameC2STAUC]; !(v <= 0.60) {
		t.Errorf("detection AUC with the model prior %.4f, want <= 0.60", v)
	}
	if d := pr[metrics.NameSDMetricsQuality] - st[metrics.NameSDMetricsQuality]; !(d >= -0.005) {
		t.Errorf("SDMetrics quality with the model prior %.4f, %.4f below the stat planner's", pr[metrics.NameSDMetricsQuality], -d)
	}
	if !(pr[metrics.NameExactMatchRate] <= ca[metrics.NameExactMatchRate]) {
		t.Errorf("exact-match rate %.4f, cart's %.4f", pr[metrics.NameExactMatchRate], ca[metrics.NameExactMatchRate])
	}
	if !(pr[metrics.NameDCRShare] <= ca[metrics.NameDCRShare]+0.01) {
		t.Errorf("DCR share %.4f, cart's %.4f", pr[metrics.NameDCRShare], ca[metrics.NameDCRShare])
	}
	if v, ok := pr[metrics.NameMembershipAUC]; !ok || !(v <= 0.55) {
		t.Errorf("membership AUC %.4f (present %v), want <= 0.55 (cart's %.4f)", v, ok, ca[metrics.NameMembershipAUC])
	}
}
