// Command widetable writes the wide CSV tables of BENCHMARKS.md's width
// figures (internal/widetable: rows rows of cols columns, even columns
// integers 0–9, odd ones categorical over five levels, uniform, drawn from
// seed), the tables metrics' BenchmarkEvaluateWidth scores.
//
//	go run ./scripts/widetable -cols 1000 -rows 1000 -seed 1 > w1000.real.csv
//	go run ./scripts/widetable -cols 1000 -rows 1000 -seed 2 > w1000.syn.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/synthor/synthor/internal/widetable"
	"github.com/synthor/synthor/table"
)

func main() {
	cols := flag.Int("cols", 1000, "columns")
	rows := flag.Int("rows", 1000, "rows")
	seed := flag.Uint64("seed", 1, "seed of the draws")
	flag.Parse()
	if *cols < 1 || *rows < 0 {
		fmt.Fprintln(os.Stderr, "widetable: -cols must be at least 1 and -rows not negative")
		os.Exit(2)
	}
	if err := write(os.Stdout, *cols, *rows, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "widetable:", err)
		os.Exit(1)
	}
}

// write prints the table of widetable.New as CSV.
func write(f *os.File, cols, rows int, seed uint64) error {
	w := bufio.NewWriter(f)
	if err := table.WriteCSV(w, widetable.New(cols, rows, seed)); err != nil {
		return err
	}
	return w.Flush()
}
