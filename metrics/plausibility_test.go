package metrics

import (
	"context"
	"math"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/rules"
	"github.com/synthor/synthor/table"
)

// rejections maps "rule/level" to the score of Plausibility.
func rejections(t *testing.T, in Input) map[string]Score {
	t.Helper()
	scores, err := Plausibility(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Score{}
	for _, s := range scores {
		out[s.Params["rule"].(string)+"/"+s.Params["level"].(string)] = s
	}
	return out
}

func TestPlausibilityGeneratorIsClean(t *testing.T) {
	for name, tb := range map[string]*table.Table{
		"population": datasets.Population(2000, 1),
	} {
		got := rejections(t, Input{Real: tb, Synth: tb})
		if len(got) != 12 {
			t.Errorf("%s: %d scores, want 10 rules and 2 overall", name, len(got))
		}
		for k, s := range got {
			if s.Value != 0 || s.Params["real"] != 0.0 {
				t.Errorf("%s %s: rejection %v (real %v), want 0", name, k, s.Value, s.Params["real"])
			}
		}
	}
}

// TestPlausibilityPlanted plants violations of known count in distinct
// households of a generated population and checks every count.
func TestPlausibilityPlanted(t *testing.T) {
	tb := datasets.Population(400, 5)
	gs, err := tb.Groups()
	if err != nil {
		t.Fatal(err)
	}
	age, inc, veh, np := tb.Col("age").Ints, tb.Col("income").Ints, tb.Col("num_vehicles").Ints, tb.Col("num_persons").Ints
	edu, htype := tb.Col("education"), tb.Col("householder_type")
	elementary := edu.Code("Elementary")
	used := map[int]bool{}
	// plant finds n fresh households with a row satisfying ok and applies
	// f to it.
	plant := func(n int, ok func(g [2]int, i int) bool, f func(g [2]int, i int)) {
		t.Helper()
		for h, g := range gs {
			if n == 0 {
				return
			}
			if used[h] {
				continue
			}
			for i := g[0]; i < g[1]; i++ {
				if ok(g, i) {
					f(g, i)
					used[h] = true
					n--
					break
				}
			}
		}
		if n > 0 {
			t.Fatalf("not enough households to plant in")
		}
	}
	plant(3, func(_ [2]int, i int) bool { return age[i] < 5 }, func(_ [2]int, i int) { edu.Codes[i] = elementary })
	plant(5, func(_ [2]int, i int) bool { return age[i] >= 18 }, func(_ [2]int, i int) { inc[i] = -1 })
	plant(2, func(g [2]int, i int) bool { return htype.String(g[0]) != "Couple" }, func(_ [2]int, i int) { age[i] = 100 })
	plant(1, func(g [2]int, i int) bool { return i == g[0] && np[i] < 5 }, func(g [2]int, _ int) {
		for j := g[0]; j < g[1]; j++ {
			np[j]++
		}
	})
	plant(1, func(g [2]int, i int) bool { return i == g[1]-1 && i > g[0] }, func(_ [2]int, i int) { veh[i] = (veh[i] + 1) % 7 })

	got := rejections(t, Input{Real: datasets.Population(400, 5), Synth: tb})
	want := map[string]int{
		"preschool/record": 3, "income/record": 5, "age-range/record": 2, "person-count/group": 1,
		"household-constant/group": 1, "person-categories/record": 0, "school-education/record": 0,
		"under-16/record": 0, "household-values/group": 0, "couple-adults/group": 0,
		"all/record": 10, "all/group": 12,
	}
	for k, w := range want {
		s, ok := got[k]
		if !ok {
			t.Errorf("no score %s", k)
			continue
		}
		if s.Params["violations"] != w {
			t.Errorf("%s: %v violations, want %d", k, s.Params["violations"], w)
		}
		n := float64(s.Params["checked"].(int))
		if math.Abs(s.Value-float64(w)/n) > 1e-15 {
			t.Errorf("%s: rate %v, want %d/%v", k, s.Value, w, n)
		}
	}
	if c := got["all/group"].Params["checked"]; c != 400 {
		t.Errorf("checked %v households, want 400", c)
	}
}

func TestPlausibilityEcommerce(t *testing.T) {
	tb := datasets.EcommerceBN(3000, 2)
	base := rejections(t, Input{Synth: tb})
	cat, price, age := tb.Col("product_category"), tb.Col("price").Floats, tb.Col("user_age").Floats
	// Plant: 4 Electronics at price 1 (R1), 2 Food buyers of 19 spending
	// 1500 (R2), 3 Electronics buyers of 85 at 1999 (R3), on rows that
	// broke no rule before.
	clean := func(i int) bool {
		c := cat.String(i)
		return !(c == "Electronics" || c == "Furniture & Appliances") || price[i] >= 10
	}
	var r1, r2, r3 int
	for i := 0; i < tb.NumRows(); i++ {
		c := cat.String(i)
		if !clean(i) || age[i] < 20 || age[i] >= 80 {
			continue
		}
		switch {
		case c == "Electronics" && r1 < 4:
			price[i] = 1
			r1++
		case c == "Food & Beverages" && r2 < 2:
			age[i], price[i] = 19, 1500
			r2++
		case c == "Electronics" && r3 < 3:
			age[i], price[i] = 85, 1999
			r3++
		}
	}
	got := rejections(t, Input{Synth: tb})
	for k, w := range map[string]int{"R1/record": 4, "R2/record": 2, "R3/record": 3, "all/record": 9} {
		if d := got[k].Params["violations"].(int) - base[k].Params["violations"].(int); d != w {
			t.Errorf("%s: %d more violations, want %d", k, d, w)
		}
	}
}

func TestPlausibilityMissingColumn(t *testing.T) {
	s, err := rules.Parse("x.rules", "a: price >= 0\nb: colour == \"red\"")
	if err != nil {
		t.Fatal(err)
	}
	tb := datasets.EcommerceBN(50, 1)
	real := table.MustNew(append(tb.Cols, table.NewText("colour", make([]string, 50), nil))...)
	scores, err := Plausibility(context.Background(), Input{Real: real, Synth: tb, Rules: s})
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 3 {
		t.Fatalf("scores %+v", scores)
	}
	if !scores[0].OK() || scores[0].Value != 0 {
		t.Errorf("rule a: %+v", scores[0])
	}
	if scores[1].OK() || scores[1].Reason != "the synthetic table lacks column colour" {
		t.Errorf("rule on a column only the real table has: %+v", scores[1])
	}
	_, err = Plausibility(context.Background(), Input{Real: tb, Synth: tb, Rules: s})
	if err == nil || err.Error() != `plausibility: x.rules:2: rule "b": no column "colour" in the tables` {
		t.Errorf("rule on a column neither table has: %v", err)
	}
	none, err := Plausibility(context.Background(), Input{Synth: table.MustNew(table.NewFloat("x", []float64{1}))})
	if err != nil || len(none) != 1 || none[0].OK() {
		t.Errorf("no fitting rule set: %+v %v", none, err)
	}
}
