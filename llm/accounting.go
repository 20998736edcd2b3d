package llm

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Accounting summarises the calls of one Backend (one run). It is attached
// to every result row that used an LLM. Tokens and cost count only replies
// that came from the server; cache hits are counted in CacheHits.
type Accounting struct {
	// Calls is the number of Complete calls that returned a reply,
	// from the server or the cache.
	Calls int `json:"calls"`
	// Requests is the number of HTTP attempts, retries included.
	Requests int `json:"requests"`
	// Retries is the number of attempts beyond the first of each call.
	Retries int `json:"retries"`
	// CacheHits is the number of replies (and, in replay, recorded
	// failures) served from the cache.
	CacheHits int `json:"cache_hits"`
	// Errors is the number of Complete calls that failed.
	Errors int `json:"errors"`
	// PromptTokens and CompletionTokens are summed over server replies.
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	// TokensEstimated is true when at least one server reply carried no
	// usage and its counts were estimated from the text (EstimateTokens).
	TokensEstimated bool `json:"tokens_estimated"`
	// CostUSD is PromptTokens/1000 × price_per_1k_prompt +
	// CompletionTokens/1000 × price_per_1k_completion, in US dollars.
	CostUSD float64 `json:"cost_usd"`
	// LatencyP50MS, LatencyP90MS and LatencyP99MS are nearest-rank
	// percentiles of the latency of server replies (retries and waits
	// included), in milliseconds; 0 when there were none.
	LatencyP50MS float64 `json:"latency_p50_ms"`
	LatencyP90MS float64 `json:"latency_p90_ms"`
	LatencyP99MS float64 `json:"latency_p99_ms"`
	// ParseFailures counts replies a consumer could not use (reported by
	// the consumer through AddParseFailures).
	ParseFailures int `json:"parse_failures"`
	// Repairs counts replies a consumer used only after a re-ask (reported
	// through AddRepairs).
	Repairs int `json:"repairs"`
}

// Percentile returns the nearest-rank p-th percentile (p in (0, 100]) of
// xs: the smallest x such that at least p% of xs are <= x. xs need not be
// sorted; it is not modified. It returns 0 for an empty xs.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	r := int(math.Ceil(p / 100 * float64(len(s))))
	r = min(max(r, 1), len(s))
	return s[r-1]
}

// meter accumulates Accounting; safe for concurrent use.
type meter struct {
	mu        sync.Mutex
	a         Accounting
	latencies []float64 // ms
	p1k, c1k  float64
}

func (m *meter) server(u Usage, lat time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.a.Calls++
	m.a.PromptTokens += u.PromptTokens
	m.a.CompletionTokens += u.CompletionTokens
	m.a.TokensEstimated = m.a.TokensEstimated || u.Estimated
	m.latencies = append(m.latencies, float64(lat)/float64(time.Millisecond))
}

func (m *meter) attempt(retry bool) {
	m.mu.Lock()
	m.a.Requests++
	if retry {
		m.a.Retries++
	}
	m.mu.Unlock()
}

func (m *meter) hit() {
	m.mu.Lock()
	m.a.Calls++
	m.a.CacheHits++
	m.mu.Unlock()
}

// replayedFailure counts a failure answered from the cache in replay mode.
func (m *meter) replayedFailure() {
	m.mu.Lock()
	m.a.CacheHits++
	m.a.Errors++
	m.mu.Unlock()
}

func (m *meter) failed() {
	m.mu.Lock()
	m.a.Errors++
	m.mu.Unlock()
}

func (m *meter) add(parse, repairs int) {
	m.mu.Lock()
	m.a.ParseFailures += parse
	m.a.Repairs += repairs
	m.mu.Unlock()
}

func (m *meter) snapshot() Accounting {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.a
	a.CostUSD = float64(a.PromptTokens)/1000*m.p1k + float64(a.CompletionTokens)/1000*m.c1k
	a.LatencyP50MS = Percentile(m.latencies, 50)
	a.LatencyP90MS = Percentile(m.latencies, 90)
	a.LatencyP99MS = Percentile(m.latencies, 99)
	return a
}

// EstimateTokens estimates the token count of text for servers that report
// no usage: one token per 4 bytes, rounded up (OpenAI's rule of thumb for
// English text), plus 4 per message for the chat framing when used on a
// prompt. It is an estimate; Usage.Estimated says so.
func EstimateTokens(text string) int {
	return (len(text) + 3) / 4
}

func estimatePrompt(msgs []Message) int {
	n := 0
	for _, m := range msgs {
		n += 4 + EstimateTokens(m.Content)
	}
	return n
}
