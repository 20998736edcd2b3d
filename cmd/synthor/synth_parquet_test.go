package main

import (
	"path/filepath"
	"testing"

	"github.com/synthor/synthor/table"
)

// TestSynthOutParquet writes the same synthetic table to .csv and to
// .parquet and reads both back: the same columns, in the same order, the
// same values.
func TestSynthOutParquet(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"s.csv", "s.parquet"} {
		if _, stderr, code, err := runCLI(t, "synth", "--dataset", "ecommerce-bn", "--method", "independent", "--rows", "50", "--seed", "3", "--out", filepath.Join(dir, name)); err != nil {
			t.Fatalf("%s: exit %d: %v\n%s", name, code, err, stderr)
		}
	}
	pq, err := table.ReadFile(filepath.Join(dir, "s.parquet"), table.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	csv, err := table.ReadFile(filepath.Join(dir, "s.csv"), table.ReadOptions{Schema: pq.Schema()})
	if err != nil {
		t.Fatal(err)
	}
	if pq.NumRows() != 50 {
		t.Fatalf("%d rows", pq.NumRows())
	}
	if d := table.Diff(csv, pq); d != "" {
		t.Fatalf("parquet output differs from csv output: %s", d)
	}
}
