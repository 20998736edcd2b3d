package rules

import (
	"context"
	"testing"

	"github.com/synthor/synthor/table"
)

// bigPeople repeats the hand-made table to n households.
func bigPeople(n int) *table.Table {
	base := people()
	gs, _ := GroupRows(base, "household_id")
	var idx []int
	var hid []int64
	for k := 0; k < n; k++ {
		g := gs[k%len(gs)]
		idx = append(idx, g...)
		for range g {
			hid = append(hid, int64(k))
		}
	}
	t := base.Take(idx)
	t.Cols[0] = table.NewInteger("household_id", hid, nil)
	return t
}

func BenchmarkCheck(b *testing.B) {
	s, err := Parse("b.rules", `preschool: when isint(age) and age >= 0 and age < 5 then education == "Preschool"
cats: education in ("Preschool", "Elementary", "High School", "Bachelor", "Master")
adults: count(isint(age) and age >= 18) >= 2 when householder_type == "Couple"
constant: distinct(householder_type) == 1`)
	if err != nil {
		b.Fatal(err)
	}
	t := bigPeople(20_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Check(context.Background(), t, ""); err != nil {
			b.Fatal(err)
		}
	}
}
