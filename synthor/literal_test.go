package synthor

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/llm/llmtest"
)

// tripleCounts wraps a brain so that every proposal's "num" is three times
// what the prompt asks for: a planner that miscounts.
func tripleCounts(b llmtest.Brain) llmtest.Brain {
	return func(r llmtest.Request) (string, error) {
		text, err := b(r)
		if err != nil || !strings.Contains(r.Prompt(), "proposals whose") {
			return text, err
		}
		i, j := strings.Index(text, "{"), strings.LastIndex(text, "}")
		body := strings.ReplaceAll(text[i:j+1], ",}", "}")
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			return text, nil
		}
		for _, v := range m {
			if p, ok := v.(map[string]any); ok {
				if n, ok := p["num"].(float64); ok {
					p["num"] = 3 * n
				}
			}
		}
		out, _ := json.Marshal(m)
		return string(out), nil
	}
}

// TestLLMLiteralReader runs the e-commerce protocol through the LLM
// planner against a fake that reads only the prompt and follows its
// guidance literally, with counts off by 3×: counts are scaled to the
// batch, so the run uses (nearly) all 100 iterations, and every Table 1/2
// statistic is at or below the paper's GPT-4.1-nano figure.
func TestLLMLiteralReader(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	var calls atomic.Int64
	srv := llmtest.NewServer(tripleCounts(planBrain(&calls)))
	defer srv.Close()
	b, err := llm.Open(fakeCfg(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cfg := Config{Planner: "llm", Joints: paperJoints}
	for _, res := range paperProtocol(t, cfg, NewLLMPlanner(b, LLMPlannerOptions{}), true) {
		t.Logf("iterations %d, stop %s, repairs %v", res.Iterations, res.Stop, res.Repairs)
		if res.Iterations < 90 {
			t.Errorf("the run used %d of 100 iterations", res.Iterations)
		}
	}
}
