package synthor

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// seedControls are the controls of configs/population-sample.yaml (its
// composition cut at 18 only; popControls cuts at 18 and 65).
var seedControls = macro.ControlSpec{
	Groups:      popControls.Groups,
	Members:     popControls.Members,
	Joints:      popControls.Joints,
	Composition: &macro.CompositionSpec{Member: "age", Cuts: []float64{18}},
}

// households returns the households of t at the given group indices, in
// that order.
func households(t *testing.T, pop *table.Table, pick []int) *table.Table {
	t.Helper()
	groups, err := pop.Groups()
	if err != nil {
		t.Fatal(err)
	}
	var rows []int
	for _, g := range pick {
		for i := groups[g][0]; i < groups[g][1]; i++ {
			rows = append(rows, i)
		}
	}
	return pop.Take(rows)
}

// fitSample fits LLMSynthor with prior=sample to the controls of pop and
// samples as many households, as the population-sample config's cells do
// (methods.FitSample: the sample's schema, the controls' targets).
func fitSeed(t *testing.T, pop, sample *table.Table, seed uint64) (*table.Table, *Result, *macro.Targets) {
	t.Helper()
	tg, err := macro.ControlsFromTable(pop, seedControls)
	if err != nil {
		t.Fatal(err)
	}
	s := withPrior(t, DefaultConfig, nil, NewSamplePrior(sample))
	ctx := context.Background()
	if err := s.FitTargets(ctx, sample.Schema(), tg); err != nil {
		t.Fatal(err)
	}
	out, res, err := s.SampleResult(ctx, int(tg.Size), seed)
	if err != nil {
		t.Fatal(err)
	}
	return out, res, tg
}

// controlErrors returns the controls group's %RMSE of every control table
// of out (metrics.Controls, a path that shares nothing with the
// refinement's counts), keyed by table.
func controlErrors(t *testing.T, out *table.Table, tg *macro.Targets) map[string]float64 {
	t.Helper()
	scores, err := metrics.Controls(context.Background(), metrics.Input{Synth: out, Controls: tg})
	if err != nil {
		t.Fatal(err)
	}
	errs := map[string]float64{}
	for _, s := range scores {
		key, _ := s.Params["table"].(string)
		if !s.OK() {
			t.Fatalf("control %s: %s", key, s.Reason)
		}
		errs[key] = s.Value
	}
	return errs
}

// checkWhole fails unless every household of out is one of sample's,
// whole, and no plausibility rule of the generator is broken.
func checkWhole(t *testing.T, out, sample *table.Table) {
	t.Helper()
	seen := map[string]bool{}
	sg, _ := sample.Groups()
	for _, g := range sg {
		seen[householdText(sample, g)] = true
	}
	og, err := out.Groups()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range og {
		if !seen[householdText(out, g)] {
			t.Fatalf("household at row %d is not a seed household", g[0]+1)
		}
	}
	chk, err := datasets.CheckPopulation(out)
	if err != nil {
		t.Fatal(err)
	}
	if chk.HouseholdRejection() != 0 || chk.PersonRejection() != 0 {
		t.Errorf("rejections: households %.4f, persons %.4f, want 0", chk.HouseholdRejection(), chk.PersonRejection())
	}
}

// TestSamplePriorMeetsControls fits the sample prior to a 3,000-household
// population's controls with 600 of its households (20%) as the seed, as
// configs/population-sample.yaml does at 20,000 and 5%: every control
// table within 1% %RMSE (the acceptance; 0.43% at worst),
// measured by the controls metric, with every household a whole seed
// household and no plausibility rule broken; a second fit and sample
// with the same seed gives the same bytes (not under the race detector). At 20% every control cell
// holds a seed household; a 10% seed of 4,000 lacks a num_vehicles cell
// holding 0.3% of the households, which no choice of seed households
// meets.
func TestSamplePriorMeetsControls(t *testing.T) {
	pop := datasets.Population(3000, 1)
	pick := rand.New(rand.NewPCG(1, 0x5eedc0de)).Perm(3000)[:600]
	slices.Sort(pick)
	sample := households(t, pop, pick)
	out, res, tg := fitSeed(t, pop, sample, 1)
	if res.Swaps == 0 {
		t.Errorf("no swaps recorded")
	}
	for key, pct := range controlErrors(t, out, tg) {
		t.Logf("%s: %.3f%%", key, pct)
		if pct > 1 {
			t.Errorf("control %s: %%RMSE %.3f, want at most 1", key, pct)
		}
	}
	checkWhole(t, out, sample)
	if raceEnabled { // the second run would double the test's time
		return
	}
	again, _, _ := fitSeed(t, pop, sample, 1)
	if d := table.Diff(out, again); d != "" {
		t.Errorf("the same seed gave different households: %s", d)
	}
}

// TestRefinementFindsPlanted plants a population the seed can meet
// exactly: 2,000 households, each a copy of one of 40 seed households
// drawn at random (so 1 to about 90 copies of each). The loop alone leaves
// this population's controls up to 7.7% %RMSE off (age by employment; the
// composition 4.6%), as its choice among a few households at a time
// cannot reach the planted numbers; the refinement must bring every
// control table within 1% (it reaches 0.59%, a local minimum of one-
// household swaps short of the exact 0), every household still a whole
// seed household.
func TestRefinementFindsPlanted(t *testing.T) {
	base := datasets.Population(400, 3)
	seedIdx := rand.New(rand.NewPCG(3, 1)).Perm(400)[:40]
	slices.Sort(seedIdx)
	rng := rand.New(rand.NewPCG(3, 2))
	var pick []int
	for len(pick) < 2000 {
		pick = append(pick, seedIdx[rng.IntN(len(seedIdx))])
	}
	slices.Sort(pick)
	pop := households(t, base, pick)
	relabel(pop)
	sample := households(t, base, seedIdx)
	out, res, tg := fitSeed(t, pop, sample, 2)
	t.Logf("%d swaps", res.Swaps)
	for key, pct := range controlErrors(t, out, tg) {
		t.Logf("%s: %.3f%%", key, pct)
		if pct > 1 {
			t.Errorf("control %s: %%RMSE %.3f, want at most 1 (an exact solution exists)", key, pct)
		}
	}
	checkWhole(t, out, sample)
}

// relabel gives every household of pop a key of its own (copies share
// their source's), numbered in order: a householder (person_id 1)
// starts a household.
func relabel(pop *table.Table) {
	ids := make([]int64, pop.NumRows())
	var g int64
	for i := range ids {
		if pop.Col("person_id").Float(i) == 1 { // a householder starts a household
			g++
		}
		ids[i] = g
	}
	for k, c := range pop.Cols {
		if c.Name == pop.GroupKey {
			nc := table.NewInteger(c.Name, ids, nil)
			nc.Field = c.Field
			pop.Cols[k] = nc
		}
	}
}
