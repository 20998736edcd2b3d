package baselines_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/table"
)

const adultPath = "../../shared/data/adult/adult_train.csv"

// adultLike returns the Adult training split (32,561 × 15; "?" read as
// missing) when it is on disk, else a generated table of the same shape:
// 6 integer and 9 categorical columns with Adult's category counts.
func adultLike(tb testing.TB) *table.Table {
	if _, err := os.Stat(adultPath); err == nil {
		t, err := table.ReadFile(adultPath, table.ReadOptions{NullValues: []string{"", "?"}})
		if err != nil {
			tb.Fatal(err)
		}
		return t
	}
	const n = 32561
	r := rand.New(rand.NewPCG(1, 2))
	var cols []*table.Column
	for j, levels := range []int{9, 16, 7, 15, 6, 5, 2, 42, 2} {
		dict := make([]string, levels)
		for k := range dict {
			dict[k] = fmt.Sprintf("c%d-%d", j, k)
		}
		codes := make([]int32, n)
		for i := range codes {
			codes[i] = int32(min(r.ExpFloat64()*float64(levels)/3, float64(levels-1)))
		}
		cols = append(cols, table.NewCategorical(fmt.Sprintf("cat%d", j), dict, codes))
	}
	for j := 0; j < 6; j++ {
		v := make([]int64, n)
		for i := range v {
			v[i] = int64(r.NormFloat64()*10 + float64(cols[0].Codes[i])*5 + 40)
		}
		cols = append(cols, table.NewInteger(fmt.Sprintf("num%d", j), v, nil))
	}
	return table.MustNew(cols...)
}

// BenchmarkFitSample fits each method on Adult (32,561 × 15) and on its
// first half, and samples as many rows as it was fitted on; comparing the
// two sizes' B/op shows how memory grows with rows.
func BenchmarkFitSample(b *testing.B) {
	full := adultLike(b)
	ctx := context.Background()
	for _, name := range []string{"independent", "gaussian-copula", "bayes-net", "cart", "uniform", "bootstrap", "ipf"} {
		for _, rows := range []int{full.NumRows() / 2, full.NumRows()} {
			train := full.Head(rows)
			b.Run(fmt.Sprintf("%s/rows=%d", name, rows), func(b *testing.B) {
				for b.Loop() {
					s, err := methods.New(name, nil, methods.Options{})
					if err != nil {
						b.Fatal(err)
					}
					if err := s.Fit(ctx, train); err != nil {
						b.Fatal(err)
					}
					if _, err := s.Sample(ctx, rows, 1); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
