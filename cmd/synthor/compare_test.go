package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalComparesSeveralSynthFiles(t *testing.T) {
	dir := t.TempDir()
	ref, indep := filepath.Join(dir, "ref.csv"), filepath.Join(dir, "indep.csv")
	if _, _, _, err := runCLI(t, "datasets", "export", "ecommerce-bn", "--rows", "1000", "--seed", "1", "--out", ref); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := runCLI(t, "synth", "--data", ref, "--method", "independent", "--seed", "1", "--out", indep); err != nil {
		t.Fatal(err)
	}
	args := []string{"eval", "--real", ref, "--synth", ref, "--synth", indep, "--c2st-rows", "0", "--joints", "user_age,user_gender,product_category"}
	stdout, _, _, err := runCLI(t, append(args, "--format", "json")...)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Comparison []struct {
			Synth   string `json:"synth"`
			Metrics []struct {
				Name    string   `json:"name"`
				Columns []string `json:"columns"`
				Value   *float64 `json:"value"`
			} `json:"metrics"`
		} `json:"comparison"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Comparison) != 2 || doc.Comparison[0].Synth != ref || doc.Comparison[1].Synth != indep {
		t.Fatalf("comparison %+v", doc.Comparison)
	}
	jsd := func(run int) float64 {
		for _, m := range doc.Comparison[run].Metrics {
			if m.Name == "jsd" && len(m.Columns) == 3 {
				return *m.Value
			}
		}
		t.Fatal("no 3-way jsd")
		return 0
	}
	// The real table against itself scores 0; independent columns lose the
	// category's dependence on age and gender.
	if jsd(0) != 0 || jsd(1) < 0.02 {
		t.Fatalf("jsd self %v, independent %v", jsd(0), jsd(1))
	}
	md, _, _, err := runCLI(t, append(args, "--format", "markdown")...)
	if err != nil {
		t.Fatal(err)
	}
	head := strings.SplitN(md, "\n", 2)[0]
	if !strings.Contains(strings.ToLower(head), "ref") || !strings.Contains(strings.ToLower(head), "indep") {
		t.Fatalf("markdown header %q lacks a column per file", head)
	}
}

func TestEvalSDMetricsSelfIsOne(t *testing.T) {
	dir := t.TempDir()
	adult := filepath.Join(dir, "adult.csv")
	if _, _, _, err := runCLI(t, "datasets", "export", "adult", "--out", adult); err != nil {
		t.Fatal(err)
	}
	stdout, _, _, err := runCLI(t, "eval", "--real", adult, "--synth", adult, "--metrics", "sdmetrics", "--pair-filter", "all", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Metrics []struct {
			Name    string   `json:"name"`
			Columns []string `json:"columns"`
			Value   *float64 `json:"value"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	// 15 columns, 105 pairs, 2 properties and the overall score.
	if len(doc.Metrics) != 15+105+3 {
		t.Fatalf("%d scores, want 123", len(doc.Metrics))
	}
	for _, m := range doc.Metrics {
		if m.Value == nil || *m.Value != 1 {
			t.Fatalf("%s %v = %v, want 1", m.Name, m.Columns, m.Value)
		}
	}
	table, _, _, err := runCLI(t, "eval", "--real", adult, "--synth", adult, "--metrics", "sdmetrics", "--format", "table")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(table, "\n") > 60 || !strings.Contains(strings.ToLower(table), "overall") {
		t.Fatalf("the table format should print the quality summary, not every row:\n%s", table)
	}
}
