package llm

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Record is one line of a transcript: a call, its reply or error, usage,
// latency and whether the cache answered. It holds no key and no header.
type Record struct {
	Seq        int      `json:"seq"` // order of completion within the Backend, from 1
	Key        string   `json:"key"`
	Occurrence int      `json:"occurrence"`
	Model      string   `json:"model"`
	Request    Request  `json:"request"`
	Format     Format   `json:"format_used,omitempty"`
	Text       string   `json:"text,omitempty"`
	Reported   string   `json:"reported_model,omitempty"`
	Usage      *Usage   `json:"usage,omitempty"`
	LatencyMS  float64  `json:"latency_ms"`
	CacheHit   bool     `json:"cache_hit"`
	Retries    int      `json:"retries"`
	Error      string   `json:"error,omitempty"`
	ErrorKind  string   `json:"error_kind,omitempty"`
	Fallbacks  []string `json:"fallbacks,omitempty"`
}

// transcript appends Records as JSON lines; each line is written with one
// write call so that a crash loses at most the line being written.
type transcript struct {
	mu  sync.Mutex
	f   *os.File
	seq int
}

func openTranscript(path string) (*transcript, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("llm transcript: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("llm transcript: %w", err)
	}
	return &transcript{f: f}, nil
}

func (t *transcript) write(r Record) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	r.Seq = t.seq
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("llm transcript: %w", err)
	}
	if _, err := t.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("llm transcript: %w", err)
	}
	return nil
}

func (t *transcript) close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.f.Close()
}
