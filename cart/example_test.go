package cart_test

import (
	"fmt"

	"github.com/synthor/synthor/cart"
)

func ExampleFit() {
	// Whether a buyer pays cash, from age (numeric) and tier (categorical:
	// 0 = developed, 1 = developing).
	age := []float64{22, 25, 31, 45, 52, 60, 23, 38, 58, 64}
	tier := []int32{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	cash := []int32{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	X := cart.Features{cart.Numeric("age", age), cart.Categorical("tier", tier, 2)}
	tree, err := cart.Fit(X, cart.Classes(cash, 2), cart.Options{MaxDepth: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	probe := cart.Features{cart.Numeric("age", []float64{30}), cart.Categorical("tier", []int32{1}, 2)}
	fmt.Println(tree.NumLeaves(), tree.Predict(probe, 0), tree.PredictProba(probe, 0))
	// Output: 2 1 [0 1]
}

func ExampleFitForest() {
	x := make([]float64, 200)
	y := make([]float64, 200)
	for i := range x {
		x[i] = float64(i)
		y[i] = 0
		if i >= 100 {
			y[i] = 10
		}
	}
	X := cart.Features{cart.Numeric("x", x)}
	f, err := cart.FitForest(X, cart.Values(y), cart.ForestOptions{Trees: 10, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	probe := cart.Features{cart.Numeric("x", []float64{20, 180})}
	fmt.Printf("%.1f %.1f\n", f.Predict(probe, 0), f.Predict(probe, 1))
	// Output: 0.0 10.0
}
