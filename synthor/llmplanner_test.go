package synthor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/llm/llmtest"
	"github.com/synthor/synthor/table"
)

// The fake LLM's brain reads only the prompt: the variable list, the
// guidance lines and the rules (batch, proposal count). It answers the
// dependency prompt with the paper's groups when those variables are listed,
// else the first two variables; and the proposal prompt with one proposal per
// top guidance line, "num" in proportion to the gaps, other variables taken
// from the marginal guidance.

var (
	reVarLine   = regexp.MustCompile(`(?m)^- (\w+) \((\w+); (?:one of: (.*?)|range (\S+) to (\S+))\)`)
	reGuideLine = regexp.MustCompile(`(?m)^- (.+): target ([0-9.]+)%, synthetic ([0-9.]+)%$`)
	reTerm      = regexp.MustCompile(`(\w+) (?:= (.+?)|in \[([^,\]]+), ([^\]]+)\])(?:, |$)`)
	reRule      = regexp.MustCompile(`Make at most (\d+) proposals whose "num" values add up to (\d+)`)
)

type brainVar struct {
	name   string
	cats   []string
	lo, hi float64
}

type guideLine struct {
	text string
	vals map[string]any
	gap  float64
}

func parseVars(prompt string) []brainVar {
	var out []brainVar
	for _, m := range reVarLine.FindAllStringSubmatch(prompt, -1) {
		v := brainVar{name: m[1]}
		if m[3] != "" {
			v.cats = strings.Split(m[3], ", ")
		} else {
			v.lo, _ = strconv.ParseFloat(m[4], 64)
			v.hi, _ = strconv.ParseFloat(m[5], 64)
		}
		out = append(out, v)
	}
	return out
}

func parseGuidance(section string) []guideLine {
	var out []guideLine
	for _, m := range reGuideLine.FindAllStringSubmatch(section, -1) {
		g := guideLine{text: m[0][2:], vals: map[string]any{}}
		tg, _ := strconv.ParseFloat(m[2], 64)
		sy, _ := strconv.ParseFloat(m[3], 64)
		g.gap = tg - sy
		for _, tm := range reTerm.FindAllStringSubmatch(m[1], -1) {
			if tm[2] != "" {
				g.vals[tm[1]] = tm[2]
			} else {
				lo, _ := strconv.ParseFloat(tm[3], 64)
				hi, _ := strconv.ParseFloat(tm[4], 64)
				g.vals[tm[1]] = []float64{lo, hi}
			}
		}
		if g.gap > 0 {
			out = append(out, g)
		}
	}
	return out
}

func section(prompt, from, to string) string {
	i := strings.Index(prompt, from)
	if i < 0 {
		return ""
	}
	s := prompt[i:]
	if j := strings.Index(s, to); j >= 0 {
		s = s[:j]
	}
	return s
}

// planBrain answers like a careful LLM; every third reply is untidy (prose
// around it, a trailing comma).
func planBrain(calls *atomic.Int64) llmtest.Brain {
	return func(r llmtest.Request) (string, error) {
		n := calls.Add(1)
		prompt := r.Prompt()
		vars := parseVars(section(prompt, "ariables", "Each record is a group"))
		if strings.Contains(prompt, "Which groups of variables depend") {
			names := map[string]bool{}
			for _, v := range vars {
				names[v.name] = true
			}
			paper := [][]string{{"user_age", "user_gender", "product_category"}, {"product_category", "price"}, {"user_location_tier", "payment_method"}}
			if names["user_age"] && names["price"] && names["payment_method"] {
				b, _ := json.Marshal(map[string][]string{"1": paper[0], "2": paper[1], "3": paper[2]})
				return "```json\n" + string(b) + "\n```", nil
			}
			return fmt.Sprintf(`{"1": [%q, %q]}`, vars[0].name, vars[1].name), nil
		}
		rule := reRule.FindStringSubmatch(prompt)
		if rule == nil {
			return "", errors.New("brain: no rules in the prompt")
		}
		k, _ := strconv.Atoi(rule[1])
		batch, _ := strconv.Atoi(rule[2])
		joint := parseGuidance(section(prompt, "Joint guidance", "Marginal guidance"))
		marginalEnd := "Rules:"
		if strings.Contains(prompt, "Member guidance:") {
			marginalEnd = "Member guidance:"
		}
		marginal := parseGuidance(section(prompt, "Marginal guidance", marginalEnd))
		memberVars := parseVars(section(prompt, "Member variables", "Iteration "))
		memberGuide := parseGuidance(section(prompt, "Member guidance:", "Rules:"))
		lines := joint
		if len(lines) == 0 {
			lines = marginal
		}
		if len(lines) == 0 {
			return "", errors.New("brain: no guidance")
		}
		lines = lines[:min(k, len(lines))]
		weights := make([]float64, len(lines))
		for i, g := range lines {
			weights[i] = g.gap
		}
		nums := apportion(batch, weights)
		reply := map[string]any{}
		count := 0
		for i, g := range lines {
			if nums[i] == 0 {
				continue
			}
			vals := map[string]any{}
			for _, v := range vars {
				if x, ok := g.vals[v.name]; ok {
					vals[v.name] = x
					continue
				}
				for _, m := range marginal {
					if x, ok := m.vals[v.name]; ok {
						vals[v.name] = x
						break
					}
				}
				if _, ok := vals[v.name]; !ok {
					if v.cats != nil {
						vals[v.name] = v.cats[0]
					} else {
						vals[v.name] = []float64{v.lo, v.hi}
					}
				}
			}
			count++
			prop := map[string]any{"reason": g.text, "proposal": vals, "num": nums[i]}
			if len(memberVars) > 0 {
				prop["members"] = brainMembers(vals, memberVars, memberGuide, count)
			}
			reply["proposal"+strconv.Itoa(count)] = prop
		}
		reply["n_proposals"] = count
		b, _ := json.Marshal(reply)
		if n%3 == 0 { // untidy now and then: prose around, a trailing comma
			return "Here is the plan:\n" + strings.TrimSuffix(string(b), "}") + ",}\nThese follow the guidance.", nil
		}
		return string(b), nil
	}
}

// brainMembers lists a group's members: as many as the group's
// num_persons (the size variable a reader of the prompt would recognise),
// each variable from the member guidance, rotating through its lines.
func brainMembers(group map[string]any, vars []brainVar, guide []guideLine, salt int) []any {
	k := 2
	if r, ok := group["num_persons"].([]float64); ok {
		k = min(max(int(math.Ceil(r[0])), 2), 5)
	}
	var members []any
	for j := range k {
		vals := map[string]any{}
		for _, v := range vars {
			var cands []any
			for _, g := range guide {
				if x, ok := g.vals[v.name]; ok {
					cands = append(cands, x)
				}
			}
			switch {
			case len(cands) > 0:
				vals[v.name] = cands[(j+salt)%len(cands)]
			case v.cats != nil:
				vals[v.name] = v.cats[0]
			default:
				vals[v.name] = []float64{v.lo, v.hi}
			}
		}
		members = append(members, map[string]any{"proposal": vals})
	}
	return members
}

// llmRun is one synthesis of the e-commerce data through go-openai
// against the server at cfg.BaseURL.
type llmRun struct {
	cfg     llm.Config
	n       int
	iters   int
	seed    uint64
	trace   string // file
	logs    *bytes.Buffer
	joints  [][]string
	sleepFn func(context.Context, time.Duration) error
}

type llmResult struct {
	out     *table.Table
	csv     []byte
	res     *Result
	stats   llm.Accounting
	deps    [][]string
	err     error
	planner *LLMPlanner
}

func (r llmRun) do(t *testing.T, ctx context.Context) llmResult {
	t.Helper()
	var opts []llm.Option
	if r.logs != nil {
		opts = append(opts, llm.WithLogger(slog.New(slog.NewTextHandler(r.logs, nil))))
	}
	if r.sleepFn != nil {
		opts = append(opts, llm.WithSleep(r.sleepFn))
	}
	b, err := llm.Open(r.cfg, opts...)
	if err != nil {
		t.Fatalf("llm.Open: %v", err)
	}
	defer b.Close()
	p := NewLLMPlanner(b, LLMPlannerOptions{})
	s, err := New(Config{Planner: "llm", Iterations: r.iters, Joints: r.joints}, p)
	if err != nil {
		t.Fatal(err)
	}
	if r.trace != "" {
		f, err := os.Create(r.trace)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		s.Trace = f
	}
	out := llmResult{planner: p}
	if out.err = s.Fit(ctx, datasets.EcommerceBN(2000, 1)); out.err != nil {
		out.stats = b.Stats()
		return out
	}
	out.deps, _ = s.Dependencies()
	out.out, out.err = s.Sample(ctx, r.n, r.seed)
	out.res = s.Result()
	out.stats = b.Stats()
	if out.err == nil {
		var buf bytes.Buffer
		if err := table.WriteCSV(&buf, out.out); err != nil {
			t.Fatal(err)
		}
		out.csv = buf.Bytes()
	}
	return out
}

func fakeCfg(url string) llm.Config {
	c := llm.DefaultConfig
	c.BaseURL, c.Model, c.Timeout, c.Retries = url, "fake-gpt", 5*time.Second, 3
	t := 0.8
	c.Temperature = &t
	return c
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// share returns the share of rows of a categorical column equal to cat.
func share(t *table.Table, col, cat string) float64 {
	c := t.Col(col)
	k := 0
	for i := range c.Len() {
		if c.String(i) == cat {
			k++
		}
	}
	return float64(k) / float64(c.Len())
}

func TestLLMPlannerEndToEnd(t *testing.T) {
	noLeaks(t)
	var calls atomic.Int64
	srv := llmtest.NewServer(planBrain(&calls))
	defer srv.Close()
	r := llmRun{cfg: fakeCfg(srv.URL), n: 600, iters: 10, seed: 3}.do(t, context.Background())
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.out.NumRows() != 600 {
		t.Fatalf("rows = %d, want 600", r.out.NumRows())
	}
	wantDeps := [][]string{{"user_age", "user_gender", "product_category"}, {"product_category", "price"}, {"user_location_tier", "payment_method"}}
	if fmt.Sprint(r.deps) != fmt.Sprint(wantDeps) {
		t.Errorf("deps = %v, want %v (from the fenced reply)", r.deps, wantDeps)
	}
	if srv.Calls() != 11 || r.res.Calls != 10 || r.res.ParseFailures != 0 || r.res.Skips != 0 {
		t.Errorf("server calls %d, result %+v", srv.Calls(), r.res)
	}
	if r.stats.Calls != 11 || r.stats.PromptTokens == 0 || r.stats.TokensEstimated {
		t.Errorf("stats = %+v", r.stats)
	}
	// Guided by the marginals alone, the brain still lands near the targets.
	ref := datasets.EcommerceBN(2000, 1)
	for _, c := range [][2]string{{"user_gender", "Male"}, {"user_location_tier", "Developed"}, {"payment_method", "Online Payment"}, {"product_category", "Electronics"}} {
		if d := math.Abs(share(r.out, c[0], c[1]) - share(ref, c[0], c[1])); d > 0.06 {
			t.Errorf("share of %s = %s off by %.3f", c[0], c[1], d)
		}
	}
	// Requests carry the sampling settings and the run seed (the
	// dependency call is made in Fit, before there is one).
	reqs := srv.Requests()
	if reqs[0].Seed == nil || *reqs[0].Seed != 0 || reqs[1].Seed == nil || *reqs[1].Seed != 3 {
		t.Errorf("seeds sent: %v, %v; want 0 and the run seed 3", reqs[0].Seed, reqs[1].Seed)
	}
	if reqs[1].ResponseFormat != "json_object" || reqs[1].Temperature == nil || *reqs[1].Temperature != 0.8 {
		t.Errorf("request 2: format %q temperature %v", reqs[1].ResponseFormat, reqs[1].Temperature)
	}
}

func TestLLMPlannerSurvivesFaults(t *testing.T) {
	noLeaks(t)
	var calls atomic.Int64
	srv := llmtest.NewServer(planBrain(&calls))
	defer srv.Close()
	srv.Inject(
		llmtest.Fault{}, // dependencies
		llmtest.Fault{Kind: llmtest.RateLimit, RetryAfter: time.Second}, // it. 1, retried (within llm.timeout)
		llmtest.Fault{Kind: llmtest.ServerError},                        // retried
		llmtest.Fault{Kind: llmtest.MalformedText},                      // parse failure, re-ask
		llmtest.Fault{}, // it. 1 done
		llmtest.Fault{Kind: llmtest.TruncatedText},            // it. 2: parse failure, re-ask
		llmtest.Fault{Kind: llmtest.WrongType},                // parse failure, re-ask
		llmtest.Fault{},                                       // it. 2 done
		llmtest.Fault{Kind: llmtest.UnknownCategory},          // it. 3: parsed; the loop rejects or repairs
		llmtest.Fault{Kind: llmtest.MissingVariable},          // it. 4: parsed; the loop fills
		llmtest.Fault{Kind: llmtest.EmptyChoices},             // it. 5: retried
		llmtest.Fault{Kind: llmtest.MalformedBody},            // retried
		llmtest.Fault{Kind: llmtest.Slow, Delay: time.Minute}, // timeout, retried
	)
	cfg := fakeCfg(srv.URL)
	cfg.Timeout = 1500 * time.Millisecond // long enough for a loaded machine; the slow fault waits it out once
	var logs bytes.Buffer
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return ctx.Err() }
	r := llmRun{cfg: cfg, n: 400, iters: 8, seed: 1, sleepFn: sleep, logs: &logs}.do(t, context.Background())
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.out.NumRows() != 400 {
		t.Errorf("rows = %d, want 400", r.out.NumRows())
	}
	if srv.Pending() != 0 {
		t.Errorf("%d faults not reached", srv.Pending())
	}
	if r.res.ParseFailures != 3 || r.res.Skips != 0 {
		t.Errorf("parse failures %d skips %d, want 3 and 0", r.res.ParseFailures, r.res.Skips)
	}
	if r.stats.ParseFailures != 3 || r.stats.Repairs != 2 || r.stats.Retries != 5 || r.stats.Errors != 0 {
		t.Errorf("stats = %+v, want 3 parse failures, 2 repaired by re-asking, 5 transport retries", r.stats)
	}
	if r.res.Repairs[RepairCategoryRejected] == 0 || r.res.Repairs[RepairMissingFilled] == 0 {
		t.Errorf("loop repairs = %v, want unknown categories rejected and missing variables filled", r.res.Repairs)
	}
	if len(waits) != 5 || waits[0] < time.Second {
		t.Errorf("waits = %v, want 5 with the first >= Retry-After 1s", waits)
	}
	// The re-ask after the malformed reply quotes the error.
	reqs := srv.Requests()
	reAsk := reqs[4].Messages
	if len(reAsk) != 4 || reAsk[2].Role != llm.Assistant || !strings.Contains(reAsk[3].Content, "Your reply could not be used: reply JSON has a mismatched") {
		t.Errorf("re-ask messages = %+v", reAsk[len(reAsk)-1])
	}
	if !strings.Contains(reqs[6].Messages[3].Content, "cut at the token limit") {
		t.Errorf("re-ask after a truncated reply: %q", reqs[6].Messages[3].Content)
	}
}

func TestLLMPlannerSkipsThenEndsTheRun(t *testing.T) {
	noLeaks(t)
	srv := llmtest.NewServer(llmtest.Reply("I am sorry, I cannot produce JSON today."))
	defer srv.Close()
	joints := [][]string{{"user_gender", "product_category"}}
	r := llmRun{cfg: fakeCfg(srv.URL), n: 100, iters: 10, joints: joints}.do(t, context.Background())
	if r.err == nil || !strings.Contains(r.err.Error(), "3 consecutive iterations skipped") ||
		!strings.Contains(r.err.Error(), `reply unusable after 2 re-ask(s): reply holds no JSON object: "I am sorry`) {
		t.Fatalf("err = %v", r.err)
	}
	if srv.Calls() != 9 || r.stats.ParseFailures != 9 {
		t.Errorf("calls %d, parse failures %d; want 3 iterations × 3 asks", srv.Calls(), r.stats.ParseFailures)
	}
}

func TestLLMPlannerServerDownSkipsThenEnds(t *testing.T) {
	noLeaks(t)
	srv := llmtest.NewServer(llmtest.Reply("{}"))
	url := srv.URL
	srv.Close()
	cfg := fakeCfg(url)
	cfg.Retries = 1
	r := llmRun{cfg: cfg, n: 100, iters: 10, joints: [][]string{{"user_gender", "product_category"}}, sleepFn: noSleep}.do(t, context.Background())
	if r.err == nil || !strings.Contains(r.err.Error(), "llm call failed: llm: network error") {
		t.Fatalf("err = %v", r.err)
	}
}

func TestLLMPlannerBadKeyEndsTheRun(t *testing.T) {
	noLeaks(t)
	t.Setenv("SYNTHOR_PLANNER_TEST_KEY", "sk-wrong")
	srv := llmtest.NewServer(llmtest.Reply("{}"), llmtest.RequireKey("sk-right"))
	defer srv.Close()
	cfg := fakeCfg(srv.URL)
	cfg.APIKeyEnv = "SYNTHOR_PLANNER_TEST_KEY"
	r := llmRun{cfg: cfg, n: 100, iters: 10, joints: [][]string{{"user_gender", "product_category"}}}.do(t, context.Background())
	if llm.KindOf(r.err) != llm.KindRequest || !strings.Contains(r.err.Error(), "iteration 1") || srv.Calls() != 1 {
		t.Fatalf("err = %v after %d calls, want the run to end at the first rejected request", r.err, srv.Calls())
	}
}

func TestLLMPlannerDependencyReAsk(t *testing.T) {
	var n atomic.Int64
	brain := func(r llmtest.Request) (string, error) {
		switch n.Add(1) {
		case 1:
			return `{"1": ["age", "user_gender"]}`, nil // unknown name
		default:
			return `{"1": ["user_age", "user_gender"], "2": ["product_category", "price"]}`, nil
		}
	}
	srv := llmtest.NewServer(brain)
	defer srv.Close()
	b, err := llm.Open(fakeCfg(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s, _ := New(Config{Planner: "llm", NJoints: 2}, NewLLMPlanner(b, LLMPlannerOptions{}))
	if err := s.Fit(context.Background(), datasets.EcommerceBN(300, 1)); err != nil {
		t.Fatal(err)
	}
	deps, _ := s.Dependencies()
	if fmt.Sprint(deps) != "[[user_age user_gender] [product_category price]]" {
		t.Errorf("deps = %v", deps)
	}
	msgs := srv.Requests()[1].Messages
	if !strings.Contains(msgs[len(msgs)-1].Content, `unknown variable(s) "age"; use only: user_age, user_gender`) {
		t.Errorf("re-ask = %q", msgs[len(msgs)-1].Content)
	}
	if st := b.Stats(); st.ParseFailures != 1 || st.Repairs != 1 {
		t.Errorf("stats = %+v", st)
	}
}

// A recorded run is reproduced byte for byte from the cache with the server
// switched off; an interrupted run resumes from the cache without asking
// again what it already asked.
func TestLLMPlannerReplayAndResume(t *testing.T) {
	noLeaks(t)
	dir := t.TempDir()
	// A brain whose answers change from call to call, as a sampling LLM's do.
	var calls atomic.Int64
	base := planBrain(&atomic.Int64{})
	brain := func(r llmtest.Request) (string, error) {
		k := calls.Add(1)
		text, err := base(r)
		if err != nil || !strings.Contains(text, "proposal1") {
			return text, err
		}
		ps, perr := ParseReply(text)
		if perr != nil {
			return text, nil
		}
		ps[0].Reason = fmt.Sprintf("call %d", k)
		if a, ok := ps[0].Values["user_age"]; ok && a.Range != nil {
			a.Range[1] = a.Range[0] + float64(k%5+1)
		}
		b, _ := json.Marshal(map[string]any{"proposals": ps})
		return string(b), nil
	}
	srv := llmtest.NewServer(brain)
	cfg := fakeCfg(srv.URL)
	cfg.CacheDir, cfg.CacheMode = filepath.Join(dir, "cache"), llm.CacheReadWrite
	cfg.Transcript = filepath.Join(dir, "transcript.jsonl")

	// 1. Interrupted at the fifth call (after 1 dependency + 3 iteration replies).
	ctx, cancel := context.WithCancel(context.Background())
	stop := func(ctx2 context.Context, d time.Duration) error { return ctx2.Err() }
	var seen atomic.Int64
	hook := llmtest.NewServer(func(r llmtest.Request) (string, error) {
		if seen.Add(1) == 5 { // the fifth request is never answered
			cancel()
			return "", errors.New("interrupted")
		}
		return brain(r)
	})
	hcfg := cfg
	hcfg.BaseURL = hook.URL
	r1 := llmRun{cfg: hcfg, n: 300, iters: 6, seed: 9, sleepFn: stop}.do(t, ctx)
	hook.Close()
	if r1.err == nil {
		t.Fatal("interrupted run succeeded")
	}
	// 2. Resumed: the 4 cached replies are reused, only the rest is asked.
	// Iteration 4 fails on the server (4 attempts) and is skipped.
	calls.Store(4)
	before := srv.Calls()
	fail := llmtest.Fault{Kind: llmtest.ServerError}
	srv.Inject(fail, fail, fail, fail)
	r2 := llmRun{cfg: cfg, n: 300, iters: 6, seed: 9, sleepFn: noSleep}.do(t, context.Background())
	if r2.err != nil {
		t.Fatal(r2.err)
	}
	if asked := srv.Calls() - before; asked != 6 || r2.stats.CacheHits != 4 || r2.res.Skips != 1 || r2.out.NumRows() != 300 {
		t.Errorf("resumed run asked the server %d times with %d cache hits and %d skips, want 6, 4 and 1", asked, r2.stats.CacheHits, r2.res.Skips)
	}
	srv.Close() // the server is gone

	// 3. Replay reproduces the recorded run byte for byte, the failed
	// iteration included.
	rcfg := cfg
	rcfg.CacheMode = llm.CacheReplay
	rcfg.Transcript = filepath.Join(dir, "replay.jsonl")
	r3 := llmRun{cfg: rcfg, n: 300, iters: 6, seed: 9}.do(t, context.Background())
	if r3.err != nil {
		t.Fatal(r3.err)
	}
	if !bytes.Equal(r2.csv, r3.csv) || len(r2.csv) == 0 {
		t.Error("replayed output differs from the recorded run")
	}
	if r3.stats.CacheHits != 7 || r3.stats.Requests != 0 || r3.res.Skips != 1 {
		t.Errorf("replay stats = %+v", r3.stats)
	}
	// 4. Replaying a run that asks something never recorded (one more
	// iteration changes every batch size) fails with a replay miss.
	r4 := llmRun{cfg: rcfg, n: 300, iters: 7, seed: 9}.do(t, context.Background())
	if r4.err == nil || !errors.Is(r4.err, llm.ErrReplayMiss) {
		t.Errorf("replay of a different run: err = %v, want a replay miss", r4.err)
	}
}

func TestLLMPlannerKeyNeverWritten(t *testing.T) {
	noLeaks(t)
	secret := fmt.Sprintf("sk-synthor-%d-unique-4b1d", time.Now().UnixNano())
	t.Setenv("SYNTHOR_E2E_KEY", secret)
	dir := t.TempDir()
	var calls atomic.Int64
	inner := planBrain(&calls)
	var echoed atomic.Bool
	brain := func(r llmtest.Request) (string, error) {
		if r.Header.Get("Authorization") != "Bearer "+secret {
			return "", errors.New("no key")
		}
		if echoed.CompareAndSwap(false, true) { // a server that echoes credentials in an error
			return "", fmt.Errorf("bad auth header %s", r.Header.Get("Authorization"))
		}
		return inner(r)
	}
	srv := llmtest.NewServer(brain)
	defer srv.Close()
	srv.Inject(llmtest.Fault{}, llmtest.Fault{Kind: llmtest.RateLimit, RetryAfter: time.Second}, llmtest.Fault{Kind: llmtest.MalformedText})
	cfg := fakeCfg(srv.URL)
	cfg.APIKeyEnv = "SYNTHOR_E2E_KEY"
	cfg.CacheDir, cfg.CacheMode = filepath.Join(dir, "cache"), llm.CacheReadWrite
	cfg.Transcript = filepath.Join(dir, "transcript.jsonl")
	var logs bytes.Buffer
	r := llmRun{cfg: cfg, n: 200, iters: 5, seed: 2, trace: filepath.Join(dir, "trace.jsonl"), logs: &logs, sleepFn: noSleep}.do(t, context.Background())
	if r.err != nil {
		t.Fatal(r.err)
	}
	if err := os.WriteFile(filepath.Join(dir, "out.csv"), r.csv, 0o644); err != nil {
		t.Fatal(err)
	}
	res, _ := json.Marshal(r.res)
	stats, _ := json.Marshal(r.stats)
	texts := map[string]string{"logs": logs.String(), "result": string(res), "stats": string(stats)}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			texts[p] = string(b)
			files = append(files, filepath.Base(p))
		}
		return nil
	})
	sort.Strings(files)
	if len(files) < 8 || !strings.Contains(logs.String(), "llm retry") {
		t.Fatalf("expected cache entries, transcript, trace, output and retry logs; files %v", files)
	}
	for where, text := range texts {
		if strings.Contains(text, secret) || strings.Contains(text, secret[3:]) {
			t.Errorf("the key appears in %s", where)
		}
	}
	if !strings.Contains(logs.String(), "[redacted]") {
		t.Error("the echoed key was not visibly redacted in the retry log")
	}
}

// The LLM planner drives LLMSynthor through any OpenAI-compatible server;
// here the in-process fake, whose brain reads only the prompts.
func ExampleNewLLMPlanner() {
	var calls atomic.Int64
	srv := llmtest.NewServer(planBrain(&calls))
	defer srv.Close()

	cfg := llm.DefaultConfig // or a configs/backends/*.yaml llm section
	cfg.BaseURL, cfg.Model = srv.URL, "gpt-4.1-nano"
	backend, err := llm.Open(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer backend.Close()

	s, err := New(Config{Planner: "llm", Iterations: 5}, NewLLMPlanner(backend, LLMPlannerOptions{}))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Fit(context.Background(), datasets.EcommerceBN(500, 1)); err != nil {
		fmt.Println(err)
		return
	}
	out, err := s.Sample(context.Background(), 100, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	deps, _ := s.Dependencies()
	st := backend.Stats()
	fmt.Println("rows:", out.NumRows())
	fmt.Println("joints:", deps)
	fmt.Println("llm calls:", st.Calls, "parse failures:", st.ParseFailures)
	// Output:
	// rows: 100
	// joints: [[user_age user_gender product_category] [product_category price] [user_location_tier payment_method]]
	// llm calls: 6 parse failures: 0
}

// BenchmarkLLMSynthorFake runs the paper's setting (2,000 records, 100
// iterations, 5 proposals) with the LLM planner against the in-process
// fake: the harness's own cost per run, LLM time excluded. replay answers
// every call from the cache recorded by the first run.
func BenchmarkLLMSynthorFake(b *testing.B) {
	var calls atomic.Int64
	srv := llmtest.NewServer(planBrain(&calls))
	defer srv.Close()
	ref := datasets.EcommerceBN(2000, 1)
	dir := b.TempDir()
	for _, mode := range []llm.CacheMode{llm.CacheOff, llm.CacheReplay} {
		b.Run("cache="+string(mode), func(b *testing.B) {
			cfg := fakeCfg(srv.URL)
			if mode == llm.CacheReplay {
				cfg.CacheDir, cfg.CacheMode = dir, llm.CacheReadWrite
			}
			run := func(cfg llm.Config) {
				be, err := llm.Open(cfg)
				if err != nil {
					b.Fatal(err)
				}
				defer be.Close()
				s, err := New(Config{Planner: "llm", Iterations: 100}, NewLLMPlanner(be, LLMPlannerOptions{}))
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Fit(context.Background(), ref); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Sample(context.Background(), 2000, 1); err != nil {
					b.Fatal(err)
				}
			}
			if mode == llm.CacheReplay {
				run(cfg) // record
				cfg.CacheMode = llm.CacheReplay
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				run(cfg)
			}
		})
	}
}

// Runs with different seeds get their own replies (and cache entries) even
// where their prompts are identical; the same seed is answered from the
// cache.
func TestLLMPlannerSeedsGetTheirOwnReplies(t *testing.T) {
	noLeaks(t)
	var calls atomic.Int64
	srv := llmtest.NewServer(planBrain(&calls))
	defer srv.Close()
	cfg := fakeCfg(srv.URL)
	cfg.CacheDir, cfg.CacheMode = t.TempDir(), llm.CacheReadWrite
	joints := [][]string{{"user_gender", "product_category"}}
	for i, tc := range []struct {
		seed  uint64
		asked int
	}{{1, 2}, {2, 2}, {1, 0}} {
		before := srv.Calls()
		r := llmRun{cfg: cfg, n: 50, iters: 2, seed: tc.seed, joints: joints}.do(t, context.Background())
		if r.err != nil {
			t.Fatal(r.err)
		}
		if asked := srv.Calls() - before; asked != tc.asked {
			t.Errorf("run %d (seed %d) asked the server %d times, want %d", i+1, tc.seed, asked, tc.asked)
		}
	}
}

func TestLLMPlannerSchemas(t *testing.T) {
	var reqs []llm.Request
	c := llm.ClientFunc(func(_ context.Context, r llm.Request) (*llm.Response, error) {
		reqs = append(reqs, r)
		if len(reqs) == 1 {
			return &llm.Response{Text: `{"1": ["user_gender", "product_category"]}`}, nil
		}
		return &llm.Response{Text: `{"proposals": [{"reason": "r", "proposal": {"user_gender": "Male"}, "num": 10}]}`}, nil
	})
	s, err := New(Config{Planner: "llm", Iterations: 1}, NewLLMPlanner(c, LLMPlannerOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fit(context.Background(), datasets.EcommerceBN(300, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sample(context.Background(), 10, 4); err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	var dep struct {
		AdditionalProperties struct {
			Items struct{ Enum []string } `json:"items"`
		} `json:"additionalProperties"`
	}
	if err := json.Unmarshal(reqs[0].Schema, &dep); err != nil || len(dep.AdditionalProperties.Items.Enum) != 6 || reqs[0].SchemaName != "dependency_groups" {
		t.Errorf("dependency schema %s: %v", reqs[0].Schema, err)
	}
	var prop struct {
		Properties struct {
			Proposals struct {
				MaxItems int `json:"maxItems"`
				Items    struct {
					Properties struct {
						Proposal struct {
							Properties map[string]struct {
								Type string   `json:"type"`
								Enum []string `json:"enum"`
							} `json:"properties"`
							Required []string `json:"required"`
						} `json:"proposal"`
					} `json:"properties"`
				} `json:"items"`
			} `json:"proposals"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(reqs[1].Schema, &prop); err != nil {
		t.Fatal(err)
	}
	p := prop.Properties.Proposals
	vars := p.Items.Properties.Proposal.Properties
	if p.MaxItems != 5 || len(p.Items.Properties.Proposal.Required) != 6 ||
		fmt.Sprint(vars["user_gender"].Enum) != "[Male Female]" || vars["price"].Type != "array" {
		t.Errorf("proposal schema: %s", reqs[1].Schema)
	}
	for _, r := range reqs {
		if r.TemplateVersion != PromptVersion || r.Format != llm.FormatJSONSchema {
			t.Errorf("request template %q format %q", r.TemplateVersion, r.Format)
		}
	}
}

// Grouped records (households of persons) through the fake: proposals carry
// member lists, read from the prompt's member section.
func TestLLMPlannerGroupedEndToEnd(t *testing.T) {
	noLeaks(t)
	var calls atomic.Int64
	srv := llmtest.NewServer(planBrain(&calls))
	defer srv.Close()
	be, err := llm.Open(fakeCfg(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer be.Close()
	s, err := New(Config{Planner: "llm", Iterations: 8, Joints: [][]string{{"housing_tenure", "householder_type"}}}, NewLLMPlanner(be, LLMPlannerOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fit(context.Background(), datasets.Population(500, 1)); err != nil {
		t.Fatal(err)
	}
	out, err := s.Sample(context.Background(), 120, 5)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := out.Groups()
	if err != nil {
		t.Fatal(err)
	}
	res := s.Result()
	if len(groups) != 120 || res.Repairs[RepairMembersMissing] != 0 || res.ParseFailures != 0 {
		t.Errorf("%d households, repairs %v, parse failures %d", len(groups), res.Repairs, res.ParseFailures)
	}
	np := out.Col("num_persons")
	for _, g := range groups {
		if int64(g[1]-g[0]) != np.Ints[g[0]] {
			t.Fatalf("household at row %d: %d members, num_persons %d", g[0]+1, g[1]-g[0], np.Ints[g[0]])
		}
	}
	if !strings.Contains(srv.Requests()[0].Prompt(), "Member variables") {
		t.Error("the prompt did not describe members")
	}
}

// noLeaks fails t when a goroutine started during the test is still
// running when it ends (those running now are not counted).
func noLeaks(t *testing.T) {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
}
