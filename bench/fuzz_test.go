package bench

import (
	"os"
	"path/filepath"
	"strings"
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
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := ParseConfig(b, "c.yaml", nil)
		if err != nil && (strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "config c.yaml")) {
			t.Fatalf("error not one line naming the file: %q", err)
		}
	})
}

// FuzzReadResults: any bytes are rows or an error naming the line.
func FuzzReadResults(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","index":0,"status":"ok","metrics":[{"name":"tvd","group":"fidelity","columns":["x"],"value":null,"better":"lower"}]}` + "\n",
		`{"id":"a"}` + "\n" + `{"id":`, "\n\n", `[1]` + "\n", `{"seed":-1}` + "\n",
		`{"id":"a","dataset":"d","method":{"name":"m"},"status":"ok"}` + "\n" + `{"id":"b","dataset":"d","method":{"label":"l"},"status":"skipped"}`,
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, ResultsFile)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		rs, err := ReadResults(p, true)
		if err != nil {
			if strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), p+":") {
				t.Fatalf("error not one line naming the file: %q", err)
			}
			return
		}
		// Repaired: the file ends a line, and reads again as the same rows.
		if b, _ := os.ReadFile(p); len(b) > 0 && b[len(b)-1] != '\n' {
			t.Fatalf("repaired file ends without a newline: %q", b)
		}
		again, err := ReadResults(p, false)
		if err != nil || len(again) != len(rs) {
			t.Fatalf("reread: %d rows %v, want %d", len(again), err, len(rs))
		}
	})
}

// FuzzParseShard: shards parse or fail, never panic.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"1/3", "0/0", "3/2", "", "x/y", "-1/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if sh, err := ParseShard(s); err == nil && (sh.I < 1 || sh.I > sh.N) {
			t.Errorf("ParseShard(%q) = %v", s, sh)
		}
	})
}
