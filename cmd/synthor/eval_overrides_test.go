package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRows writes a CSV of columns c and x: for each (c, n) in groups, n
// rows of category c whose x alternates u and v.
func writeRows(t *testing.T, path string, groups ...any) {
	t.Helper()
	var b strings.Builder
	b.WriteString("c,x\n")
	for i := 0; i < len(groups); i += 2 {
		c, n := groups[i].(string), groups[i+1].(int)
		for k := range n {
			b.WriteString(c + "," + []string{"u", "v"}[k%2] + "\n")
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// eval --overrides feeds the adaptability group: a synthetic table that
// holds the overridden share exactly, and keeps x independent of c as the
// real table does, has a target gap of 0 and no drift (closed form: the
// reweighted real share of u is 0.35·½ + 0.65·½ = ½, as in the synthetic).
func TestEvalOverrides(t *testing.T) {
	dir := t.TempDir()
	real, synth := filepath.Join(dir, "real.csv"), filepath.Join(dir, "synth.csv")
	writeRows(t, real, "a", 50, "b", 50)
	writeRows(t, synth, "a", 70, "b", 130)
	out, _, code, err := runCLI(t, "eval", "--real", real, "--synth", synth, "--metrics", "adaptability",
		"--overrides", "c=a:0.35", "--format", "json")
	if err != nil {
		t.Fatalf("exit %d: %v", code, err)
	}
	var doc struct {
		Metrics []struct {
			Name    string   `json:"name"`
			Columns []string `json:"columns"`
			Value   *float64 `json:"value"`
			Reason  string   `json:"reason"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range doc.Metrics {
		if m.Value == nil {
			t.Errorf("%s %v: no value (%s)", m.Name, m.Columns, m.Reason)
			continue
		}
		seen[m.Name] = true
		if math.Abs(*m.Value) > 1e-12 {
			t.Errorf("%s %v = %g, want 0", m.Name, m.Columns, *m.Value)
		}
	}
	if !seen["scenario_target_gap"] || !seen["scenario_drift"] {
		t.Errorf("scores %v, want scenario_target_gap and scenario_drift", seen)
	}
	_, _, code, err = runCLI(t, "eval", "--real", real, "--synth", synth, "--metrics", "adaptability", "--overrides", "c=a")
	if code != 2 || err == nil || !strings.Contains(err.Error(), "--overrides") {
		t.Errorf("a malformed override: exit %d, %v; want 2 naming --overrides", code, err)
	}
}
