package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// defaultAzureVersion is the Azure OpenAI api-version used when
// llm.api_version is empty (a generally available version).
const defaultAzureVersion = "2024-10-21"

// HTTPDoer sends one HTTP request; *http.Client implements it.
type HTTPDoer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Option adjusts a Backend beyond its Config: the seams that tests and
// embedding programs need (clock, sleep, jitter source, HTTP client, log).
type Option func(*options)

type options struct {
	http  HTTPDoer
	sleep func(context.Context, time.Duration) error
	now   func() time.Time
	rnd   *rand.Rand
	log   *slog.Logger
}

// WithHTTPClient sends requests through d instead of a private
// *http.Client.
func WithHTTPClient(d HTTPDoer) Option { return func(o *options) { o.http = d } }

// WithSleep replaces the wait between retries and for the rate limiter;
// sleep must return ctx.Err() early when ctx ends.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(o *options) { o.sleep = sleep }
}

// WithClock replaces time.Now for latency, the rate limiter and
// Retry-After dates.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithRand sets the source of retry jitter (default: PCG seeded with 1).
func WithRand(r *rand.Rand) Option { return func(o *options) { o.rnd = r } }

// WithLogger logs retries and format fall-backs to l (default: nothing).
// Log lines never hold a key or a header value.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// Backend is a Client for any OpenAI-compatible chat-completions server
// (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp's server, LM Studio)
// through go-openai, with retries, a concurrency cap, a request-rate cap, a
// response cache, a transcript and accounting. Safe for concurrent use;
// call Close when done.
type Backend struct {
	cfg       Config
	client    *openai.Client
	transport *http.Transport // ours, closed by Close; nil when injected
	redact    func(string) string
	sem       chan struct{}
	lim       *limiter
	cache     *Cache
	tr        *transcript
	m         meter
	learned   atomic.Pointer[Format] // the strongest format the server accepted after rejecting one
	sleep     func(context.Context, time.Duration) error
	now       func() time.Time
	rndMu     sync.Mutex
	rnd       *rand.Rand
	log       *slog.Logger
}

var _ Client = (*Backend)(nil)

// Open validates cfg, reads the API key from the variable named by
// cfg.APIKeyEnv, and returns a ready Backend. A missing variable is an error
// naming the variable (in cache_mode replay no key is needed and none is
// required).
func Open(cfg Config, opts ...Option) (*Backend, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	o := options{
		sleep: sleepCtx,
		now:   time.Now,
		rnd:   rand.New(rand.NewPCG(1, 0x9e3779b97f4a7c15)),
		log:   slog.New(slog.DiscardHandler),
	}
	for _, f := range opts {
		f(&o)
	}
	var key string
	if cfg.APIKeyEnv != "" {
		key = os.Getenv(cfg.APIKeyEnv)
		if key == "" && cfg.CacheMode != CacheReplay {
			return nil, fmt.Errorf("llm: %s named by llm.api_key_env: %w", cfg.APIKeyEnv, errMissingKey)
		}
	}
	b := &Backend{
		cfg:    cfg,
		redact: newRedactor(key, cfg.Headers),
		sem:    make(chan struct{}, cfg.Concurrency),
		sleep:  o.sleep,
		now:    o.now,
		rnd:    o.rnd,
		log:    o.log,
	}
	b.m.p1k, b.m.c1k = cfg.PricePer1KPrompt, cfg.PricePer1KCompletion
	b.lim = newLimiter(cfg.RequestsPerMinute, cfg.Concurrency, o.now, o.sleep)
	inner := o.http
	if inner == nil {
		b.transport = http.DefaultTransport.(*http.Transport).Clone()
		inner = &http.Client{Transport: b.transport}
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	oc := openai.DefaultConfig(key)
	oc.BaseURL = base
	if cfg.APIType == "azure" {
		oc = openai.DefaultAzureConfig(key, base)
		oc.APIVersion = cfg.APIVersion
		if oc.APIVersion == "" {
			oc.APIVersion = defaultAzureVersion
		}
		oc.AzureModelMapperFunc = func(model string) string { return model } // the deployment name
	}
	oc.OrgID = cfg.Organization
	oc.HTTPClient = &doer{inner: inner, headers: cfg.Headers, now: o.now}
	b.client = openai.NewClientWithConfig(oc)
	if cfg.CacheMode != CacheOff {
		c, err := OpenCache(cfg.CacheDir)
		if err != nil {
			return nil, err
		}
		b.cache = c
	}
	if cfg.Transcript != "" {
		t, err := openTranscript(cfg.Transcript)
		if err != nil {
			return nil, err
		}
		b.tr = t
	}
	return b, nil
}

// Config returns the configuration in use, defaults filled in. It holds no
// key.
func (b *Backend) Config() Config { return b.cfg }

// Stats returns the accounting so far.
func (b *Backend) Stats() Accounting { return b.m.snapshot() }

// AddParseFailures records n replies that a consumer could not use.
func (b *Backend) AddParseFailures(n int) { b.m.add(n, 0) }

// AddRepairs records n replies that a consumer used after a re-ask.
func (b *Backend) AddRepairs(n int) { b.m.add(0, n) }

// Close closes the transcript and idle connections.
func (b *Backend) Close() error {
	var err error
	if b.tr != nil {
		err = b.tr.close()
	}
	if b.transport != nil {
		b.transport.CloseIdleConnections()
	}
	return err
}

// Complete makes one chat-completion call. Unset sampling fields of req are
// taken from the Config; the cache is consulted according to
// llm.cache_mode; retryable failures are retried with exponential backoff
// and jitter, honouring Retry-After.
func (b *Backend) Complete(ctx context.Context, req Request) (*Response, error) {
	req = b.fill(req)
	if len(req.Schema) > 0 && !json.Valid(req.Schema) {
		b.m.failed()
		return nil, &Error{Kind: KindRequest, Msg: "request schema is not valid JSON"}
	}
	key := Key(req.Model, req)
	occ := 0
	if b.cache != nil {
		occ = b.cache.next(key)
		e, ok, err := b.cache.Get(key, occ)
		if err != nil {
			b.m.failed()
			return nil, err
		}
		if ok && e.ErrorKind != KindUnknown {
			if b.cfg.CacheMode == CacheReplay {
				err := &Error{Kind: e.ErrorKind, Msg: "replayed failure (" + strings.TrimPrefix(e.Error, "llm: ") + ")"}
				b.m.replayedFailure()
				b.record(key, occ, req, nil, err, nil)
				return nil, err
			}
			ok = false // read-write: a recorded failure is asked again
		}
		if ok {
			resp := &Response{Text: e.Text, Model: e.Reported, Usage: e.Usage,
				Latency: time.Duration(e.LatencyMS * float64(time.Millisecond)), CacheHit: true, Format: e.Format}
			b.m.hit()
			b.record(key, occ, req, resp, nil, nil)
			return resp, nil
		}
		if b.cfg.CacheMode == CacheReplay {
			err := &Error{Kind: KindReplayMiss, Msg: fmt.Sprintf("key %.12s occurrence %d in %s", key, occ, b.cfg.CacheDir), Err: ErrReplayMiss}
			b.m.failed()
			b.record(key, occ, req, nil, err, nil)
			return nil, err
		}
	}
	resp, fallbacks, err := b.call(ctx, req)
	if err != nil {
		b.m.failed()
		var e *Error
		if b.cache != nil && errors.As(err, &e) && e.Kind.Retryable() && ctx.Err() == nil {
			// Record the failure so that a replay fails the same way.
			ent := &Entry{Key: key, Occurrence: occ, Model: req.Model, Request: req, ErrorKind: e.Kind, Error: e.Error()}
			if perr := b.cache.Put(ent); perr != nil {
				b.log.Warn("llm cache write failed", "err", perr.Error())
			}
		}
		b.record(key, occ, req, nil, err, fallbacks)
		return nil, err
	}
	b.m.server(resp.Usage, resp.Latency)
	if b.cache != nil {
		e := &Entry{Key: key, Occurrence: occ, Model: req.Model, Request: req, Text: resp.Text,
			Reported: resp.Model, Usage: resp.Usage, LatencyMS: ms(resp.Latency), Format: resp.Format}
		if err := b.cache.Put(e); err != nil {
			return nil, err
		}
	}
	b.record(key, occ, req, resp, nil, fallbacks)
	return resp, nil
}

func (b *Backend) fill(req Request) Request {
	if req.Model == "" {
		req.Model = b.cfg.Model
	}
	if req.Temperature == nil && b.cfg.Temperature != nil {
		t := float32(*b.cfg.Temperature)
		req.Temperature = &t
	}
	if req.TopP == nil && b.cfg.TopP != nil {
		p := float32(*b.cfg.TopP)
		req.TopP = &p
	}
	if req.TopK == 0 {
		req.TopK = b.cfg.TopK
	}
	if req.MaxTokens == 0 {
		req.MaxTokens = b.cfg.MaxTokens
	}
	if req.Seed == nil && b.cfg.Seed != nil {
		s := *b.cfg.Seed
		req.Seed = &s
	}
	return req
}

func (b *Backend) record(key string, occ int, req Request, resp *Response, err error, fallbacks []string) {
	if b.tr == nil {
		return
	}
	r := Record{Key: key, Occurrence: occ, Model: req.Model, Request: req, Fallbacks: fallbacks}
	if resp != nil {
		u := resp.Usage
		r.Text, r.Reported, r.Usage, r.LatencyMS, r.CacheHit, r.Retries, r.Format =
			resp.Text, resp.Model, &u, ms(resp.Latency), resp.CacheHit, resp.Retries, resp.Format
	}
	if err != nil {
		r.Error = err.Error()
		r.ErrorKind = KindOf(err).String()
		var e *Error
		if errors.As(err, &e) && e.Attempts > 0 {
			r.Retries = e.Attempts - 1
		}
	}
	if werr := b.tr.write(r); werr != nil {
		b.log.Warn("llm transcript write failed", "err", werr.Error())
	}
}

// format picks the response format sent for req: the one asked for, capped
// by llm.response_format and by what the server accepted so far.
func (b *Backend) format(req Request) Format {
	limit := b.cfg.ResponseFormat
	if l := b.learned.Load(); l != nil {
		limit = *l
	}
	switch req.Format {
	case FormatJSONSchema:
		if limit == FormatJSONSchema && len(req.Schema) > 0 {
			return FormatJSONSchema
		}
		if limit != FormatText {
			return FormatJSONObject
		}
	case FormatJSONObject:
		if limit != FormatText {
			return FormatJSONObject
		}
	}
	return FormatText
}

// call sends req with retries. fallbacks lists the response formats the
// server rejected on the way.
func (b *Backend) call(ctx context.Context, req Request) (*Response, []string, error) {
	start := b.now()
	f := b.format(req)
	var fallbacks []string
	for attempt := 0; ; attempt++ {
		resp, err := b.attempt(ctx, req, f, attempt > 0)
		if err == nil {
			resp.Retries = attempt
			resp.Latency = b.now().Sub(start)
			if len(fallbacks) > 0 {
				b.learned.Store(&f)
				b.log.Info("llm response_format rejected; using a weaker one from now on", "rejected", strings.Join(fallbacks, ","), "using", string(f))
			}
			return resp, fallbacks, nil
		}
		e := err.(*Error)
		e.Attempts = attempt + 1
		if e.Kind == KindRequest && e.Status == http.StatusBadRequest && f != FormatText {
			// The server may not know response_format: ask once more
			// without the stronger format (json_schema → json_object → text).
			fallbacks = append(fallbacks, string(f))
			if f == FormatJSONSchema {
				f = FormatJSONObject
			} else {
				f = FormatText
			}
			continue
		}
		if !e.Kind.Retryable() || attempt-len(fallbacks) >= b.cfg.Retries {
			return nil, fallbacks, e
		}
		limit := b.maxWait()
		if e.RetryAfter > limit {
			// Waiting less than the server asks would only be refused
			// again: give up now, saying so.
			e.Msg += fmt.Sprintf("; the server asks to retry after %s, longer than a call waits (%s: llm.timeout, at most %s)", e.RetryAfter, limit, MaxRetryAfter)
			return nil, fallbacks, e
		}
		d := min(b.backoff(attempt-len(fallbacks), e.RetryAfter), limit)
		b.log.Info("llm retry", "attempt", attempt+1, "kind", e.Kind.String(), "status", e.Status, "detail", e.Msg, "wait", d.String())
		if err := b.sleep(ctx, d); err != nil {
			return nil, fallbacks, &Error{Kind: KindCanceled, Attempts: attempt + 1, Msg: "while waiting to retry", Err: err}
		}
	}
}

// MaxRetryAfter is the longest a call waits before a retry, whatever the
// server's Retry-After; the wait is also at most llm.timeout. A server that
// asks for longer gets no retry: the call fails at once with the wait it
// asked for, instead of sleeping (a 429 with Retry-After: 999999 made llm
// check sleep ten minutes).
const MaxRetryAfter = time.Minute

// maxWait is the longest wait before a retry: llm.timeout, at most
// MaxRetryAfter.
func (b *Backend) maxWait() time.Duration {
	if t := b.cfg.Timeout; t > 0 && t < MaxRetryAfter {
		return t
	}
	return MaxRetryAfter
}

// backoff is the wait before retry n (from 0): 0.5 s × 2^n capped at 30 s,
// half of it fixed and half uniform jitter; never less than Retry-After.
func (b *Backend) backoff(n int, retryAfter time.Duration) time.Duration {
	base := min(500*time.Millisecond<<min(n, 10), 30*time.Second)
	b.rndMu.Lock()
	j := time.Duration(b.rnd.Int64N(int64(base/2) + 1))
	b.rndMu.Unlock()
	return max(base/2+j, retryAfter)
}

// attemptInfo carries what the HTTP layer saw back to attempt.
type attemptInfo struct {
	topK       int // added to the body by doer
	status     int
	retryAfter time.Duration
}

type infoKey struct{}

func (b *Backend) attempt(ctx context.Context, req Request, f Format, retry bool) (*Response, error) {
	select {
	case b.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, &Error{Kind: KindCanceled, Msg: "waiting for a free request slot", Err: ctx.Err()}
	}
	defer func() { <-b.sem }()
	if err := b.lim.wait(ctx); err != nil {
		return nil, &Error{Kind: KindCanceled, Msg: "waiting for the rate limiter", Err: err}
	}
	b.m.attempt(retry)
	info := &attemptInfo{topK: req.TopK}
	actx, cancel := context.WithTimeout(context.WithValue(ctx, infoKey{}, info), b.cfg.Timeout)
	defer cancel()
	oreq := b.openaiRequest(req, f)
	if err := openai.NewReasoningValidator().Validate(oreq); err != nil {
		// go-openai refuses some parameters for reasoning models before
		// sending; retrying cannot help.
		return nil, &Error{Kind: KindRequest, Msg: "model " + req.Model + ": " + err.Error()}
	}
	out, err := b.client.CreateChatCompletion(actx, oreq)
	if err != nil {
		return nil, b.classify(ctx, actx, info, err)
	}
	if len(out.Choices) == 0 {
		return nil, &Error{Kind: KindReply, Status: info.status, Msg: "reply has no choices"}
	}
	ch := out.Choices[0]
	resp := &Response{Text: ch.Message.Content, Model: out.Model, Format: f, FinishReason: string(ch.FinishReason)}
	if out.Usage.PromptTokens == 0 && out.Usage.CompletionTokens == 0 {
		resp.Usage = Usage{PromptTokens: estimatePrompt(req.Messages), CompletionTokens: EstimateTokens(resp.Text), Estimated: true}
	} else {
		resp.Usage = Usage{PromptTokens: out.Usage.PromptTokens, CompletionTokens: out.Usage.CompletionTokens}
	}
	return resp, nil
}

func (b *Backend) openaiRequest(req Request, f Format) openai.ChatCompletionRequest {
	r := openai.ChatCompletionRequest{Model: req.Model, Seed: req.Seed}
	// max_tokens, not max_completion_tokens: it is what vLLM, Ollama,
	// llama.cpp and LM Studio read, and OpenAI accepts it for
	// non-reasoning models.
	//lint:ignore SA1019 see above
	r.MaxTokens = req.MaxTokens
	for _, m := range req.Messages {
		r.Messages = append(r.Messages, openai.ChatCompletionMessage{Role: string(m.Role), Content: m.Content})
	}
	if req.Temperature != nil {
		// go-openai omits a zero temperature (omitempty), which servers read
		// as their default (often 1); the smallest positive float32 asks
		// for greedy decoding instead.
		r.Temperature = max(*req.Temperature, math.SmallestNonzeroFloat32)
	}
	if req.TopP != nil {
		r.TopP = *req.TopP
	}
	if errors.Is(openai.NewReasoningValidator().Validate(r), openai.ErrReasoningModelMaxTokensDeprecated) {
		// Reasoning models (o1, o3, o4, gpt-5) take max_completion_tokens.
		//lint:ignore SA1019 moving the value to the field that replaces it
		r.MaxCompletionTokens, r.MaxTokens = r.MaxTokens, 0
	}
	switch f {
	case FormatJSONObject:
		r.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	case FormatJSONSchema:
		name := req.SchemaName
		if name == "" {
			name = "reply"
		}
		r.ResponseFormat = &openai.ChatCompletionResponseFormat{
			Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: name, Schema: json.RawMessage(req.Schema)},
		}
	}
	return r
}

// classify turns a go-openai or transport error into an *Error whose text
// is built from status codes and redacted server messages only.
func (b *Backend) classify(ctx, actx context.Context, info *attemptInfo, err error) *Error {
	if ctx.Err() != nil {
		return &Error{Kind: KindCanceled, Err: ctx.Err()}
	}
	if errors.Is(actx.Err(), context.DeadlineExceeded) {
		return &Error{Kind: KindTimeout, Msg: fmt.Sprintf("no reply within llm.timeout %s", b.cfg.Timeout)}
	}
	status := func(code int, msg string) *Error {
		e := &Error{Status: code, RetryAfter: info.retryAfter, Msg: b.redact(clip(msg, 300))}
		switch {
		case code == http.StatusTooManyRequests:
			e.Kind = KindRateLimit
		case code >= 500:
			e.Kind = KindServer
		case code == http.StatusRequestTimeout:
			e.Kind = KindTimeout
		default:
			e.Kind = KindRequest
		}
		return e
	}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return status(apiErr.HTTPStatusCode, apiErr.Message)
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return status(reqErr.HTTPStatusCode, string(reqErr.Body))
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Kind: KindNetwork, Status: info.status, Msg: "reply body cut short"}
	case errors.As(err, &syn), errors.As(err, &typ):
		return &Error{Kind: KindReply, Status: info.status, Msg: "reply body is not a chat completion: " + b.redact(clip(err.Error(), 200))}
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF):
		return &Error{Kind: KindNetwork, Msg: "connection reset"}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Error{Kind: KindNetwork, Msg: "connection refused"}
	}
	var ne net.Error
	if errors.As(err, &ne) {
		if ne.Timeout() {
			return &Error{Kind: KindTimeout, Msg: "network timeout"}
		}
		return &Error{Kind: KindNetwork, Msg: b.redact(clip(innermost(err).Error(), 200))}
	}
	return &Error{Kind: KindUnknown, Msg: b.redact(clip(err.Error(), 200))}
}

func innermost(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// newRedactor returns a function that replaces the key and every header
// value with [redacted].
func newRedactor(key string, headers map[string]string) func(string) string {
	var secrets []string
	if key != "" {
		secrets = append(secrets, key)
	}
	for _, v := range headers {
		if len(v) >= 4 {
			secrets = append(secrets, v)
		}
	}
	return func(s string) string {
		for _, k := range secrets {
			s = strings.ReplaceAll(s, k, "[redacted]")
		}
		return s
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// doer adds the configured headers and records the status and Retry-After
// of each reply for the attempt that sent it.
type doer struct {
	inner   HTTPDoer
	headers map[string]string
	now     func() time.Time
}

func (d *doer) Do(req *http.Request) (*http.Response, error) {
	for k, v := range d.headers {
		req.Header.Set(k, v)
	}
	info, _ := req.Context().Value(infoKey{}).(*attemptInfo)
	if info != nil && info.topK > 0 && req.Body != nil {
		if err := addField(req, "top_k", info.topK); err != nil {
			return nil, err
		}
	}
	resp, err := d.inner.Do(req)
	if err != nil {
		return nil, err
	}
	if info != nil {
		info.status = resp.StatusCode
		info.retryAfter = RetryAfter(resp.Header, d.now())
	}
	return resp, nil
}

// addField sets a top-level field of the JSON request body: go-openai has
// no field for some parameters that OpenAI-compatible servers accept.
func addField(req *http.Request, name string, value any) error {
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	v, err := json.Marshal(value)
	if err != nil {
		return err
	}
	m[name] = v
	if body, err = json.Marshal(m); err != nil {
		return err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.ContentLength = int64(len(body))
	return nil
}

// maxRetryAfter caps the Retry-After that RetryAfter reads (so that no
// value overflows a Duration); a call waits far less (MaxRetryAfter).
const maxRetryAfter = 24 * time.Hour

// RetryAfter parses the wait a server asks for: the retry-after-ms header
// (milliseconds, sent by OpenAI), else Retry-After as delay-seconds or an
// HTTP date relative to now. It returns 0 when absent or unparsable and
// caps the wait at 24 hours.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if f, err := parseNonNeg(v); err == nil {
			d = time.Duration(f * float64(time.Millisecond))
		}
	} else if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if f, err := parseNonNeg(v); err == nil {
			d = time.Duration(f * float64(time.Second))
		} else if t, err := http.ParseTime(v); err == nil {
			d = max(t.Sub(now), 0)
		}
	}
	return min(d, maxRetryAfter)
}

func parseNonNeg(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, errors.New("bad number")
	}
	return min(f, maxRetryAfter.Seconds()*1000), nil
}
