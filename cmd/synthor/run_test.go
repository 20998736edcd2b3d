package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
)

// TestCellChild is the child process of the cells the run tests start
// (the helper-process pattern); it does nothing in an ordinary test run.
func TestCellChild(t *testing.T) {
	spec := os.Getenv("GO_TEST_SYNTHOR_CELL")
	if spec == "" {
		t.Skip("the child process of the run tests")
	}
	if err := bench.RunCell(context.Background(), spec); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

func useTestCells(t *testing.T) {
	old := cellCommand
	cellCommand = func(spec string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCellChild$")
		cmd.Env = append(os.Environ(), "GO_TEST_SYNTHOR_CELL="+spec)
		return cmd
	}
	t.Cleanup(func() { cellCommand = old })
}

func TestRunCommand(t *testing.T) {
	useTestCells(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "exp.yaml")
	if err := os.WriteFile(cfg, []byte("datasets: [{name: ecommerce-bn, rows: 200}]\nmethods: [independent, uniform]\nseeds: [1, 2]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	stdout, stderr, code, err := runCLI(t, "run", cfg, "--out", out, "--workers", "2")
	if err != nil || code != 0 {
		t.Fatalf("exit %d: %v\n%s", code, err, stderr)
	}
	for _, want := range []string{"independent", "uniform", "column_shapes", " ± ", "4 cells (4 run, 0 resumed)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "[4/4]") {
		t.Errorf("stderr has no progress lines:\n%s", stderr)
	}
	for _, f := range []string{"results.jsonl", "manifest.json", "report.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	// Resumed: nothing to run, same table.
	again, stderr, code, err := runCLI(t, "run", cfg, "--out", out, "--resume", "--quiet")
	if err != nil || code != 0 || stderr != "" || !strings.Contains(again, "4 cells (0 run, 4 resumed)") {
		t.Fatalf("resume: exit %d %v, stderr %q\n%s", code, err, stderr, again)
	}
	// merge prints the summary that run prints, from the same rows.
	merged, stderr, code, err := runCLI(t, "merge", out)
	if err != nil || code != 0 || !strings.Contains(merged, "column_shapes") || !strings.HasPrefix(again, merged) {
		t.Fatalf("merge: exit %d %v %s: its summary is not run's:\n%s\nrun:\n%s", code, err, stderr, merged, again)
	}
	// Shards into another directory, merged, equal the single run.
	sharded := filepath.Join(dir, "sharded")
	for _, s := range []string{"1/2", "2/2"} {
		if _, stderr, code, err := runCLI(t, "run", cfg, "--out", sharded, "--shard", s, "--quiet"); err != nil {
			t.Fatalf("shard %s: exit %d %v %s", s, code, err, stderr)
		}
	}
	if _, stderr, code, err := runCLI(t, "merge", sharded, "--same-as", out); err != nil || !strings.Contains(stderr, "the same as") {
		t.Fatalf("merge: exit %d %v %s", code, err, stderr)
	}
}

func TestRunUsageErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", "methods: [independent]\n")
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no config", []string{"run"}, 2, "accepts 1 arg"},
		{"missing config", []string{"run", filepath.Join(dir, "nope.yaml")}, 1, "file not found"},
		{"bad key", []string{"run", write("a.yaml", "methods: [{name: cart, parms: {k: 1}}]\n")}, 2, "a.yaml:1: methods[0].parms: unknown key (valid: name, label, params, planner, backend, llm)"},
		{"yaml syntax", []string{"run", write("s.yaml", "methods: [cart\n")}, 2, "s.yaml:1: YAML syntax: did not find expected ',' or ']'"},
		{"out is the config", []string{"run", good, "--out", good}, 2, "is a file, not a directory"},
		{"merge out is a file", []string{"merge", dir, "--out", good}, 2, "is a file, not a directory"},
		{"unknown method", []string{"run", write("b.yaml", "methods: [magic]\n")}, 2, "valid: bayes-net"},
		{"unknown param", []string{"run", write("c.yaml", "methods: [{name: cart, params: {dept: 3}}]\n")}, 2, "methods[0].params.dept: unknown param of cart (valid:"},
		{"bad shard", []string{"run", good, "--shard", "3/2"}, 2, "--shard"},
		{"bad set", []string{"run", good, "--set", "limits.wrkers=2"}, 2, "limits.wrkers"},
		{"merge nothing", []string{"merge", dir}, 1, "no results files"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, code, err := runCLI(t, c.args...)
			if err == nil || code != c.code || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("exit %d, err %v; want exit %d and one line containing %q", code, err, c.code, c.want)
			}
		})
	}
}
