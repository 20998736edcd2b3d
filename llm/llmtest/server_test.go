package llmtest_test

import (
	"context"
	"encoding/json"
	"testing"

	"go.uber.org/goleak"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/llm/llmtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const proposal = `{"n_proposals": 1, "proposal1": {"reason": "r", "proposal": {"age": [18, 35], "gender": "Male"}, "num": 5}}`

func TestContentFaults(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kind  llmtest.FaultKind
		check func(t *testing.T, text, finish string)
	}{
		{"none", llmtest.None, func(t *testing.T, text, _ string) {
			if text != proposal {
				t.Errorf("text = %s", text)
			}
		}},
		{"unknown category", llmtest.UnknownCategory, func(t *testing.T, text, _ string) {
			p := inner(t, text)
			if p["gender"] != "Unknown Male" || p["age"] == nil {
				t.Errorf("proposal = %v", p)
			}
		}},
		{"missing variable", llmtest.MissingVariable, func(t *testing.T, text, _ string) {
			p := inner(t, text)
			if _, ok := p["age"]; ok || p["gender"] != "Male" {
				t.Errorf("proposal = %v", p)
			}
		}},
		{"wrong type", llmtest.WrongType, func(t *testing.T, text, _ string) {
			if p := inner(t, text); p["age"] != true {
				t.Errorf("proposal = %v", p)
			}
		}},
		{"malformed text", llmtest.MalformedText, func(t *testing.T, text, _ string) {
			var v any
			if json.Unmarshal([]byte(text), &v) == nil {
				t.Errorf("text still valid JSON: %s", text)
			}
		}},
		{"truncated text", llmtest.TruncatedText, func(t *testing.T, text, finish string) {
			if len(text) != len(proposal)/2 || finish != "length" {
				t.Errorf("text = %q finish = %q", text, finish)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := llmtest.NewServer(llmtest.Reply(proposal))
			defer s.Close()
			s.Inject(llmtest.Fault{Kind: tc.kind})
			cfg := llm.DefaultConfig
			cfg.BaseURL, cfg.Model = s.URL, "m"
			b, err := llm.Open(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			resp, err := b.Complete(context.Background(), llm.Request{Messages: []llm.Message{{Role: llm.User, Content: "plan"}}})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, resp.Text, resp.FinishReason)
			if s.Pending() != 0 || s.Calls() != 1 {
				t.Errorf("pending %d calls %d", s.Pending(), s.Calls())
			}
		})
	}
}

func inner(t *testing.T, text string) map[string]any {
	t.Helper()
	var v struct {
		P struct {
			Proposal map[string]any `json:"proposal"`
		} `json:"proposal1"`
	}
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("%v: %s", err, text)
	}
	return v.P.Proposal
}

func TestModelsEndpoint(t *testing.T) {
	s := llmtest.NewServer(llmtest.Reply("{}"), llmtest.WithModel("served"))
	defer s.Close()
	resp, err := s.Client().Get(s.URL + "/models")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Data []struct{ ID string } `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || len(list.Data) != 1 || list.Data[0].ID != "served" {
		t.Errorf("models = %+v, %v", list, err)
	}
}
