package llm

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a failed call so that callers can branch on it.
type Kind int

// The error kinds. KindRateLimit, KindServer, KindTimeout, KindNetwork and
// KindReply are retried by Backend; the others are returned at once.
const (
	KindUnknown    Kind = iota
	KindRateLimit       // HTTP 429
	KindServer          // HTTP 5xx
	KindTimeout         // the per-call timeout expired
	KindNetwork         // connection refused or reset, truncated body
	KindReply           // a 2xx reply that is not a usable completion (bad JSON, no choices)
	KindRequest         // another HTTP 4xx: bad key, unknown model, bad parameter
	KindReplayMiss      // cache_mode replay and no cached reply
	KindCanceled        // the caller's context ended
)

var kindNames = [...]string{"unknown", "rate limit", "server error", "timeout", "network error", "bad reply", "request rejected", "replay miss", "canceled"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Retryable reports whether a call failing with k may succeed if repeated.
func (k Kind) Retryable() bool {
	switch k {
	case KindRateLimit, KindServer, KindTimeout, KindNetwork, KindReply:
		return true
	}
	return false
}

// Error is a failed call. Its message never holds an API key or a header
// value: server-provided text is redacted before it is stored.
type Error struct {
	Kind Kind
	// Status is the HTTP status code, 0 when there was no HTTP reply.
	Status int
	// RetryAfter is the server's Retry-After, 0 when absent.
	RetryAfter time.Duration
	// Attempts is the number of HTTP attempts made.
	Attempts int
	// Msg is the redacted detail.
	Msg string
	// Err is the underlying sentinel or context error, if any; never an
	// error value produced by the HTTP client (those may carry request
	// details).
	Err error
}

func (e *Error) Error() string {
	s := "llm: " + e.Kind.String()
	if e.Status != 0 {
		s += fmt.Sprintf(" (http %d)", e.Status)
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	return s
}

// Unwrap returns the underlying sentinel or context error.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err, KindUnknown when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// ErrReplayMiss is wrapped by the error of a call that found no cached reply
// in cache_mode replay.
var ErrReplayMiss = errors.New("no cached reply for this request")
