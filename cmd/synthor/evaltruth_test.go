package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/table"
)

// writeEcommerce writes n records of ecommerce-bn drawn with seed to dir.
func writeEcommerce(t *testing.T, dir string, n int, seed uint64) string {
	t.Helper()
	path := filepath.Join(dir, "ec"+strings.Repeat("x", int(seed))+".csv")
	if err := table.WriteFile(path, datasets.EcommerceBN(n, seed)); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEvalUtilityTruth: on ecommerce-bn files, the catalog's derived target
// is used without --target, and --truth N adds the _truth groups.
func TestEvalUtilityTruth(t *testing.T) {
	dir := t.TempDir()
	real, synth, hold := writeEcommerce(t, dir, 300, 1), writeEcommerce(t, dir, 300, 2), writeEcommerce(t, dir, 300, 3)
	out, _, _, err := runCLI(t, "eval", "--real", real, "--synth", synth, "--holdout", hold,
		"--metrics", "utility,privacy", "--truth", "400", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	v := evalParseJSON(t, out)
	groups := map[string]int{}
	for _, m := range v.Metrics {
		groups[m.Group]++
		if m.Group == "utility" && (len(m.Columns) != 1 || m.Columns[0] != datasets.LabelDiscountPropensity) {
			t.Errorf("utility score over %v", m.Columns)
		}
		if m.Value == nil && m.Reason == "" {
			t.Errorf("%s %s: null without a reason", m.Group, m.Name)
		}
		// With --holdout every score has a reference, or says why not.
		if m.ReferenceKind == "" || (m.Reference == nil && m.ReferenceReason == "") {
			t.Errorf("%s %s: reference %v kind %q reason %q", m.Group, m.Name, m.Reference, m.ReferenceKind, m.ReferenceReason)
		}
	}
	if groups["utility"] != 21 || groups["utility_truth"] != 21 || groups["privacy"] != 7 || groups["privacy_truth"] != 0 {
		t.Errorf("scores per group %v", groups)
	}
	out, _, _, err = runCLI(t, "eval", "--real", real, "--synth", synth, "--metrics", "utility",
		"--target", datasets.LabelLifetimeValueBand, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	v = evalParseJSON(t, out)
	if len(v.Metrics) != 1 || v.Metrics[0].Value != nil || !strings.Contains(v.Metrics[0].Reason, "holdout") {
		t.Errorf("without a holdout: %+v", v.Metrics)
	}
}

func TestEvalTruthErrors(t *testing.T) {
	real, synth := evalData+"real.csv", evalData+"synth.csv"
	for _, c := range []struct {
		truth, want string
		code        int
	}{
		{"100", "not those of a catalog generator", 2},
		{"0", "--truth 0 must be at least 1", 2},
		{"nosuch.csv", "nosuch.csv", 1},
	} {
		_, _, code, err := runCLI(t, "eval", "--real", real, "--synth", synth, "--metrics", "utility", "--truth", c.truth)
		if code != c.code || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--truth %s: exit %d, error %v; want %d and %q", c.truth, code, err, c.code, c.want)
		}
	}
}

// TestEvalNoTargetWithoutUtility: without --target and the utility group,
// ecommerce-bn tables are scored as they are (no derived label columns).
func TestEvalNoTargetWithoutUtility(t *testing.T) {
	dir := t.TempDir()
	real, synth := writeEcommerce(t, dir, 200, 1), writeEcommerce(t, dir, 200, 2)
	out, _, _, err := runCLI(t, "eval", "--real", real, "--synth", synth, "--metrics", "fidelity", "--c2st-rows", "0", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, datasets.LabelDiscountPropensity) {
		t.Error("fidelity scores a derived label nobody asked for")
	}
}
