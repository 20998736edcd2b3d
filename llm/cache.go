package llm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// Key returns the content address of req sent to model: the hex SHA-256 of
// a canonical JSON encoding of the model, the messages, the sampling
// parameters (temperature, top_p, top_k, max_tokens, seed), the requested response
// format and schema, and the prompt template version. Nothing else (no base
// URL, no header, no key) enters the key.
func Key(model string, req Request) string {
	k := struct {
		V           int       `json:"v"`
		Model       string    `json:"model"`
		Messages    []Message `json:"messages"`
		Temperature *float32  `json:"temperature"`
		TopP        *float32  `json:"top_p"`
		TopK        int       `json:"top_k"`
		MaxTokens   int       `json:"max_tokens"`
		Seed        *int      `json:"seed"`
		Format      Format    `json:"format"`
		SchemaName  string    `json:"schema_name"`
		Schema      string    `json:"schema"`
		Template    string    `json:"template_version"`
	}{1, model, req.Messages, req.Temperature, req.TopP, req.TopK, req.MaxTokens, req.Seed, req.Format, req.SchemaName, string(req.Schema), req.TemplateVersion}
	b, err := json.Marshal(k)
	if err != nil { // cannot happen: all fields are plain data
		panic(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Entry is one cached reply, stored as DIR/KEY[:2]/KEY-N.json where N is
// the occurrence: the N-th identical request of a run (from 0). Identical
// requests within a run thus get their own replies, and a replayed run that
// makes the same requests in the same order gets the same replies.
type Entry struct {
	Key        string  `json:"key"`
	Occurrence int     `json:"occurrence"`
	Model      string  `json:"model"` // the configured model
	Request    Request `json:"request"`
	Text       string  `json:"text"`
	Reported   string  `json:"reported_model"` // as the server reported it
	Usage      Usage   `json:"usage"`
	LatencyMS  float64 `json:"latency_ms"`
	Format     Format  `json:"format_used"`
	// ErrorKind and Error record a call that failed after its retries
	// (only kinds that a run survives by skipping: rate limit, server,
	// timeout, network, bad reply). Replay returns the same failure;
	// read-write mode asks the server again.
	ErrorKind Kind   `json:"error_kind,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Cache is a content-addressed store of replies in a folder. Writes go to a
// temporary file renamed into place, so a crash never leaves a half-written
// entry. Safe for concurrent use.
type Cache struct {
	dir string
	mu  sync.Mutex
	seq map[string]int // occurrences handed out per key
}

// OpenCache opens (creating if needed) the cache folder dir.
func OpenCache(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("llm cache: %w", err)
	}
	return &Cache{dir: dir, seq: map[string]int{}}, nil
}

// next returns the occurrence number for the next request with key.
func (c *Cache) next(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.seq[key]
	c.seq[key] = n + 1
	return n
}

func (c *Cache) path(key string, occ int) string {
	return filepath.Join(c.dir, key[:2], key+"-"+strconv.Itoa(occ)+".json")
}

// Get returns the entry for key and occurrence, ok false when there is none.
// A present but unreadable entry is an error naming the file.
func (c *Cache) Get(key string, occ int) (e *Entry, ok bool, err error) {
	p := c.path(key, occ)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("llm cache: %w", err)
	}
	e, err = DecodeEntry(b)
	if err != nil {
		return nil, false, fmt.Errorf("llm cache: %s: %w", p, err)
	}
	if e.Key != key || e.Occurrence != occ {
		return nil, false, fmt.Errorf("llm cache: %s: entry holds key %.12s/%d, want %.12s/%d", p, e.Key, e.Occurrence, key, occ)
	}
	return e, true, nil
}

// DecodeEntry parses one cache entry file.
func DecodeEntry(b []byte) (*Entry, error) {
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("bad cache entry: %w", err)
	}
	if len(e.Key) != 64 {
		return nil, errors.New("bad cache entry: key is not a sha-256 hex digest")
	}
	if _, err := hex.DecodeString(e.Key); err != nil {
		return nil, errors.New("bad cache entry: key is not a sha-256 hex digest")
	}
	if e.Occurrence < 0 {
		return nil, errors.New("bad cache entry: negative occurrence")
	}
	return &e, nil
}

// Put stores e atomically.
func (c *Cache) Put(e *Entry) error {
	p := c.path(e.Key, e.Occurrence)
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	return writeFileAtomic(p, append(b, '\n'))
}

// writeFileAtomic writes b to a temporary file beside path and renames it.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("llm cache: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("llm cache: %w", err)
	}
	return nil
}
