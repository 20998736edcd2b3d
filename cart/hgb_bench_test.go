package cart

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
)

// adultShaped returns n rows shaped like one fold of an Adult C2ST: 6
// numeric features (one with many distinct values) and 8 categorical ones
// (2 to 42 levels), and a label that depends on two interactions.
func adultShaped(n int, seed uint64) (Features, Target) {
	rng := rand.New(rand.NewPCG(seed, 3))
	var X Features
	for j := range 6 {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(int(rng.NormFloat64() * float64(10*(j+1))))
			if j == 0 {
				v[i] = rng.Float64() * 1e6
			}
		}
		X = append(X, Numeric(fmt.Sprint("x", j), v))
	}
	for j, levels := range []int{9, 16, 7, 15, 6, 5, 2, 42} {
		c := make([]int32, n)
		for i := range c {
			c[i] = int32(min(rng.ExpFloat64()*float64(levels)/3, float64(levels-1)))
		}
		X = append(X, Categorical(fmt.Sprint("c", j), c, levels))
	}
	y := make([]int32, n)
	for i := range y {
		z := X[1].Values[i]/20*float64(X[6].Codes[i]%2) + float64(X[7].Codes[i])/8 - 0.5
		if rng.NormFloat64() < z {
			y[i] = 1
		}
	}
	return X, Classes(y, 2)
}

// BenchmarkFitHGB fits the default model (early stopping on) on 52,098
// rows, the training part of one fold of a 5-fold C2ST on Adult, with 1
// and 2 workers; cpu-s/op is the process's CPU time per fit.
func BenchmarkFitHGB(b *testing.B) {
	X, y := adultShaped(52098, 1)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			var m *HGB
			cpu := processCPU()
			for b.Loop() {
				var err error
				if m, err = FitHGB(X, y, HGBOptions{Seed: 1, Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(m.Iterations), "trees")
			b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// processCPU returns the user and system CPU time of the process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// wideShaped returns n rows of p features shaped like one fold of a C2ST on
// BENCHMARKS.md's width tables: even features integers 0–9, odd ones
// categorical over five levels, uniform, and a label that depends on the
// first two.
func wideShaped(n, p int, seed uint64) (Features, Target) {
	rng := rand.New(rand.NewPCG(seed, 5))
	X := make(Features, p)
	for j := range X {
		if j%2 == 0 {
			v := make([]float64, n)
			for i := range v {
				v[i] = float64(rng.IntN(10))
			}
			X[j] = Numeric(fmt.Sprint("x", j), v)
			continue
		}
		c := make([]int32, n)
		for i := range c {
			c[i] = rng.Int32N(5)
		}
		X[j] = Categorical(fmt.Sprint("c", j), c, 5)
	}
	y := make([]int32, n)
	for i := range y {
		if X[0].Values[i]/10+float64(X[1].Codes[i]%2)/2+rng.NormFloat64()/2 > 0.75 {
			y[i] = 1
		}
	}
	return X, Classes(y, 2)
}

// BenchmarkFitHGBWide fits the default model on 1,600 rows of 100 and
// 1,000 features, the training part of one fold of a 5-fold C2ST of 1,000
// rows a side; B/op is mostly node histograms.
func BenchmarkFitHGBWide(b *testing.B) {
	for _, p := range []int{100, 1000} {
		X, y := wideShaped(1600, p, 1)
		b.Run(fmt.Sprintf("features=%d", p), func(b *testing.B) {
			b.ReportAllocs()
			var m *HGB
			cpu := processCPU()
			for b.Loop() {
				var err error
				if m, err = FitHGB(X, y, HGBOptions{Seed: 1, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(m.Iterations), "trees")
			b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
