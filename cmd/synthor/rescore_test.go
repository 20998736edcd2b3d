package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// evalScores runs synthor eval --format json with args and decodes its
// score list.
func evalScores(t *testing.T, args ...string) []metrics.Score {
	t.Helper()
	out, stderr, code, err := runCLI(t, append(append([]string{"eval"}, args...), "--format", "json")...)
	if err != nil || code != 0 {
		t.Fatalf("eval %v: exit %d: %v\n%s", args, code, err, stderr)
	}
	var v struct {
		Metrics []metrics.Score `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("eval %v: %v", args, err)
	}
	return v.Metrics
}

// sameScores reports the first difference between two score lists, value
// for value (NaN equal to NaN), or "".
func sameScores(got, want []metrics.Score) string {
	if len(got) != len(want) {
		return "lengths " + strconv.Itoa(len(got)) + " and " + strconv.Itoa(len(want))
	}
	eq := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	for i := range got {
		a, b := got[i], want[i]
		if a.Name != b.Name || a.Group != b.Group || !slices.Equal(a.Columns, b.Columns) || !eq(a.Value, b.Value) ||
			a.Reason != b.Reason || !eq(a.Reference, b.Reference) || a.ReferenceKind != b.ReferenceKind ||
			a.ReferenceReason != b.ReferenceReason || (a.Targeted == nil) != (b.Targeted == nil) {
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			return "score " + strconv.Itoa(i) + ":\n got  " + string(ja) + "\n want " + string(jb)
		}
	}
	return ""
}

// TestEvalGroupsKeepTheirColumns: the same files scored with
// --metrics fidelity,sdmetrics and with the utility group added give the
// same fidelity and SDMetrics scores (utility's derived label used to join
// every group's table).
func TestEvalGroupsKeepTheirColumns(t *testing.T) {
	dir := t.TempDir()
	real, synth, hold := writeEcommerce(t, dir, 300, 1), writeEcommerce(t, dir, 300, 2), writeEcommerce(t, dir, 200, 3)
	common := []string{"--real", real, "--synth", synth, "--holdout", hold, "--seed", "4"}
	base := evalScores(t, append(common, "--metrics", "fidelity,sdmetrics")...)
	with := evalScores(t, append(common, "--metrics", "fidelity,sdmetrics,utility")...)
	with = slices.DeleteFunc(with, func(s metrics.Score) bool { return s.Group == "utility" })
	if d := sameScores(with, base); d != "" {
		t.Fatalf("fidelity and sdmetrics scores change when utility is scored too: %s", d)
	}
	if !slices.ContainsFunc(base, func(s metrics.Score) bool { return s.Name == metrics.NameSDMetricsQuality && s.OK() }) {
		t.Fatal("no sdmetrics_quality score")
	}
}

// TestRescoreRunCells is the acceptance test of the one scoring path: a
// small quickstart-like run, then every cell scored again by synthor eval
// from the files the run keeps (the cell's synthetic table against its
// training and holdout tables, Parquet) gives the cell's score list, value
// for value, references included.
func TestRescoreRunCells(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs a 6-cell experiment")
	}
	useTestCells(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "exp.yaml")
	body := "datasets: [{name: ecommerce-bn, rows: 300, holdout: 0.3}]\n" +
		"methods: [independent, cart, bootstrap]\nseeds: [1, 2]\n" +
		"metrics: [fidelity, sdmetrics, utility, privacy]\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, stderr, code, err := runCLI(t, "run", cfg, "--out", out, "--quiet"); err != nil || code != 0 {
		t.Fatalf("run: exit %d: %v\n%s", code, err, stderr)
	}
	results, err := bench.ReadResults(filepath.Join(out, bench.ResultsFile), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 6 {
		t.Fatalf("%d results, want 6", len(results))
	}
	for _, r := range results {
		if r.Status != bench.StatusOK {
			t.Fatalf("cell %s %s: %s %s", r.Method.Name, r.ID, r.Status, r.Reason)
		}
		var spec bench.Spec
		b, err := os.ReadFile(filepath.Join(out, "cells", r.ID, "cell.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &spec); err != nil {
			t.Fatal(err)
		}
		args := []string{"--real", spec.Train, "--holdout", spec.Holdout,
			"--synth", filepath.Join(out, "cells", r.ID, "synth"+bench.DataExt),
			"--metrics", strings.Join(spec.Metrics, ","), "--seed", strconv.FormatUint(spec.Seed, 10), "--target", spec.Target}
		for _, f := range []string{spec.Train, spec.Holdout} {
			if filepath.Ext(f) != bench.DataExt {
				t.Errorf("run data file %s is not %s", f, bench.DataExt)
			}
		}
		got := evalScores(t, args...)
		if d := sameScores(got, r.Metrics); d != "" {
			t.Errorf("cell %s seed %d: eval differs from the run: %s", r.Method.Name, r.Seed, d)
		}
		for _, s := range r.Metrics {
			if s.ReferenceKind == "" {
				t.Errorf("cell %s: %s %s %v has no reference: %s", r.Method.Name, s.Group, s.Name, s.Columns, s.ReferenceReason)
			}
		}
	}
}
