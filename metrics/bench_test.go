package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/synthor/synthor/table"
)

// adultLike returns an n-row table shaped like UCI Adult: 6 integer columns
// (age, fnlwgt, education-num, capital-gain, capital-loss, hours-per-week
// with Adult's ranges, the capital columns mostly 0) and 9 categorical
// columns with Adult's cardinalities, one of them with 2 % missing.
// Columns depend on each other a little (education-num on education, hours
// on sex) so pairs are not trivially independent.
func adultLike(n int, seed uint64) *table.Table {
	rng := rand.New(rand.NewPCG(seed, 42))
	cards := []struct {
		name string
		k    int
	}{{"workclass", 9}, {"education", 16}, {"marital-status", 7}, {"occupation", 15}, {"relationship", 6}, {"race", 5}, {"sex", 2}, {"native-country", 42}, {"income", 2}}
	var cols []*table.Column
	codes := make([][]int32, len(cards))
	for j, c := range cards {
		dict := make([]string, c.k)
		for i := range dict {
			dict[i] = fmt.Sprintf("%s-%d", c.name, i)
		}
		codes[j] = make([]int32, n)
		for i := range codes[j] {
			// A skewed distribution: category k with weight ∝ 1/(k+1).
			u := rng.Float64()
			codes[j][i] = int32(math.Floor(math.Pow(float64(c.k+1), u))) - 1
			if j == 3 && rng.Float64() < 0.02 {
				codes[j][i] = table.Missing
			}
		}
		cols = append(cols, table.NewCategorical(c.name, dict, codes[j]))
	}
	ints := func(name string, f func(i int) int64) *table.Column {
		v := make([]int64, n)
		for i := range v {
			v[i] = f(i)
		}
		return table.NewInteger(name, v, nil)
	}
	cols = append(cols,
		ints("age", func(int) int64 { return 17 + int64(rng.IntN(74)) }),
		ints("fnlwgt", func(int) int64 { return 12285 + int64(math.Abs(rng.NormFloat64())*100000) }),
		ints("education-num", func(i int) int64 { return 1 + int64(codes[1][i]) }),
		ints("capital-gain", func(int) int64 {
			if rng.Float64() < 0.92 {
				return 0
			}
			return int64(rng.IntN(100000))
		}),
		ints("capital-loss", func(int) int64 {
			if rng.Float64() < 0.95 {
				return 0
			}
			return int64(1000 + rng.IntN(3000))
		}),
		ints("hours-per-week", func(i int) int64 { return 20 + 10*int64(codes[6][i]) + int64(rng.IntN(40)) }),
	)
	return table.MustNew(cols...)
}

// BenchmarkFidelity measures Distributions (every 1-way and 2-way fidelity
// score, no C2ST, no SDMetrics summary) on Adult-shaped tables of 15
// columns: 105 pairs. Targets: 32,561 rows under 0.25 s on one core;
// 1,600,000 rows under 8 s on two cores and 2 GB peak memory.
func BenchmarkFidelity(b *testing.B) {
	for _, c := range []struct {
		rows, procs int
	}{{32561, 1}, {32561, 2}, {1600000, 2}} {
		b.Run(fmt.Sprintf("rows=%d/procs=%d", c.rows, c.procs), func(b *testing.B) {
			in := Input{Real: adultLike(c.rows, 1), Synth: adultLike(c.rows, 2)}
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.procs))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				scores, err := Distributions(context.Background(), in)
				if err != nil {
					b.Fatal(err)
				}
				if len(scores) != 6*4+9*3+105*3+15*2+36 {
					b.Fatalf("%d scores", len(scores))
				}
			}
		})
	}
}

// BenchmarkC2ST measures the forest classifier two-sample test on Adult-shaped
// tables: all rows of a 32,561-row table, and the default 50,000-row
// subsample of a 200,000-row one.
func BenchmarkC2ST(b *testing.B) {
	for _, rows := range []int{32561, 200000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			real, synth := adultLike(rows, 1), adultLike(rows, 2)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := C2ST(context.Background(), real, synth, C2STConfig{Seed: 1, Classifier: C2STForest}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFidelityGroup measures the whole fidelity group without C2ST:
// Distributions plus the SDMetrics summary rows (computed by SDMetrics).
func BenchmarkFidelityGroup(b *testing.B) {
	for _, c := range []struct {
		rows, procs int
	}{{32561, 1}, {1600000, 2}} {
		b.Run(fmt.Sprintf("rows=%d/procs=%d", c.rows, c.procs), func(b *testing.B) {
			in := Input{Real: adultLike(c.rows, 1), Synth: adultLike(c.rows, 2), C2STRows: -1}
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.procs))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := Fidelity(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkC2STAdult measures the default detector (gradient-boosted trees,
// 5-fold cross-validation) on the Adult training split against 32,561
// independent-columns rows (testdata/sdmetrics/adult_indep.csv.gz), and the
// forest on the same tables; cpu-s/op is the process's CPU time per run
// (user + system), which says more than wall time on a loaded machine.
func BenchmarkC2STAdult(b *testing.B) {
	real := sdmReadCSV(b, "adult_train.csv.gz", "adult_metadata.json")
	synth := sdmReadCSV(b, "adult_indep.csv.gz", "adult_metadata.json")
	for _, clf := range C2STClassifiers {
		b.Run("classifier="+clf, func(b *testing.B) {
			b.ReportAllocs()
			var r C2STResult
			cpu := sdmProcessCPU()
			for b.Loop() {
				var err error
				if r, err = C2ST(context.Background(), real, synth, C2STConfig{Seed: 1, Classifier: clf}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(r.AUC, "auc")
			b.ReportMetric((sdmProcessCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
