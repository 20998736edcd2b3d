package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

func TestSynthLLMSynthorStat(t *testing.T) {
	dir := t.TempDir()
	out, tr := filepath.Join(dir, "s.csv"), filepath.Join(dir, "trace.jsonl")
	_, stderr, code, err := runCLI(t, "synth", "--dataset", "ecommerce-bn", "--method", "llmsynthor", "--rows", "500", "--seed", "3",
		"--set", "iterations=20", "--set", "joints=user_age,user_gender,product_category;product_category,price",
		"--out", out, "--trace", tr)
	if err != nil || code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	if !strings.Contains(stderr, "no LLM") || !strings.Contains(stderr, "500 rows") {
		t.Errorf("stderr %q must give the row count and say no LLM was used", stderr)
	}
	tb, err := table.ReadFile(out, table.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tb.NumRows() != 500 || tb.NumCols() != 6 {
		t.Fatalf("%d rows × %d columns", tb.NumRows(), tb.NumCols())
	}
	f, err := os.Open(tr)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := 0
	for sc := bufio.NewScanner(f); sc.Scan(); lines++ {
		if !strings.Contains(sc.Text(), `"discrepancy"`) {
			t.Fatalf("trace line %d lacks the discrepancy: %s", lines+1, sc.Text())
		}
	}
	if lines != 20 {
		t.Fatalf("trace has %d lines, want one per iteration (20)", lines)
	}
	// Same command, same bytes.
	out2 := filepath.Join(dir, "s2.csv")
	if _, _, _, err := runCLI(t, "synth", "--dataset", "ecommerce-bn", "--rows", "500", "--seed", "3",
		"--set", "iterations=20", "--set", "joints=user_age,user_gender,product_category;product_category,price", "--out", out2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(out2)
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed and settings gave different files")
	}
}

func TestSynthFromTargetsFile(t *testing.T) {
	dir := t.TempDir()
	tg := filepath.Join(dir, "t.yaml")
	os.WriteFile(tg, []byte(`size: 400
variables:
  - {name: tenure, kind: categorical, categories: [Owned, Rented]}
  - {name: vehicles, kind: integer, bins: {edges: [0, 1, 2, 6]}}
joints:
  - {vars: [tenure, vehicles], shares: [0.05, 0.25, 0.3, 0.15, 0.15, 0.1]}
`), 0o644)
	out := filepath.Join(dir, "s.csv")
	if _, stderr, _, err := runCLI(t, "synth", "--targets", tg, "--out", out); err != nil {
		t.Fatalf("%v (%s)", err, stderr)
	}
	tb, err := table.ReadFile(out, table.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tb.NumRows() != 400 {
		t.Fatalf("rows %d, want the targets' size 400", tb.NumRows())
	}
	owned := 0
	for i := range tb.NumRows() {
		if tb.Col("tenure").String(i) == "Owned" {
			owned++
		}
	}
	if owned < 235 || owned > 245 { // target share 0.6
		t.Fatalf("Owned %d of 400, want about 240", owned)
	}
}

func TestSynthErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.csv")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no source", []string{"synth", "--out", out}, 2, "--data"},
		{"no out", []string{"synth", "--dataset", "ecommerce-bn"}, 2, "--out"},
		{"negative rows", []string{"synth", "--dataset", "ecommerce-bn", "--rows", "-3", "--out", out}, 2, "--rows"},
		{"bad integer", []string{"synth", "--dataset", "ecommerce-bn", "--set", "iterations=many", "--out", out}, 2, "iterations"},
		{"bad planner", []string{"synth", "--dataset", "ecommerce-bn", "--set", "planner=oracle", "--out", out}, 2, "planner"},
		{"llmsynthor key typo", []string{"synth", "--dataset", "ecommerce-bn", "--method", "llmsynthor", "--set", "iteratons=5", "--out", out}, 2, "iteratons"},
		{"baseline key typo", []string{"synth", "--dataset", "ecommerce-bn", "--method", "bayes-net", "--set", "kk=5", "--out", out}, 2, "valid: k"},
		{"unknown method", []string{"synth", "--dataset", "ecommerce-bn", "--method", "magic", "--out", out}, 2, "magic"},
		{"unknown joint variable", []string{"synth", "--dataset", "ecommerce-bn", "--set", "joints=user_age,shoe_size", "--out", out}, 2, `--set joints=user_age,shoe_size: joints: column "shoe_size" is not in the training table`},
		{"unknown override variable", []string{"synth", "--dataset", "ecommerce-bn", "--set", "overrides=shoe=x:0.5", "--out", out}, 2, `overrides: column "shoe" is not in the training table`},
		{"missing file", []string{"synth", "--data", filepath.Join(dir, "absent.csv"), "--out", out}, 1, "absent.csv"},
		{"unknown dataset", []string{"synth", "--dataset", "nope", "--out", out}, 2, "ecommerce-bn"},
		{"llm without model", []string{"synth", "--dataset", "ecommerce-bn", "--set", "planner=llm", "--out", out}, 2, "llm.model"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, code, err := runCLI(t, c.args...)
			if err == nil || code != c.code {
				t.Fatalf("exit %d, err %v; want exit %d", code, err, c.code)
			}
			if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q should be one line naming %q", err, c.want)
			}
			if _, statErr := os.Stat(out); statErr == nil {
				t.Fatal("an output file was written on error")
			}
		})
	}
}

func TestSynthPassesDeclaredKeysToBaselines(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.csv")
	if _, _, _, err := runCLI(t, "datasets", "export", "ecommerce-bn", "--rows", "2000", "--seed", "1", "--out", ref); err != nil {
		t.Fatal(err)
	}
	jsd := func(extra ...string) string {
		out := filepath.Join(dir, "ipf.csv")
		args := append([]string{"synth", "--data", ref, "--method", "ipf", "--out", out}, extra...)
		if _, _, _, err := runCLI(t, args...); err != nil {
			t.Fatal(err)
		}
		stdout, _, _, err := runCLI(t, "eval", "--real", ref, "--synth", out, "--joints", "user_location_tier,payment_method", "--c2st-rows", "0", "--format", "csv")
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(line, "fidelity,jsd,\"user_location_tier,payment_method\"") {
				return line
			}
		}
		t.Fatalf("no joint jsd in %s", stdout)
		return ""
	}
	// Without the joint, ipf fits marginals only and misses the tier–payment
	// dependence; with --set joints it matches it.
	without, with := jsd(), jsd("--set", "joints=user_location_tier,payment_method")
	if without == with {
		t.Fatalf("--set joints did not reach ipf: %s", with)
	}
}
