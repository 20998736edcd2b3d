package main

import (
	"fmt"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/table"
)

// checkSampleFlags checks --sample against the other flags: it goes with
// --targets (the controls), and a method that weights a seed sample (ipu)
// needs it.
func checkSampleFlags(f synthFlags, m *methods.Method) error {
	switch {
	case f.sample != "" && f.targets == "":
		return usagef("synth: --sample goes with --targets (the controls the seed sample is fitted to)")
	case f.sample == "" && methods.NeedsSample(m):
		return usagef("synth: method %s weights a seed sample to controls: give --targets FILE (grouped controls) and --sample FILE (the seed households)", m.Name)
	}
	return nil
}

// readSample reads the seed sample of --sample and groups it as the
// targets say (methods.GroupSample).
func readSample(path string, schema *table.Schema, targets *macro.Targets) (*table.Table, error) {
	t, err := table.ReadFile(path, table.ReadOptions{Schema: schema})
	if err != nil {
		return nil, err
	}
	if err := methods.GroupSample(t, targets); err != nil {
		return nil, fmt.Errorf("synth: --sample %s: %w", path, err)
	}
	return t, nil
}

// targetsShape returns the variables of targets (both levels) and the rows
// one record of the output makes (members per group; 1 for flat targets).
func targetsShape(tg *macro.Targets) (cols int, rows float64) {
	rows = 1
	for _, l := range tg.Levels() {
		cols += len(l.Space.Vars)
	}
	if m := tg.MembersPerGroup(); m > 0 {
		rows = m
	}
	return cols, rows
}
