// Command readbench reads one CSV file into a table.Table and reports the
// time taken, so that its peak memory can be measured from outside:
//
//	go build -o /tmp/readbench ./table/internal/readbench
//	/tmp/readbench -gen 1000000 /tmp/adult1m.csv   # write the input once
//	/usr/bin/time -v /tmp/readbench /tmp/adult1m.csv
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/synthor/synthor/table"
	"github.com/synthor/synthor/table/internal/adultlike"
)

func main() {
	gen := flag.Int("gen", 0, "write an Adult-like CSV of this many rows to the path instead of reading it")
	seed := flag.Uint64("seed", 1, "generator seed")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: readbench [-gen ROWS [-seed S]] FILE.csv")
		os.Exit(2)
	}
	path := flag.Arg(0)
	if *gen > 0 {
		if err := adultlike.WriteCSV(path, *gen, *seed); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	start := time.Now()
	t, err := table.ReadFile(path, table.ReadOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d rows × %d columns in %v\n", t.NumRows(), t.NumCols(), time.Since(start).Round(time.Millisecond))
}
