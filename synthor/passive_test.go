package synthor

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/synthor/synthor/table"
)

// geography returns n rows of a postal code (40 codes), its state (the
// code's tenth: a function), its region (the state's half: a function of
// both), its latitude (a float function of the code), and a segment
// independent of all.
func geography(n int, seed uint64) *table.Table {
	rng := rand.New(rand.NewPCG(seed, 3))
	postal, state, region, seg := make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
	lat := make([]float64, n)
	pd, sd := make([]string, 40), make([]string, 4)
	for k := range pd {
		pd[k] = fmt.Sprintf("%05d", 10000+k)
	}
	for k := range sd {
		sd[k] = fmt.Sprintf("S%d", k)
	}
	for i := range n {
		postal[i] = int32(rng.IntN(40))
		state[i] = postal[i] / 10
		region[i] = state[i] / 2
		lat[i] = 30 + float64(postal[i])*0.25
		seg[i] = int32(rng.IntN(3))
	}
	return table.MustNew(
		table.NewCategorical("postal", pd, postal),
		table.NewCategorical("state", sd, state),
		table.NewCategorical("region", []string{"east", "west"}, region),
		table.NewFloat("latitude", lat),
		table.NewCategorical("segment", []string{"a", "b", "c"}, seg),
	)
}

// TestFindPassive checks that every column a finer category determines is
// found, with the finest determinant, determinants first, and that an
// independent column is not.
func TestFindPassive(t *testing.T) {
	got := map[string]string{}
	var order []string
	for _, p := range findPassive(geography(2000, 1)) {
		got[p.b] = p.a
		order = append(order, p.b)
	}
	want := map[string]string{"state": "postal", "region": "postal", "latitude": "postal"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("passive columns %v, want %v", got, want)
	}
	if len(order) > 0 && order[len(order)-1] != "region" {
		t.Errorf("order %v: the coarsest (region) comes last", order)
	}
}

// TestApplyPassive scrambles the determined columns of a table (as a
// model that does not model them would) and checks that every row is made
// consistent again, from the training values of its postal code, while
// the segment is left alone.
func TestApplyPassive(t *testing.T) {
	train := geography(2000, 1)
	ps := findPassive(train)
	model := geography(500, 2)
	rng := rand.New(rand.NewPCG(9, 9))
	for _, name := range []string{"state", "region"} {
		c := model.Col(name)
		for i := range c.Codes {
			c.Codes[i] = int32(rng.IntN(len(c.Dict)))
		}
	}
	for i := range model.Col("latitude").Floats {
		model.Col("latitude").Floats[i] = rng.Float64()
	}
	seg := append([]int32(nil), model.Col("segment").Codes...)
	out := applyPassive(model, ps, rand.New(rand.NewPCG(1, 1)))
	for i := range out.NumRows() {
		k := out.Col("postal").Codes[i]
		if out.Col("state").String(i) != fmt.Sprintf("S%d", k/10) || out.Col("region").Codes[i] != k/20 || out.Col("latitude").Floats[i] != 30+float64(k)*0.25 {
			t.Fatalf("row %d: %s", i+1, rowText(out, i))
		}
		if out.Col("segment").Codes[i] != seg[i] {
			t.Fatalf("row %d: segment changed", i+1)
		}
	}
}
