package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/synthor/synthor/internal/guard"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

// checkPaths refuses outputs that are inputs or each other (usage errors)
// and outputs whose directory is missing or not writable, before any work;
// it registers the outputs so that a forced stop removes their temporary
// files.
func checkPaths(inputs, outputs []guard.Path) error {
	if err := guard.CheckPaths(inputs, outputs); err != nil {
		if errors.Is(err, guard.ErrSamePath) {
			return usageError{err}
		}
		return err
	}
	for _, o := range outputs {
		stopped.track(o.Name)
	}
	return nil
}

// checkTableOut refuses an output file whose extension names no format
// table.WriteFile writes, before any work.
func checkTableOut(flag, path string) error {
	p := strings.TrimSuffix(strings.ToLower(path), ".gz")
	switch filepath.Ext(p) {
	case ".csv", ".jsonl", ".ndjson", ".parquet":
		return nil
	}
	return fmt.Errorf("%s %s: unknown file type %q (want .csv, .jsonl, .ndjson or .parquet, optionally followed by .gz)", flag, path, filepath.Ext(p))
}

// checkSynthFlags checks synth's flags against each other and against
// method m, and its paths, before anything is read.
func checkSynthFlags(f synthFlags, m *methods.Method) error {
	switch {
	case f.targets != "" && f.data != "":
		return usagef("synth: give --data or --targets, not both (the targets would be ignored for the data's)")
	case f.targets != "" && f.dataset != "":
		return usagef("synth: give --dataset or --targets, not both (the targets would be ignored for the dataset's)")
	case f.split != "" && f.dataset == "":
		return usagef("synth: --split is for --dataset")
	case f.flat && f.targets != "":
		return usagef("synth: --flat is for --data or --dataset")
	}
	if err := checkSampleFlags(f, m); err != nil {
		return err
	}
	if f.targets != "" && f.sample == "" && !m.MacroOnly {
		return usagef("synth: method %s needs micro-data (--data or --dataset), not --targets (with --targets: %s)", m.Name, strings.Join(macroMethods(), ", "))
	}
	err := checkPaths(
		append([]guard.Path{{Flag: "--data", Name: f.data}, {Flag: "--targets", Name: f.targets}, {Flag: "--schema", Name: f.schema}, {Flag: "--config", Name: f.config}, {Flag: "--sample", Name: f.sample}},
			datasetInputs(f.dataset)...),
		[]guard.Path{{Flag: "--out", Name: f.out}, {Flag: "--trace", Name: f.trace}},
	)
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	stopped.keep(f.trace)
	if err := checkTableOut("--out", f.out); err != nil {
		return err
	}
	limit, source := memoryLimit(f.maxMemory)
	return checkReadSize("synth", limit, source, "use a sample of the file, or raise --max-memory", f.data, f.sample)
}

// checkSynthInput checks what synth has read before it fits: the training
// table (rows, delimiter, grouping against the method) and the memory the
// synthesis of n records (groups) would take. With --flat it drops train's
// group key.
func checkSynthInput(f synthFlags, m *methods.Method, st methods.Settings, train *table.Table, targets *macro.Targets, n int) error {
	if f.data != "" {
		if err := guard.CheckTable(f.data, train); err != nil {
			return fmt.Errorf("synth: %w", err)
		}
	}
	if err := checkGrouping(f, m, train); err != nil {
		return err
	}
	if err := checkColumns(m, st, train, targets); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	trainRows, cols, outRows := 0, 0, float64(n)
	switch {
	case train != nil:
		trainRows, cols = train.NumRows(), train.NumCols()
		if train.GroupKey != "" {
			if g, err := train.Groups(); err == nil && len(g) > 0 {
				outRows *= float64(trainRows) / float64(len(g))
			}
		}
	case targets != nil:
		var perRecord float64
		cols, perRecord = targetsShape(targets)
		outRows *= perRecord
	}
	limit, source := memoryLimit(f.maxMemory)
	need := guard.Need(m.MemoryFactor(st.Values), float64(trainRows), outRows, cols)
	return guard.CheckMemory(fmt.Sprintf("synth: %s for %d records × %d columns", m.Name, n, cols), need, limit, source,
		"lower --rows, or raise --max-memory")
}

// checkColumns refuses a joints or overrides setting that names a column
// the training table (or the targets) lacks: an unknown name, a usage
// error.
func checkColumns(m *methods.Method, st methods.Settings, train *table.Table, targets *macro.Targets) error {
	has, what := func(string) bool { return true }, ""
	switch {
	case train != nil:
		has, what = func(c string) bool { return train.Col(c) != nil }, "the training table"
	case targets != nil:
		has, what = func(c string) bool { return targets.Space.Var(c) != nil }, "the targets"
	}
	for _, p := range m.Params {
		if !st.Values.Has(p.Key) {
			continue
		}
		var cols []string
		switch p.Kind {
		case methods.Joints:
			for _, g := range st.Values.Joints(p.Key) {
				cols = append(cols, g...)
			}
		case methods.Overrides:
			for _, o := range st.Values.Overrides(p.Key) {
				cols = append(cols, o.Var)
			}
		}
		for _, c := range cols {
			if !has(c) {
				return st.Errorf(p.Key, "column %s is not in %s", settings.Quote(c), what)
			}
		}
	}
	return nil
}

// memoryLimit is the limit --max-memory sets, or the default, with where
// it comes from.
func memoryLimit(l guard.Limit) (uint64, string) {
	if l.IsSet() {
		return l.Bytes(), "--max-memory " + l.String()
	}
	return l.Bytes(), "half the physical memory"
}

// checkReadSize refuses, before reading, table files whose reading would
// take more memory than the limit (guard.ReadNeed, summed).
func checkReadSize(cmd string, limit uint64, source, fix string, paths ...string) error {
	need := float64(guard.BaseBytes)
	var named []string
	for _, p := range paths {
		if n := guard.ReadNeed(p); n > 0 {
			need += n
			named = append(named, p)
		}
	}
	if len(named) == 0 {
		return nil
	}
	return guard.CheckMemory(fmt.Sprintf("%s: reading %s", cmd, strings.Join(named, ", ")), need, limit, source, fix)
}

// checkGrouping refuses a grouped training table for a method that models
// flat rows, and a file that looks grouped (an id column in contiguous
// runs) but was read without a group key, unless --flat says to treat each
// row as a record. A catalog dataset is grouped as the catalog says
// (datasets.Dataset.Grouped): its own tables are never guessed at
// (superstore's Order ID runs over the lines of an order, each line a
// record).
func checkGrouping(f synthFlags, m *methods.Method, train *table.Table) error {
	if train == nil {
		return nil
	}
	if f.flat {
		train.GroupKey = ""
		return nil
	}
	if train.GroupKey != "" {
		if !m.Groups {
			return usagef("synth: method %s does not model grouped tables, and the training table is grouped by %q (use %s; or --flat to treat each row as a record)",
				f.method, train.GroupKey, strings.Join(groupMethods(), ", "))
		}
		return nil
	}
	if key := guard.GroupKeyGuess(train); key != "" && f.dataset == "" {
		return usagef("synth: the training table looks grouped by %q (its equal values sit in contiguous runs) but was read as flat rows: give --schema with group_key: %s for a grouped synthesis (%s), or --flat to treat each row as a record",
			key, key, strings.Join(groupMethods(), ", "))
	}
	return nil
}

// macroMethods lists the methods that fit aggregates alone.
func macroMethods() []string {
	var out []string
	for _, m := range methods.All() {
		if m.MacroOnly {
			out = append(out, m.Name)
		}
	}
	return out
}

// groupMethods lists the methods that model grouped tables.
func groupMethods() []string {
	var out []string
	for _, m := range methods.All() {
		if m.Groups {
			out = append(out, m.Name)
		}
	}
	return out
}

// checkEvalFiles refuses, before reading, tables too large to read.
func checkEvalFiles(o evalOptions, limit uint64, source string) error {
	return checkReadSize("eval", limit, source, "score a sample of the files",
		append([]string{o.real, o.holdout}, o.synths...)...)
}

// checkEvalTable refuses a table eval has read when it has no rows or is
// not comma-delimited.
func checkEvalTable(path string, t *table.Table) error {
	if err := guard.CheckTable(path, t); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	return nil
}

// checkEvalTargets refuses a targets file that names none of the real
// table's columns: no score could be marked targeted.
func checkEvalTargets(path string, tg *macro.Targets, real *table.Table) error {
	var names []string
	for _, v := range tg.Space.Vars {
		if real.Col(v.Name) != nil {
			return nil
		}
		names = append(names, v.Name)
	}
	return fmt.Errorf("eval: --targets %s names none of the columns of --real (targets: %s; columns: %s)",
		path, strings.Join(names, ", "), strings.Join(real.Names(), ", "))
}

// checkExportOut checks datasets export's --out before the dataset is
// drawn, against the cached files of a fetched dataset.
func checkExportOut(name, out string) error {
	if err := checkPaths(datasetInputs(name), []guard.Path{{Flag: "--out", Name: out}}); err != nil {
		return err
	}
	return checkTableOut("--out", out)
}

// checkEvalSize refuses, before any metric runs, a table whose scoring
// (the score list over every pair, or --joints, and the frequency tables
// being counted at once) would need more memory than --max-memory allows.
// It returns the estimate, which eval then sets as the runtime's soft
// memory limit.
func checkEvalSize(o evalOptions, real *table.Table, joints [][]string) (float64, error) {
	limit, source := memoryLimit(o.maxMemory)
	copies := o.scoreCopies()
	need := guard.EvalNeed(real, o.bins, joints, runtime.GOMAXPROCS(0), copies)
	what := fmt.Sprintf("eval: scoring %d columns × %d rows with --bins %d", real.NumCols(), real.NumRows(), o.bins)
	if len(joints) > 0 {
		what += fmt.Sprintf(" over --joints (%d groups)", len(joints))
	}
	return need, guard.CheckMemory(what, need, limit, source,
		"score fewer columns, name the pairs with --joints, lower --bins, or raise --max-memory")
}

// scoreCopies is how many score lists eval holds at once: each synthetic
// file's are kept for the comparison, and the reference list of the one
// being scored is held beside them.
func (o evalOptions) scoreCopies() int {
	if o.holdout != "" {
		return len(o.synths) + 1
	}
	return len(o.synths)
}

// checkEvalHeader refuses, before any table is read, a --real CSV file
// whose header alone names too many columns to score every pair of within
// the limit: guard.EvalScoresNeed, the score lists alone, is at most what
// checkEvalSize estimates once the rows are read, so this refuses only
// what that would refuse, without first reading (5,000 columns × 1,000
// rows) 20 MB of text into two tables. Other formats, --joints and a
// header that cannot be read are left to checkEvalSize.
func checkEvalHeader(o evalOptions, limit uint64, source string) error {
	if len(o.joints) > 0 {
		return nil
	}
	cols, err := table.CSVHeaderColumns(o.real, maxHeaderBytes)
	if err != nil || cols < 2 {
		return nil // not CSV, or not readable here: checkEvalSize decides after reading
	}
	need := guard.EvalScoresNeed(cols, o.scoreCopies())
	return guard.CheckMemory(fmt.Sprintf("eval: the scores of every pair of the %d columns in the header of %s (before reading its rows)", cols, o.real),
		need, limit, source, "score fewer columns, name the pairs with --joints, or raise --max-memory")
}

// maxHeaderBytes bounds the text checkEvalHeader reads for a header.
const maxHeaderBytes = 64 << 20
