package metrics

import (
	"context"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/synthor/synthor/table"
)

// sdmRepeat returns t's rows repeated k times.
func sdmRepeat(t *table.Table, k int) *table.Table {
	n := t.NumRows()
	idx := make([]int, 0, n*k)
	for range k {
		for i := range n {
			idx = append(idx, i)
		}
	}
	return t.Take(idx)
}

// sdmIndependent returns a table of n rows whose columns are each resampled
// from t's on their own, with replacement: the marginals of t without its
// dependence, the usual baseline synthetic table.
func sdmIndependent(t *table.Table, n int, seed uint64) *table.Table {
	rng := rand.New(rand.NewPCG(seed, 0x5d3e7a))
	cols := make([]*table.Column, len(t.Cols))
	for j, c := range t.Cols {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = rng.IntN(t.NumRows())
		}
		cols[j] = c.Take(idx)
	}
	return table.MustNew(cols...)
}

// sdmProcessCPU returns the user and system CPU time of the process.
func sdmProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sdmColumnarBytes is the in-memory size of a table's value slices.
func sdmColumnarBytes(t *table.Table) int {
	b := 0
	for _, c := range t.Cols {
		b += 4*len(c.Codes) + 8*len(c.Ints) + 8*len(c.Floats) + len(c.Nulls)
	}
	return b
}

// BenchmarkQualityReport times the SDMetrics report on Adult repeated 1, 10
// and 50 times (32,561, 325,610 and 1,628,050 rows) against an
// independent-columns synthetic table of the same size, tables already in
// memory. Targets (2 cores, all pairs): 10 ms, 50 ms, 0.2 s; B/op is the
// report's own allocation, to compare with the reported table-bytes.
func BenchmarkQualityReport(b *testing.B) {
	adult := sdmReadCSV(b, "adult_train.csv.gz", "adult_metadata.json")
	for _, k := range []int{1, 10, 50} {
		real := sdmRepeat(adult, k)
		synth := sdmIndependent(adult, real.NumRows(), 7)
		tableBytes := sdmColumnarBytes(real) + sdmColumnarBytes(synth)
		for _, filter := range []string{PairFilterAll, PairFilterSDMetrics} {
			b.Run(fmt.Sprintf("%s/rows=%d", filter, real.NumRows()), func(b *testing.B) {
				b.ReportAllocs()
				cpu0 := sdmProcessCPU()
				for b.Loop() {
					if _, err := NewQualityReport(context.Background(), real, synth, QualityConfig{PairFilter: filter}); err != nil {
						b.Fatal(err)
					}
				}
				// CPU time of the whole process per report: on a shared
				// machine it moves less than wall time; over two cores the
				// wall time of an idle machine is about half of it.
				b.ReportMetric(float64(sdmProcessCPU()-cpu0)/float64(b.N), "cpu-ns/op")
				b.ReportMetric(float64(tableBytes), "table-bytes")
			})
		}
	}
}
