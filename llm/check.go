package llm

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// CheckResult is the outcome of Check.
type CheckResult struct {
	// Model is the model name the server reported.
	Model string `json:"model"`
	// Latency is the wall time of the call, retries included.
	Latency time.Duration `json:"latency"`
	// JSONMode is true when the server accepted response_format
	// json_object and replied with a JSON object.
	JSONMode bool `json:"json_mode"`
	// Format is the response format the call went out with.
	Format Format `json:"format"`
	// Reply is the reply text (at most 200 bytes).
	Reply string `json:"reply"`
	// Usage is the call's token usage.
	Usage Usage `json:"usage"`
}

// Check makes one cheap call (max 20 tokens) asking for a JSON object,
// bypassing the cache, and reports what the server answered.
func (b *Backend) Check(ctx context.Context) (*CheckResult, error) {
	req := b.fill(Request{
		Messages: []Message{
			{Role: System, Content: "You are a health check. Reply with JSON only."},
			{Role: User, Content: `Reply with exactly this JSON object: {"ok": true}`},
		},
		MaxTokens: 20,
		Format:    FormatJSONObject,
	})
	resp, _, err := b.call(ctx, req)
	if err != nil {
		b.m.failed()
		return nil, err
	}
	b.m.server(resp.Usage, resp.Latency)
	var obj map[string]any
	text := strings.TrimSpace(resp.Text)
	r := &CheckResult{Model: resp.Model, Latency: resp.Latency, Format: resp.Format, Reply: clip(text, 200), Usage: resp.Usage}
	r.JSONMode = resp.Format == FormatJSONObject && json.Unmarshal([]byte(text), &obj) == nil
	return r, nil
}
