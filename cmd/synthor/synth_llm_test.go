package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/synthor/synthor/llm/llmtest"
	"github.com/synthor/synthor/table"
)

// budgetBrain answers the dependency prompt with one group and every
// proposal prompt with one proposal of the whole batch, reading the batch
// size from the prompt's rules: it knows only what the prompt says.
func budgetBrain(req llmtest.Request) (string, error) {
	p := req.Prompt()
	if strings.Contains(p, "Which groups of variables") {
		return `{"1": ["user_gender", "product_category"]}`, nil
	}
	m := regexp.MustCompile(`add up to (\d+)`).FindStringSubmatch(p)
	if m == nil {
		return "", fmt.Errorf("no batch size in the prompt")
	}
	return fmt.Sprintf("Here is the plan:\n```json\n{\"n_proposals\": 1, \"proposal1\": {\"reason\": \"largest gap\", "+
		"\"proposal\": {\"user_gender\": \"Female\", \"product_category\": \"Food & Beverages\"}, \"num\": %s}}\n```", m[1]), nil
}

func TestSynthLLMPlannerAgainstFakeServer(t *testing.T) {
	srv := llmtest.NewServer(budgetBrain, llmtest.RequireKey("sk-unique-7f3a9c"))
	defer srv.Close()
	t.Setenv("SYNTHOR_TEST_KEY", "sk-unique-7f3a9c")
	dir := t.TempDir()
	out := filepath.Join(dir, "s.csv")
	_, stderr, code, err := runCLI(t, "synth", "--dataset", "ecommerce-bn", "--rows", "200", "--seed", "1",
		"--set", "planner=llm", "--set", "iterations=10", "--set", "llm.base_url="+srv.URL, "--set", "llm.model=fake-model",
		"--set", "llm.api_key_env=SYNTHOR_TEST_KEY", "--out", out, "--trace", filepath.Join(dir, "t.jsonl"))
	if err != nil || code != 0 {
		t.Fatalf("exit %d: %v", code, err)
	}
	tb, err := table.ReadFile(out, table.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tb.NumRows() != 200 {
		t.Fatalf("rows %d, want 200", tb.NumRows())
	}
	for i := range tb.NumRows() {
		if tb.Col("user_gender").String(i) != "Female" {
			t.Fatalf("row %d does not follow the LLM's proposal", i+1)
		}
	}
	if strings.Contains(stderr, "no LLM") || !strings.Contains(stderr, "llm planner") || !strings.Contains(stderr, "11 calls") {
		t.Errorf("summary %q must name the llm planner and its 11 calls (1 dependency + 10 iterations)", stderr)
	}
	for _, f := range []string{out, filepath.Join(dir, "t.jsonl")} {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "sk-unique-7f3a9c") {
			t.Fatalf("the API key appears in %s", f)
		}
	}
	if strings.Contains(stderr, "sk-unique-7f3a9c") {
		t.Fatal("the API key appears on stderr")
	}
}
