package synthor

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/macro"
)

var popControls = macro.ControlSpec{
	Groups:      []string{"num_persons", "housing_tenure", "householder_type", "num_vehicles"},
	Members:     []string{"age", "race", "education", "employment", "income"},
	Joints:      [][]string{{"housing_tenure", "num_vehicles"}, {"age", "employment"}},
	Composition: &macro.CompositionSpec{Member: "age", Cuts: []float64{18, 65}},
}

// TestFitGroupedTargets fits LLMSynthor (stat planner) to grouped controls
// taken from 4,000 generated households and checks that it builds
// households of persons that meet them: each table of both levels, counted
// afresh on the output, within 0.01 of its control in total variation
// distance, the composition too, and every household's size equal to its
// members.
func TestFitGroupedTargets(t *testing.T) {
	ctx := context.Background()
	full := datasets.Population(4000, 1)
	tg, err := macro.ControlsFromTable(full, popControls)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FitTargets(ctx, full.Schema(), tg); err != nil {
		t.Fatal(err)
	}
	out, res, err := s.SampleResult(ctx, 4000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.Names(), full.Names()) || out.GroupKey != "household_id" {
		t.Fatalf("columns %v, key %q", out.Names(), out.GroupKey)
	}
	if len(res.Deps) != 2 {
		t.Fatalf("tracked joints %v, want the controls' two", res.Deps)
	}
	groups, err := out.Groups()
	if err != nil || len(groups) != 4000 {
		t.Fatalf("%d households, %v", len(groups), err)
	}
	size, pid := out.Col("num_persons"), out.Col("person_id")
	for _, r := range groups {
		if size.Ints[r[0]] != int64(r[1]-r[0]) {
			t.Fatalf("household at row %d: num_persons %d, %d members", r[0]+1, size.Ints[r[0]], r[1]-r[0])
		}
		for i := r[0]; i < r[1]; i++ {
			if pid.Ints[i] != int64(i-r[0]+1) {
				t.Fatalf("row %d: person_id %d", i+1, pid.Ints[i])
			}
		}
	}
	got, err := macro.ControlsFromTable(out, popControls)
	if err != nil {
		t.Fatal(err)
	}
	for li, l := range tg.Levels() {
		for _, c := range l.Tables() {
			sp := &macro.Space{Vars: c.Vars}
			src := out
			if li == 0 {
				src = out.Take(firstRows(groups))
			}
			e, err := sp.Encode(src)
			if err != nil {
				t.Fatal(err)
			}
			g := macro.NewContingency(c.Vars...)
			if err := g.Add(e, 0, e.N); err != nil {
				t.Fatal(err)
			}
			if d := tvd(g.Shares(), c.Shares()); d > 0.01 {
				t.Errorf("level %d table %s: TVD %.4f from the control", li, c.Key(), d)
			}
		}
	}
	want, have := tg.Grouping.Composition, got.Grouping.Composition
	d := 0.0
	for _, c := range want.Cells {
		h := 0.0
		if k := have.Cell(c.Members); k >= 0 {
			h = have.Cells[k].Count / have.Total
		}
		d += math.Abs(h - c.Count/want.Total)
	}
	if d/2 > 0.01 {
		t.Errorf("composition: TVD %.4f from the control", d/2)
	}
	again, err := s.Sample(ctx, 4000, 1)
	if err != nil || !again.Equal(out) {
		t.Fatalf("same seed, other output (%v)", err)
	}
}

// TestFitGroupedTargetsFile fits the grouped file of the README (no
// schema): the output is the key, the group size, the member index and
// age, households of 1 to 3 persons.
func TestFitGroupedTargetsFile(t *testing.T) {
	tg, err := macro.ParseTargets([]byte(`groups:
  key: household_id
  index: person_id
  group_size: num_persons
  size: 1000
  variables:
    - {name: num_persons, kind: integer, bins: {points: [1, 2, 3]}}
  marginals:
    - {vars: [num_persons], counts: [300, 500, 200]}
  composition:
    member: age
    cuts: [18]
    cells:
      - {members: [0, 1], count: 300}
      - {members: [0, 2], count: 350}
      - {members: [1, 1], count: 150}
      - {members: [1, 2], count: 200}
members:
  size: 1900
  variables:
    - {name: age, kind: integer, bins: {edges: [0, 18, 65, 100]}}
  marginals:
    - {vars: [age], counts: [350, 1200, 350]}
`))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := New(Config{}, nil)
	if err := s.FitTargets(context.Background(), nil, tg); err != nil {
		t.Fatal(err)
	}
	out, err := s.Sample(context.Background(), 1000, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"household_id", "num_persons", "person_id", "age"}; !slices.Equal(out.Names(), want) {
		t.Fatalf("columns %v, want %v", out.Names(), want)
	}
	groups, _ := out.Groups()
	kids, adults := 0, 0
	for _, r := range groups {
		for i := r[0]; i < r[1]; i++ {
			a := out.Col("age").Ints[i]
			if a < 0 || a > 100 {
				t.Fatalf("age %d", a)
			}
			if a < 18 {
				kids++
			} else {
				adults++
			}
		}
	}
	// 350 of 1,900 persons are under 18.
	if len(groups) != 1000 || math.Abs(float64(kids)/float64(kids+adults)-350.0/1900) > 0.01 {
		t.Fatalf("%d households, %d children of %d persons", len(groups), kids, kids+adults)
	}
}

func firstRows(groups [][2]int) []int {
	out := make([]int, len(groups))
	for g, r := range groups {
		out[g] = r[0]
	}
	return out
}

func tvd(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d += math.Abs(a[i] - b[i])
	}
	return d / 2
}
