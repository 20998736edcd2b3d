package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOldRunDirectory: a run directory of the version that stored its
// data as gob files still renders in synthor report (which reads only
// results.jsonl), and --resume on it says that it is of an older format.
func TestOldRunDirectory(t *testing.T) {
	dir := t.TempDir()
	results, err := os.ReadFile(filepath.Join("..", "..", "reports", "testdata", "run", "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"results.jsonl":                  results,
		"data/00-ecommerce-bn.train.gob": []byte("a gob-encoded table"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr, code, err := runCLI(t, "report", dir, "--format", "markdown")
	if err != nil || code != 0 || !strings.Contains(out, "llmsynthor") {
		t.Fatalf("report: exit %d: %v %s\n%s", code, err, stderr, out)
	}
	cfg := filepath.Join(t.TempDir(), "exp.yaml")
	if err := os.WriteFile(cfg, []byte("datasets: [{name: ecommerce-bn, rows: 200}]\nmethods: [independent]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, code, err = runCLI(t, "run", cfg, "--out", dir, "--resume", "--quiet")
	if err == nil || code != 1 || !strings.Contains(err.Error(), "older synthor") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("resume on an old directory: exit %d: %v", code, err)
	}
}
