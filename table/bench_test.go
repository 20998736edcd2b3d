package table_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/synthor/synthor/table"
	"github.com/synthor/synthor/table/internal/adultlike"
)

// BenchmarkReadCSV reads Adult-like CSV files (6 integer and 9 categorical
// columns) of growing size from a temporary directory; the files are
// generated deterministically before timing.
func BenchmarkReadCSV(b *testing.B) {
	dir := b.TempDir()
	for _, rows := range []int{1000, 100_000, 1_000_000} {
		b.Run("rows="+strconv.Itoa(rows)+"/cols=15", func(b *testing.B) {
			path := filepath.Join(dir, strconv.Itoa(rows)+".csv")
			if err := adultlike.WriteCSV(path, rows, 1); err != nil {
				b.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Size())
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				t, err := table.ReadFile(path, table.ReadOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if t.NumRows() != rows {
					b.Fatalf("%d rows", t.NumRows())
				}
			}
		})
	}
}

// BenchmarkReadCSVPrices reads 200,000 rows of five float columns written
// with two decimals ("12.50"), whose text is kept in case the column turns
// out not to be numeric.
func BenchmarkReadCSVPrices(b *testing.B) {
	path := filepath.Join(b.TempDir(), "prices.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, 2))
	fmt.Fprintln(w, "p1,p2,p3,p4,p5")
	for range 200_000 {
		fmt.Fprintf(w, "%.2f,%.2f,%.2f,%.2f,%.2f\n", rng.Float64()*100, rng.Float64()*100, rng.Float64()*1000, rng.Float64(), rng.Float64()*10)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.Run("rows=200000/cols=5", func(b *testing.B) {
		b.SetBytes(st.Size())
		b.ReportAllocs()
		for b.Loop() {
			t, err := table.ReadFile(path, table.ReadOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if t.Cols[0].Kind != table.Float {
				b.Fatalf("kind %s", t.Cols[0].Kind)
			}
		}
	})
}

// BenchmarkReadJSONL reads Adult-like JSON lines.
func BenchmarkReadJSONL(b *testing.B) {
	dir := b.TempDir()
	for _, rows := range []int{1000, 100_000} {
		b.Run("rows="+strconv.Itoa(rows)+"/cols=15", func(b *testing.B) {
			path := filepath.Join(dir, strconv.Itoa(rows)+".jsonl")
			if err := table.WriteFile(path, adultlike.Table(rows, 1)); err != nil {
				b.Fatal(err)
			}
			st, _ := os.Stat(path)
			b.SetBytes(st.Size())
			b.ReportAllocs()
			for b.Loop() {
				if _, err := table.ReadFile(path, table.ReadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteCSV writes an Adult-like table to a temporary file.
func BenchmarkWriteCSV(b *testing.B) {
	dir := b.TempDir()
	for _, rows := range []int{1000, 100_000} {
		b.Run("rows="+strconv.Itoa(rows)+"/cols=15", func(b *testing.B) {
			t := adultlike.Table(rows, 1)
			path := filepath.Join(dir, "out.csv")
			b.ReportAllocs()
			for b.Loop() {
				if err := table.WriteFile(path, t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
