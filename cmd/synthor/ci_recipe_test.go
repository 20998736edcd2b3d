package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// ciConfig is a small experiment for the CI recipe's test: two methods on
// 500 records of ecommerce-bn, three seeds, the scores the gate reads.
const ciConfig = `datasets: [{name: ecommerce-bn, rows: 500, holdout: 0.2}]
methods:
  - independent
  - %LLMSYNTHOR%
seeds: [%SEEDS%]
metrics: [sdmetrics, privacy]
`

// TestCIRecipe runs deploy/ci/gate.sh, the commands of the GitHub Actions
// and GitLab CI recipes, against a baseline run: a rerun with other seeds
// passes; LLMSynthor with one dependency group (n_joints: 1) fails, and
// its Markdown summary (also
// appended to $GITHUB_STEP_SUMMARY) says what regressed, by how much,
// against what was allowed, and what was compared.
func TestCIRecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the synthor binary on three small experiments; skipped with -short")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed: the recipe's script cannot run")
	}
	bin := synthorBinary(t)
	dir := t.TempDir()
	config := func(name, method, seeds string) string {
		p := filepath.Join(dir, name+".yaml")
		body := strings.NewReplacer("%LLMSYNTHOR%", method, "%SEEDS%", seeds).Replace(ciConfig)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := filepath.Join(dir, "base")
	if out, err := exec.Command(bin, "run", config("base", "llmsynthor", "1, 2, 3"), "--out", base, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("baseline run: %v\n%s", err, out)
	}
	gate := func(name, cfg string) (int, string, string) {
		summary := filepath.Join(dir, name+".md")
		jobSummary := filepath.Join(dir, name+".step-summary.md")
		cmd := exec.Command("bash", "../../deploy/ci/gate.sh", cfg, filepath.Join(base, "results.jsonl"), filepath.Join(dir, name), summary)
		cmd.Env = append(os.Environ(), "SYNTHOR="+bin, "GITHUB_STEP_SUMMARY="+jobSummary)
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		md, _ := os.ReadFile(summary)
		step, _ := os.ReadFile(jobSummary)
		if string(step) != string(md) {
			t.Errorf("%s: the job summary is not the gate's Markdown", name)
		}
		return code, string(md), string(out)
	}
	code, md, out := gate("rerun", config("rerun", "llmsynthor", "4, 5, 6"))
	if code != 0 || !strings.Contains(md, "### Regression gate: passed") {
		t.Fatalf("rerun: exit %d\n%s\n%s", code, md, out)
	}
	code, md, out = gate("nojoints", config("nojoints", "{name: llmsynthor, label: llmsynthor, params: {n_joints: 1}}", "4, 5, 6"))
	for _, want := range []string{"### Regression gate: failed", "#### Regressions", "| ecommerce-bn | llmsynthor | quality ↑",
		"worse by", "allowed", "comparisons", "of 2 methods (independent, llmsynthor) on 1 datasets (ecommerce-bn)", "Every comparison"} {
		if !strings.Contains(md, want) {
			t.Errorf("nojoints summary lacks %q", want)
		}
	}
	if code != 1 || t.Failed() {
		t.Fatalf("nojoints: exit %d\n%s\n%s", code, md, out)
	}
	// A baseline with nothing in common is an error, not a pass.
	other := strings.Replace(ciConfig, "ecommerce-bn", "population", 1)
	if err := os.WriteFile(filepath.Join(dir, "other.yaml"), []byte(strings.NewReplacer("%LLMSYNTHOR%", "llmsynthor", "%SEEDS%", "4").Replace(other)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, md, out := gate("other", filepath.Join(dir, "other.yaml")); code != 2 || !strings.Contains(md, "nothing compared") {
		t.Fatalf("nothing in common: exit %d\n%s\n%s", code, md, out)
	}
}

// TestCIRecipesCallTheScript checks that both CI recipes are valid YAML and
// run deploy/ci/gate.sh, the script TestCIRecipe runs.
func TestCIRecipesCallTheScript(t *testing.T) {
	for _, f := range []string{"../../deploy/ci/github-actions.yml", "../../deploy/ci/gitlab-ci.yml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !strings.Contains(string(b), "deploy/ci/gate.sh \"$") {
			t.Errorf("%s does not run deploy/ci/gate.sh", f)
		}
	}
}
