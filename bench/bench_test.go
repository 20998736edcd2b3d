package bench

import (
	"context"
	"testing"
	"time"
)

// BenchmarkCellOverhead measures what the runner adds to each cell: the
// child process's start, loading the prepared data, writing the spec and
// the result row. Ten cells of a method that does next to nothing (the
// test hook: independent) on 50 records run one at a time; overhead is the
// run's wall time (dataset preparation and manifest included) per cell
// minus the cell's own fit, sample and eval.
func BenchmarkCellOverhead(b *testing.B) {
	c, err := ParseConfig([]byte("datasets: [{name: ecommerce-bn, rows: 50}]\nmethods: [test-hook]\nseeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"), "overhead.yaml", nil)
	if err != nil {
		b.Fatal(err)
	}
	var overhead, cells float64
	for b.Loop() {
		dir := b.TempDir()
		start := time.Now()
		s, err := Run(context.Background(), c, RunOptions{Dir: dir, Workers: 1, Command: testCommand})
		if err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start).Seconds()
		work := 0.0
		for _, r := range s.Results {
			work += r.Timings.FitS + r.Timings.SampleS + r.Timings.EvalS
		}
		overhead += wall - work
		cells += float64(len(s.Results))
	}
	b.ReportMetric(overhead/cells*1000, "overhead-ms/cell")
}

// BenchmarkQuickstart runs configs/quickstart.yaml and reports its wall
// time against the sum of its cells' times divided by the workers (the
// ideal schedule): the acceptance bound is a ratio of 1.3.
func BenchmarkQuickstart(b *testing.B) {
	c, err := LoadConfig("../configs/quickstart.yaml", nil)
	if err != nil {
		b.Fatal(err)
	}
	workers := DefaultWorkers()
	var wall, ideal float64
	for b.Loop() {
		start := time.Now()
		s, err := Run(context.Background(), c, RunOptions{Dir: b.TempDir(), Workers: workers, Command: testCommand})
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start).Seconds()
		sum := 0.0
		for _, r := range s.Results {
			sum += r.Timings.TotalS
		}
		ideal += sum / float64(workers)
	}
	b.ReportMetric(wall/float64(b.N), "wall-s")
	b.ReportMetric(ideal/float64(b.N), "cells-s/worker")
	b.ReportMetric(wall/ideal, "ratio")
}
