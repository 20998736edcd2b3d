package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

// The test binary is also the child process of the cells it runs
// (BENCH_TEST_CELL) and, for the SIGKILL test, a runner
// (BENCH_TEST_RUN).
func TestMain(m *testing.M) {
	if spec := os.Getenv("BENCH_TEST_CELL"); spec != "" {
		if err := RunCell(context.Background(), spec); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if cfg := os.Getenv("BENCH_TEST_RUN"); cfg != "" {
		c, err := LoadConfig(cfg, nil)
		if err == nil {
			_, err = Run(context.Background(), c, RunOptions{Dir: os.Getenv("BENCH_TEST_DIR"), Workers: 1, Command: testCommand, Resume: true})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func testCommand(spec string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BENCH_TEST_CELL="+spec)
	return cmd
}

// hook is a test-only method: independent, after sleeping and allocating
// as its params say.
type hook struct {
	methods.Synthesizer
	sleep time.Duration
	alloc int64
}

var sink []byte

func (h *hook) Fit(ctx context.Context, t *table.Table) error {
	time.Sleep(h.sleep)
	if h.alloc > 0 {
		sink = make([]byte, h.alloc)
		for i := 0; i < len(sink); i += 4096 {
			sink[i] = 1
		}
	}
	return h.Synthesizer.Fit(ctx, t)
}

func init() {
	methods.Register(&methods.Method{Name: "test-hook", Label: "test hook", Hidden: true,
		Params: []methods.Param{
			{Key: "sleep", Kind: methods.Duration, Default: "0", Doc: "sleep before fitting"},
			{Key: "alloc", Kind: methods.Text, Doc: "bytes to allocate before fitting (a size)"},
		},
		Build: func(v methods.Values, _ methods.Options) (methods.Synthesizer, error) {
			base, err := methods.New("independent", nil, methods.Options{})
			if err != nil {
				return nil, err
			}
			h := &hook{Synthesizer: base, sleep: v.Duration("sleep")}
			if a := v.Text("alloc"); a != "" {
				z, err := settings.ParseSize(a)
				if err != nil {
					return nil, err
				}
				h.alloc = z.Bytes()
			}
			return h, nil
		}})
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "run.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustLoad(t *testing.T, body string) *Config {
	t.Helper()
	c, err := LoadConfig(writeConfig(t, body), nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func run(t *testing.T, c *Config, o RunOptions) *Summary {
	t.Helper()
	if o.Dir == "" {
		o.Dir = t.TempDir()
	}
	o.Command = testCommand
	s, err := Run(context.Background(), c, o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sameResults(t *testing.T, got, want []Result) {
	t.Helper()
	if err := Same(got, want); err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if !reflect.DeepEqual(Comparable(got[i]), Comparable(want[i])) {
			gb, _ := json.Marshal(Comparable(got[i]))
			wb, _ := json.Marshal(Comparable(want[i]))
			t.Fatalf("result %d differs:\n got %s\nwant %s", i, gb, wb)
		}
	}
}

const smallConfig = `
datasets:
  - {name: ecommerce-bn, rows: 300, holdout: 0.2}
methods:
  - independent
  - {name: llmsynthor, params: {iterations: 10}}
  - {name: bayes-net, params: {k: 1}}
seeds: [1, 2]
`

func TestRunRecordsTimeoutAndOOM(t *testing.T) {
	c := mustLoad(t, `
datasets: [{name: ecommerce-bn, rows: 300}]
methods:
  - independent
  - {name: test-hook, label: sleeper, params: {sleep: 60s}}
  - {name: test-hook, label: hog, params: {alloc: 3GiB}}
limits: {timeout: 4s, memory: 1GiB}
`)
	s := run(t, c, RunOptions{Workers: 3})
	got := map[string]Result{}
	for _, r := range s.Results {
		got[r.Method.Label] = r
	}
	if r := got["independent"]; r.Status != StatusOK || len(r.Metrics) == 0 {
		t.Errorf("independent: %s %s, %d metrics", r.Status, r.Reason, len(r.Metrics))
	}
	if r := got["sleeper"]; r.Status != StatusTimeout || r.Timings.TotalS < 4 || r.Timings.TotalS > 30 || !strings.Contains(r.Reason, "4s") {
		t.Errorf("sleeper: %s %q after %.1fs, want timeout after about 4s", r.Status, r.Reason, r.Timings.TotalS)
	}
	if r := got["hog"]; r.Status != StatusOOM || !strings.Contains(r.Reason, "1GiB") {
		t.Errorf("hog: %s %q, want oom", r.Status, r.Reason)
	}
	rows, err := ReadResults(s.ResultsFile, false)
	if err != nil || len(rows) != 3 {
		t.Fatalf("results file: %d rows, %v", len(rows), err)
	}
}

func TestRunWorkersAndShardsGiveTheSameResults(t *testing.T) {
	c := mustLoad(t, smallConfig)
	one := run(t, c, RunOptions{Workers: 1})
	if len(one.Results) != 6 {
		t.Fatalf("%d results, want 6", len(one.Results))
	}
	for _, r := range one.Results {
		if r.Status != StatusOK {
			t.Fatalf("%s seed %d: %s %s", r.Method.Label, r.Seed, r.Status, r.Reason)
		}
	}
	many := run(t, c, RunOptions{Workers: 4})
	sameResults(t, many.Results, one.Results)

	dir := t.TempDir()
	for i := 1; i <= 3; i++ {
		s := run(t, c, RunOptions{Dir: dir, Workers: 2, Shard: Shard{I: i, N: 3}})
		if len(s.Results) != 2 {
			t.Fatalf("shard %d/3 ran %d cells, want 2", i, len(s.Results))
		}
	}
	merged, err := Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameResults(t, merged, one.Results)
	// Run again without --resume: refused, nothing lost.
	if _, err := Run(context.Background(), c, RunOptions{Dir: one.Dir, Command: testCommand}); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("second run into a full directory: %v", err)
	}
}

func TestResumeAfterSIGKILL(t *testing.T) {
	body := `
datasets: [{name: ecommerce-bn, rows: 300}]
methods:
  - {name: test-hook, label: slow, params: {sleep: 400ms}}
  - independent
seeds: [1, 2, 3, 4]
`
	cfgPath := writeConfig(t, body)
	c, err := LoadConfig(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := run(t, c, RunOptions{Workers: 2})

	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BENCH_TEST_RUN="+cfgPath, "BENCH_TEST_DIR="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, ResultsFile)
	deadline := time.Now().Add(60 * time.Second)
	for {
		rs, _ := ReadResults(file, false)
		if len(rs) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("the runner recorded nothing in 60s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	partial, _ := ReadResults(file, false)
	if len(partial) >= len(want.Results) {
		t.Skipf("the run finished (%d cells) before it was killed", len(partial))
	}
	got := run(t, c, RunOptions{Dir: dir, Workers: 1, Resume: true})
	if got.Resumed != len(partial) || got.Ran != len(want.Results)-len(partial) {
		t.Errorf("resumed %d and ran %d; %d were recorded before the kill", got.Resumed, got.Ran, len(partial))
	}
	sameResults(t, got.Results, want.Results)
	all, err := ReadResults(file, false)
	if err != nil || len(all) != len(want.Results) {
		t.Fatalf("results file: %d rows (%v), want %d", len(all), err, len(want.Results))
	}
}

func TestInterruptRecordsWhatFinished(t *testing.T) {
	c := mustLoad(t, `
datasets: [{name: ecommerce-bn, rows: 300}]
methods: [independent, {name: test-hook, label: slow, params: {sleep: 30s}}]
`)
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	go func() {
		for {
			if rs, _ := ReadResults(filepath.Join(dir, ResultsFile), false); len(rs) > 0 {
				cancel()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	start := time.Now()
	s, err := Run(ctx, c, RunOptions{Dir: dir, Workers: 2, Command: testCommand})
	if err == nil || !strings.Contains(err.Error(), "--resume") || s == nil || !s.Interrupted {
		t.Fatalf("interrupted run: %v", err)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("stopping took %s: the slow cell was not killed", time.Since(start))
	}
	if len(s.Results) != 1 || s.Results[0].Method.Label != "independent" {
		t.Errorf("recorded %d results, want the finished one", len(s.Results))
	}
}

func TestSkippedWithoutAPIKey(t *testing.T) {
	dir := t.TempDir()
	backend := filepath.Join(dir, "b.yaml")
	if err := os.WriteFile(backend, []byte("llm:\n  model: m\n  api_key_env: BENCH_TEST_UNSET_KEY\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := mustLoad(t, fmt.Sprintf(`
datasets: [{name: ecommerce-bn, rows: 200}]
methods: [{name: llmsynthor, label: llm, planner: llm, backend: %s, llm: {base_url: "http://127.0.0.1:9/v1", retries: 0, timeout: 2s}}, independent]
`, backend))
	out := t.TempDir()
	s := run(t, c, RunOptions{Dir: out, Getenv: func(string) string { return "" }})
	if r := s.Results[0]; r.Status != StatusSkipped || !strings.Contains(r.Reason, "BENCH_TEST_UNSET_KEY") {
		t.Errorf("llm cell: %s %q, want skipped naming the key variable", r.Status, r.Reason)
	}
	if s.Results[1].Status != StatusOK {
		t.Errorf("independent: %s", s.Results[1].Status)
	}
	// Resumed with the key set, the skipped cell runs (and fails here: no
	// server), and its new row replaces the skipped one.
	s = run(t, c, RunOptions{Dir: out, Resume: true, Getenv: func(string) string { return "sk-test" }})
	if s.Ran != 1 || s.Resumed != 1 || s.Results[0].Status == StatusSkipped {
		t.Fatalf("resume with the key: ran %d, resumed %d, first %s", s.Ran, s.Resumed, s.Results[0].Status)
	}
	merged, err := Merge(out)
	if err != nil || len(merged) != 2 || merged[0].Status == StatusSkipped {
		t.Fatalf("merged %d rows (%v), first %s", len(merged), err, merged[0].Status)
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"top key", "methodz: [independent]\n", "methodz: unknown key (valid: name, datasets, methods"},
		{"nested key", "datasets: [{name: ecommerce-bn, holdot: 0.2}]\n", "datasets[0].holdot: unknown key"},
		{"limits key", "limits: {timout: 3s}\n", "limits.timout: unknown key (valid: workers, timeout, memory)"},
		{"unknown method", "methods: [bayesnet]\n", "methods[0].name: unknown method \"bayesnet\" (valid: bayes-net"},
		{"unknown param", "methods: [{name: llmsynthor, params: {iteratons: 3}}]\n", "methods[0].params.iteratons: unknown param of llmsynthor (valid: planner, iterations"},
		{"unknown dataset", "datasets: [ecomerce]\n", "datasets[0].name"},
		{"bad holdout", "datasets: [{name: adult, holdout: 2}]\n", "datasets[0].holdout"},
		{"unknown metric", "metrics: [fidelty]\n", "metrics[0]: unknown metric group \"fidelty\""},
		{"bad memory", "limits: {memory: lots}\n", "limits.memory"},
		{"duplicate label", "methods: [independent, independent]\n", "methods[1].label"},
		{"llm without backend", "methods: [{name: llmsynthor, planner: llm}]\n", "methods[0].backend"},
		{"bad timeout", "limits: {timeout: soon}\n", "timeout"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, c.body), nil)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line containing %q", err, c.want)
			}
		})
	}
	if _, err := LoadConfig(writeConfig(t, "seeds: [1]\n"), []string{"limits.wrkers=2"}); err == nil || !strings.Contains(err.Error(), "limits.wrkers") {
		t.Errorf("--set typo: %v", err)
	}
}

func TestOneLineConfig(t *testing.T) {
	c := mustLoad(t, "methods: [independent]\n")
	if c.Datasets[0].Name != "ecommerce-bn" || len(c.Seeds) != 1 || c.Metrics[0] != "fidelity" {
		t.Fatalf("defaults: %+v", c)
	}
	c.Datasets[0].Rows = 200
	s := run(t, c, RunOptions{})
	if len(s.Results) != 1 || s.Results[0].Status != StatusOK || s.Results[0].Rows != 200 {
		t.Fatalf("results %+v", s.Results)
	}
	for _, f := range []string{ResultsFile, "manifest.json", s.Results[0].Files[0]} {
		if _, err := os.Stat(filepath.Join(s.Dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, c := range []struct {
		env  func(string) string
		want Shard
		ok   bool
	}{
		{env(), Shard{}, false},
		{env("JOB_COMPLETION_INDEX", "0", "JOB_COMPLETIONS", "3"), Shard{1, 3}, true},
		{env("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT", "3", "SLURM_ARRAY_TASK_MIN", "0"), Shard{3, 3}, true},
		{env("SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_COUNT", "3", "SLURM_ARRAY_TASK_MIN", "4"), Shard{2, 3}, true},
	} {
		s, ok, err := ShardFromEnv(c.env)
		if err != nil || ok != c.ok || s != c.want {
			t.Errorf("got %v %v %v, want %v %v", s, ok, err, c.want, c.ok)
		}
	}
	if _, _, err := ShardFromEnv(env("JOB_COMPLETION_INDEX", "1")); err == nil || !strings.Contains(err.Error(), "JOB_COMPLETIONS") {
		t.Errorf("index without completions: %v", err)
	}
	for _, bad := range []string{"0/3", "4/3", "x", "1/0"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

func TestReadResultsDropsACutRow(t *testing.T) {
	p := filepath.Join(t.TempDir(), ResultsFile)
	if err := os.WriteFile(p, []byte(`{"id":"a","index":0,"dataset":"d","method":{"name":"m"},"status":"ok"}`+"\n"+`{"id":"b","ind`), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := ReadResults(p, true)
	if err != nil || len(rs) != 1 || rs[0].ID != "a" {
		t.Fatalf("%v %v", rs, err)
	}
	b, _ := os.ReadFile(p)
	if strings.Contains(string(b), `"b"`) {
		t.Error("the cut row was not truncated away")
	}
	// A whole last row that lacks only its newline is kept, and repaired.
	whole := `{"id":"c","index":1,"dataset":"d","method":{"name":"m"},"status":"ok"}`
	if err := os.WriteFile(p, append(b, whole...), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err = ReadResults(p, true)
	if err != nil || len(rs) != 2 || rs[1].ID != "c" {
		t.Fatalf("whole last row: %v %v", rs, err)
	}
	if b, _ := os.ReadFile(p); !strings.HasSuffix(string(b), whole+"\n") {
		t.Errorf("the last row was not ended with a newline: %q", b)
	}
}

func TestShippedConfigsLoad(t *testing.T) {
	files, _ := filepath.Glob("../configs/*.yaml")
	if len(files) < 6 {
		t.Fatalf("%d configs under configs/, want 6 or more", len(files))
	}
	for _, f := range files {
		if _, err := LoadConfig(f, nil); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// A method that does not model grouped tables is recorded as skipped on a
// grouped dataset, with the reason, while the others run.
func TestGroupedDatasetSkipsFlatMethods(t *testing.T) {
	c := mustLoad(t, "datasets: [{name: population, rows: 60}]\nmethods: [cart, independent]\n")
	s := run(t, c, RunOptions{Dir: t.TempDir()})
	if r := s.Results[0]; r.Status != StatusSkipped || !strings.Contains(r.Reason, "does not model grouped tables") {
		t.Errorf("cart on households: %s %q, want skipped with the reason", r.Status, r.Reason)
	}
	if r := s.Results[1]; r.Status != StatusOK {
		t.Errorf("independent on households: %s %q", r.Status, r.Reason)
	}
}

func TestFileDatasetAndProgress(t *testing.T) {
	dir := t.TempDir()
	gen, err := LoadConfig(writeConfig(t, "datasets: [{name: ecommerce-bn, rows: 150}]\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	tb, _, err := gen.readDataset(gen.Datasets[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := table.WriteFile(filepath.Join(dir, "shop.csv"), tb); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "exp.yaml")
	if err := os.WriteFile(cfg, []byte("datasets: [{file: shop.csv, holdout: 0.2}]\nmethods: [independent, bootstrap]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines, bar strings.Builder
	s := run(t, c, RunOptions{Progress: LineProgress(&lines, 1), Workers: 1})
	if len(s.Results) != 2 || s.Results[0].Dataset != "shop" || s.Results[0].Rows != 120 || s.Results[0].Status != StatusOK {
		t.Fatalf("results %+v", s.Results[0])
	}
	if !strings.Contains(lines.String(), "[2/2] ok shop bootstrap seed 1") || !strings.Contains(lines.String(), "2/2 done, 0 running, 0 failed") {
		t.Errorf("progress lines:\n%s", lines.String())
	}
	run(t, c, RunOptions{Progress: BarProgress(&bar, 1), Workers: 1})
	if !strings.Contains(bar.String(), "2/2") {
		t.Errorf("progress bar:\n%q", bar.String())
	}
}

// A cell's what-if overrides reach the adaptability group: the Electronics
// share asked for is met within 0.01 (and the score is there at all).
func TestOverridesReachAdaptability(t *testing.T) {
	c := mustLoad(t, `
datasets: [{name: ecommerce-bn, rows: 2000}]
methods: [{name: llmsynthor, params: {overrides: "product_category=Electronics:0.35"}}]
metrics: [adaptability]
`)
	s := run(t, c, RunOptions{Dir: t.TempDir()})
	r := s.Results[0]
	if r.Status != StatusOK {
		t.Fatalf("%s: %s", r.Status, r.Reason)
	}
	found := false
	for _, m := range r.Metrics {
		if m.Name != "scenario_target_gap" {
			continue
		}
		found = true
		if !m.OK() || m.Value > 0.01 {
			t.Errorf("scenario_target_gap %v = %g (%s), want ≤ 0.01", m.Columns, m.Value, m.Reason)
		}
	}
	if !found {
		t.Error("no scenario_target_gap score")
	}
}
