package datasets

import (
	"fmt"
	"testing"

	"github.com/synthor/synthor/table"
)

func BenchmarkGenerate(b *testing.B) {
	for _, bc := range []struct {
		name string
		gen  func(int, uint64) (int, error)
		n    int
	}{
		{"ecommerce-bn", rows(EcommerceBN), 2_000},
		{"ecommerce-bn", rows(EcommerceBN), 200_000},
		{"population", rows(Population), 2_000},
		{"population", rows(Population), 20_000},
		{"mobility", rows(Mobility), 30_000},
	} {
		b.Run(fmt.Sprintf("%s/n=%d", bc.name, bc.n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := bc.gen(bc.n, uint64(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAdult(b *testing.B) {
	for _, split := range AdultSplits {
		b.Run(split, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Adult(split); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCheckPopulation(b *testing.B) {
	for _, h := range []int{2_000, 20_000} {
		t := Population(h, 1)
		b.Run(fmt.Sprintf("households=%d", h), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := CheckPopulation(t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// rows adapts a generator to return its row count.
func rows(gen func(int, uint64) *table.Table) func(int, uint64) (int, error) {
	return func(n int, seed uint64) (int, error) { return gen(n, seed).NumRows(), nil }
}

// BenchmarkLoadFlights loads the fetched flights table (3,000,000 rows
// from the cache, joined with airport coordinates); it is skipped when
// flights is not fetched.
func BenchmarkLoadFlights(b *testing.B) {
	d, _ := Lookup("flights")
	if !d.Fetched() {
		b.Skip("flights is not fetched: run synthor datasets fetch flights")
	}
	for b.Loop() {
		tb, err := d.Load("")
		if err != nil {
			b.Fatal(err)
		}
		if tb.NumRows() != 3_000_000 {
			b.Fatalf("%d rows", tb.NumRows())
		}
	}
}
