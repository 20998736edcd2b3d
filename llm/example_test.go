package llm_test

import (
	"context"
	"fmt"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/llm/llmtest"
)

// Open a backend on an OpenAI-compatible server (here the in-process fake)
// and make one call.
func ExampleOpen() {
	srv := llmtest.NewServer(llmtest.Reply(`{"1": ["age", "gender"]}`), llmtest.WithModel("qwen2.5-7b-instruct"))
	defer srv.Close()

	cfg := llm.DefaultConfig
	cfg.BaseURL = srv.URL // e.g. http://localhost:8000/v1 for vLLM
	cfg.Model = "Qwen/Qwen2.5-7B-Instruct"
	b, err := llm.Open(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()

	resp, err := b.Complete(context.Background(), llm.Request{
		Messages: []llm.Message{{Role: llm.User, Content: "Group the correlated variables. Reply in JSON."}},
		Format:   llm.FormatJSONObject,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	st := b.Stats()
	fmt.Println(resp.Text)
	fmt.Println(resp.Model, resp.Format)
	fmt.Println(st.Calls, st.PromptTokens, st.CompletionTokens)
	// Output:
	// {"1": ["age", "gender"]}
	// qwen2.5-7b-instruct json_object
	// 1 10 3
}

func ExampleBackend_Check() {
	srv := llmtest.NewServer(llmtest.Reply(`{"ok": true}`), llmtest.WithModel("gpt-4.1-nano-2025-04-14"))
	defer srv.Close()
	cfg := llm.DefaultConfig
	cfg.BaseURL, cfg.Model = srv.URL, "gpt-4.1-nano"
	b, err := llm.Open(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()
	r, err := b.Check(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Model, r.JSONMode)
	// Output: gpt-4.1-nano-2025-04-14 true
}
