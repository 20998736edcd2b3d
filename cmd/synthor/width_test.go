package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/reports"
	"github.com/synthor/synthor/table"
)

// widest returns the widest line of s in runes (each character synthor
// prints in a table takes one terminal column) and that line.
func widest(s string) (int, string) {
	w, long := 0, ""
	for l := range strings.SplitSeq(s, "\n") {
		if n := utf8.RuneCountInString(l); n > w {
			w, long = n, l
		}
	}
	return w, long
}

// quickstartLike is the quickstart at a smaller size: every method of
// configs/quickstart.yaml and its four metric groups on ecommerce-bn and,
// when it is fetched, Adult.
func quickstartLike(t *testing.T, dir string) string {
	t.Helper()
	ds := "  - {name: ecommerce-bn, rows: 300, holdout: 0.2}\n"
	if d, err := datasets.Lookup("adult"); err == nil && d.Load != nil {
		if _, err := d.Load(""); err == nil {
			ds += "  - {name: adult, rows: 400, holdout: 0.2}\n"
		} else {
			t.Logf("Adult is not fetched (%v): ecommerce-bn only", err)
		}
	}
	cfg := "name: widths\ndatasets:\n" + ds +
		"methods: [llmsynthor, ipf, bayes-net, gaussian-copula, cart, independent, uniform, bootstrap]\n" +
		"seeds: [1, 2]\nmetrics: [fidelity, sdmetrics, utility, privacy]\nlimits: {timeout: 5m, memory: 4GiB}\n"
	path := filepath.Join(dir, "widths.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOutputsWithin100Columns runs a quickstart-like config and checks that
// run's summary, report --format table and eval (one synthetic file and
// several) print no line wider than 100 columns, and that --wide prints
// the whole tables.
func TestOutputsWithin100Columns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a quickstart-like config (-short)")
	}
	useTestCells(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	stdout, stderr, code, err := runCLI(t, "run", quickstartLike(t, dir), "--out", out, "--quiet")
	if err != nil || code != 0 {
		t.Fatalf("run: exit %d %v\n%s", code, err, stderr)
	}
	check := func(name, s string) {
		t.Helper()
		if w, l := widest(s); w > reports.DefaultWidth {
			t.Errorf("%s: a line of %d columns:\n%s", name, w, l)
		}
		if !strings.Contains(s, " ± ") && !strings.Contains(s, "│") {
			t.Errorf("%s printed no table:\n%s", name, s)
		}
	}
	check("run", stdout)
	report, _, code, err := runCLI(t, "report", out)
	if code != 0 {
		t.Fatalf("report: exit %d %v", code, err)
	}
	check("report --format table", report)
	wide, _, _, _ := runCLI(t, "report", out, "--wide")
	if w, _ := widest(wide); w <= reports.DefaultWidth {
		t.Errorf("report --wide is %d columns wide: not the whole table", w)
	}

	real := filepath.Join(dir, "real.csv")
	if _, stderr, code, err := runCLI(t, "datasets", "export", "ecommerce-bn", "--rows", "300", "--out", real); code != 0 {
		t.Fatalf("export: exit %d %v %s", code, err, stderr)
	}
	synths, err := filepath.Glob(filepath.Join(out, "cells", "*", "synth.*"))
	if err != nil {
		t.Fatal(err)
	}
	var ecommerce []string
	for _, s := range synths {
		if t, err := table.ReadFile(s, table.ReadOptions{}); err == nil && t.Col("user_age") != nil {
			ecommerce = append(ecommerce, s)
		}
	}
	if len(ecommerce) < 3 {
		t.Fatalf("%d ecommerce-bn synthetic files among %q", len(ecommerce), synths)
	}
	evalOut, stderr, code, err := runCLI(t, "eval", "--real", real, "--synth", ecommerce[0])
	if code != 0 {
		t.Fatalf("eval: exit %d %v %s", code, err, stderr)
	}
	check("eval", evalOut)
	cmp, stderr, code, err := runCLI(t, "eval", "--real", real, "--synth", ecommerce[0], "--synth", ecommerce[1], "--synth", ecommerce[2])
	if code != 0 {
		t.Fatalf("eval, three files: exit %d %v %s", code, err, stderr)
	}
	check("eval with three --synth", cmp)
}
