package metrics_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

func ExampleTVD() {
	// Frequencies over the same categories (counts; each side is normalised).
	real := []float64{45, 55}
	synth := []float64{50, 50}
	d, err := metrics.TVD(real, synth)
	fmt.Printf("%.3f %v\n", d, err)
	// Output: 0.050 <nil>
}

func ExampleKS() {
	d, _ := metrics.KS([]float64{1, 2, 3, 4}, []float64{3, 4, 5, 6})
	w, _ := metrics.Wasserstein([]float64{1, 2, 3, 4}, []float64{3, 4, 5, 6})
	fmt.Println(d, w)
	// Output: 0.5 2
}

func ExampleDistributions() {
	real := table.MustNew(
		table.NewCategorical("gender", []string{"Male", "Female"}, []int32{0, 1, 1, 0}),
		table.NewFloat("price", []float64{10, 20, 30, 40}),
	)
	synth := table.MustNew(
		table.NewCategorical("gender", []string{"Male", "Female"}, []int32{0, 1, 1, 1}),
		table.NewFloat("price", []float64{10, 20, 30, 50}),
	)
	scores, err := metrics.Distributions(context.Background(), metrics.Input{Real: real, Synth: synth, Bins: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range scores[:5] {
		fmt.Printf("%s %v %.4g (%s is better)\n", s.Name, s.Columns, s.Value, s.Better)
	}
	// Output:
	// tvd [gender] 0.25 (lower is better)
	// jsd [gender] 0.04879 (lower is better)
	// hellinger [gender] 0.1846 (lower is better)
	// ks [price] 0.25 (lower is better)
	// wasserstein [price] 2.5 (lower is better)
}

func ExampleLookup() {
	g, err := metrics.Lookup("fidelity")
	if err != nil {
		fmt.Println(err)
		return
	}
	real := table.MustNew(table.NewFloat("x", []float64{1, 2, 3, 4, 5, 6}))
	scores, _ := g.Scores(context.Background(), metrics.Input{Real: real, Synth: real, C2STRows: -1})
	fmt.Println(scores[0].Name, scores[0].Value)
	_, err = metrics.Lookup("nosuch")
	fmt.Println(err)
	// Output:
	// ks 0
	// unknown metric group "nosuch" (valid: adaptability, controls, fidelity, plausibility, privacy, queries, sdmetrics, utility)
}

func ExampleC2ST() {
	// Two samples of one distribution: the classifier cannot tell them
	// apart, and its held-out AUC stays near ½.
	sample := func(seed uint64) *table.Table {
		rng := rand.New(rand.NewPCG(seed, 1))
		x := make([]float64, 2000)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		return table.MustNew(table.NewFloat("x", x))
	}
	r, err := metrics.C2ST(context.Background(), sample(1), sample(2), metrics.C2STConfig{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Classifier, r.Train, r.Test, r.Gap < 0.05, r.AUC > 0.45 && r.AUC < 0.55)
	// Output: random forest (cart) 2800 1200 true true
}
