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

func ExampleFitHGB() {
	// Class 1 when x is above 50, with the tier levels carrying nothing.
	// (scikit-learn 1.2.1 HistGradientBoostingClassifier(max_iter=20) gives
	// 0.0643 and 0.9332.)
	n := 400
	x := make([]float64, n)
	tier := make([]int32, n)
	y := make([]int32, n)
	for i := range x {
		x[i] = float64(i % 100)
		tier[i] = int32(i % 3)
		if x[i] > 50 {
			y[i] = 1
		}
	}
	X := cart.Features{cart.Numeric("x", x), cart.Categorical("tier", tier, 3)}
	m, err := cart.FitHGB(X, cart.Classes(y, 2), cart.HGBOptions{MaxIter: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	probe := cart.Features{cart.Numeric("x", []float64{10, 90}), cart.Categorical("tier", []int32{2, 0}, 3)}
	p, _ := m.PredictProba(probe, nil)
	fmt.Printf("%d trees: P(1 | x=10) %.2f, P(1 | x=90) %.2f\n", m.Iterations, p[0], p[1])
	// Output: 20 trees: P(1 | x=10) 0.06, P(1 | x=90) 0.93
}
