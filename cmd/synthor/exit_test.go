package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitStatusBySubcommand: every subcommand exits 2 for bad usage, a bad
// setting and an unknown name, 1 for a failure, 0 for success (signals:
// TestSignals).
func TestExitStatusBySubcommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeFile(t, name, body) }
	data := filepath.Join(dir, "ref.csv")
	if _, _, code, err := runCLI(t, "datasets", "export", "ecommerce-bn", "--rows", "100", "--out", data); code != 0 {
		t.Fatal(err)
	}
	good := write("good.yaml", "methods: [independent]\n")
	bad := write("bad.yaml", "methods: [independent]\nseeds: [-1]\n")
	syntax := write("syntax.yaml", "methods: [independent\n")
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "o.csv")
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"version", []string{"--version"}, 0, ""},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"unknown flag", []string{"--nope"}, 2, "unknown flag"},

		{"datasets: unknown name", []string{"datasets", "show", "nope"}, 2, `unknown dataset "nope"`},
		{"datasets: bad rows", []string{"datasets", "export", "ecommerce-bn", "--rows", "-1", "--out", out}, 2, "--rows"},
		{"datasets: bad seed", []string{"datasets", "export", "ecommerce-bn", "--seed", "1.5", "--out", out}, 2, "--seed"},
		{"datasets: unknown fetch", []string{"datasets", "fetch", "nope"}, 2, "nope"},
		{"datasets: unwritable out", []string{"datasets", "export", "ecommerce-bn", "--out", filepath.Join(dir, "no", "x.csv")}, 1, "does not exist"},

		{"synth: unknown method", []string{"synth", "--data", data, "--method", "magic", "--out", out}, 2, `unknown method "magic"`},
		{"synth: bad value", []string{"synth", "--data", data, "--set", "tolerance=NaN", "--out", out}, 2, "tolerance"},
		{"synth: bad llm value", []string{"synth", "--data", data, "--set", "planner=llm", "--set", "llm.model=m", "--set", "llm.retries=99", "--out", out}, 2, "llm.retries"},
		{"synth: config syntax", []string{"synth", "--data", data, "--config", syntax, "--out", out}, 2, "YAML syntax"},
		{"synth: unknown column", []string{"synth", "--data", data, "--set", "joints=user_age,nope", "--out", out}, 2, `column "nope"`},
		{"synth: missing data", []string{"synth", "--data", filepath.Join(dir, "absent.csv"), "--out", out}, 1, "absent.csv"},
		{"synth: missing config", []string{"synth", "--data", data, "--config", filepath.Join(dir, "absent.yaml"), "--out", out}, 1, "file not found"},

		{"eval: unknown target", []string{"eval", "--real", data, "--synth", data, "--target", "nosuch", "--c2st-rows", "0"}, 2, `--target "nosuch"`},
		{"eval: unknown group", []string{"eval", "--real", data, "--synth", data, "--metrics", "nope"}, 2, "nope"},
		{"eval: bad joints", []string{"eval", "--real", data, "--synth", data, "--joints", "user_age,user_age"}, 2, "twice"},
		{"eval: unknown joint column", []string{"eval", "--real", data, "--synth", data, "--joints", "user_age,nope", "--c2st-rows", "0"}, 2, `"nope" is not in`},
		{"eval: missing file", []string{"eval", "--real", filepath.Join(dir, "absent.csv"), "--synth", data}, 1, "absent.csv"},

		{"report: unknown dataset", []string{"report", reportRun, "--real", "nosuch=" + data}, 2, `no dataset "nosuch"`},
		{"report: unknown format", []string{"report", reportRun, "--format", "pdf"}, 2, "--format"},
		{"report: no results", []string{"report", empty}, 1, "empty"},

		{"merge: out is a file", []string{"merge", reportRun, "--out", good}, 2, "is a file"},
		{"merge: no results", []string{"merge", empty}, 1, "no results files"},

		{"run: bad value", []string{"run", bad}, 2, `seed "-1"`},
		{"run: syntax", []string{"run", syntax}, 2, "YAML syntax"},
		{"run: bad set", []string{"run", good, "--set", "limits.timeout=5"}, 2, "has no unit"},
		{"run: out is the config", []string{"run", good, "--out", good}, 2, "is a file"},
		{"run: bad shard", []string{"run", good, "--shard", "3/2"}, 2, "--shard"},
		{"run: missing config", []string{"run", filepath.Join(dir, "absent.yaml")}, 1, "file not found"},

		{"llm check: bad value", []string{"llm", "check", "--set", "llm.model=m", "--set", "llm.timeout=5"}, 2, "llm.timeout"},
		{"llm check: not a backend key", []string{"llm", "check", "--set", "iterations=5"}, 2, "not a backend key"},
		{"llm check: no server", []string{"llm", "check", "--set", "llm.model=m", "--set", "llm.retries=0", "--set", "llm.base_url=http://127.0.0.1:1/v1"}, 1, "llm check"},

		{"cell: missing spec", []string{"cell", filepath.Join(dir, "absent.json")}, 1, "absent.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, code, err := runCLI(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d (%v), want %d", code, err, c.code)
			}
			if c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}
