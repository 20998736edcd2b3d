package table_test

import (
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
