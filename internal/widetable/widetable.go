// Package widetable makes the wide tables of BENCHMARKS.md's width
// figures, for metrics' BenchmarkEvaluateWidth and scripts/widetable.
package widetable

import (
	"fmt"
	"math/rand/v2"

	"github.com/synthor/synthor/table"
)

// New returns a table of cols columns and rows rows drawn from a PCG
// seeded with seed, column by column: even columns integers 0–9, odd ones
// categorical over five levels (a–e), uniform.
func New(cols, rows int, seed uint64) *table.Table {
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
		panic(err) // distinct names, equal lengths: cannot fail
	}
	return t
}
