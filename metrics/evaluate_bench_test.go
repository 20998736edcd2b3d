package metrics

import (
	"context"
	"fmt"
	"testing"

	"github.com/synthor/synthor/internal/widetable"
)

// BenchmarkEvaluateWidth scores the fidelity group (every column and every
// pair, C2ST and the SDMetrics summary) of wide tables of 1,000 rows; the
// scores/op metric is the length of the list. 5,000 columns (12.5 million
// pairs) need about 15 GiB by guard.EvalNeed, which eval refuses at the
// default limit on a 24 GiB machine; it is not run here.
func BenchmarkEvaluateWidth(b *testing.B) {
	for _, cols := range []int{100, 1000} {
		real, synth := widetable.New(cols, 1000, 1), widetable.New(cols, 1000, 2)
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
