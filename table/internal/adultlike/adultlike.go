// Package adultlike generates deterministic tables shaped like the UCI
// Adult census table (6 integer and 9 categorical columns, Adult's column
// names and category counts) for the table package's read benchmarks and
// its peak-memory check. The values are uniform draws, not a model of the
// real data.
package adultlike

import (
	"fmt"
	"math/rand/v2"

	"github.com/synthor/synthor/table"
)

// column is one generated column: an integer range [lo, hi] or a
// categorical dictionary size.
type column struct {
	name   string
	lo, hi int64
	cats   int
}

var columns = []column{
	{name: "age", lo: 17, hi: 90},
	{name: "workclass", cats: 9},
	{name: "fnlwgt", lo: 12285, hi: 1484705},
	{name: "education", cats: 16},
	{name: "education-num", lo: 1, hi: 16},
	{name: "marital-status", cats: 7},
	{name: "occupation", cats: 15},
	{name: "relationship", cats: 6},
	{name: "race", cats: 5},
	{name: "sex", cats: 2},
	{name: "capital-gain", lo: 0, hi: 99999},
	{name: "capital-loss", lo: 0, hi: 4356},
	{name: "hours-per-week", lo: 1, hi: 99},
	{name: "native-country", cats: 42},
	{name: "income", cats: 2},
}

// Table returns rows rows of 15 columns drawn from a PCG source seeded
// with seed; the same arguments give the same table.
func Table(rows int, seed uint64) *table.Table {
	rng := rand.New(rand.NewPCG(seed, 0xad017))
	cols := make([]*table.Column, len(columns))
	for j, c := range columns {
		if c.cats > 0 {
			dict := make([]string, c.cats)
			for k := range dict {
				dict[k] = fmt.Sprintf("%s-%d", c.name, k)
			}
			codes := make([]int32, rows)
			for i := range codes {
				codes[i] = int32(rng.IntN(c.cats))
			}
			cols[j] = table.NewCategorical(c.name, dict, codes)
			continue
		}
		v := make([]int64, rows)
		for i := range v {
			v[i] = c.lo + rng.Int64N(c.hi-c.lo+1)
			if (c.name == "capital-gain" || c.name == "capital-loss") && rng.IntN(10) > 0 {
				v[i] = 0 // mostly zero, as in Adult
			}
		}
		cols[j] = table.NewInteger(c.name, v, nil)
	}
	return table.MustNew(cols...)
}

// WriteCSV writes Table(rows, seed) to path.
func WriteCSV(path string, rows int, seed uint64) error {
	return table.WriteFile(path, Table(rows, seed))
}
