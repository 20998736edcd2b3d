package main

import (
	"errors"
	"fmt"

	"github.com/synthor/synthor/internal/guard"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// Memory before allocation for what a command reads: a table file stops
// at the bytes the limit leaves (table.ReadOptions.MaxBytes: measured
// after decompression, so a gzip bomb stops there), and a targets file is
// refused before its tables are built.

// readBudget is what each of files table files read at once may take
// under limit (guard.ReadBudget).
type readBudget struct{ bytes, cells int64 }

func budget(limit uint64, files int) readBudget {
	b, c := guard.ReadBudget(limit, files)
	return readBudget{b, c}
}

// readTable reads a table file within budget (table.ReadOptions MaxBytes,
// measured after decompression so that a gzip bomb stops there, and
// MaxCells); an input that passes it is refused as a memory limit, with
// where the limit comes from (source) and what to do (fix).
func readTable(path string, opts table.ReadOptions, b readBudget, source, fix string) (*table.Table, error) {
	opts.MaxBytes, opts.MaxCells = b.bytes, b.cells
	t, err := table.ReadFile(path, opts)
	if errors.Is(err, table.ErrTooLarge) {
		return nil, fmt.Errorf("%w: past what fits the memory limit (%s; %s)", err, source, fix)
	}
	return t, err
}

// loadTargets reads a targets file, refusing one whose decoding and
// tables would not fit in limit (macro.LoadTargetsMax) before they are.
func loadTargets(what, path string, limit uint64, source, fix string) (*macro.Targets, error) {
	tg, err := macro.LoadTargetsMax(path, max(float64(limit)-guard.BaseBytes, 1))
	var tl *macro.TooLargeError
	if errors.As(err, &tl) {
		return nil, guard.CheckMemory(fmt.Sprintf("%s: --targets %s: %s", what, path, tl.What),
			guard.BaseBytes+tl.Need, limit, source, fix)
	}
	return tg, err
}
