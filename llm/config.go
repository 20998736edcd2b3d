package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"
)

// CacheMode says how the response cache is used.
type CacheMode string

// The cache modes.
const (
	// CacheOff neither reads nor writes the cache (the zero value).
	CacheOff CacheMode = "off"
	// CacheReadWrite returns a cached reply when there is one and stores
	// every new reply.
	CacheReadWrite CacheMode = "read-write"
	// CacheReplay answers only from the cache and fails on a miss with
	// ErrReplayMiss, without contacting the server: deterministic
	// regression runs in CI.
	CacheReplay CacheMode = "replay"
)

// Config configures a Backend. Keys (yaml tags) are the ones used in YAML
// configs and by --set llm.KEY=VALUE. The zero value is usable for a
// local server at DefaultConfig's base URL once Model is set; DefaultConfig
// fills in the defaults. An API key never appears here: APIKeyEnv names the
// environment variable that holds it.
type Config struct {
	// BaseURL is the OpenAI-compatible API root, including /v1
	// (https://api.openai.com/v1, http://localhost:8000/v1 for vLLM).
	BaseURL string `yaml:"base_url" json:"base_url,omitempty"`
	// APIType is "openai" (the default: OpenAI and every OpenAI-compatible
	// server) or "azure" (Azure OpenAI: BaseURL is the resource endpoint
	// https://NAME.openai.azure.com, Model is the deployment name, and the
	// key travels in the api-key header).
	APIType string `yaml:"api_type" json:"api_type,omitempty"`
	// APIVersion is Azure's api-version query parameter; empty: 2024-10-21.
	APIVersion string `yaml:"api_version" json:"api_version,omitempty"`
	// Model is the model name sent with every request.
	Model string `yaml:"model" json:"model,omitempty"`
	// APIKeyEnv names the environment variable holding the API key; empty
	// means no key (local servers). The variable is read once, by Open.
	APIKeyEnv string `yaml:"api_key_env" json:"api_key_env,omitempty"`
	// Organization is sent as the OpenAI-Organization header when set.
	Organization string `yaml:"organization" json:"organization,omitempty"`
	// Headers are extra HTTP headers sent with every request. Their values
	// are never written to caches, transcripts or errors.
	Headers map[string]string `yaml:"headers" json:"headers,omitempty"`
	// Temperature is the sampling temperature in [0, 2]; nil: server default.
	Temperature *float64 `yaml:"temperature" json:"temperature,omitempty"`
	// TopP is the nucleus-sampling mass in (0, 1]; nil: server default.
	TopP *float64 `yaml:"top_p" json:"top_p,omitempty"`
	// TopK samples from the k most likely tokens; 0: server default. Not
	// part of OpenAI's API: it is added to the request body for servers that
	// read it (vLLM, llama.cpp, LM Studio); OpenAI rejects it.
	TopK int `yaml:"top_k" json:"top_k,omitempty"`
	// MaxTokens caps the completion length in tokens; 0: server default.
	MaxTokens int `yaml:"max_tokens" json:"max_tokens,omitempty"`
	// Seed is sent to servers that support seeded sampling, with requests
	// that carry no seed of their own (the LLM planner sends the run
	// seed); nil: none.
	Seed *int `yaml:"seed" json:"seed,omitempty"`
	// Timeout bounds one HTTP attempt; 0: DefaultConfig's 60s.
	Timeout time.Duration `yaml:"timeout" json:"timeout,omitempty"`
	// Retries is the number of attempts after the first on 429, 5xx,
	// timeouts and connection errors; 0 means no retry.
	Retries int `yaml:"retries" json:"retries,omitempty"`
	// Concurrency caps simultaneous requests; 0: 1.
	Concurrency int `yaml:"concurrency" json:"concurrency,omitempty"`
	// RequestsPerMinute caps the request rate (every attempt counts);
	// 0: unlimited.
	RequestsPerMinute float64 `yaml:"requests_per_minute" json:"requests_per_minute,omitempty"`
	// PricePer1KPrompt is the price in US dollars per 1,000 prompt tokens.
	PricePer1KPrompt float64 `yaml:"price_per_1k_prompt" json:"price_per_1k_prompt,omitempty"`
	// PricePer1KCompletion is the price in US dollars per 1,000
	// completion tokens.
	PricePer1KCompletion float64 `yaml:"price_per_1k_completion" json:"price_per_1k_completion,omitempty"`
	// CacheDir is the response cache folder. With CacheMode read-write it
	// defaults to DefaultCacheDir (the user's cache, not the directory the
	// command runs in); replay must name it (the recording a CI run
	// replays). A relative path is relative to the working directory.
	CacheDir string `yaml:"cache_dir" json:"cache_dir,omitempty"`
	// CacheMode is off (the zero value ""), read-write or replay.
	CacheMode CacheMode `yaml:"cache_mode" json:"cache_mode,omitempty"`
	// Transcript is a JSON-lines file to which every call is appended;
	// empty: none.
	Transcript string `yaml:"transcript" json:"transcript,omitempty"`
	// ResponseFormat is the strongest structured-output mode the server
	// supports: json_schema, json_object or text (prompt-only JSON).
	// Empty: json_object. A server that rejects response_format is
	// downgraded to text for the rest of the run.
	ResponseFormat Format `yaml:"response_format" json:"response_format,omitempty"`
}

// DefaultConfig is a local OpenAI-compatible server (vLLM's default port)
// with a 60 s timeout, 3 retries, one request at a time, the cache off and
// JSON-object mode. Model must still be set.
var DefaultConfig = Config{
	BaseURL:        "http://localhost:8000/v1",
	Timeout:        60 * time.Second,
	Retries:        3,
	Concurrency:    1,
	CacheMode:      CacheOff,
	ResponseFormat: FormatJSONObject,
}

// DefaultCacheDir is the response cache of read-write mode when no
// cache_dir is given: synthor/llm-cache in the user's cache directory
// (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches
// on macOS); "" when there is none.
func DefaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "synthor", "llm-cache")
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = DefaultConfig.BaseURL
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultConfig.Timeout
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConfig.Concurrency
	}
	if c.CacheMode == "" {
		c.CacheMode = CacheOff
	}
	if c.CacheMode == CacheReadWrite && c.CacheDir == "" {
		c.CacheDir = DefaultCacheDir()
	}
	if c.ResponseFormat == "" {
		c.ResponseFormat = DefaultConfig.ResponseFormat
	}
	return c
}

// Validate reports the first bad key, named as in YAML (llm.KEY).
func (c Config) Validate() error {
	bad := func(key, format string, a ...any) error {
		return fmt.Errorf("llm config: key llm.%s: %s", key, fmt.Sprintf(format, a...))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("base_url", "want an http(s) URL such as http://localhost:8000/v1, got %q", c.BaseURL)
		}
		if u.User != nil {
			return bad("base_url", "must not hold credentials; name an environment variable in llm.api_key_env")
		}
	}
	switch c.APIType {
	case "", "openai", "azure":
	default:
		return bad("api_type", "want openai or azure, got %q", c.APIType)
	}
	if strings.TrimSpace(c.Model) == "" {
		return bad("model", "is required")
	}
	if c.APIKeyEnv != "" && !validEnvName(c.APIKeyEnv) {
		return bad("api_key_env", "must be an environment variable name (letters, digits, _), not a key")
	}
	for k := range c.Headers {
		if strings.TrimSpace(k) == "" || strings.ContainsAny(k, " :\r\n") {
			return bad("headers", "bad header name %q", k)
		}
	}
	if c.Temperature != nil && !(*c.Temperature >= 0 && *c.Temperature <= 2) {
		return bad("temperature", "want a value in [0, 2], got %g", *c.Temperature)
	}
	if c.TopP != nil && !(*c.TopP > 0 && *c.TopP <= 1) {
		return bad("top_p", "want a value in (0, 1], got %g", *c.TopP)
	}
	if c.TopK < 0 {
		return bad("top_k", "must be >= 0, got %d", c.TopK)
	}
	if c.MaxTokens < 0 {
		return bad("max_tokens", "must be >= 0, got %d", c.MaxTokens)
	}
	if c.Timeout < 0 {
		return bad("timeout", "must be >= 0, got %s", c.Timeout)
	}
	if c.Retries < 0 || c.Retries > 20 {
		return bad("retries", "want 0..20, got %d", c.Retries)
	}
	if c.Concurrency < 0 {
		return bad("concurrency", "must be >= 0, got %d", c.Concurrency)
	}
	if !(c.RequestsPerMinute >= 0) || math.IsInf(c.RequestsPerMinute, 0) {
		return bad("requests_per_minute", "must be >= 0, got %g", c.RequestsPerMinute)
	}
	if !(c.PricePer1KPrompt >= 0) || math.IsInf(c.PricePer1KPrompt, 0) {
		return bad("price_per_1k_prompt", "must be >= 0, got %g", c.PricePer1KPrompt)
	}
	if !(c.PricePer1KCompletion >= 0) || math.IsInf(c.PricePer1KCompletion, 0) {
		return bad("price_per_1k_completion", "must be >= 0, got %g", c.PricePer1KCompletion)
	}
	switch c.CacheMode {
	case "", CacheOff:
	case CacheReadWrite:
		if c.CacheDir == "" && DefaultCacheDir() == "" {
			return bad("cache_dir", "is required: this machine has no user cache directory")
		}
	case CacheReplay:
		if c.CacheDir == "" {
			return bad("cache_dir", "is required when llm.cache_mode is %s (the recorded cache to replay)", c.CacheMode)
		}
	default:
		return bad("cache_mode", "want off, read-write or replay, got %q", c.CacheMode)
	}
	switch c.ResponseFormat {
	case "", FormatText, FormatJSONObject, FormatJSONSchema:
	default:
		return bad("response_format", "want json_schema, json_object or text, got %q", c.ResponseFormat)
	}
	return nil
}

func validEnvName(s string) bool {
	for i, r := range s {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// errMissingKey is wrapped by Open when api_key_env names an unset variable.
var errMissingKey = errors.New("environment variable is not set")

// MarshalJSON writes the config with its keys as field names and every
// header value replaced by "[redacted]", so that a config recorded in a
// result or a log never carries a credential.
func (c Config) MarshalJSON() ([]byte, error) {
	type plain Config
	p := plain(c)
	if len(c.Headers) > 0 {
		p.Headers = make(map[string]string, len(c.Headers))
		for k := range c.Headers {
			p.Headers[k] = "[redacted]"
		}
	}
	return json.Marshal(p)
}

// ConfigKeys returns the configuration keys of Config (its yaml tags) in
// field order, without the "llm." prefix.
func ConfigKeys() []string {
	t := reflect.TypeFor[Config]()
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if k := t.Field(i).Tag.Get("yaml"); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}
