package cart

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// hgbNoise returns n rows of two numeric and one categorical feature, and a
// label that is x0 > 0 flipped with probability flip.
func hgbNoise(n int, flip float64, seed uint64) (Features, Target) {
	rng := rand.New(rand.NewPCG(seed, 1))
	x0, x1 := make([]float64, n), make([]float64, n)
	c := make([]int32, n)
	y := make([]int32, n)
	for i := range n {
		x0[i], x1[i] = rng.NormFloat64(), rng.NormFloat64()
		c[i] = int32(rng.IntN(4))
		if x0[i] > 0 {
			y[i] = 1
		}
		if rng.Float64() < flip {
			y[i] = 1 - y[i]
		}
	}
	return Features{Numeric("x0", x0), Numeric("x1", x1), Categorical("c", c, 4)}, Classes(y, 2)
}

func TestHGBDeterministic(t *testing.T) {
	X, y := hgbNoise(12000, 0.2, 3)
	var first []float64
	for _, w := range []int{1, 2, 5} {
		m, err := FitHGB(X, y, HGBOptions{Seed: 9, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		d, err := m.Decision(X, nil)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = d
			continue
		}
		if !slices.Equal(d, first) {
			t.Fatalf("workers %d: decisions differ from workers 1", w)
		}
	}
}

func TestHGBEarlyStopping(t *testing.T) {
	// 12,000 rows (> 10,000): auto stops early. The signal is one cut, so
	// the validation loss stops improving long before 100 trees.
	X, y := hgbNoise(12000, 0.2, 4)
	m, err := FitHGB(X, y, HGBOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Iterations >= 100 || len(m.ValidationLoss) != m.Iterations+1 {
		t.Errorf("%d iterations, %d losses: want an early stop", m.Iterations, len(m.ValidationLoss))
	}
	// The last IterNoChange losses do not beat the one before them.
	k := len(m.ValidationLoss)
	ref := m.ValidationLoss[k-11]
	for _, l := range m.ValidationLoss[k-10:] {
		if l < ref-1e-7 {
			t.Errorf("stopped although loss %g beats %g", l, ref)
		}
	}
	// The held-out AUC of a 20%-noise threshold is about 0.8.
	Xt, yt := hgbNoise(4000, 0.2, 5)
	p, err := m.PredictProba(Xt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a := aucOf(p, yt.Codes); a < 0.77 || a > 0.83 {
		t.Errorf("held-out AUC %.3f, want about 0.8", a)
	}
	off, err := FitHGB(X, y, HGBOptions{EarlyStopping: EarlyStopOff, MaxIter: 7})
	if err != nil || off.Iterations != 7 || off.ValidationLoss != nil {
		t.Errorf("early stopping off: %d iterations, losses %v, err %v", off.Iterations, off.ValidationLoss, err)
	}
}

// aucOf is the Mann–Whitney AUC by brute force (tests only).
func aucOf(p []float64, y []int32) float64 {
	var s, n float64
	for i := range p {
		for j := range p {
			if y[i] == 1 && y[j] == 0 {
				n++
				switch {
				case p[i] > p[j]:
					s++
				case p[i] == p[j]:
					s += 0.5
				}
			}
		}
	}
	return s / n
}

func TestHGBOddInput(t *testing.T) {
	nan := math.NaN()
	inf := math.Inf(1)
	cases := []struct {
		name string
		X    Features
		y    []int32
		err  error
	}{
		{"constant and all-missing features", Features{Numeric("k", []float64{1, 1, 1, 1}), Numeric("m", []float64{nan, nan, nan, nan}), Categorical("c", []int32{-1, -1, -1, -1}, 1)}, []int32{0, 1, 0, 1}, nil},
		{"infinities", Features{Numeric("v", []float64{-inf, inf, 0, inf, -inf, 1})}, []int32{0, 1, 0, 1, 0, 1}, nil},
		{"one row per class", Features{Numeric("v", []float64{1, 2})}, []int32{0, 1}, nil},
		{"no features", nil, []int32{0, 1, 1}, nil},
		{"single class", Features{Numeric("v", []float64{1, 2, 3})}, []int32{1, 1, 1}, ErrOneClass},
		{"no rows", Features{Numeric("v", []float64{1, 2})}, []int32{-1, -1}, ErrNoRows},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := FitHGB(c.X, Classes(c.y, 2), HGBOptions{EarlyStopping: EarlyStopOn, MinSamplesLeaf: 1})
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, err := m.PredictProba(c.X, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.X == nil {
				return
			}
			for i, v := range p {
				if math.IsNaN(v) || v < 0 || v > 1 {
					t.Errorf("row %d: probability %g", i, v)
				}
			}
		})
	}
	t.Run("three classes", func(t *testing.T) {
		_, err := FitHGB(Features{Numeric("v", []float64{1, 2, 3})}, Classes([]int32{0, 1, 2}, 3), HGBOptions{})
		if err == nil || !strings.Contains(err.Error(), "two-class") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("wrong features at prediction", func(t *testing.T) {
		X, y := hgbNoise(100, 0, 1)
		m, err := FitHGB(X, y, HGBOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Decision(X[:2], nil); err == nil {
			t.Error("no error for a missing feature")
		}
		if _, err := m.Decision(X, []int{100}); err == nil {
			t.Error("no error for a row out of range")
		}
	})
}

func TestHGBManyLevels(t *testing.T) {
	// 400 levels, more than the 255 bins: the 254 most frequent keep a bin
	// each, the rest share one. The label is carried by level parity,
	// which the frequent levels still show.
	rng := rand.New(rand.NewPCG(2, 2))
	n := 20000
	codes := make([]int32, n)
	y := make([]int32, n)
	for i := range codes {
		codes[i] = int32(min(rng.ExpFloat64()*80, 399))
		y[i] = codes[i] % 2
		if rng.Float64() < 0.1 {
			y[i] = 1 - y[i]
		}
	}
	X := Features{Categorical("c", codes, 400)}
	bn := fitBinner(X, allRows(n), 255, rng)
	if bn.nonMissing[0] != 255 {
		t.Fatalf("%d value bins, want 255", bn.nonMissing[0])
	}
	m, err := FitHGB(X, Classes(y, 2), HGBOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := m.PredictProba(X, nil)
	if a := aucOf(p[:3000], y[:3000]); a < 0.85 {
		t.Errorf("training AUC %.3f on a parity label, want > 0.85", a)
	}
}

func TestHGBOptionsValidate(t *testing.T) {
	for _, c := range []struct {
		o   HGBOptions
		key string
	}{
		{HGBOptions{MaxIter: -1}, "max_iter"},
		{HGBOptions{LearningRate: math.NaN()}, "learning_rate"},
		{HGBOptions{MaxLeafNodes: 1}, "max_leaf_nodes"},
		{HGBOptions{MaxDepth: -1}, "max_depth"},
		{HGBOptions{MinSamplesLeaf: -1}, "min_samples_leaf"},
		{HGBOptions{L2: -1}, "l2"},
		{HGBOptions{MaxBins: 256}, "max_bins"},
		{HGBOptions{EarlyStopping: 7}, "early_stopping"},
		{HGBOptions{ValidationFraction: 1}, "validation_fraction"},
		{HGBOptions{IterNoChange: -1}, "iter_no_change"},
		{HGBOptions{Tol: -1}, "tol"},
		{HGBOptions{Workers: -1}, "workers"},
	} {
		if err := c.o.Validate(); err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%+v: error %v, want one naming %q", c.o, err, c.key)
		}
	}
	if err := (HGBOptions{}).Validate(); err != nil {
		t.Errorf("zero options: %v", err)
	}
}

// FuzzFitHGB fits on arbitrary data (infinities, NaN, negative codes, one
// class) and checks that fitting never panics and probabilities are in
// [0, 1].
func FuzzFitHGB(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, uint8(1), uint8(3))
	f.Add([]byte{0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1}, uint8(0), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, minLeaf, bins uint8) {
		n := len(data) / 9
		if n == 0 {
			return
		}
		v := make([]float64, n)
		codes := make([]int32, n)
		y := make([]int32, n)
		for i := range n {
			rec := data[i*9 : i*9+9]
			v[i] = math.Float64frombits(binary.BigEndian.Uint64(rec[:8]))
			codes[i] = int32(rec[8]%7) - 1
			y[i] = int32(rec[8]%3) - 1
		}
		X := Features{Numeric("v", v), Categorical("c", codes, 6)}
		o := HGBOptions{MinSamplesLeaf: int(minLeaf % 4), MaxBins: int(bins%254) + 2, MaxIter: 5, EarlyStopping: EarlyStop(minLeaf % 3)}
		m, err := FitHGB(X, Classes(y, 2), o)
		if err != nil {
			if errors.Is(err, ErrOneClass) || errors.Is(err, ErrNoRows) {
				return
			}
			t.Fatal(err)
		}
		p, err := m.PredictProba(X, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range p {
			if !(q >= 0 && q <= 1) {
				t.Fatalf("probability %g", q)
			}
		}
	})
}

// TestSortCatInfos: the insertion sort gives the stable order the
// library's stable sort gives, ties (frequent: equal gradient ratios) kept
// in order, for every length around its switch-over.
func TestSortCatInfos(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k <= 40; k++ {
		for trial := 0; trial < 20; trial++ {
			xs := make([]catInfo, k)
			for i := range xs {
				xs[i] = catInfo{bin: i, value: float64(rng.IntN(4)) - 1.5}
			}
			want := slices.Clone(xs)
			slices.SortStableFunc(want, byCatValue)
			sortCatInfos(xs)
			if !slices.Equal(xs, want) {
				t.Fatalf("k=%d: got %v, want %v", k, xs, want)
			}
		}
	}
}
