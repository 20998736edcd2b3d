package llm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/llm/llmtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// sleeps records requested waits and returns at once.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func open(t *testing.T, cfg llm.Config, opts ...llm.Option) *llm.Backend {
	t.Helper()
	b, err := llm.Open(cfg, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func server(t *testing.T, brain llmtest.Brain, opts ...llmtest.Option) *llmtest.Server {
	t.Helper()
	s := llmtest.NewServer(brain, opts...)
	t.Cleanup(s.Close)
	return s
}

func cfgFor(s *llmtest.Server) llm.Config {
	c := llm.DefaultConfig
	c.BaseURL = s.URL
	c.Model = "test-model"
	c.Timeout = 2 * time.Second
	return c
}

func ask(text string) llm.Request {
	return llm.Request{Messages: []llm.Message{{Role: llm.System, Content: "Answer in JSON."}, {Role: llm.User, Content: text}}, Format: llm.FormatJSONObject}
}

func f32(v float32) *float32 { return &v }
func f64(v float64) *float64 { return &v }

func TestCompleteSendsAndReturns(t *testing.T) {
	s := server(t, llmtest.Reply(`{"ok": true}`), llmtest.WithModel("served-model-v2"))
	cfg := cfgFor(s)
	cfg.Temperature = f64(0.7)
	cfg.TopP = f64(0.98)
	cfg.MaxTokens = 2048
	cfg.TopK = 20
	seed := 42
	cfg.Seed = &seed
	cfg.Headers = map[string]string{"X-Team": "synth"}
	cfg.Organization = "org-1"
	b := open(t, cfg)
	resp, err := b.Complete(context.Background(), ask("say ok"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text != `{"ok": true}` || resp.Model != "served-model-v2" || resp.Format != llm.FormatJSONObject || resp.FinishReason != "stop" {
		t.Errorf("resp = %+v", resp)
	}
	// The fake counts words + 3 per message: "Answer in JSON." (3+3) + "say ok" (2+3).
	if resp.Usage != (llm.Usage{PromptTokens: 11, CompletionTokens: 2}) {
		t.Errorf("usage = %+v, want 11/2 reported", resp.Usage)
	}
	got := s.Requests()[0]
	if got.Model != "test-model" || got.MaxTokens != 2048 || got.TopK != 20 || got.Seed == nil || *got.Seed != 42 || got.ResponseFormat != "json_object" {
		t.Errorf("request = %+v", got)
	}
	if got.Temperature == nil || fmt.Sprintf("%.2f", *got.Temperature) != "0.70" || got.TopP == nil || fmt.Sprintf("%.2f", *got.TopP) != "0.98" {
		t.Errorf("sampling = %v %v", got.Temperature, got.TopP)
	}
	if got.Header.Get("X-Team") != "synth" || got.Header.Get("OpenAI-Organization") != "org-1" {
		t.Errorf("headers = %v", got.Header)
	}
}

func TestAzure(t *testing.T) {
	t.Setenv("LLMTEST_AZURE_KEY", "azure-key-1")
	s := server(t, llmtest.Reply(`{"ok": true}`), llmtest.RequireKey("azure-key-1"))
	cfg := cfgFor(s)
	cfg.APIType, cfg.BaseURL, cfg.Model, cfg.APIKeyEnv = "azure", s.Root, "my-gpt4-deployment", "LLMTEST_AZURE_KEY"
	for _, version := range []string{"", "2025-01-01-preview"} {
		cfg.APIVersion = version
		b := open(t, cfg)
		if _, err := b.Complete(context.Background(), ask("x")); err != nil {
			t.Fatal(err)
		}
		reqs := s.Requests()
		got := reqs[len(reqs)-1]
		want := version
		if want == "" {
			want = "2024-10-21"
		}
		if got.Deployment != "my-gpt4-deployment" || got.APIVersion != want || got.Header.Get("Api-Key") != "azure-key-1" || got.Header.Get("Authorization") != "" {
			t.Errorf("azure request: deployment %q version %q headers %v", got.Deployment, got.APIVersion, got.Header)
		}
	}
	if _, err := llm.Open(llm.Config{Model: "m", APIType: "bedrock"}); err == nil || !strings.Contains(err.Error(), "llm.api_type") {
		t.Errorf("bad api_type: %v", err)
	}
}

func TestReasoningModels(t *testing.T) {
	s := server(t, llmtest.Reply(`{}`))
	cfg := cfgFor(s)
	cfg.Model, cfg.MaxTokens = "o4-mini", 500
	b := open(t, cfg)
	if _, err := b.Complete(context.Background(), ask("x")); err != nil {
		t.Fatalf("max_tokens not moved to max_completion_tokens: %v", err)
	}
	if got := s.Requests()[0]; got.MaxTokens != 0 {
		t.Errorf("max_tokens = %d sent to a reasoning model", got.MaxTokens)
	}
	cfg.Temperature = f64(0.7)
	b = open(t, cfg)
	_, err := b.Complete(context.Background(), ask("x"))
	if llm.KindOf(err) != llm.KindRequest || !strings.Contains(err.Error(), "model o4-mini") || s.Calls() != 1 {
		t.Errorf("err = %v after %d calls, want a request error before sending", err, s.Calls())
	}
}

func TestZeroTemperatureIsSent(t *testing.T) {
	s := server(t, llmtest.Reply(`{}`))
	b := open(t, cfgFor(s))
	req := ask("x")
	req.Temperature = f32(0)
	if _, err := b.Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	got := s.Requests()[0].Temperature
	if got == nil || *got <= 0 || *got > 1e-6 {
		t.Errorf("temperature sent = %v, want a tiny positive value", got)
	}
}

func TestUsageEstimatedWhenServerReportsNone(t *testing.T) {
	s := server(t, llmtest.Reply(`{"a": 1}`), llmtest.WithoutUsage())
	b := open(t, cfgFor(s))
	resp, err := b.Complete(context.Background(), ask("12345678"))
	if err != nil {
		t.Fatal(err)
	}
	// 4 per message + ceil(bytes/4): "Answer in JSON." 15 bytes -> 4, "12345678" -> 2.
	want := llm.Usage{PromptTokens: 4 + 4 + 4 + 2, CompletionTokens: 2, Estimated: true}
	if resp.Usage != want {
		t.Errorf("usage = %+v, want %+v", resp.Usage, want)
	}
	if !b.Stats().TokensEstimated {
		t.Error("Stats().TokensEstimated = false")
	}
}

func TestTransportFaultsAreRetried(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault llmtest.Fault
	}{
		{"429", llmtest.Fault{Kind: llmtest.RateLimit, RetryAfter: time.Second}},
		{"500", llmtest.Fault{Kind: llmtest.ServerError}},
		{"slow past timeout", llmtest.Fault{Kind: llmtest.Slow, Delay: time.Minute}},
		{"connection reset", llmtest.Fault{Kind: llmtest.ConnReset}},
		{"malformed body", llmtest.Fault{Kind: llmtest.MalformedBody}},
		{"truncated body", llmtest.Fault{Kind: llmtest.TruncatedBody}},
		{"empty choices", llmtest.Fault{Kind: llmtest.EmptyChoices}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := server(t, llmtest.Reply(`{"ok": 1}`))
			second := tc.fault
			if tc.fault.Kind == llmtest.Slow {
				second = llmtest.Fault{Kind: llmtest.ServerError} // one slow wait is enough
			}
			s.Inject(tc.fault, second)
			cfg := cfgFor(s)
			cfg.Timeout = time.Second // generous for a loaded machine; a slow reply waits it out once
			cfg.Retries = 2
			var sl sleeps
			b := open(t, cfg, llm.WithSleep(sl.sleep))
			resp, err := b.Complete(context.Background(), ask("x"))
			if err != nil {
				t.Fatalf("want success after 2 retries, got %v", err)
			}
			if resp.Text != `{"ok": 1}` || resp.Retries != 2 {
				t.Errorf("resp = %+v", resp)
			}
			st := b.Stats()
			if st.Requests != 3 || st.Retries != 2 || st.Calls != 1 || st.Errors != 0 {
				t.Errorf("stats = %+v", st)
			}
			waits := sl.all()
			if len(waits) != 2 {
				t.Fatalf("waits = %v, want 2", waits)
			}
			for i, d := range waits {
				base := 500 * time.Millisecond << i
				if d < base/2 || d > base && tc.fault.Kind != llmtest.RateLimit {
					t.Errorf("wait %d = %v, want in [%v, %v]", i, d, base/2, base)
				}
				if tc.fault.Kind == llmtest.RateLimit && d < tc.fault.RetryAfter {
					t.Errorf("wait %d = %v, want >= Retry-After %v", i, d, tc.fault.RetryAfter)
				}
			}
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault llmtest.Fault
		kind  llm.Kind
	}{
		{"429", llmtest.Fault{Kind: llmtest.RateLimit, RetryAfter: time.Second}, llm.KindRateLimit},
		{"500", llmtest.Fault{Kind: llmtest.ServerError}, llm.KindServer},
		{"timeout", llmtest.Fault{Kind: llmtest.Slow, Delay: time.Minute}, llm.KindTimeout},
		{"reset", llmtest.Fault{Kind: llmtest.ConnReset}, llm.KindNetwork},
		{"truncated body", llmtest.Fault{Kind: llmtest.TruncatedBody}, llm.KindNetwork},
		{"malformed body", llmtest.Fault{Kind: llmtest.MalformedBody}, llm.KindReply},
		{"empty choices", llmtest.Fault{Kind: llmtest.EmptyChoices}, llm.KindReply},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := server(t, llmtest.Reply(`{}`))
			s.Inject(tc.fault, tc.fault, tc.fault)
			cfg := cfgFor(s)
			cfg.Timeout = 5 * time.Second
			if tc.kind == llm.KindTimeout {
				cfg.Timeout = 50 * time.Millisecond
			}
			cfg.Retries = 2
			var sl sleeps
			b := open(t, cfg, llm.WithSleep(sl.sleep))
			_, err := b.Complete(context.Background(), ask("x"))
			if k := llm.KindOf(err); k != tc.kind {
				t.Fatalf("kind = %v (%v), want %v", k, err, tc.kind)
			}
			if !strings.Contains(err.Error(), "after 3 attempts") {
				t.Errorf("error %q does not say how many attempts", err)
			}
			if st := b.Stats(); st.Errors != 1 || st.Requests != 3 || st.Calls != 0 {
				t.Errorf("stats = %+v", st)
			}
		})
	}
}

func TestRequestErrorsAreNotRetried(t *testing.T) {
	t.Setenv("LLMTEST_KEY", "wrong-key-0001")
	s := server(t, llmtest.Reply(`{}`), llmtest.RequireKey("right-key"))
	cfg := cfgFor(s)
	cfg.APIKeyEnv = "LLMTEST_KEY"
	cfg.Retries = 3
	var sl sleeps
	b := open(t, cfg, llm.WithSleep(sl.sleep))
	_, err := b.Complete(context.Background(), ask("x"))
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindRequest || e.Status != 401 {
		t.Fatalf("err = %v, want request rejected 401", err)
	}
	if s.Calls() != 1 || len(sl.all()) != 0 {
		t.Errorf("calls = %d, waits = %v: a 401 must not be retried", s.Calls(), sl.all())
	}
}

func TestCancelDuringSlowReply(t *testing.T) {
	s := server(t, llmtest.Reply(`{}`))
	s.Inject(llmtest.Fault{Kind: llmtest.Slow, Delay: time.Minute})
	cfg := cfgFor(s)
	cfg.Timeout = time.Minute
	b := open(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := b.Complete(ctx, ask("x"))
	if llm.KindOf(err) != llm.KindCanceled || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want canceled wrapping the context error", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Error("cancellation was not prompt")
	}
}

func TestResponseFormatFallback(t *testing.T) {
	s := server(t, llmtest.Reply(`{"a": 1}`), llmtest.RejectResponseFormat())
	cfg := cfgFor(s)
	cfg.ResponseFormat = llm.FormatJSONSchema
	b := open(t, cfg)
	req := ask("x")
	req.Format = llm.FormatJSONSchema
	req.Schema = []byte(`{"type":"object"}`)
	resp, err := b.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Format != llm.FormatText {
		t.Errorf("format used = %q, want text", resp.Format)
	}
	var sent []string
	for _, r := range s.Requests() {
		sent = append(sent, r.ResponseFormat)
	}
	if strings.Join(sent, ",") != "json_schema,json_object," {
		t.Errorf("formats sent = %q", sent)
	}
	// The downgrade is remembered: the next call goes out as text at once.
	if _, err := b.Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if n := s.Calls(); n != 4 || s.Requests()[3].ResponseFormat != "" {
		t.Errorf("calls = %d, last format = %q", n, s.Requests()[n-1].ResponseFormat)
	}
}

func TestInvalidSchemaIsRejected(t *testing.T) {
	s := server(t, llmtest.Reply(`{}`))
	b := open(t, cfgFor(s))
	req := ask("x")
	req.Format, req.Schema = llm.FormatJSONSchema, []byte(`{"type":`)
	if _, err := b.Complete(context.Background(), req); llm.KindOf(err) != llm.KindRequest || s.Calls() != 0 {
		t.Errorf("err = %v, calls = %d", err, s.Calls())
	}
}

func TestJSONSchemaIsSent(t *testing.T) {
	s := server(t, llmtest.Reply(`{}`))
	cfg := cfgFor(s)
	cfg.ResponseFormat = llm.FormatJSONSchema
	b := open(t, cfg)
	req := ask("x")
	req.Format, req.SchemaName, req.Schema = llm.FormatJSONSchema, "plan", []byte(`{"type":"object","required":["n"]}`)
	resp, err := b.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	got := s.Requests()[0]
	if resp.Format != llm.FormatJSONSchema || got.ResponseFormat != "json_schema" || string(got.Schema) != `{"type":"object","required":["n"]}` {
		t.Errorf("format %q, sent %q %s", resp.Format, got.ResponseFormat, got.Schema)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	var inflight, peak atomic.Int32
	brain := func(llmtest.Request) (string, error) {
		n := inflight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inflight.Add(-1)
		return `{}`, nil
	}
	s := server(t, brain)
	cfg := cfgFor(s)
	cfg.Concurrency = 2
	b := open(t, cfg)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			if _, err := b.Complete(context.Background(), ask(fmt.Sprint(i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrency = %d, want 2", p)
	}
}

func TestRateLimiterSpacesRequests(t *testing.T) {
	s := server(t, llmtest.Reply(`{}`))
	cfg := cfgFor(s)
	cfg.RequestsPerMinute = 30 // one every 2 s, burst 1
	var mu sync.Mutex
	now := time.Unix(1000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var sl sleeps
	sleep := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
		return sl.sleep(ctx, d)
	}
	b := open(t, cfg, llm.WithClock(clock), llm.WithSleep(sleep))
	for i := range 3 {
		if _, err := b.Complete(context.Background(), ask(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if got := fmt.Sprint(sl.all()); got != "[2s 2s]" {
		t.Errorf("limiter waits = %s, want [2s 2s]", got)
	}
}

func TestStatsCostAndPercentiles(t *testing.T) {
	s := server(t, llmtest.Reply(`{"a": 1}`)) // 2 completion tokens
	cfg := cfgFor(s)
	cfg.PricePer1KPrompt = 0.1
	cfg.PricePer1KCompletion = 0.4
	b := open(t, cfg)
	for range 4 {
		if _, err := b.Complete(context.Background(), ask("one two three")); err != nil {
			t.Fatal(err)
		}
	}
	b.AddParseFailures(2)
	b.AddRepairs(1)
	st := b.Stats()
	// prompt: (3+3) + (3+3) = 12 per call.
	if st.Calls != 4 || st.PromptTokens != 48 || st.CompletionTokens != 8 || st.ParseFailures != 2 || st.Repairs != 1 {
		t.Errorf("stats = %+v", st)
	}
	want := 48.0/1000*0.1 + 8.0/1000*0.4
	if d := st.CostUSD - want; d > 1e-12 || d < -1e-12 {
		t.Errorf("cost = %g, want %g", st.CostUSD, want)
	}
	if !(st.LatencyP50MS > 0 && st.LatencyP50MS <= st.LatencyP90MS && st.LatencyP90MS <= st.LatencyP99MS) {
		t.Errorf("latency percentiles = %g %g %g", st.LatencyP50MS, st.LatencyP90MS, st.LatencyP99MS)
	}
	if _, err := json.Marshal(st); err != nil {
		t.Error(err)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	xs := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	for _, tc := range []struct{ p, want float64 }{{50, 5}, {90, 9}, {99, 10}, {100, 10}, {1, 1}, {25, 3}} {
		if got := llm.Percentile(xs, tc.p); got != tc.want {
			t.Errorf("Percentile(1..10, %g) = %g, want %g", tc.p, got, tc.want)
		}
	}
	if llm.Percentile(nil, 50) != 0 {
		t.Error("empty percentile not 0")
	}
}

// counter returns a brain that numbers its replies.
func counter() llmtest.Brain {
	var n atomic.Int32
	return func(llmtest.Request) (string, error) { return fmt.Sprintf(`{"reply": %d}`, n.Add(1)), nil }
}

func TestCacheReadWriteThenReplayWithServerOff(t *testing.T) {
	dir := t.TempDir()
	s := llmtest.NewServer(counter())
	cfg := cfgFor(s)
	cfg.CacheDir = filepath.Join(dir, "cache")
	cfg.CacheMode = llm.CacheReadWrite
	reqs := []llm.Request{ask("a"), ask("b"), ask("a")} // "a" twice: distinct occurrences
	var first []string
	b := open(t, cfg)
	for _, r := range reqs {
		resp, err := b.Complete(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		first = append(first, resp.Text)
	}
	if strings.Join(first, " ") != `{"reply": 1} {"reply": 2} {"reply": 3}` {
		t.Fatalf("first run = %q", first)
	}
	b.Close()
	s.Close() // the server is gone

	cfg.CacheMode = llm.CacheReplay
	cfg.APIKeyEnv = "LLMTEST_UNSET_KEY_VAR" // replay needs no key
	r := open(t, cfg)
	for i, req := range reqs {
		resp, err := r.Complete(context.Background(), req)
		if err != nil {
			t.Fatalf("replay %d: %v", i, err)
		}
		if resp.Text != first[i] || !resp.CacheHit {
			t.Errorf("replay %d = %q hit=%v, want %q", i, resp.Text, resp.CacheHit, first[i])
		}
	}
	_, err := r.Complete(context.Background(), ask("a")) // third "a": never recorded
	if llm.KindOf(err) != llm.KindReplayMiss || !errors.Is(err, llm.ErrReplayMiss) {
		t.Errorf("err = %v, want replay miss", err)
	}
	if st := r.Stats(); st.CacheHits != 3 || st.Requests != 0 || st.Errors != 1 {
		t.Errorf("replay stats = %+v", st)
	}
}

func TestReplayReproducesFailures(t *testing.T) {
	dir := t.TempDir()
	s := llmtest.NewServer(counter())
	s.Inject(llmtest.Fault{Kind: llmtest.ServerError}, llmtest.Fault{Kind: llmtest.ServerError})
	cfg := cfgFor(s)
	cfg.Retries = 1
	cfg.CacheDir, cfg.CacheMode = dir, llm.CacheReadWrite
	var sl sleeps
	b := open(t, cfg, llm.WithSleep(sl.sleep))
	_, err1 := b.Complete(context.Background(), ask("a"))  // fails after 1 retry
	r2, err2 := b.Complete(context.Background(), ask("a")) // the same request again succeeds
	if llm.KindOf(err1) != llm.KindServer || err2 != nil {
		t.Fatalf("recording: %v, %v", err1, err2)
	}
	b.Close()
	s.Close()
	cfg.CacheMode = llm.CacheReplay
	r := open(t, cfg)
	_, e1 := r.Complete(context.Background(), ask("a"))
	g2, e2 := r.Complete(context.Background(), ask("a"))
	if llm.KindOf(e1) != llm.KindServer || !strings.Contains(e1.Error(), "replayed failure") {
		t.Errorf("replayed first call: %v, want the recorded server error", e1)
	}
	if e2 != nil || g2.Text != r2.Text {
		t.Errorf("replayed second call: %v %v, want %q", g2, e2, r2.Text)
	}
	if st := r.Stats(); st.CacheHits != 2 || st.Errors != 1 || st.Calls != 1 {
		t.Errorf("replay stats = %+v", st)
	}
	// read-write asks a recorded failure again.
	s2 := server(t, llmtest.Reply(`{"fresh": 1}`))
	cfg.BaseURL, cfg.CacheMode = s2.URL, llm.CacheReadWrite
	rw := open(t, cfg)
	got, err := rw.Complete(context.Background(), ask("a"))
	if err != nil || got.Text != `{"fresh": 1}` || got.CacheHit {
		t.Errorf("read-write over a recorded failure: %v %v", got, err)
	}
}

func TestFormatDowngradeIsRemembered(t *testing.T) {
	// A server that takes json_object but not json_schema.
	s := server(t, llmtest.Reply(`{}`))
	cfg := cfgFor(s)
	cfg.ResponseFormat = llm.FormatJSONSchema
	b := open(t, cfg)
	req := ask("x")
	req.Format, req.Schema = llm.FormatJSONSchema, []byte(`{"type":"object"}`)
	s.Inject(llmtest.Fault{Kind: llmtest.BadRequest})
	if resp, err := b.Complete(context.Background(), req); err != nil || resp.Format != llm.FormatJSONObject {
		t.Fatalf("first call: %v %v", resp, err)
	}
	if resp, err := b.Complete(context.Background(), req); err != nil || resp.Format != llm.FormatJSONObject {
		t.Fatalf("second call: %v %v", resp, err)
	}
	var sent []string
	for _, r := range s.Requests() {
		sent = append(sent, r.ResponseFormat)
	}
	if strings.Join(sent, ",") != "json_schema,json_object,json_object" {
		t.Errorf("formats sent = %v", sent)
	}
}

func TestCachedReplyReusedAfterCrash(t *testing.T) {
	dir := t.TempDir()
	s := server(t, counter())
	cfg := cfgFor(s)
	cfg.CacheDir = dir
	cfg.CacheMode = llm.CacheReadWrite
	cfg.Transcript = filepath.Join(dir, "t.jsonl")
	crashed, err := llm.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crashed.Complete(context.Background(), ask("a")); err != nil {
		t.Fatal(err)
	}
	// No Close: the process "dies" here. A new run resumes with the same cache.
	resumed := open(t, cfg)
	resp, err := resumed.Complete(context.Background(), ask("a"))
	if err != nil {
		t.Fatal(err)
	}
	if !resp.CacheHit || resp.Text != `{"reply": 1}` || s.Calls() != 1 {
		t.Errorf("resumed reply %q hit=%v, server calls %d", resp.Text, resp.CacheHit, s.Calls())
	}
	crashed.Close()
	lines := readLines(t, cfg.Transcript)
	if len(lines) != 2 || !strings.Contains(lines[1], `"cache_hit":true`) {
		t.Errorf("transcript = %q", lines)
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func TestTranscriptRecordsCalls(t *testing.T) {
	s := server(t, llmtest.Reply(`{"x": 1}`))
	s.Inject(llmtest.Fault{Kind: llmtest.ServerError})
	cfg := cfgFor(s)
	cfg.Transcript = filepath.Join(t.TempDir(), "runs", "calls.jsonl") // the folder is created
	var sl sleeps
	b := open(t, cfg, llm.WithSleep(sl.sleep))
	req := ask("hello")
	req.TemplateVersion = "v7"
	if _, err := b.Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	b.Close()
	lines := readLines(t, cfg.Transcript)
	if len(lines) != 1 {
		t.Fatalf("lines = %q", lines)
	}
	var r llm.Record
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil {
		t.Fatal(err)
	}
	if r.Seq != 1 || r.Text != `{"x": 1}` || r.Retries != 1 || r.CacheHit || r.Usage == nil || r.Request.TemplateVersion != "v7" ||
		r.Request.Messages[1].Content != "hello" || r.Key != llm.Key("test-model", r.Request) {
		t.Errorf("record = %+v", r)
	}
}

func TestKeyIgnoresNothingItShouldNot(t *testing.T) {
	base := ask("x")
	k := llm.Key("m", base)
	vary := map[string]func(r *llm.Request){
		"message":  func(r *llm.Request) { r.Messages[1].Content = "y" },
		"temp":     func(r *llm.Request) { r.Temperature = f32(0.5) },
		"top_p":    func(r *llm.Request) { r.TopP = f32(0.5) },
		"max":      func(r *llm.Request) { r.MaxTokens = 9 },
		"top_k":    func(r *llm.Request) { r.TopK = 20 },
		"seed":     func(r *llm.Request) { s := 1; r.Seed = &s },
		"format":   func(r *llm.Request) { r.Format = llm.FormatText },
		"template": func(r *llm.Request) { r.TemplateVersion = "2" },
	}
	for name, f := range vary {
		r := base
		r.Messages = append([]llm.Message(nil), base.Messages...)
		f(&r)
		if llm.Key("m", r) == k {
			t.Errorf("%s does not change the key", name)
		}
	}
	if llm.Key("other", base) == k {
		t.Error("model does not change the key")
	}
	if llm.Key("m", base) != k {
		t.Error("key not stable")
	}
}

func TestKeyNeverWritten(t *testing.T) {
	const secret = "sk-unique-7f3a9c1e-b2d4-4e8a-9f00-secretvalue"
	t.Setenv("SYNTHOR_TEST_API_KEY", secret)
	dir := t.TempDir()
	// The brain echoes the Authorization header in an error once, as a
	// careless proxy might.
	var echoed atomic.Bool
	brain := func(r llmtest.Request) (string, error) {
		if echoed.CompareAndSwap(false, true) {
			return "", fmt.Errorf("upstream refused auth %q", r.Header.Get("Authorization"))
		}
		return `{"ok": true}`, nil
	}
	s := server(t, brain, llmtest.RequireKey(secret))
	s.Inject(llmtest.Fault{Kind: llmtest.RateLimit, RetryAfter: time.Second})
	cfg := cfgFor(s)
	cfg.APIKeyEnv = "SYNTHOR_TEST_API_KEY"
	cfg.CacheDir = filepath.Join(dir, "cache")
	cfg.CacheMode = llm.CacheReadWrite
	cfg.Transcript = filepath.Join(dir, "transcript.jsonl")
	cfg.Retries = 0
	cfg.Headers = map[string]string{"X-Proxy-Token": secret + "-proxy"}
	var logs bytes.Buffer
	var sl sleeps
	b := open(t, cfg, llm.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), llm.WithSleep(sl.sleep))
	var errs []string
	for i := range 4 {
		_, err := b.Complete(context.Background(), ask(fmt.Sprint(i%2)))
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) != 2 {
		t.Fatalf("want the 429 and the echoing 500 to fail, got %q", errs)
	}
	if !strings.Contains(errs[1], "[redacted]") {
		t.Errorf("echoed key not visibly redacted: %q", errs[1])
	}
	b.Close()
	st, _ := json.Marshal(b.Stats())
	cfgJSON, _ := json.Marshal(b.Config())
	texts := map[string]string{"errors": strings.Join(errs, "\n"), "logs": logs.String(), "stats": string(st), "config": string(cfgJSON)}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			texts[p] = string(b)
		}
		return nil
	})
	if len(texts) < 6 {
		t.Errorf("expected cache entries and a transcript, got %d texts", len(texts))
	}
	for where, text := range texts {
		if strings.Contains(text, secret) || strings.Contains(text, secret[3:20]) {
			t.Errorf("key found in %s", where)
		}
	}
	if s.Requests()[0].Header.Get("Authorization") != "Bearer "+secret {
		t.Error("the key did not reach the server")
	}
	if s.Requests()[0].Header.Get("X-Proxy-Token") != secret+"-proxy" || !strings.Contains(string(cfgJSON), `"headers":{"X-Proxy-Token":"[redacted]"}`) {
		t.Errorf("header not sent, or not redacted in the config's JSON: %s", cfgJSON)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Setenv("LLMTEST_EMPTY", "")
	for _, tc := range []struct {
		name string
		cfg  llm.Config
		want string
	}{
		{"missing key var", llm.Config{Model: "m", APIKeyEnv: "LLMTEST_EMPTY"}, "LLMTEST_EMPTY named by llm.api_key_env: environment variable is not set"},
		{"no model", llm.Config{}, "llm.model"},
		{"key instead of name", llm.Config{Model: "m", APIKeyEnv: "sk-abc-123"}, "llm.api_key_env"},
		{"bad url", llm.Config{Model: "m", BaseURL: "localhost:8000"}, "llm.base_url"},
		{"credentials in url", llm.Config{Model: "m", BaseURL: "https://u:p@h/v1"}, "llm.base_url"},
		{"temperature", llm.Config{Model: "m", Temperature: f64(3)}, "llm.temperature"},
		{"top_p", llm.Config{Model: "m", TopP: f64(0)}, "llm.top_p"},
		{"max_tokens", llm.Config{Model: "m", MaxTokens: -1}, "llm.max_tokens"},
		{"top_k", llm.Config{Model: "m", TopK: -1}, "llm.top_k"},
		{"timeout", llm.Config{Model: "m", Timeout: -1}, "llm.timeout"},
		{"retries", llm.Config{Model: "m", Retries: -1}, "llm.retries"},
		{"concurrency", llm.Config{Model: "m", Concurrency: -2}, "llm.concurrency"},
		{"rpm", llm.Config{Model: "m", RequestsPerMinute: -1}, "llm.requests_per_minute"},
		{"price", llm.Config{Model: "m", PricePer1KPrompt: -1}, "llm.price_per_1k_prompt"},
		{"price c", llm.Config{Model: "m", PricePer1KCompletion: -1}, "llm.price_per_1k_completion"},
		{"cache mode", llm.Config{Model: "m", CacheMode: "rw"}, "llm.cache_mode"},
		{"cache dir", llm.Config{Model: "m", CacheMode: llm.CacheReplay}, "llm.cache_dir"},
		{"format", llm.Config{Model: "m", ResponseFormat: "xml"}, "llm.response_format"},
		{"header", llm.Config{Model: "m", Headers: map[string]string{"a b": "c"}}, "llm.headers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := llm.Open(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if err := llm.DefaultConfig.Validate(); err == nil || !strings.Contains(err.Error(), "llm.model") {
		t.Errorf("DefaultConfig without model: %v", err)
	}
}

func TestCorruptCacheEntryNamesFile(t *testing.T) {
	dir := t.TempDir()
	s := server(t, llmtest.Reply(`{}`))
	cfg := cfgFor(s)
	cfg.CacheDir, cfg.CacheMode = dir, llm.CacheReadWrite
	req := ask("x")
	req.Model = cfg.Model
	key := llm.Key(cfg.Model, req)
	p := filepath.Join(dir, key[:2], key+"-0.json")
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte(`{"key": "trunc`), 0o644)
	b := open(t, cfg)
	_, err := b.Complete(context.Background(), ask("x"))
	if err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("err = %v, want it to name %s", err, p)
	}
}

// TestRetryAfterIsBounded: a Retry-After longer than a call may wait
// (llm.timeout, at most MaxRetryAfter) fails the call at once, after one
// request and no sleep, saying what the server asked; a shorter one is
// waited out, at most llm.retries times.
func TestRetryAfterIsBounded(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter time.Duration
		timeout    time.Duration
		retries    int
		requests   int
		want       string
	}{
		{"999999 s", 999999 * time.Second, 5 * time.Second, 3, 1, "asks to retry after 24h0m0s, longer than a call waits (5s"},
		{"past the timeout", 3 * time.Second, 2 * time.Second, 3, 1, "asks to retry after 3s"},
		{"past the maximum", 2 * llm.MaxRetryAfter, time.Hour, 3, 1, "at most 1m0s"},
		{"within the timeout", time.Second, 5 * time.Second, 2, 3, "after 3 attempts"},
		{"no retries", time.Second, 5 * time.Second, 0, 1, "rate limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := server(t, llmtest.Reply(`{}`))
			f := llmtest.Fault{Kind: llmtest.RateLimit, RetryAfter: tc.retryAfter}
			s.Inject(f, f, f, f, f)
			cfg := cfgFor(s)
			cfg.Timeout, cfg.Retries = tc.timeout, tc.retries
			var sl sleeps
			b := open(t, cfg, llm.WithSleep(sl.sleep))
			_, err := b.Complete(context.Background(), ask("x"))
			if err == nil || llm.KindOf(err) != llm.KindRateLimit || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want a rate limit saying %q", err, tc.want)
			}
			if got := s.Calls(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
			waits := sl.all()
			if len(waits) != tc.requests-1 {
				t.Errorf("waits %v, want %d", waits, tc.requests-1)
			}
			for _, d := range waits {
				if d < tc.retryAfter || d > min(tc.timeout, llm.MaxRetryAfter) {
					t.Errorf("wait %v, want in [%v, %v]", d, tc.retryAfter, min(tc.timeout, llm.MaxRetryAfter))
				}
			}
		})
	}
}

// TestCacheDirDefaultsToTheUserCache: read-write without cache_dir caches
// under the user cache directory, never in the directory the command runs
// in; replay must name its recording.
func TestCacheDirDefaultsToTheUserCache(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	t.Setenv("HOME", home)
	wd := t.TempDir()
	t.Chdir(wd)
	s := server(t, llmtest.Reply(`{"ok": 1}`))
	cfg := cfgFor(s)
	cfg.CacheMode = llm.CacheReadWrite
	b := open(t, cfg)
	if _, err := b.Complete(context.Background(), ask("x")); err != nil {
		t.Fatal(err)
	}
	want := llm.DefaultCacheDir()
	if got := b.Config().CacheDir; got != want || !strings.HasPrefix(want, home) {
		t.Errorf("cache_dir = %q, want %q under %s", got, want, home)
	}
	if entries, _ := os.ReadDir(want); len(entries) == 0 {
		t.Errorf("nothing cached under %s", want)
	}
	if entries, _ := os.ReadDir(wd); len(entries) != 0 {
		t.Errorf("the working directory got %d entries", len(entries))
	}
	cfg.CacheMode = llm.CacheReplay
	if _, err := llm.Open(cfg); err == nil || !strings.Contains(err.Error(), "llm.cache_dir") {
		t.Errorf("replay without cache_dir: %v", err)
	}
}
