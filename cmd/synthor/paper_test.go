package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPaperPopulationTable4 runs configs/paper-population.yaml at a small
// size (120 households, 2 seeds; the gpt-4.1-nano cells are skipped
// without OPENAI_API_KEY) and checks that its report sets the paper's
// Table 4 (query error per category) and rejection rates beside ours.
func TestPaperPopulationTable4(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a small variant of configs/paper-population.yaml (-short)")
	}
	useTestCells(t)
	t.Setenv("OPENAI_API_KEY", "")
	b, err := os.ReadFile("../../configs/paper-population.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(b)
	for old, small := range map[string]string{"rows: 2000": "rows: 120", "seeds: [1, 2, 3]": "seeds: [1, 2]"} {
		if !strings.Contains(cfg, old) {
			t.Fatalf("configs/paper-population.yaml lacks %q: update this test's small variant", old)
		}
		cfg = strings.Replace(cfg, old, small, 1)
	}
	dir := t.TempDir()
	// The backends the config names, beside it as in configs/.
	if err := os.CopyFS(filepath.Join(dir, "backends"), os.DirFS("../../configs/backends")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "paper-population.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	stdout, stderr, code, err := runCLI(t, "run", path, "--out", out, "--quiet")
	if err != nil || code != 0 {
		t.Fatalf("run: exit %d %v\n%s", code, err, stderr)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	// Each category's published MRE (LLMSYNTHOR.md §5.2) beside a mean ± sd
	// of ours, and the difference; the same for the rejection rates.
	ours := `[0-9.e-]+ ± [0-9.e-]+`
	for label, published := range map[string]string{
		"Demographics MRE": "0.21", "Employment MRE": "0.2", "Equity MRE": "0.25", "Household MRE": "0.13",
		"Mobility MRE": "0.35", "Vulnerability MRE": "0.37", "household rejection": "0.133", "person rejection": "0.063",
	} {
		row := regexp.MustCompile(`\| ` + label + ` +\| ` + regexp.QuoteMeta(published) + ` +\| ` + ours + ` +\| [+-][0-9]`)
		if !row.Match(md) {
			t.Errorf("report.md has no row %q beside ours:\n%s", label+" | "+published, paperPart(string(md)))
		}
	}
	for _, want := range []string{"Table 4", "published: HMM", "ours: llmsynthor-stat, planner stat, no LLM", "ACS PUMS"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if !strings.Contains(stdout, "Table 4") || !strings.Contains(stdout, "Vulnerability") {
		t.Errorf("run's summary does not show Table 4:\n%s", stdout)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil || !strings.Contains(string(html), "Table 4") || !strings.Contains(string(html), "household rejection") {
		t.Errorf("report.html lacks Table 4 (%v)", err)
	}
}

// paperPart is the published section of a Markdown report, for messages.
func paperPart(md string) string {
	if i := strings.Index(md, "Published numbers beside ours"); i >= 0 {
		return md[i:]
	}
	return "(no published section)"
}
