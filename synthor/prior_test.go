package synthor

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// orders returns n order lines whose total is quantity × unit price (to
// the cent), whose discount is "bulk" from 4 items, and whose segment
// depends on the unit price: relations a prior-less loop cannot know.
func orders(n int, seed uint64) *table.Table {
	rng := rand.New(rand.NewPCG(seed, 7))
	qty, unit, total := make([]int64, n), make([]float64, n), make([]float64, n)
	disc, seg, region := make([]int32, n), make([]int32, n), make([]int32, n)
	for i := range n {
		qty[i] = 1 + int64(rng.IntN(6))
		unit[i] = math.Round(math.Exp(2+rng.NormFloat64())*100) / 100
		total[i] = math.Round(float64(qty[i])*unit[i]*100) / 100
		if qty[i] >= 4 {
			disc[i] = 1
		}
		if unit[i] > 7.4 {
			seg[i] = 1
		}
		region[i] = int32(rng.IntN(3))
	}
	return table.MustNew(
		table.NewInteger("quantity", qty, nil),
		table.NewFloat("unit_price", unit),
		table.NewFloat("total", total),
		table.NewCategorical("discount", []string{"none", "bulk"}, disc),
		table.NewCategorical("segment", []string{"budget", "premium"}, seg),
		table.NewCategorical("region", []string{"north", "south", "west"}, region),
	)
}

// cartModel returns the sequential CART baseline with its defaults.
func cartModel(t testing.TB) *baselines.CART {
	c, err := baselines.NewCART(baselines.CARTConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// priorModel returns the cart model the registry's prior=model builds:
// cart's defaults with leaves of at least PriorMinLeaf rows and up to
// PriorMaxLevels categories modelled.
func priorModel(t testing.TB) *baselines.CART {
	cc := baselines.DefaultCARTConfig()
	cc.Tree.MinLeaf = PriorMinLeaf
	cc.MaxLevels = PriorMaxLevels
	c, err := baselines.NewCART(cc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// withPrior returns a synthesizer of cfg with prior p (its kind set).
func withPrior(t testing.TB, cfg Config, pl Planner, p Prior) *Synthesizer {
	cfg.Prior = p.Kind()
	s, err := New(cfg, pl)
	if err != nil {
		t.Fatal(err)
	}
	s.Prior = p
	return s
}

// relationError is the median of |total − quantity × unit price| / total.
func relationError(t *table.Table) float64 {
	var e []float64
	q, u, tot := t.Col("quantity"), t.Col("unit_price"), t.Col("total")
	for i := range t.NumRows() {
		e = append(e, math.Abs(tot.Float(i)-q.Float(i)*u.Float(i))/math.Max(tot.Float(i), 0.01))
	}
	slices.Sort(e)
	return e[len(e)/2]
}

// ruleBreaks is the share of rows whose discount disagrees with the
// quantity (bulk from 4 items).
func ruleBreaks(t *table.Table) float64 {
	bad := 0
	for i := range t.NumRows() {
		if (t.Col("quantity").Ints[i] >= 4) != (t.Col("discount").String(i) == "bulk") {
			bad++
		}
	}
	return float64(bad) / float64(t.NumRows())
}

// TestModelPriorKeepsRelations checks that the model prior's records keep
// the relations between columns about as well as the model's own samples
// (a cart model: within 1.5× its median relative error of total against
// quantity × unit price, and its share of discount-rule breaks + 0.02),
// where the prior-less loop loses them (at least 3× cart's error), while
// the loop's targeted tables stay aligned.
func TestModelPriorKeepsRelations(t *testing.T) {
	ref := orders(3000, 1)
	ctx := context.Background()
	c := cartModel(t)
	if err := c.Fit(ctx, ref); err != nil {
		t.Fatal(err)
	}
	cartOut, err := c.Sample(ctx, 3000, 5)
	if err != nil {
		t.Fatal(err)
	}
	_, stat := fitSample(t, DefaultConfig, nil, ref, 3000, 5)
	s := withPrior(t, DefaultConfig, nil, NewModelPrior(cartModel(t)))
	if err := s.Fit(ctx, ref); err != nil {
		t.Fatal(err)
	}
	out, res, err := s.SampleResult(ctx, 3000, 5)
	if err != nil {
		t.Fatal(err)
	}
	ec, es, ep := relationError(cartOut), relationError(stat), relationError(out)
	t.Logf("median relative error of total: cart %.4f, stat %.4f, stat+prior %.4f; discount-rule breaks: cart %.3f, stat %.3f, stat+prior %.3f",
		ec, es, ep, ruleBreaks(cartOut), ruleBreaks(stat), ruleBreaks(out))
	if ep > 1.5*ec || es < 3*ec {
		t.Errorf("relation error: prior %.4f against cart %.4f (want <= 1.5×), stat %.4f (want >= 3× cart)", ep, ec, es)
	}
	if ruleBreaks(out) > ruleBreaks(cartOut)+0.02 {
		t.Errorf("discount-rule breaks: prior %.3f, cart %.3f", ruleBreaks(out), ruleBreaks(cartOut))
	}
	if res.Prior != PriorModel || !strings.Contains(res.Label, "cart prior") || !strings.Contains(res.Label, "no LLM") {
		t.Errorf("result prior %q label %q", res.Prior, res.Label)
	}
	for key, d := range tvds(t, ref, out, res.Deps) {
		if d > 0.03 {
			t.Errorf("targeted table [%s]: TVD %.3f", key, d)
		}
	}
}

// TestSamplePriorKeepsRecordsWhole checks that the sample prior's records
// are the sample's (every output row is one of them, so the relations hold
// exactly) and that the loop still aligns its targets, drawing sample
// records again where it needs them.
func TestSamplePriorKeepsRecordsWhole(t *testing.T) {
	ref := orders(3000, 2)
	sample := orders(300, 3)
	s := withPrior(t, DefaultConfig, nil, NewSamplePrior(sample))
	ctx := context.Background()
	if err := s.Fit(ctx, ref); err != nil {
		t.Fatal(err)
	}
	out, res, err := s.SampleResult(ctx, 3000, 1)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for i := range sample.NumRows() {
		rows[rowText(sample, i)] = true
	}
	other := 0
	for i := range out.NumRows() {
		if !rows[rowText(out, i)] {
			other++
		}
	}
	// A record is other than a sample record only when no sample record
	// held its proposal's cells (it is then set over the closest one).
	unmatched := res.Repairs[RepairPriorUnmatched]
	t.Logf("%d records are not sample records; %d were set over the closest sample record", other, unmatched)
	if other > unmatched || unmatched > out.NumRows()/50 {
		t.Errorf("%d records are not sample records, %d unmatched (want at most that, and at most 2%%)", other, unmatched)
	}
	for key, d := range tvds(t, ref, out, res.Deps) {
		t.Logf("[%s] TVD %.4f", key, d)
		if d > 0.05 {
			t.Errorf("targeted table [%s]: TVD %.3f", key, d)
		}
	}
}

func rowText(t *table.Table, i int) string {
	var parts []string
	for _, c := range t.Cols {
		parts = append(parts, c.String(i))
	}
	return strings.Join(parts, "|")
}

// TestPriorHoldsNamedCells runs a planner that asks for the same cells
// every iteration: ranges that are no bin (found by a scan of the prior's
// records) in the first, a category that is a target cell (found by its
// index) in the second. With a prior every record holds the named values,
// no record needs setting over a prior record, and the other values vary
// across the records of a proposal; without a prior the loop fills them
// from the marginal guidance, the same for every record of a proposal.
func TestPriorHoldsNamedCells(t *testing.T) {
	ref := orders(2000, 4)
	first := map[string]Value{"region": Cat("south"), "quantity": Range(2, 3), "unit_price": Range(2, 30)}
	second := map[string]Value{"region": Cat("west")}
	plans := []*Plan{{Proposals: []Proposal{{Values: first, Num: 1 << 20}}}, {Proposals: []Proposal{{Values: second, Num: 1 << 20}}}}
	holds := func(out *table.Table, i int) bool {
		if i >= 100 {
			return out.Col("region").String(i) == "west"
		}
		q, u := out.Col("quantity").Ints[i], out.Col("unit_price").Floats[i]
		return out.Col("region").String(i) == "south" && q >= 2 && q <= 3 && u >= 2 && u <= 30
	}
	for _, prior := range []Prior{nil, &ModelPrior{Model: cartModel(t), Pool: 20}, NewSamplePrior(ref)} {
		cfg := DefaultConfig
		cfg.Iterations, cfg.Batch = 2, 100
		name := "no prior"
		s, err := New(cfg, &scripted{plans: plans})
		if err != nil {
			t.Fatal(err)
		}
		if prior != nil {
			name = prior.Describe()
			s = withPrior(t, cfg, &scripted{plans: plans}, prior)
		}
		if err := s.Fit(context.Background(), ref); err != nil {
			t.Fatal(err)
		}
		out, res, err := s.SampleResult(context.Background(), 200, 1)
		if err != nil {
			t.Fatal(err)
		}
		varied := map[bool]map[string]bool{false: {}, true: {}}
		for i := range out.NumRows() {
			if !holds(out, i) {
				t.Fatalf("%s: row %d (%s) is outside its proposal's cells", name, i+1, rowText(out, i))
			}
			varied[i >= 100][out.Col("segment").String(i)+out.Col("discount").String(i)] = true
		}
		if prior == nil {
			continue
		}
		if n := res.Repairs[RepairPriorUnmatched]; n > 0 {
			t.Errorf("%s: %d records set over a prior record", name, n)
		}
		for second, v := range varied {
			if len(v) < 2 {
				t.Errorf("%s: proposal %d: every record has the same segment and discount", name, map[bool]int{false: 1, true: 2}[second])
			}
		}
	}
}

// TestPriorSameSeedSameBytes checks that a model-prior run is a function
// of its seed.
func TestPriorSameSeedSameBytes(t *testing.T) {
	ref := orders(800, 5)
	csv := func(seed uint64) []byte {
		s := withPrior(t, DefaultConfig, nil, NewModelPrior(cartModel(t)))
		if err := s.Fit(context.Background(), ref); err != nil {
			t.Fatal(err)
		}
		out, err := s.Sample(context.Background(), 500, seed)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := table.WriteCSV(&b, out); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := csv(1), csv(1), csv(2)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed gave different output")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same output")
	}
}

// TestModelPriorCopiesNoRecord checks that no output record equals a
// training record on a table where the model copies often (a small table
// of few distinct rows per leaf).
func TestModelPriorCopiesNoRecord(t *testing.T) {
	ref := orders(150, 6)
	ctx := context.Background()
	c := cartModel(t)
	if err := c.Fit(ctx, ref); err != nil {
		t.Fatal(err)
	}
	cartOut, err := c.Sample(ctx, 150, 1)
	if err != nil {
		t.Fatal(err)
	}
	train := map[string]bool{}
	for i := range ref.NumRows() {
		train[rowText(ref, i)] = true
	}
	copies := func(t *table.Table) int {
		n := 0
		for i := range t.NumRows() {
			if train[rowText(t, i)] {
				n++
			}
		}
		return n
	}
	s := withPrior(t, DefaultConfig, nil, NewModelPrior(cartModel(t)))
	if err := s.Fit(ctx, ref); err != nil {
		t.Fatal(err)
	}
	out, err := s.Sample(ctx, 150, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("copies of training records: cart %d of 150, stat+prior %d", copies(cartOut), copies(out))
	if copies(cartOut) == 0 {
		t.Fatal("the model copies no record here: the test table must be rebuilt")
	}
	if n := copies(out); n > 0 {
		t.Errorf("%d output records are training records", n)
	}
}

// TestPriorSettingErrors checks that the setting and the Prior agree and
// that a model prior refuses targets alone and grouped tables.
func TestPriorSettingErrors(t *testing.T) {
	ctx := context.Background()
	ref := orders(100, 1)
	cases := []struct {
		name  string
		cfg   PriorKind
		prior Prior
		want  string
	}{
		{"setting without records", PriorModel, nil, "needs its records"},
		{"records without setting", PriorNone, NewSamplePrior(ref), "prior setting is none"},
		{"kinds differ", PriorModel, NewSamplePrior(ref), "Synthesizer.Prior is a sample prior"},
		{"empty sample", PriorSample, NewSamplePrior(ref.Head(0)), "no sample records"},
	}
	for _, c := range cases {
		cfg := DefaultConfig
		cfg.Prior = c.cfg
		s, err := New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Prior = c.prior
		if err := s.Fit(ctx, ref); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	cfg := DefaultConfig
	cfg.Prior = "cart"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "prior:") {
		t.Errorf("prior cart: error %v", err)
	}
	tg, err := macro.TargetsFromTable(ref, mustSpace(t, ref), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := withPrior(t, DefaultConfig, nil, NewModelPrior(cartModel(t)))
	if err := s.FitTargets(ctx, nil, tg); !errors.Is(err, ErrPriorNeedsData) {
		t.Errorf("model prior on targets: error %v, want ErrPriorNeedsData", err)
	}
	s = withPrior(t, DefaultConfig, nil, NewModelPrior(cartModel(t)))
	if err := s.Fit(ctx, datasets.Population(50, 1)); err == nil || !strings.Contains(err.Error(), "prior=sample") {
		t.Errorf("model prior on households: error %v", err)
	}
}

func mustSpace(t *testing.T, ref *table.Table) *macro.Space {
	sp, err := macro.NewSpace(ref, 0)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// TestPriorSettingValidated: a prior other than none, model and sample is
// refused by Validate, naming the valid ones.
func TestPriorSettingValidated(t *testing.T) {
	c := DefaultConfig
	c.Prior = "Model"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "valid: none, model, sample") {
		t.Errorf("Validate with prior Model: %v", err)
	}
}

// TestSamplePriorHouseholds synthesizes 2,000 households of persons from a
// 100-household sample of the same generator (5%, another seed) as the
// prior, fitted to the full population's tables: every household is a
// sample household, whole (so no plausibility rule is broken), and the
// household-level and person-level marginals come closer to the
// population's than the sample's own.
func TestSamplePriorHouseholds(t *testing.T) {
	ref, sample := datasets.Population(2000, 1), datasets.Population(100, 2)
	s := withPrior(t, DefaultConfig, nil, NewSamplePrior(sample))
	ctx := context.Background()
	if err := s.Fit(ctx, ref); err != nil {
		t.Fatal(err)
	}
	out, res, err := s.SampleResult(ctx, 2000, 1)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := out.Groups()
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2000 {
		t.Fatalf("%d households, want 2000", len(groups))
	}
	households := map[string]bool{}
	sg, _ := sample.Groups()
	for _, g := range sg {
		households[householdText(sample, g)] = true
	}
	for _, g := range groups {
		if !households[householdText(out, g)] {
			t.Fatalf("household at row %d is not a sample household: %s", g[0]+1, householdText(out, g))
		}
	}
	chk, err := datasets.CheckPopulation(out)
	if err != nil {
		t.Fatal(err)
	}
	if chk.HouseholdRejection() != 0 || chk.PersonRejection() != 0 {
		t.Errorf("rejections: households %.3f, persons %.3f", chk.HouseholdRejection(), chk.PersonRejection())
	}
	// The sample itself is 0.02-0.14 away from the population on these
	// marginals (householder type 0.141, age 0.107): the records chosen
	// from it must be at least as close on every one, and closer overall.
	own := tvds(t, ref, sample, nil)
	var sumOut, sumOwn float64
	for c, d := range tvds(t, ref, out, nil) {
		t.Logf("TVD of %s = %.4f (the sample's own %.4f)", c, d, own[c])
		if d > own[c]+0.005 {
			t.Errorf("TVD of %s = %.4f, the sample's own %.4f", c, d, own[c])
		}
		sumOut, sumOwn = sumOut+d, sumOwn+own[c]
	}
	if sumOut > sumOwn/2 {
		t.Errorf("summed TVD %.3f, the sample's own %.3f: want at most half", sumOut, sumOwn)
	}
	t.Logf("%d households chosen without the cells named; deps %v", res.Repairs[RepairPriorUnmatched], res.Deps)
}

// householdText renders a household's rows without the group key.
func householdText(t *table.Table, g [2]int) string {
	var rows []string
	for i := g[0]; i < g[1]; i++ {
		var parts []string
		for _, c := range t.Cols {
			if c.Name != t.GroupKey {
				parts = append(parts, c.String(i))
			}
		}
		rows = append(rows, strings.Join(parts, "|"))
	}
	return strings.Join(rows, "\n")
}
