package synthor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

var paperJoints = [][]string{
	{"user_age", "user_gender", "product_category"},
	{"product_category", "price"},
	{"user_location_tier", "payment_method"},
}

// tvds returns, per targeted table of the reference's space, the total
// variation distance between ref and out, recounted from the tables.
func tvds(t *testing.T, ref, out *table.Table, joints [][]string) map[string]float64 {
	t.Helper()
	sp, err := macro.NewSpace(ref, 6)
	if err != nil {
		t.Fatal(err)
	}
	a, err := macro.TargetsFromTable(ref, sp, joints)
	if err != nil {
		t.Fatal(err)
	}
	b, err := macro.TargetsFromTable(out, sp, joints)
	if err != nil {
		t.Fatal(err)
	}
	res := map[string]float64{}
	for i, c := range a.Tables() {
		res[c.Key()] = macro.PositiveMass(macro.Gap(c, b.Tables()[i]))
	}
	return res
}

func fitSample(t *testing.T, cfg Config, p Planner, ref *table.Table, n int, seed uint64) (*Synthesizer, *table.Table) {
	t.Helper()
	s, err := New(cfg, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fit(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	out, err := s.Sample(context.Background(), n, seed)
	if err != nil {
		t.Fatal(err)
	}
	return s, out
}

func TestEcommerceAlignsTargetedTables(t *testing.T) {
	ref := datasets.EcommerceBN(2000, 1)
	cfg := DefaultConfig
	cfg.Joints = paperJoints
	s, out := fitSample(t, cfg, nil, ref, 2000, 7)
	if out.NumRows() != 2000 {
		t.Fatalf("rows %d, want 2000", out.NumRows())
	}
	if !slices.Equal(out.Names(), ref.Names()) {
		t.Fatalf("columns %v, want %v", out.Names(), ref.Names())
	}
	for key, d := range tvds(t, ref, out, paperJoints) {
		// The independent-columns floor for [A,G,C] on this reference is
		// about 0.2; aligned tables are an order of magnitude closer.
		if d > 0.03 {
			t.Errorf("TVD of [%s] = %.4f, want <= 0.03", key, d)
		}
	}
	r := s.Result()
	if r.Planner != "stat" || !strings.Contains(r.Label, "no LLM") {
		t.Errorf("result label %q / planner %q must say no LLM", r.Label, r.Planner)
	}
	if r.Iterations != 100 || r.Stop != "size" {
		t.Errorf("iterations %d stop %q", r.Iterations, r.Stop)
	}
	// Numbers stay inside the schema's domain.
	price := out.Col("price")
	for i := range out.NumRows() {
		if p := price.Float(i); p < 0 || p > 2000 {
			t.Fatalf("price %v outside [0, 2000]", p)
		}
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	ref := datasets.EcommerceBN(500, 2)
	csv := func(seed uint64) []byte {
		_, out := fitSample(t, DefaultConfig, nil, ref, 300, seed)
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

// TestAutoDependenciesRecoverNetwork checks that auto dependencies (the
// stat planner, n_joints unset) cover the four edges of the e-commerce
// network (age→category, gender→category, category→price, tier→payment)
// whatever the column order, and tie no independent pair.
func TestAutoDependenciesRecoverNetwork(t *testing.T) {
	ref := datasets.EcommerceBN(5000, 3)
	orders := [][]int{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {3, 0, 5, 1, 4, 2}}
	for _, o := range orders {
		cols := make([]*table.Column, len(o))
		for i, k := range o {
			cols[i] = ref.Cols[k]
		}
		s, _ := fitSample(t, DefaultConfig, nil, table.MustNew(cols...), 100, 1)
		deps, _ := s.Dependencies()
		has := func(a, b string) bool {
			for _, d := range deps {
				if slices.Contains(d, a) && slices.Contains(d, b) {
					return true
				}
			}
			return false
		}
		for _, e := range [][2]string{{"user_age", "product_category"}, {"user_gender", "product_category"},
			{"product_category", "price"}, {"user_location_tier", "payment_method"}} {
			if !has(e[0], e[1]) {
				t.Errorf("order %v: deps %v miss the edge %s–%s", o, deps, e[0], e[1])
			}
		}
		if has("user_gender", "user_location_tier") || has("payment_method", "price") {
			t.Errorf("order %v: deps %v tie an independent pair", o, deps)
		}
	}
}

// TestNJointsIsThePapers checks that n_joints=3 keeps the paper's rule:
// the three pairs of highest mutual information.
func TestNJointsIsThePapers(t *testing.T) {
	ref := datasets.EcommerceBN(5000, 3)
	cfg := DefaultConfig
	cfg.NJoints = 3
	s, _ := fitSample(t, cfg, nil, ref, 100, 1)
	if deps, _ := s.Dependencies(); len(deps) != 3 {
		t.Fatalf("deps %v, want 3 pairs", deps)
	}
}

// scripted returns fixed plans and records what it saw.
type scripted struct {
	plans  []*Plan
	err    error
	states []State
}

func (p *scripted) Name() string { return "scripted" }
func (p *scripted) Dependencies(context.Context, *State, int) ([][]string, error) {
	return nil, nil
}
func (p *scripted) Plan(_ context.Context, st *State) (*Plan, error) {
	p.states = append(p.states, *st)
	if p.err != nil && len(p.states) == 2 {
		return nil, p.err
	}
	i := min(len(p.states)-1, len(p.plans)-1)
	return p.plans[i], nil
}

func TestLoopFollowsProposals(t *testing.T) {
	ref := datasets.EcommerceBN(1000, 4)
	full := map[string]Value{
		"user_age": Range(20, 30), "user_gender": Cat("Male"), "user_location_tier": Cat("Developed"),
		"product_category": Cat("Electronics"), "price": Range(100, 200), "payment_method": Cat("Online Payment"),
	}
	clone := func(m map[string]Value) map[string]Value {
		out := map[string]Value{}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	// Proposal 2 exercises repairs: a case-mismatched category, a range
	// outside the domain, a missing variable and an unknown one.
	p2 := clone(full)
	p2["user_gender"] = Cat(" female ")
	p2["price"] = Range(1900, 5000)
	delete(p2, "payment_method")
	p2["shoe_size"] = Cat("42")
	// Proposal 3 has an unknown category: rejected.
	p3 := clone(full)
	p3["product_category"] = Cat("Toys")
	plan := &Plan{Proposals: []Proposal{{Values: full, Num: 6}, {Values: p2, Num: 3}, {Values: p3, Num: 5}}}
	cfg := DefaultConfig
	cfg.Iterations, cfg.Joints = 1, paperJoints[:1]
	p := &scripted{plans: []*Plan{plan}}
	s, out := fitSample(t, cfg, p, ref, 100, 9)
	if out.NumRows() != 9 {
		t.Fatalf("rows %d, want 6 + 3 (the third proposal is rejected)", out.NumRows())
	}
	for i := range 6 {
		if out.Col("user_gender").String(i) != "Male" || out.Col("product_category").String(i) != "Electronics" {
			t.Fatalf("row %d does not follow proposal 1", i)
		}
		if a := out.Col("user_age").Float(i); a < 20 || a > 30 {
			t.Fatalf("row %d age %v outside [20, 30]", i, a)
		}
		if x := out.Col("price").Float(i); x < 100 || x > 200 {
			t.Fatalf("row %d price %v outside [100, 200]", i, x)
		}
	}
	for i := 6; i < 9; i++ {
		if out.Col("user_gender").String(i) != "Female" {
			t.Fatalf("row %d gender %q: case-insensitive match not applied", i, out.Col("user_gender").String(i))
		}
		if x := out.Col("price").Float(i); x < 1900 || x > 2000 {
			t.Fatalf("row %d price %v: range not clipped to [1900, 2000]", i, x)
		}
		if out.Col("payment_method").IsNull(i) {
			t.Fatalf("row %d: missing variable not filled", i)
		}
	}
	want := Repairs{RepairCategoryMatched: 1, RepairRangeClipped: 1, RepairMissingFilled: 1, RepairUnknownVariable: 1,
		RepairCategoryRejected: 1, RepairRejectedProposals: 1}
	got := s.Result().Repairs
	for k, v := range want {
		if got[k] != v {
			t.Errorf("repair %s = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
	// The incremental synthetic counts equal a recount of the output.
	st := p.states[0]
	sp := st.Records.Targets.Space
	re, err := macro.TargetsFromTable(out, sp, paperJoints[:1])
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range st.Records.Synth.Tables() {
		if !slices.Equal(c.Counts, re.Tables()[i].Counts) {
			t.Fatalf("table %s: incremental %v != recount %v", c.Key(), c.Counts, re.Tables()[i].Counts)
		}
	}
}

func TestNumCappedToBudget(t *testing.T) {
	ref := datasets.EcommerceBN(200, 5)
	plan := &Plan{Proposals: []Proposal{{Values: map[string]Value{"user_gender": Cat("Male")}, Num: 1000}}}
	cfg := DefaultConfig
	cfg.Iterations = 2
	s, out := fitSample(t, cfg, &scripted{plans: []*Plan{plan}}, ref, 50, 1)
	if out.NumRows() != 50 {
		t.Fatalf("rows %d, want 50", out.NumRows())
	}
	if s.Result().Repairs[RepairNumScaled] < 1 {
		t.Fatalf("repairs %v", s.Result().Repairs)
	}
}

func TestPlannerErrorIsAnError(t *testing.T) {
	ref := datasets.EcommerceBN(200, 5)
	plan := &Plan{Proposals: []Proposal{{Values: map[string]Value{"user_gender": Cat("Male")}, Num: 1}}}
	boom := errors.New("backend down")
	s, err := New(DefaultConfig, &scripted{plans: []*Plan{plan}, err: boom})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fit(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	out, err := s.Sample(context.Background(), 100, 1)
	if !errors.Is(err, boom) || out != nil {
		t.Fatalf("got %v, %v; want the planner's error and no table", out, err)
	}
	if !strings.Contains(err.Error(), "iteration 2") {
		t.Errorf("error %q does not name the iteration", err)
	}
}

func TestConsecutiveSkipsEndTheRun(t *testing.T) {
	ref := datasets.EcommerceBN(200, 5)
	s, _ := New(DefaultConfig, &scripted{plans: []*Plan{{Skip: "unusable reply"}}})
	_ = s.Fit(context.Background(), ref)
	_, err := s.Sample(context.Background(), 100, 1)
	if err == nil || !strings.Contains(err.Error(), "3 consecutive") || !strings.Contains(err.Error(), "unusable reply") {
		t.Fatalf("err %v", err)
	}
}

func TestPromptsHoldAggregatesOnly(t *testing.T) {
	ref := datasets.EcommerceBN(300, 6)
	// Make every number distinctive (many significant digits), so that
	// finding one in a prompt can only mean a record leaked.
	for _, c := range []string{"user_age", "price"} {
		col := ref.Col(c)
		for i := range col.Floats {
			col.Floats[i] += 1e-6 * float64(i+1) / 7
		}
	}
	rec := &recorder{}
	s, err := New(DefaultConfig, rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fit(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sample(context.Background(), 300, 1); err != nil {
		t.Fatal(err)
	}
	if len(rec.prompts) < 50 {
		t.Fatalf("only %d prompts rendered", len(rec.prompts))
	}
	all := strings.Join(rec.prompts, "\n")
	var csv bytes.Buffer
	_ = table.WriteCSV(&csv, ref)
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")[1:]
	for i, line := range lines {
		if strings.Contains(all, line) {
			t.Fatalf("row %d appears in a prompt: %s", i+1, line)
		}
		// Every row's exact age and price are record-level values.
		for _, c := range []string{"user_age", "price"} {
			v := strconv.FormatFloat(ref.Col(c).Float(i), 'g', -1, 64)
			if strings.Contains(all, v) {
				t.Fatalf("row %d's %s %s appears in a prompt", i+1, c, v)
			}
		}
	}
	if !strings.Contains(all, "target") || !strings.Contains(all, "product_category = ") {
		t.Fatal("prompts lack guidance lines")
	}
}

// recorder renders every prompt and plans with the stat planner.
type recorder struct{ prompts []string }

func (r *recorder) Name() string { return "recorder" }
func (r *recorder) Dependencies(ctx context.Context, st *State, max int) ([][]string, error) {
	msgs, err := RenderDependencyPrompt(st, max)
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		r.prompts = append(r.prompts, m.Content)
	}
	return Stat{}.Dependencies(ctx, st, max)
}
func (r *recorder) Plan(ctx context.Context, st *State) (*Plan, error) {
	msgs, err := RenderProposalPrompt(st)
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		r.prompts = append(r.prompts, m.Content)
	}
	return Stat{}.Plan(ctx, st)
}

func TestGuidanceLine(t *testing.T) {
	c := Cell{Vars: []string{"time", "activity"}, Values: []Value{Range(6, 12), Cat("work")}, Target: 0.12, Synth: 0.041}
	want := "time in [6, 12], activity = work: target 12.0%, synthetic 4.1%"
	if got := GuidanceLine(c); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestValueJSON(t *testing.T) {
	var p Proposal
	in := `{"reason":"r","proposal":{"a":"Male","b":[1,2.5],"c":7},"num":3}`
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if p.Values["a"].Category != "Male" || *p.Values["b"].Range != [2]float64{1, 2.5} || *p.Values["c"].Range != [2]float64{7, 7} || p.Num != 3 {
		t.Fatalf("parsed %+v", p)
	}
	if err := json.Unmarshal([]byte(`{"proposal":{"a":[1,2,3]}}`), &p); err == nil {
		t.Fatal("a three-number range parsed")
	}
	b, _ := json.Marshal(Proposal{Values: map[string]Value{"x": Range(1, 2)}, Num: 1})
	if string(b) != `{"proposal":{"x":[1,2]},"num":1}` {
		t.Fatalf("marshal %s", b)
	}
}

func TestOverrideShiftsOutput(t *testing.T) {
	ref := datasets.EcommerceBN(2000, 8)
	cfg := DefaultConfig
	cfg.Joints = paperJoints
	cfg.Overrides = settings.Overrides{{Var: "product_category", Category: "Electronics", Share: 0.35}}
	_, out := fitSample(t, cfg, nil, ref, 2000, 1)
	c := out.Col("product_category")
	n := 0
	for i := range out.NumRows() {
		if c.String(i) == "Electronics" {
			n++
		}
	}
	if share := float64(n) / 2000; math.Abs(share-0.35) > 0.01 {
		t.Fatalf("Electronics share %.3f, want 0.35", share)
	}
}

func TestFitTargetsFromAggregates(t *testing.T) {
	y := `
variables:
  - {name: sex, kind: categorical, categories: [M, F]}
  - {name: age, kind: integer, bins: {edges: [0, 18, 65, 99]}}
joints:
  - {vars: [sex, age], shares: [0.10, 0.30, 0.10, 0.10, 0.30, 0.10]}
`
	tg, err := macro.ParseTargets([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := New(DefaultConfig, nil)
	if err := s.FitTargets(context.Background(), nil, tg); err != nil {
		t.Fatal(err)
	}
	out, err := s.Sample(context.Background(), 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	deps, _ := s.Dependencies()
	if len(deps) != 1 {
		t.Fatalf("deps %v: the file's joint should be tracked", deps)
	}
	counts := map[string]int{}
	for i := range out.NumRows() {
		age := out.Col("age").Ints[i]
		band := "old"
		switch {
		case age < 18:
			band = "child"
		case age < 65:
			band = "adult"
		}
		counts[out.Col("sex").String(i)+band]++
	}
	want := map[string]int{"Mchild": 100, "Madult": 300, "Mold": 100, "Fchild": 100, "Fadult": 300, "Fold": 100}
	for k, v := range want {
		if math.Abs(float64(counts[k]-v)) > 5 {
			t.Errorf("%s: %d records, want %d", k, counts[k], v)
		}
	}
}

func TestPopulationGroupedAlignment(t *testing.T) {
	ref := datasets.Population(2000, 1)
	cfg := DefaultConfig
	s, out := fitSample(t, cfg, nil, ref, 2000, 3)
	groups, err := out.Groups()
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2000 {
		t.Fatalf("%d households, want 2000", len(groups))
	}
	// Every household's member count equals its num_persons.
	np := out.Col("num_persons")
	for _, g := range groups {
		if int64(g[1]-g[0]) != np.Ints[g[0]] {
			t.Fatalf("household at row %d: %d members, num_persons %d", g[0]+1, g[1]-g[0], np.Ints[g[0]])
		}
	}
	// Person-level marginals align with the reference's.
	for _, c := range []string{"age", "education", "employment", "race"} {
		d := tvds(t, ref, out, nil)[c]
		if d > 0.05 {
			t.Errorf("person-level TVD of %s = %.3f", c, d)
		}
	}
	// Household-level tables, counted once per household.
	firstRows := func(tb *table.Table) *table.Table {
		gs, err := tb.Groups()
		if err != nil {
			t.Fatal(err)
		}
		idx := make([]int, len(gs))
		for i, g := range gs {
			idx[i] = g[0]
		}
		return selectCols(tb.Take(idx), func(f table.Field) bool { return f.Group })
	}
	hh := tvds(t, firstRows(ref), firstRows(out), [][]string{{"num_persons", "housing_tenure"}, {"householder_type", "num_vehicles"}})
	for k, d := range hh {
		t.Logf("household-level TVD [%s] = %.4f", k, d)
		if !strings.Contains(k, ",") && d > 0.02 {
			t.Errorf("household-level TVD of %s = %.3f", k, d)
		}
	}
	person := selectCols(ref, func(f table.Field) bool { return !f.Group && f.Name != "person_id" })
	pout := selectCols(out, func(f table.Field) bool { return !f.Group && f.Name != "person_id" })
	var personDeps [][]string
	for _, d := range s.Result().Deps {
		if person.Col(d[0]) != nil {
			personDeps = append(personDeps, d)
		}
	}
	// A fresh 2,000-household sample of the generator is 0.042-0.054 away
	// from the reference on these person-level joints (seeds 2-5): the bound
	// sits just above that sampling noise.
	for k, d := range tvds(t, person, pout, personDeps) {
		t.Logf("person-level TVD [%s] = %.4f", k, d)
		if strings.Contains(k, ",") && d > 0.065 {
			t.Errorf("targeted person-level joint [%s]: TVD %.3f", k, d)
		}
	}
	chk, err := datasets.CheckPopulation(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("deps %v; household rejection %.3f, person rejection %.3f", s.Result().Deps, chk.HouseholdRejection(), chk.PersonRejection())
	for _, r := range chk.Rules {
		if r.Violations > 0 {
			t.Logf("rule %q: %d violations", r.Name, r.Violations)
		}
	}
}

func TestRemovalStepReported(t *testing.T) {
	ref := datasets.EcommerceBN(1000, 9)
	cfg := DefaultConfig
	cfg.Joints = paperJoints
	cfg.Removal = true
	s, out := fitSample(t, cfg, nil, ref, 1000, 1)
	if s.Result().Removed == 0 {
		t.Skip("no record was over-represented enough to remove")
	}
	if out.NumRows() > 1000 {
		t.Fatalf("rows %d", out.NumRows())
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []Config{
		{Planner: "gpt"}, {Iterations: -1}, {Bins: -2}, {Joints: [][]string{{"a"}}},
		{Tolerance: -1}, {Tolerance: math.NaN()}, {PointShare: math.NaN()},
	}
	for _, c := range bad {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
}

// lastState plans with the stat planner and keeps the state it saw.
type lastState struct{ st *State }

func (l *lastState) Name() string { return "stat" }
func (l *lastState) Dependencies(ctx context.Context, st *State, max int) ([][]string, error) {
	return Stat{}.Dependencies(ctx, st, max)
}
func (l *lastState) Plan(ctx context.Context, st *State) (*Plan, error) {
	l.st = st
	return Stat{}.Plan(ctx, st)
}

func TestFineSettingCountsMatchRecount(t *testing.T) {
	ref := datasets.EcommerceBN(500, 11)
	for _, fine := range []int{3, 16} {
		cfg := DefaultConfig
		cfg.Fine = fine
		p := &lastState{}
		_, out := fitSample(t, cfg, p, ref, 500, 1)
		for _, v := range []string{"user_age", "price"} {
			// Recount the output in the targets' sub-bins (quantile ones
			// under sampling=fine).
			fv := p.st.Records.Targets.FineMarginals[v].Vars[0]
			want := make([]float64, fv.Size())
			col := out.Col(v)
			for i := range col.Len() {
				if col.IsNull(i) {
					want[fv.MissingCell()]++
				} else {
					want[fv.Bins.Index(col.Float(i))]++
				}
			}
			got := p.st.Records.Synth.FineMarginals[v].Counts
			if !slices.Equal(got, want) {
				t.Fatalf("fine=%d %s: incremental %v != recount %v", fine, v, got, want)
			}
		}
	}
}

func TestMemberGuidanceSharesOfMembers(t *testing.T) {
	ref := datasets.Population(300, 2)
	rec := &recorder{}
	s, err := New(DefaultConfig, rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fit(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sample(context.Background(), 300, 1); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`target ([0-9.]+)%`)
	seen := 0
	for _, p := range rec.prompts {
		_, member, ok := strings.Cut(p, "Member guidance:")
		if !ok {
			continue
		}
		member, _, _ = strings.Cut(member, "Rules:")
		for _, m := range re.FindAllStringSubmatch(member, -1) {
			seen++
			if x, _ := strconv.ParseFloat(m[1], 64); x > 100 {
				t.Fatalf("member guidance share %s%% exceeds 100%%:\n%s", m[1], member)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no member guidance in the prompts of a grouped table")
	}
}
