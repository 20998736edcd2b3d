package metrics

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/synthor/synthor/table"
)

// wideTable returns a table of cols columns and rows rows: even columns
// integers 0–9, odd ones categorical over five levels, uniform (seeded), as
// the width figures of BENCHMARKS.md use.
func wideTable(cols, rows int, seed uint64) *table.Table {
	rng := rand.New(rand.NewPCG(seed, 7))
	dict := []string{"a", "b", "c", "d", "e"}
	cs := make([]*table.Column, cols)
	for j := range cs {
		name := fmt.Sprintf("c%d", j)
		if j%2 == 0 {
			v := make([]int64, rows)
			for i := range v {
				v[i] = rng.Int64N(10)
			}
			cs[j] = table.NewInteger(name, v, nil)
			continue
		}
		codes := make([]int32, rows)
		for i := range codes {
			codes[i] = rng.Int32N(5)
		}
		cs[j] = table.NewCategorical(name, dict, codes)
	}
	t, err := table.New(cs...)
	if err != nil {
		panic(err)
	}
	return t
}

// BenchmarkEvaluateWidth scores the fidelity group (every column and every
// pair, C2ST and the SDMetrics summary) of wide tables of 1,000 rows; the
// scores/op metric is the length of the list. 5,000 columns (12.5 million
// pairs) need about 15 GiB by guard.EvalNeed, which eval refuses at the
// default limit on a 24 GiB machine; it is not run here.
func BenchmarkEvaluateWidth(b *testing.B) {
	for _, cols := range []int{100, 1000} {
		real, synth := wideTable(cols, 1000, 1), wideTable(cols, 1000, 2)
		b.Run(fmt.Sprintf("columns=%d", cols), func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				s, err := Evaluate(context.Background(), Request{Input: Input{Real: real, Synth: synth}, Groups: []string{"fidelity"}})
				if err != nil {
					b.Fatal(err)
				}
				n = len(s)
			}
			b.ReportMetric(float64(n), "scores/op")
		})
	}
}
