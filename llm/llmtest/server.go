package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/synthor/synthor/llm"
)

// Request is a chat-completion request as the fake received it.
type Request struct {
	Model          string          `json:"model"`
	Messages       []llm.Message   `json:"messages"`
	Temperature    *float64        `json:"temperature,omitempty"`
	TopP           *float64        `json:"top_p,omitempty"`
	TopK           int             `json:"top_k,omitempty"`
	MaxTokens      int             `json:"max_tokens,omitempty"`
	Seed           *int            `json:"seed,omitempty"`
	ResponseFormat string          `json:"response_format,omitempty"` // "", json_object or json_schema
	Schema         json.RawMessage `json:"schema,omitempty"`
	// Deployment and APIVersion are set for Azure-style requests
	// (/openai/deployments/NAME/chat/completions?api-version=V).
	Deployment string `json:"deployment,omitempty"`
	APIVersion string `json:"api_version,omitempty"`
	// Header holds the HTTP headers received, Authorization included.
	Header http.Header `json:"-"`
}

// Prompt returns the concatenated content of all messages, in order.
func (r Request) Prompt() string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.Content)
		b.WriteByte('\n')
	}
	return b.String()
}

// Brain computes the reply text of one request. It sees only what the
// request carries. An error becomes an HTTP 500 whose message is the error
// text.
type Brain func(req Request) (string, error)

// Reply returns a Brain that always answers text.
func Reply(text string) Brain {
	return func(Request) (string, error) { return text, nil }
}

// Option configures a Server.
type Option func(*Server)

// WithModel makes the server report name as the model of every reply
// (default: the requested model).
func WithModel(name string) Option { return func(s *Server) { s.model = name } }

// WithoutUsage makes replies carry no usage, as some local servers do.
func WithoutUsage() Option { return func(s *Server) { s.noUsage = true } }

// RejectResponseFormat answers 400 to any request with a response_format,
// like a server that supports only prompt-only JSON.
func RejectResponseFormat() Option { return func(s *Server) { s.rejectFormat = true } }

// RequireKey answers 401 unless the request carries "Authorization:
// Bearer key" (or Azure's "api-key: key").
func RequireKey(key string) Option { return func(s *Server) { s.key = key } }

// Server is an in-process OpenAI-compatible server: POST
// /v1/chat/completions answered by a Brain, GET /v1/models. Faults queued
// with Inject are applied to the next chat requests, one per request, in
// order. Safe for concurrent use.
type Server struct {
	// URL is the API root to use as llm.base_url (ends in /v1).
	URL string
	// Root is the server's address without /v1: the base_url of an
	// Azure-style client (llm.api_type azure).
	Root string

	srv          *httptest.Server
	brain        Brain
	model        string
	noUsage      bool
	rejectFormat bool
	key          string

	mu     sync.Mutex
	queue  []Fault
	reqs   []Request
	served int
}

// NewServer starts a fake answering with brain.
func NewServer(brain Brain, opts ...Option) *Server {
	s := &Server{brain: brain}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("POST /openai/deployments/{deployment}/chat/completions", s.chat)
	mux.HandleFunc("GET /v1/models", s.models)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL + "/v1"
	s.Root = s.srv.URL
	return s
}

// Close shuts the server down, closing open connections.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Client returns an HTTP client for the server; its connections are closed
// by Close.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Inject queues faults for the next chat requests.
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	s.queue = append(s.queue, faults...)
	s.mu.Unlock()
}

// Pending returns the number of queued faults not yet applied.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Requests returns the chat requests received so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Calls returns the number of chat requests received.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// Served returns the number of chat requests answered with a completion.
func (s *Server) Served() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served
}

type wireRequest struct {
	Model          string        `json:"model"`
	Messages       []llm.Message `json:"messages"`
	Temperature    *float64      `json:"temperature"`
	TopP           *float64      `json:"top_p"`
	TopK           int           `json:"top_k"`
	MaxTokens      int           `json:"max_tokens"`
	Seed           *int          `json:"seed"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Schema json.RawMessage `json:"schema"`
		} `json:"json_schema"`
	} `json:"response_format"`
}

func apiError(w http.ResponseWriter, code int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": typ}})
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var wr wireRequest
	if err := json.NewDecoder(r.Body).Decode(&wr); err != nil {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "request body: "+err.Error())
		return
	}
	req := Request{Model: wr.Model, Messages: wr.Messages, Temperature: wr.Temperature, TopP: wr.TopP, TopK: wr.TopK,
		MaxTokens: wr.MaxTokens, Seed: wr.Seed, Header: r.Header.Clone(),
		Deployment: r.PathValue("deployment"), APIVersion: r.URL.Query().Get("api-version")}
	if wr.ResponseFormat != nil {
		req.ResponseFormat = wr.ResponseFormat.Type
		if wr.ResponseFormat.JSONSchema != nil {
			req.Schema = wr.ResponseFormat.JSONSchema.Schema
		}
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	var f Fault
	if len(s.queue) > 0 {
		f, s.queue = s.queue[0], s.queue[1:]
	}
	s.mu.Unlock()

	if s.key != "" && r.Header.Get("Authorization") != "Bearer "+s.key && r.Header.Get("Api-Key") != s.key {
		apiError(w, http.StatusUnauthorized, "invalid_request_error", "invalid api key")
		return
	}
	if s.rejectFormat && req.ResponseFormat != "" && req.ResponseFormat != "text" {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "response_format is not supported")
		return
	}
	switch f.Kind {
	case RateLimit:
		w.Header().Set("Retry-After", strconv.Itoa(int(f.RetryAfter.Round(time.Second)/time.Second)))
		apiError(w, http.StatusTooManyRequests, "rate_limit_exceeded", "rate limit reached")
		return
	case ServerError:
		apiError(w, http.StatusInternalServerError, "server_error", "the server had an error")
		return
	case BadRequest:
		apiError(w, http.StatusBadRequest, "invalid_request_error", "response_format is not supported")
		return
	case Slow:
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	case ConnReset:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case MalformedBody:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id": "x", "choices": [{"message": <html>oops</html>}]}`)
		return
	case EmptyChoices:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"chatcmpl-fake","object":"chat.completion","model":%q,"choices":[]}`, s.reported(req))
		return
	}
	text, err := s.brain(req)
	if err != nil {
		apiError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	finish := "stop"
	switch f.Kind {
	case MalformedText:
		text = "Sure! Here are the proposals: {" + strings.Trim(text, "{}") + "]]"
	case TruncatedText:
		text = text[:len(text)/2]
		finish = "length"
	case UnknownCategory, MissingVariable, WrongType:
		text = corrupt(text, f.Kind)
	}
	body, _ := json.Marshal(s.completion(req, text, finish))
	w.Header().Set("Content-Type", "application/json")
	if f.Kind == TruncatedBody {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:len(body)/2])
		return // the server closes the connection: the client sees an unexpected EOF
	}
	s.mu.Lock()
	s.served++
	s.mu.Unlock()
	w.Write(body)
}

func (s *Server) reported(req Request) string {
	if s.model != "" {
		return s.model
	}
	if req.Model == "" {
		return req.Deployment
	}
	return req.Model
}

func (s *Server) completion(req Request, text, finish string) map[string]any {
	c := map[string]any{
		"id":      "chatcmpl-fake",
		"object":  "chat.completion",
		"created": 0,
		"model":   s.reported(req),
		"choices": []map[string]any{{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": text},
			"finish_reason": finish,
		}},
	}
	if !s.noUsage {
		p := 0
		for _, m := range req.Messages {
			p += len(strings.Fields(m.Content)) + 3
		}
		n := len(strings.Fields(text))
		c["usage"] = map[string]any{"prompt_tokens": p, "completion_tokens": n, "total_tokens": p + n}
	}
	return c
}

func (s *Server) models(w http.ResponseWriter, _ *http.Request) {
	name := s.model
	if name == "" {
		name = "llmtest"
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list",
		"data": []map[string]any{{"id": name, "object": "model", "owned_by": "llmtest"}}})
}
