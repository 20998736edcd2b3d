package synthor_test

import (
	"context"
	"fmt"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/synthor"
)

// Synthesize 2,000 records aligned to the statistics of a reference sample,
// with the stat planner (no LLM) and the paper's dependency groups.
func ExampleSynthesizer() {
	ref := datasets.EcommerceBN(2000, 1)
	cfg := synthor.DefaultConfig
	cfg.Joints = [][]string{
		{"user_age", "user_gender", "product_category"},
		{"product_category", "price"},
		{"user_location_tier", "payment_method"},
	}
	s, err := synthor.New(cfg, synthor.Stat{})
	if err != nil {
		panic(err)
	}
	if err := s.Fit(context.Background(), ref); err != nil {
		panic(err)
	}
	out, err := s.Sample(context.Background(), 2000, 1)
	if err != nil {
		panic(err)
	}
	r := s.Result()
	fmt.Println(out.NumRows(), "rows;", r.Iterations, "iterations; stop:", r.Stop)
	fmt.Println(r.Label)
	// Output:
	// 2000 rows; 100 iterations; stop: size
	// LLMSynthor loop with the stat planner (no LLM)
}
