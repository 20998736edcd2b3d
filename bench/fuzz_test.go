package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadConfig: any YAML is a config or an error, never a panic.
func FuzzLoadConfig(f *testing.F) {
	for _, s := range []string{
		"methods: [independent]\n",
		"datasets: [{name: ecommerce-bn, rows: 10, holdout: 0.5}]\nmethods: [{name: llmsynthor, params: {joints: [[a, b], [c, d]]}}]\nseeds: [1, 2]\n",
		"limits: {timeout: 3s, memory: 1GiB, workers: 2}\n",
		"datasets: [[1]]\n", "methods: 3\n", "seeds: [-1]\n", "limits: {memory: 1e400}\n", ": :\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _ = LoadConfig(p, nil)
	})
}

// FuzzReadResults: any bytes are rows or an error naming the line.
func FuzzReadResults(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","index":0,"status":"ok","metrics":[{"name":"tvd","group":"fidelity","columns":["x"],"value":null,"better":"lower"}]}` + "\n",
		`{"id":"a"}` + "\n" + `{"id":`, "\n\n", `[1]` + "\n", `{"seed":-1}` + "\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, ResultsFile)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _ = ReadResults(p, true)
	})
}

// FuzzParseBytes: sizes and shards parse or fail, never panic.
func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"512MiB", "2GiB", "1.5GB", "100", "", "-1KiB", "GiB", "1/3", "0/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := ParseBytes(s); err == nil && n < 0 {
			t.Errorf("ParseBytes(%q) = %d", s, n)
		}
		if sh, err := ParseShard(s); err == nil && (sh.I < 1 || sh.I > sh.N) {
			t.Errorf("ParseShard(%q) = %v", s, sh)
		}
	})
}
