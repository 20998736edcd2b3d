package llmtest

import (
	"encoding/json"
	"time"
)

// FaultKind names an injected fault.
type FaultKind int

// The faults. Transport faults (RateLimit to BadRequest) concern the HTTP
// exchange and are the backend's to survive; content faults (MalformedText
// to WrongType) return a well-formed completion whose text is unusable and
// are the consumer's to detect.
const (
	None            FaultKind = iota
	RateLimit                 // HTTP 429 with Retry-After (Fault.RetryAfter, whole seconds)
	ServerError               // HTTP 500
	Slow                      // answer after Fault.Delay, or never if the client gives up first
	ConnReset                 // close the connection without a reply
	MalformedBody             // HTTP 200 whose body is not JSON
	TruncatedBody             // HTTP 200 whose body stops halfway (Content-Length unmet)
	EmptyChoices              // HTTP 200 with "choices": []
	BadRequest                // HTTP 400 "response_format is not supported", as from a server without JSON mode
	MalformedText             // reply text with prose around it and broken brackets
	TruncatedText             // reply text cut in half, finish_reason "length"
	UnknownCategory           // in each "proposal" object, string values become unknown categories
	MissingVariable           // in each "proposal" object, the first variable (by name) is removed
	WrongType                 // in each "proposal" object, the first variable's value becomes true
)

// Fault is one injected fault.
type Fault struct {
	Kind       FaultKind
	RetryAfter time.Duration // RateLimit
	Delay      time.Duration // Slow
}

// corrupt applies a content fault to every object held under a "proposal"
// key in text (the paper's reply shape). Text that is not a JSON object is
// returned unchanged.
func corrupt(text string, k FaultKind) string {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return text
	}
	v = walk(v, k)
	b, err := json.Marshal(v)
	if err != nil {
		return text
	}
	return string(b)
}

func walk(v any, k FaultKind) any {
	switch x := v.(type) {
	case map[string]any:
		for key, val := range x {
			if p, ok := val.(map[string]any); ok && key == "proposal" {
				x[key] = spoil(p, k)
				continue
			}
			x[key] = walk(val, k)
		}
		return x
	case []any:
		for i := range x {
			x[i] = walk(x[i], k)
		}
		return x
	}
	return v
}

func spoil(p map[string]any, k FaultKind) map[string]any {
	first := ""
	for name := range p {
		if first == "" || name < first {
			first = name
		}
	}
	switch k {
	case UnknownCategory:
		for name, val := range p {
			if s, ok := val.(string); ok {
				p[name] = "Unknown " + s
			}
		}
	case MissingVariable:
		delete(p, first)
	case WrongType:
		if first != "" {
			p[first] = true
		}
	}
	return p
}
