package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBootstrapCopiesIntegersBeyondInt64: bootstrap copies records, so
// its output holds exactly the input's values; 2^63−1 and 2^63 used to be
// read as the same float64 and written as 9.223372036854776e+18.
func TestBootstrapCopiesIntegersBeyondInt64(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
	values := []string{"9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890"}
	if err := os.WriteFile(in, []byte("id,n\n1,"+values[0]+"\n2,"+values[1]+"\n3,"+values[2]+"\n4,"+values[3]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, code, err := runCLI(t, "synth", "--data", in, "--method", "bootstrap", "--rows", "200", "--out", out); code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		_, v, _ := strings.Cut(line, ",")
		if !slices.Contains(values, v) {
			t.Fatalf("output value %q is none of the input's", v)
		}
		seen[v] = true
	}
	if len(seen) != len(values) {
		t.Errorf("200 copies hold %d of the %d values", len(seen), len(values))
	}
}
