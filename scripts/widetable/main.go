// Command widetable writes the wide CSV tables of BENCHMARKS.md's width
// figures: rows rows of cols columns, even columns integers 0–9, odd ones
// categorical over five levels (a–e), uniform, drawn from a PCG seeded
// with seed, column by column as metrics' BenchmarkEvaluateWidth draws
// them.
//
//	go run ./scripts/widetable -cols 1000 -rows 1000 -seed 1 > w1000.real.csv
//	go run ./scripts/widetable -cols 1000 -rows 1000 -seed 2 > w1000.syn.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
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

// write draws the table column by column and prints it row by row.
func write(f *os.File, cols, rows int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 7))
	vals := make([][]byte, cols*rows)
	for j := range cols {
		for i := range rows {
			if j%2 == 0 {
				vals[i*cols+j] = strconv.AppendInt(nil, rng.Int64N(10), 10)
			} else {
				vals[i*cols+j] = []byte{byte('a' + rng.Int32N(5))}
			}
		}
	}
	w := bufio.NewWriter(f)
	for j := range cols {
		if j > 0 {
			w.WriteByte(',')
		}
		fmt.Fprintf(w, "c%d", j)
	}
	w.WriteByte('\n')
	for i := range rows {
		for j := range cols {
			if j > 0 {
				w.WriteByte(',')
			}
			w.Write(vals[i*cols+j])
		}
		w.WriteByte('\n')
	}
	return w.Flush()
}
