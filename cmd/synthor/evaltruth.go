package main

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// truthStream is mixed into --seed to draw a --truth N sample, so that the
// truth is a fresh sample, not the reference one (drawn from --seed).
const truthStream = 0x7472757468

// utilityInputs completes in for the utility group and for --truth: the
// target (--target, else, when the utility group is asked for, the
// catalog's target of the generator whose columns the real table has, or
// that of a real catalog dataset whose target column it holds) and the
// truth (a fresh generator sample of --truth N records, or a --truth FILE,
// aligned with the real table by metrics.Evaluate). Derived labels are
// metrics.Evaluate's too (Request.Label), for the utility group only.
func utilityInputs(in *metrics.Input, o evalOptions, groups []string, read func(string) (*table.Table, error)) error {
	gen := datasets.Identify(in.Real)
	in.Target = o.target
	if in.Target == "" && slices.Contains(groups, "utility") {
		in.Target = catalogTarget(gen, in.Real)
	}
	if o.truth != "" {
		truth, err := readTruth(o, gen, in.Real, read)
		if err != nil {
			return err
		}
		in.Truth = truth
	}
	return nil
}

// catalogTarget returns the catalog's target for the real table, or "".
func catalogTarget(gen *datasets.Dataset, real *table.Table) string {
	if gen != nil {
		return datasets.DefaultTarget(gen)
	}
	for _, d := range datasets.Catalog() {
		if d.Real() && d.Target != "" && real.Col(d.Target) != nil {
			return d.Target
		}
	}
	return ""
}

// readTruth returns the --truth table: N fresh records of the generator of
// the real table, or a file with the real table's columns.
func readTruth(o evalOptions, gen *datasets.Dataset, real *table.Table, read func(string) (*table.Table, error)) (*table.Table, error) {
	if n, err := strconv.Atoi(o.truth); err == nil {
		if n < 1 {
			return nil, usagef("eval: --truth %d must be at least 1", n)
		}
		if gen == nil {
			return nil, usagef("eval: --truth %d: the columns of %s are not those of a catalog generator; give a truth file", n, o.real)
		}
		t, err := gen.Generate(n, uint64(o.seed)^truthStream)
		if err != nil {
			return nil, fmt.Errorf("eval: --truth: %w", err)
		}
		return t, nil
	}
	return read(o.truth)
}
