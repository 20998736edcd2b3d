package bench

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/synthor/synthor/llm/llmtest"
	"github.com/synthor/synthor/methods"
)

// budgetBrain answers the LLM planner: one dependency group, then one
// proposal taking the whole batch.
func budgetBrain(req llmtest.Request) (string, error) {
	p := req.Prompt()
	if strings.Contains(p, "Which groups of variables") {
		return `{"1": ["user_gender", "product_category"]}`, nil
	}
	m := regexp.MustCompile(`add up to (\d+)`).FindStringSubmatch(p)
	if m == nil {
		return "", fmt.Errorf("no batch size in the prompt")
	}
	return fmt.Sprintf(`{"n_proposals": 1, "proposal1": {"reason": "largest gap", "proposal": {"user_gender": "Female", "product_category": "Food & Beverages"}, "num": %s}}`, m[1]), nil
}

// TestBackendsCompare runs configs/backends-compare.yaml with every LLM
// backend pointed at the fake server (one per backend, each reporting its
// own model), and checks that every cell ran its planner over its backend.
func TestBackendsCompare(t *testing.T) {
	c, err := LoadConfig("../configs/backends-compare.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Datasets[0].Rows = 200
	c.Seeds = c.Seeds[:2]
	var servers []*llmtest.Server
	for i := range c.Methods {
		m := &c.Methods[i]
		params := m.Params.JSON()
		if params == nil {
			params = map[string]any{}
		}
		params["iterations"] = 5
		reg, _ := methods.Lookup(m.Name)
		if m.Params, err = reg.Values(params); err != nil {
			t.Fatal(err)
		}
		if m.Planner != "llm" {
			continue
		}
		srv := llmtest.NewServer(budgetBrain, llmtest.WithModel("fake-"+m.Label))
		servers = append(servers, srv)
		defer srv.Close()
		m.llm = new(yaml.Node)
		if err := m.llm.Encode(map[string]any{"base_url": srv.URL, "api_type": "openai", "api_key_env": "", "cache_mode": "off", "retries": 0, "timeout": "20s"}); err != nil {
			t.Fatal(err)
		}
	}
	if len(servers) < 3 {
		t.Fatalf("backends-compare has %d LLM backends, want several", len(servers))
	}
	s := run(t, c, RunOptions{Workers: 2})
	if len(s.Results) != len(c.Methods)*2 {
		t.Fatalf("%d results", len(s.Results))
	}
	for _, r := range s.Results {
		if r.Status != StatusOK {
			t.Fatalf("%s seed %d: %s %s", r.Method.Label, r.Seed, r.Status, r.Reason)
		}
		if r.Method.Planner == "llm" {
			// 1 dependency call + 5 iterations.
			if r.LLM == nil || r.LLM.Calls != 6 || r.Synthor == nil || r.Synthor.Calls == 0 {
				t.Errorf("%s: LLM accounting %+v", r.Method.Label, r.LLM)
			}
			if r.Method.Backend == "" || r.Method.Model == "" {
				t.Errorf("%s: backend %q model %q", r.Method.Label, r.Method.Backend, r.Method.Model)
			}
		} else if r.LLM != nil {
			t.Errorf("stat cell has LLM accounting")
		}
	}
	for i, srv := range servers {
		if srv.Calls() != 12 {
			t.Errorf("server %d served %d calls, want 12 (two seeds)", i, srv.Calls())
		}
	}
}
