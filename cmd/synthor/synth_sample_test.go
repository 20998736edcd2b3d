package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// sampleFiles writes grouped controls of 600 generated households and a
// seed of every fifth household (as a plain CSV: no schema, no group key).
func sampleFiles(t *testing.T, dir string) (targets, seed string) {
	t.Helper()
	full := datasets.Population(600, 2)
	tg, err := macro.ControlsFromTable(full, macro.ControlSpec{
		Groups: []string{"num_persons", "housing_tenure"}, Members: []string{"age", "education"},
		Composition: &macro.CompositionSpec{Member: "age", Cuts: []float64{18}}})
	if err != nil {
		t.Fatal(err)
	}
	targets, seed = filepath.Join(dir, "controls.json"), filepath.Join(dir, "seed.csv")
	if err := tg.WriteJSON(targets); err != nil {
		t.Fatal(err)
	}
	groups, _ := full.Groups()
	var rows []int
	for g := 0; g < len(groups); g += 5 {
		for i := groups[g][0]; i < groups[g][1]; i++ {
			rows = append(rows, i)
		}
	}
	if err := table.WriteFile(seed, full.Take(rows)); err != nil {
		t.Fatal(err)
	}
	return targets, seed
}

func TestSynthSample(t *testing.T) {
	dir := t.TempDir()
	tg, seed := sampleFiles(t, dir)
	for _, c := range []struct{ method, says string }{
		{"ipu", "fitted to the seed sample and the controls"},
		{"llmsynthor", "the seed sample gave only its schema"},
	} {
		out := filepath.Join(dir, c.method+".csv")
		_, stderr, code, err := runCLI(t, "synth", "--targets", tg, "--sample", seed, "--method", c.method, "--set", "iterations=30", "--out", out)
		if err != nil || code != 0 {
			t.Fatalf("%s: exit %d: %v", c.method, code, err)
		}
		if !strings.Contains(stderr, c.says) {
			t.Errorf("%s: stderr %q lacks %q", c.method, stderr, c.says)
		}
		got, err := table.ReadFile(out, table.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got.GroupKey = "household_id"
		groups, err := got.Groups()
		if err != nil || len(groups) != 600 {
			t.Fatalf("%s: %d households (%v), want the controls' 600", c.method, len(groups), err)
		}
		for _, r := range groups {
			if n := got.Col("num_persons").Ints[r[0]]; n != int64(r[1]-r[0]) {
				t.Fatalf("%s: household at row %d has num_persons %d and %d persons", c.method, r[0]+1, n, r[1]-r[0])
			}
		}
	}
	// Grouped targets alone: LLMSynthor builds households.
	out := filepath.Join(dir, "targets-only.csv")
	if _, stderr, code, err := runCLI(t, "synth", "--targets", tg, "--set", "iterations=30", "--out", out); err != nil || code != 0 {
		t.Fatalf("llmsynthor on grouped targets: %v (%s)", err, stderr)
	}
}

func TestSynthSampleErrors(t *testing.T) {
	dir := t.TempDir()
	tg, seed := sampleFiles(t, dir)
	out := filepath.Join(dir, "x.csv")
	noKey := filepath.Join(dir, "nokey.csv")
	b, _ := os.ReadFile(seed)
	os.WriteFile(noKey, []byte(strings.Replace(string(b), "household_id", "hh", 1)), 0o644)
	flat := filepath.Join(dir, "flat.yaml")
	os.WriteFile(flat, []byte("variables: [{name: a, kind: categorical, categories: [x, y]}]\nmarginals: [{vars: [a], counts: [1, 2]}]\n"), 0o644)
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"sample without targets", []string{"synth", "--dataset", "population", "--sample", seed, "--out", out}, 2, "--sample goes with --targets"},
		{"ipu without sample", []string{"synth", "--targets", tg, "--method", "ipu", "--out", out}, 2, "ipu weights a seed sample to controls"},
		{"seed without the key", []string{"synth", "--targets", tg, "--sample", noKey, "--method", "ipu", "--out", out}, 1, `no column "household_id", the targets' group key`},
		{"flat targets", []string{"synth", "--targets", flat, "--sample", seed, "--method", "ipu", "--out", out}, 1, "the targets are flat"},
		{"ipf on grouped targets", []string{"synth", "--targets", tg, "--method", "ipf", "--out", out}, 1, "ipf: fit targets: grouped targets"},
		{"sample is the output", []string{"synth", "--targets", tg, "--sample", seed, "--method", "ipu", "--out", seed}, 2, "--sample"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, code, err := runCLI(t, c.args...)
			if err == nil || code != c.code || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("exit %d, error %v; want exit %d and one line naming %q", code, err, c.code, c.want)
			}
			if _, statErr := os.Stat(out); statErr == nil {
				t.Fatal("an output file was written on error")
			}
		})
	}
}
