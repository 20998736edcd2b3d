package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

// TestRunRefusesDatasetsOverTheLimit: a generator asked for more records
// than fit, and a gzip bomb given as a dataset file, are refused before
// the run writes anything (no run directory is made).
func TestRunRefusesDatasetsOverTheLimit(t *testing.T) {
	dir := t.TempDir()
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	_, _ = zw.Write([]byte("a,b\n" + strings.Repeat("1,2\n", 8<<20)))
	_ = zw.Close()
	bomb := filepath.Join(dir, "bomb.csv.gz")
	if err := os.WriteFile(bomb, z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"rows 1e12", "datasets: [{name: ecommerce-bn, rows: 1000000000000}]\n", "1000000000000 records × 6 columns would need about"},
		{"households", "datasets: [{name: population, rows: 3000000}]\nlimits: {memory: 256MiB}\n", "above the limit of 256.0 MiB (limits.memory 256MiB"},
		{"gzip bomb", "datasets: [{name: b, file: " + bomb + "}]\nlimits: {memory: 100MiB}\n", "input too large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustLoad(t, tc.body+"methods: [uniform]\n")
			out := filepath.Join(t.TempDir(), "run")
			_, err := Run(context.Background(), c, RunOptions{Dir: out, Command: testCommand})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if tc.name == "gzip bomb" {
				if !errors.Is(err, table.ErrTooLarge) {
					t.Errorf("error %v is not table.ErrTooLarge", err)
				}
				return
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the run directory was made: %v", err)
			}
		})
	}
}
