package cart

import (
	"encoding/csv"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// readGolden reads a CSV of floats written by testdata/golden.py.
func readGolden(t *testing.T, path string) (header []string, rows [][]float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		row := make([]float64, len(r))
		for j, s := range r {
			if row[j], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		rows = append(rows, row)
	}
	return recs[0], rows
}

func column(rows [][]float64, j int) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = r[j]
	}
	return out
}

// TestFitMatchesScikitLearn compares class shares and predictions with
// scikit-learn 1.2.1 DecisionTreeClassifier/Regressor (testdata/golden.py).
func TestFitMatchesScikitLearn(t *testing.T) {
	t.Run("iris gini depth 3", func(t *testing.T) {
		_, rows := readGolden(t, "testdata/iris.csv")
		var X Features
		for j := 0; j < 4; j++ {
			X = append(X, Numeric("x"+strconv.Itoa(j), column(rows, j)))
		}
		y := make([]int32, len(rows))
		for i, r := range rows {
			y[i] = int32(r[4])
		}
		tree, err := Fit(X, Classes(y, 3), Options{MaxDepth: 3})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			p := tree.PredictProba(X, i)
			for c := 0; c < 3; c++ {
				if math.Abs(p[c]-r[5+c]) > 1e-12 {
					t.Fatalf("row %d: proba %v, scikit-learn %v", i+1, p, r[5:8])
				}
			}
		}
		if d := tree.Depth(); d != 3 {
			t.Errorf("depth %d, want 3", d)
		}
	})
	t.Run("diabetes squared error depth 3 min leaf 5", func(t *testing.T) {
		_, rows := readGolden(t, "testdata/diabetes.csv")
		var X Features
		for j := 0; j < 10; j++ {
			X = append(X, Numeric("x"+strconv.Itoa(j), column(rows, j)))
		}
		tree, err := Fit(X, Values(column(rows, 10)), Options{MaxDepth: 3, MinLeaf: 5, MaxBins: 1 << 16})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if got := tree.Predict(X, i); math.Abs(got-r[11]) > 1e-9 {
				t.Fatalf("row %d: prediction %g, scikit-learn %g", i+1, got, r[11])
			}
		}
	})
}

// TestClosedForm checks splits whose answer is known by construction.
func TestClosedForm(t *testing.T) {
	t.Run("categorical subset", func(t *testing.T) {
		// y = 1 exactly when the level is 0 or 2 of 4: one subset split
		// separates the classes, which no single threshold on codes does.
		n := 400
		codes := make([]int32, n)
		y := make([]int32, n)
		for i := range codes {
			codes[i] = int32(i % 4)
			if codes[i] == 0 || codes[i] == 2 {
				y[i] = 1
			}
		}
		X := Features{Categorical("c", codes, 4)}
		tree, err := Fit(X, Classes(y, 2), Options{MaxDepth: 1})
		if err != nil {
			t.Fatal(err)
		}
		for i := range y {
			if got := tree.Predict(X, i); got != float64(y[i]) {
				t.Fatalf("row %d: predicted %g, want %d", i, got, y[i])
			}
		}
		if tree.NumLeaves() != 2 {
			t.Errorf("%d leaves, want 2", tree.NumLeaves())
		}
	})
	t.Run("missing values follow their class", func(t *testing.T) {
		// Missing x and x > 5 are class 1; x <= 5 is class 0. A depth-1
		// tree can only be pure when missing values go with x > 5.
		var v []float64
		var y []int32
		for i := 0; i < 30; i++ {
			v = append(v, float64(i%10+1))
			y = append(y, int32(b2i(i%10+1 > 5)))
		}
		for i := 0; i < 10; i++ {
			v = append(v, math.NaN())
			y = append(y, 1)
		}
		X := Features{Numeric("x", v)}
		tree, err := Fit(X, Classes(y, 2), Options{MaxDepth: 1})
		if err != nil {
			t.Fatal(err)
		}
		for i := range y {
			if got := tree.Predict(X, i); got != float64(y[i]) {
				t.Fatalf("row %d (x=%g): predicted %g, want %d", i, v[i], got, y[i])
			}
		}
		probe := Features{Numeric("x", []float64{5, 5.5, 6, math.NaN(), -100, 100})}
		want := []float64{0, 0, 1, 1, 0, 1} // the cut is the midpoint 5.5, inclusive on the left
		for i, w := range want {
			if got := tree.Predict(probe, i); got != w {
				t.Errorf("x=%g: predicted %g, want %g", probe[0].Values[i], got, w)
			}
		}
	})
	t.Run("regression step", func(t *testing.T) {
		// y = 10 for x < 0, y = -3 for x >= 0: the leaf means are exact.
		var v, y []float64
		for i := -50; i < 50; i++ {
			v = append(v, float64(i))
			if i < 0 {
				y = append(y, 10)
			} else {
				y = append(y, -3)
			}
		}
		X := Features{Numeric("x", v)}
		tree, err := Fit(X, Values(y), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if tree.NumLeaves() != 2 {
			t.Errorf("%d leaves, want 2 (pure leaves stop growth)", tree.NumLeaves())
		}
		for i := range y {
			if got := tree.Predict(X, i); got != y[i] {
				t.Fatalf("x=%g: predicted %g, want %g", v[i], got, y[i])
			}
		}
	})
	t.Run("min leaf and constant feature", func(t *testing.T) {
		X := Features{Numeric("k", []float64{1, 1, 1, 1, 1, 1})}
		tree, err := Fit(X, Classes([]int32{0, 1, 0, 1, 0, 1}, 2), Options{MinLeaf: 2})
		if err != nil {
			t.Fatal(err)
		}
		if tree.NumLeaves() != 1 {
			t.Errorf("%d leaves on a constant feature, want 1", tree.NumLeaves())
		}
		if p := tree.PredictProba(X, 0); p[0] != 0.5 || p[1] != 0.5 {
			t.Errorf("root shares %v, want [0.5 0.5]", p)
		}
	})
	t.Run("unseen level", func(t *testing.T) {
		X := Features{Categorical("c", []int32{0, 0, 0, 1, 1}, 2)}
		tree, err := Fit(X, Classes([]int32{0, 0, 0, 1, 1}, 2), Options{})
		if err != nil {
			t.Fatal(err)
		}
		probe := Features{Categorical("c", []int32{7}, 8)}
		if got := tree.Predict(probe, 0); got != 0 {
			t.Errorf("unseen level predicted %g, want the larger side's class 0", got)
		}
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestFitErrors(t *testing.T) {
	tests := []struct {
		name string
		X    Features
		y    Target
		opts Options
		want string
	}{
		{"ragged features", Features{Numeric("a", []float64{1, 2}), Numeric("b", []float64{1})}, Values([]float64{1, 2}), Options{}, `cart: feature "b" has 1 rows, feature "a" has 2`},
		{"target length", Features{Numeric("a", []float64{1, 2})}, Values([]float64{1}), Options{}, "cart: target has 1 rows, features have 2"},
		{"code out of range", Features{Categorical("c", []int32{0, 3}, 2)}, Values([]float64{1, 2}), Options{}, `cart: feature "c": row 2: code 3 out of range [0,2)`},
		{"class out of range", Features{Numeric("a", []float64{1, 2})}, Classes([]int32{0, 2}, 2), Options{}, "cart: target row 2: class 2 out of range [0,2)"},
		{"bad option", Features{Numeric("a", []float64{1, 2})}, Values([]float64{1, 2}), Options{MinLeaf: -1}, "cart: min_leaf -1 is negative"},
		{"no rows", Features{Numeric("a", []float64{1, 2})}, Values([]float64{math.NaN(), math.NaN()}), Options{}, ErrNoRows.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fit(tt.X, tt.y, tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := Fit(Features{Numeric("a", []float64{1})}, Values([]float64{math.NaN()}), Options{}); !errors.Is(err, ErrNoRows) {
		t.Errorf("error %v, want ErrNoRows", err)
	}
}

// noisyXOR returns two numeric features and a class that is their XOR sign,
// with 10% of labels flipped.
func noisyXOR(n int, seed uint64) (Features, []int32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	a, b := make([]float64, n), make([]float64, n)
	y := make([]int32, n)
	for i := range y {
		a[i], b[i] = rng.Float64()*2-1, rng.Float64()*2-1
		y[i] = int32(b2i((a[i] > 0) != (b[i] > 0)))
		if rng.Float64() < 0.1 {
			y[i] = 1 - y[i]
		}
	}
	return Features{Numeric("a", a), Numeric("b", b)}, y
}

func TestForest(t *testing.T) {
	X, y := noisyXOR(2000, 1)
	Xt, yt := noisyXOR(2000, 2)
	f1, err := FitForest(X, Classes(y, 2), ForestOptions{Trees: 20, Tree: Options{MinLeaf: 5}, Seed: 7, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	f4, err := FitForest(X, Classes(y, 2), ForestOptions{Trees: 20, Tree: Options{MinLeaf: 5}, Seed: 7, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	correct := 0
	for i := range yt {
		p1, p4 := f1.PredictProba(Xt, i), f4.PredictProba(Xt, i)
		if p1[0] != p4[0] || p1[1] != p4[1] {
			t.Fatalf("row %d: shares differ with the worker count: %v vs %v", i, p1, p4)
		}
		if math.Abs(p1[0]+p1[1]-1) > 1e-12 {
			t.Fatalf("row %d: shares %v do not sum to 1", i, p1)
		}
		if f1.Predict(Xt, i) == float64(yt[i]) {
			correct++
		}
	}
	// The Bayes accuracy is 0.9; a depth-1 rule gets 0.5.
	if acc := float64(correct) / float64(len(yt)); acc < 0.85 {
		t.Errorf("held-out accuracy %.3f, want >= 0.85 (Bayes rate 0.90)", acc)
	}
}

func BenchmarkFit(b *testing.B) {
	for _, n := range []int{10000, 32561} {
		X, y := noisyXOR(n, 1)
		rng := rand.New(rand.NewPCG(3, 3))
		codes := make([]int32, n)
		for i := range codes {
			codes[i] = int32(rng.IntN(40))
		}
		X = append(X, Categorical("c", codes, 40))
		b.Run("classify/n="+strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Fit(X, Classes(codes, 40), DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("regress/n="+strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Fit(X[1:], Values(X[0].Values), DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
		_ = y
	}
}

// TestSweepPathsAgree checks that the aggregated sweep and the row-sorting
// sweep (used when bins × classes is large) grow the same tree.
func TestSweepPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n := 3000
	num := make([]float64, n)
	cat := make([]int32, n)
	y := make([]int32, n)
	for i := range y {
		num[i] = math.Round(rng.NormFloat64()*20) / 2
		if rng.Float64() < 0.05 {
			num[i] = math.NaN()
		}
		cat[i] = int32(rng.IntN(12))
		if rng.Float64() < 0.05 {
			cat[i] = -1
		}
		y[i] = int32((int(cat[i]+1)*3 + int(math.Max(num[i], -40)+40)/7 + rng.IntN(3)) % 5)
	}
	X := Features{Numeric("num", num), Categorical("cat", cat, 12)}
	fit := func(limit int) *Tree {
		old := aggLimit
		aggLimit = limit
		defer func() { aggLimit = old }()
		tree, err := Fit(X, Classes(y, 5), DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		return tree
	}
	a, b := fit(1<<20), fit(0)
	if a.NumNodes() != b.NumNodes() || a.NumNodes() < 5 {
		t.Fatalf("aggregated tree has %d nodes, sorted-rows tree %d", a.NumNodes(), b.NumNodes())
	}
	for i := 0; i < n; i++ {
		pa, pb := a.PredictProba(X, i), b.PredictProba(X, i)
		for c := range pa {
			if math.Abs(pa[c]-pb[c]) > 1e-12 {
				t.Fatalf("row %d: shares %v vs %v", i, pa, pb)
			}
		}
	}
}

func BenchmarkForest(b *testing.B) {
	X, y := noisyXOR(20000, 1)
	for _, trees := range []int{10, 50} {
		b.Run("trees="+strconv.Itoa(trees), func(b *testing.B) {
			for b.Loop() {
				f, err := FitForest(X, Classes(y, 2), ForestOptions{Trees: trees, Tree: Options{MinLeaf: 5}, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < 1000; i++ {
					_ = f.PredictProba(X, i)
				}
			}
		})
	}
}
