package bench

import (
	"fmt"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/internal/guard"
	"github.com/synthor/synthor/table"
)

// PrepareCellBytes is the runner's peak memory per cell (a row of one
// column) of a dataset it prepares: the generated or read table, its train
// and holdout copies and their encoding; measured as 25 B for 2 million
// ecommerce-bn records (6 columns, holdout 0.2; BENCHMARKS.md, "Memory
// before allocation") and rounded up.
const PrepareCellBytes = 32

// probeRecords is how many records a generator draws to learn its columns
// and rows per record before the memory of the full draw is estimated.
const probeRecords = 64

// memoryLimit is the memory a run's datasets must fit in: limits.memory
// (each cell loads them under it), else guard.DefaultLimit; with where it
// comes from.
func (c *Config) memoryLimit() (uint64, string) {
	if c.Limits.Memory > 0 {
		return uint64(c.Limits.Memory), "limits.memory " + c.Limits.Memory.String()
	}
	return guard.DefaultLimit(), "half the physical memory"
}

// readOptions bounds the reading of a dataset file by the memory limit
// (table.ReadOptions MaxBytes and MaxCells), so that a gzip bomb stops.
func (c *Config) readOptions(schema *table.Schema) table.ReadOptions {
	limit, _ := c.memoryLimit()
	b, cells := guard.ReadBudget(limit, 1)
	return table.ReadOptions{Schema: schema, MaxBytes: b, MaxCells: cells}
}

// checkMemory refuses, before anything is generated or read, a dataset
// whose preparation would pass the memory limit: a generator asked for
// rows: 1000000000000 (its columns and rows per record are learnt from a
// draw of probeRecords), or a file too large to read (guard.ReadNeed; the
// reader measures a compressed one as it reads).
func (c *Config) checkMemory() error {
	limit, source := c.memoryLimit()
	for i, d := range c.Datasets {
		what := fmt.Sprintf("datasets[%d] %s", i, d.Name)
		if d.File != "" {
			if err := guard.CheckMemory(what+": reading "+d.File, guard.BaseBytes+guard.ReadNeed(c.path(d.File)), limit, source, "use a sample of the file"); err != nil {
				return err
			}
			continue
		}
		ds, err := datasets.Lookup(d.Name)
		if err != nil || ds.Generate == nil {
			continue // Prepare reports an unknown name; a real table's size is known
		}
		n := int(d.Rows)
		if n == 0 {
			n = ds.DefaultRows
		}
		probe, err := ds.Generate(min(n, probeRecords), d.seed())
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		rowsPer := 1.0
		if g, err := probe.Groups(); err == nil && len(g) > 0 {
			rowsPer = float64(probe.NumRows()) / float64(len(g))
		}
		cells := float64(n) * rowsPer * float64(probe.NumCols())
		err = guard.CheckMemory(fmt.Sprintf("%s: %d records × %d columns", what, n, probe.NumCols()),
			guard.BaseBytes+cells*PrepareCellBytes, limit, source, "lower its rows")
		if err != nil {
			return err
		}
	}
	return nil
}
