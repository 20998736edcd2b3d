package metrics_test

import (
	"context"
	"fmt"
	"os"

	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// ExampleNewQualityReport scores a four-row synthetic table against a real
// one with every pair counted, as SDMetrics before 0.27 did. By hand: the
// empirical CDFs of price differ by at most 1/4; the size shares differ by
// 1/4 twice; each side bins price on its own range (real edges 10, 13, ...,
// 40; synthetic 12, 14.9, ..., 41), so only the (lowest bin, S) and
// (maximum, L) cells agree: 1 − ½·(4 × 1/4) = 0.5.
func ExampleNewQualityReport() {
	real := table.MustNew(
		table.NewFloat("price", []float64{10, 20, 30, 40}),
		table.NewCategorical("size", []string{"S", "L"}, []int32{0, 0, 1, 1}),
	)
	synth := table.MustNew(
		table.NewFloat("price", []float64{12, 18, 35, 41}),
		table.NewCategorical("size", []string{"S", "L"}, []int32{0, 1, 1, 1}),
	)
	rep, err := metrics.NewQualityReport(context.Background(), real, synth, metrics.QualityConfig{PairFilter: metrics.PairFilterAll})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range rep.Columns {
		fmt.Printf("%s(%s) = %.3f\n", c.Metric, c.Column, c.Value)
	}
	for _, p := range rep.Pairs {
		fmt.Printf("%s(%s, %s) = %.3f\n", p.Metric, p.Columns[0], p.Columns[1], p.Value)
	}
	fmt.Printf("overall %.4f\n", rep.Score)
	// Output:
	// ks_complement(price) = 0.750
	// tv_complement(size) = 0.750
	// contingency_similarity(price, size) = 0.500
	// overall 0.6250
}

// ExampleWriteQualitySummary prints the summary `synthor eval --format
// table` shows for the sdmetrics group. By hand: KS distance 0.2 for age;
// Pearson r 0.8 (real) against 116/√13912 ≈ 0.9835 (synthetic).
func ExampleWriteQualitySummary() {
	real := table.MustNew(
		table.NewInteger("age", []int64{20, 30, 40, 50, 60}, nil),
		table.NewInteger("income", []int64{1, 3, 2, 5, 4}, nil),
	)
	synth := table.MustNew(
		table.NewInteger("age", []int64{22, 30, 41, 50, 70}, nil),
		table.NewInteger("income", []int64{1, 2, 3, 4, 5}, nil),
	)
	scores, err := metrics.SDMetrics(context.Background(), metrics.Input{Real: real, Synth: synth, PairFilter: "all"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := metrics.WriteQualitySummary(os.Stdout, scores); err != nil {
		fmt.Println(err)
	}
	// Output:
	// SDMetrics quality report (pair filter: all)
	// overall score       0.9041
	// column shapes       0.9000  2 of 2 columns scored
	// column pair trends  0.9083  1 of 1 pairs counted
	//
	// lowest column scores
	//   SCORE   METRIC         COLUMN
	//   0.8000  ks_complement  age
	//   1.0000  ks_complement  income
	//
	// lowest pair scores
	//   SCORE   METRIC                  COLUMNS
	//   0.9083  correlation_similarity  age, income
}
