package llm

import (
	"context"
	"encoding/json"
	"time"
)

// Role is the author of a chat message.
type Role string

// The chat roles.
const (
	System    Role = "system"
	User      Role = "user"
	Assistant Role = "assistant"
)

// Message is one chat message.
type Message struct {
	Role    Role   `json:"role"`
	Content string `json:"content"`
}

// Format asks the backend for a response format.
type Format string

// Response formats. FormatJSONSchema sends Request.Schema; a backend that
// supports neither JSON mode falls back to prompt-only JSON.
const (
	FormatText       Format = "text"
	FormatJSONObject Format = "json_object"
	FormatJSONSchema Format = "json_schema"
)

// Request is one chat-completion call. Zero values mean the backend's
// defaults (Temperature and TopP as pointers so that 0 can be asked for).
type Request struct {
	Model       string    `json:"model,omitempty"` // empty: the client's configured model
	Messages    []Message `json:"messages"`
	Temperature *float32  `json:"temperature,omitempty"`
	TopP        *float32  `json:"top_p,omitempty"`
	TopK        int       `json:"top_k,omitempty"` // 0: server default; not sent to OpenAI-only servers
	MaxTokens   int       `json:"max_tokens,omitempty"`
	Seed        *int      `json:"seed,omitempty"`
	Format      Format    `json:"format,omitempty"`
	// Schema is the JSON schema for FormatJSONSchema, with its name.
	SchemaName string          `json:"schema_name,omitempty"`
	Schema     json.RawMessage `json:"schema,omitempty"`
	// TemplateVersion names the prompt template version; it is part of the
	// cache key so that editing a template invalidates cached replies.
	TemplateVersion string `json:"template_version,omitempty"`
}

// Usage counts tokens of one call.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	// Estimated is true when the server reported no usage and the counts
	// were estimated from the text.
	Estimated bool `json:"estimated,omitempty"`
}

// Response is the reply to one call.
type Response struct {
	Text    string        `json:"text"`
	Model   string        `json:"model"` // as the server reports it
	Usage   Usage         `json:"usage"`
	Latency time.Duration `json:"latency"`
	// CacheHit is true when the reply came from the response cache.
	CacheHit bool `json:"cache_hit,omitempty"`
	// Retries counts the attempts beyond the first.
	Retries int `json:"retries,omitempty"`
	// Format is the response format actually sent: the one asked for, or a
	// weaker one when the backend does not support it (FormatText means
	// prompt-only JSON).
	Format Format `json:"format,omitempty"`
	// FinishReason is the server's finish_reason ("stop"; "length" when
	// the reply was cut at max_tokens).
	FinishReason string `json:"finish_reason,omitempty"`
}

// Client makes one chat-completion call. Implementations must be safe for
// concurrent use, honour ctx cancellation, and never include an API key in an
// error, a log line or a cached or recorded reply.
type Client interface {
	Complete(ctx context.Context, req Request) (*Response, error)
}

// ClientFunc adapts a function to the Client interface.
type ClientFunc func(ctx context.Context, req Request) (*Response, error)

// Complete calls f.
func (f ClientFunc) Complete(ctx context.Context, req Request) (*Response, error) { return f(ctx, req) }
