package metrics

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/rules"
	"github.com/synthor/synthor/table"
)

func TestQueriesByHand(t *testing.T) {
	// Real: households 1 (incomes 10, 30) and 2 (20); synthetic: 1 (10),
	// 2 (40, 40), 3 (0).
	mk := func(hid []int64, inc []float64) *table.Table {
		tb := table.MustNew(table.NewInteger("hid", hid, nil), table.NewFloat("income", inc))
		tb.GroupKey = "hid"
		return tb
	}
	real := mk([]int64{1, 1, 2}, []float64{10, 30, 20})
	synth := mk([]int64{1, 2, 2, 3}, []float64{10, 40, 40, 0})
	set, err := rules.Parse("q", `households [A]: count()
total [A]: sum(sum(income))
poor [B]: share(sum(income) < 15)
none [B]: mean(sum(income) where sum(income) > 1000)
zero [C]: count(sum(income) < 0)`)
	if err != nil {
		t.Fatal(err)
	}
	scores, err := Queries(context.Background(), Input{Real: real, Synth: synth, Queries: set})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: households 2 -> 3 (0.5); total 60 -> 90 (0.5); poor 0 of
	// 2 -> 2 of 3: real 0, undefined; none: undefined; zero: real 0.
	want := []struct {
		name string
		v    float64
	}{
		{nameQueryError, 0.5}, {nameQueryError, 0.5}, {nameQueryError, math.NaN()}, {nameQueryError, math.NaN()},
		{nameQueryError, math.NaN()}, {nameCategoryMRE, 0.5}, {nameCategoryMRE, math.NaN()}, {nameCategoryMRE, math.NaN()},
	}
	if len(scores) != len(want) {
		t.Fatalf("%d scores, want %d: %+v", len(scores), len(want), scores)
	}
	for i, w := range want {
		s := scores[i]
		if s.Name != w.name || s.OK() != !math.IsNaN(w.v) || s.OK() && math.Abs(s.Value-w.v) > 1e-12 {
			t.Errorf("score %d: %s = %v (%s), want %s = %v", i, s.Name, s.Value, s.Reason, w.name, w.v)
		}
		if !s.OK() && s.Reason == "" {
			t.Errorf("score %d: undefined without a reason", i)
		}
	}
	if p := scores[1].Params; p["real"] != 60.0 || p["synth"] != 90.0 || p["category"] != "A" {
		t.Errorf("total params %v", p)
	}
}

func TestQueriesPopulationPaperSet(t *testing.T) {
	real := datasets.Population(3000, 1)
	scores, err := Queries(context.Background(), Input{Real: real, Synth: real})
	if err != nil {
		t.Fatal(err)
	}
	var q, c int
	for _, s := range scores {
		if !s.OK() || s.Value != 0 {
			t.Errorf("%s %v: %v (%s), want 0 on identical tables", s.Name, s.Params["query"], s.Value, s.Reason)
		}
		switch s.Name {
		case nameQueryError:
			q++
		case nameCategoryMRE:
			c++
		}
	}
	if q != 16 || c != 6 {
		t.Errorf("%d queries and %d categories, want 16 and 6", q, c)
	}
	// A different draw differs, but not wildly.
	other := datasets.Population(3000, 2)
	scores, err = Queries(context.Background(), Input{Real: real, Synth: other})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scores {
		if s.Name == nameCategoryMRE && (!s.OK() || s.Value <= 0 || s.Value > 0.5) {
			t.Errorf("category %v: MRE %v between two draws", s.Params["category"], s.Value)
		}
	}
}

// TestPaperQueriesAgainstDirectCode computes four of the paper's queries
// with plain loops over a generated population and compares them with the
// values of their definitions in rules/paper/population.queries.
func TestPaperQueriesAgainstDirectCode(t *testing.T) {
	tb := datasets.Population(2000, 4)
	gs, err := tb.Groups()
	if err != nil {
		t.Fatal(err)
	}
	age, inc := tb.Col("age").Ints, tb.Col("income").Ints
	race, htype, emp := tb.Col("race"), tb.Col("householder_type"), tb.Col("employment")
	var children, multigen float64
	var blackIncomes, dualIncome []float64
	for _, g := range gs {
		var kids, old, earners int
		var total float64
		for i := g[0]; i < g[1]; i++ {
			if age[i] < 18 {
				kids++
			}
			if age[i] >= 65 {
				old++
			}
			if e := emp.String(i); e == "Employed" || e == "Military" {
				earners++
			}
			total += float64(inc[i])
		}
		if kids > 0 {
			children++
		}
		if kids > 0 && old > 0 {
			multigen++
		}
		if race.String(g[0]) == "Black" {
			blackIncomes = append(blackIncomes, total)
		}
		if htype.String(g[0]) == "Couple" && earners >= 2 {
			dualIncome = append(dualIncome, total/float64(g[1]-g[0]))
		}
	}
	slices.Sort(blackIncomes)
	median := blackIncomes[len(blackIncomes)/2]
	if len(blackIncomes)%2 == 0 {
		median = (blackIncomes[len(blackIncomes)/2-1] + median) / 2
	}
	mean := 0.0
	for _, x := range dualIncome {
		mean += x / float64(len(dualIncome))
	}
	want := map[string]float64{
		"with_children":       children / float64(len(gs)),
		"multigenerational":   multigen / float64(len(gs)),
		"black_median_income": median,
		"dual_earner_income":  mean,
	}
	scores, err := Queries(context.Background(), Input{Real: tb, Synth: tb})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, s := range scores {
		q, _ := s.Params["query"].(string)
		for name, w := range want {
			if strings.HasPrefix(q, name+" ") {
				found++
				if r := s.Params["real"].(float64); math.Abs(r-w) > 1e-9*math.Max(1, math.Abs(w)) {
					t.Errorf("%s = %v, direct computation %v", name, r, w)
				}
			}
		}
	}
	if found != len(want) {
		t.Errorf("found %d of %d queries", found, len(want))
	}
}
