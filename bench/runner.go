package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/synthor"
)

// MetricsVersion versions the definitions of the metric groups as the
// runner records them; a change of a metric's formula bumps it.
const MetricsVersion = "metrics-v1"

// RunOptions shape a run of a Config.
type RunOptions struct {
	// Dir is the run directory (default Config.Output).
	Dir string
	// Workers run cells at once (0: Limits.Workers, else the cores).
	Workers int
	// Shard runs a deterministic subset of the cells (zero: all).
	Shard Shard
	// Resume skips the cells whose result is already in the results file.
	Resume bool
	// RetryFailed, with Resume, runs again the cells recorded as failed,
	// timeout or oom; without it they are kept (Summary.Kept counts them).
	RetryFailed bool
	// Inputs are files the run reads besides those its config names (the
	// config file itself): no file the run writes may be one of them.
	Inputs []string
	// Version is the code's version, part of every cell id (default: the
	// module version from the build info).
	Version string
	// Progress receives each finished cell; nil: none.
	Progress Progress
	// Command returns the child process that runs a spec file; nil: this
	// executable's hidden "cell" command.
	Command func(spec string) *exec.Cmd
	// Getenv reads the API key variables (nil: os.Getenv).
	Getenv func(string) string
}

// Summary is what a run did.
type Summary struct {
	Dir, ResultsFile string
	// Results are this run's rows, resumed ones included, sorted.
	Results []Result
	// Ran is the cells run now; Resumed those found done (Kept of them
	// failed, timed out or ran out of memory and were not retried:
	// RunOptions.RetryFailed).
	Ran, Resumed, Kept int
	Interrupted        bool
}

// ErrInterrupted is returned (wrapped) by a run stopped by its context.
var ErrInterrupted = errors.New("interrupted")

// task is one cell to run, or one to record as skipped.
type task struct {
	spec Spec
	skip string
}

// Run expands the config into cells, runs those of the shard that are not
// done (each in a child process, Workers at once) and appends one row per
// finished cell to the results file. A cancelled ctx stops the run after
// recording what finished: the cells cut short are not recorded, and a
// run with Resume completes them.
func Run(ctx context.Context, c *Config, o RunOptions) (*Summary, error) {
	if o.Dir == "" {
		o.Dir = c.Output
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Workers == 0 {
		o.Workers = c.Limits.Workers
	}
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.Version == "" {
		o.Version = moduleVersion()
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	if err := checkDataFormat(dir); err != nil {
		return nil, err // an older run's directory: said before anything else
	}
	if err := checkRunDir(dir, c, o); err != nil {
		return nil, err
	}
	if err := c.checkMemory(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "cells"), 0o755); err != nil {
		return nil, err
	}
	sum := &Summary{Dir: dir, ResultsFile: filepath.Join(dir, ResultsFile)}
	if o.Shard.N > 0 {
		sum.ResultsFile = filepath.Join(dir, ResultsFileShard(o.Shard.I, o.Shard.N))
	}
	done, err := ReadResults(sum.ResultsFile, o.Resume)
	if err != nil {
		return nil, err
	}
	if len(done) > 0 && !o.Resume {
		return nil, fmt.Errorf("%s holds %d results: pass --resume to finish the run, or choose another --out", sum.ResultsFile, len(done))
	}
	tasks, err := c.tasks(dir, o)
	if err != nil {
		return nil, err
	}
	have := map[string]Result{}
	for _, r := range done {
		if old, seen := have[r.ID]; !seen || supersedes(r, old) {
			have[r.ID] = r
		}
	}
	var todo []task
	for _, t := range tasks {
		// A skipped cell never ran: it runs when resumed with what it lacked.
		if r, ok := have[t.spec.ID]; ok && (r.Status != StatusSkipped || t.skip != "") {
			if failedCell(r) {
				if o.RetryFailed {
					todo = append(todo, t)
					continue
				}
				sum.Kept++
			}
			sum.Results = append(sum.Results, r)
			sum.Resumed++
			continue
		}
		todo = append(todo, t)
	}
	shareLimits(todo, o.Workers)
	m := newManifest(c, o, len(tasks))
	if err := m.write(dir); err != nil {
		return nil, err
	}
	app, err := openAppender(sum.ResultsFile)
	if err != nil {
		return nil, err
	}
	defer app.close()
	if o.Progress != nil {
		o.Progress.Start(len(todo), sum.Resumed)
	}
	rs, werr := runTasks(ctx, todo, o, c.Limits, app)
	if o.Progress != nil {
		o.Progress.Finish()
	}
	sum.Results = append(sum.Results, rs...)
	sum.Ran = len(rs)
	sortResults(sum.Results)
	m.Finished = time.Now().UTC().Format(time.RFC3339)
	m.Recorded = len(sum.Results)
	if err := m.write(dir); err != nil && werr == nil {
		werr = err
	}
	if werr != nil {
		return sum, werr
	}
	if ctx.Err() != nil {
		sum.Interrupted = true
		return sum, fmt.Errorf("%w: %d of %d cells recorded in %s; run again with --resume to finish", ErrInterrupted, len(sum.Results), len(tasks), sum.ResultsFile)
	}
	return sum, nil
}

// failedCell reports whether r records a cell that ran and did not end
// ok: failed, timeout or oom (RunOptions.RetryFailed runs it again).
func failedCell(r Result) bool {
	return r.Status == StatusFailed || r.Status == StatusTimeout || r.Status == StatusOOM
}

// runTasks runs the tasks on workers and records each result.
func runTasks(ctx context.Context, todo []task, o RunOptions, lim Limits, app *appender) ([]Result, error) {
	ch := make(chan task)
	var (
		mu      sync.Mutex
		out     []Result
		firstEr error
		wg      sync.WaitGroup
	)
	for range min(o.Workers, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range ch {
				r, ok := runTask(ctx, t, o, lim)
				if !ok {
					continue // cut short: not recorded
				}
				err := app.add(r)
				mu.Lock()
				if err != nil && firstEr == nil {
					firstEr = err
				}
				out = append(out, r)
				mu.Unlock()
				if o.Progress != nil {
					o.Progress.Done(r)
				}
			}
		}()
	}
feed:
	for _, t := range todo {
		select {
		case ch <- t:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	return out, firstEr
}

// runTask runs one cell in a child process; ok is false when ctx cut it
// short.
func runTask(ctx context.Context, t task, o RunOptions, lim Limits) (Result, bool) {
	s := t.spec
	base := Result{ID: s.ID, Index: s.Index, Dataset: s.Dataset, Method: s.Method, Seed: s.Seed,
		Metrics: []metrics.Score{}, Versions: s.Versions, DataHash: s.DataHash, ConfigHash: s.ConfigHash, Shard: o.Shard.String()}
	if t.skip != "" {
		base.Status, base.Reason = StatusSkipped, t.skip
		return base, true
	}
	if ctx.Err() != nil {
		return base, false
	}
	fail := func(err error) (Result, bool) {
		base.Status, base.Reason = StatusFailed, OneLine(err.Error())
		return base, true
	}
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return fail(err)
	}
	_ = os.Remove(filepath.Join(s.Dir, resultFile)) // from a run killed before recording it
	specPath := filepath.Join(s.Dir, specFile)
	if err := writeJSON(specPath, s); err != nil {
		return fail(err)
	}
	cmd := o.command(specPath)
	var tail bytes.Buffer
	logf, err := os.Create(filepath.Join(s.Dir, stderrFile))
	if err != nil {
		return fail(err)
	}
	defer logf.Close()
	w := &tailWriter{w: logf, tail: &tail}
	cmd.Stdout, cmd.Stderr = w, w
	isolate(cmd)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fail(fmt.Errorf("start cell: %w", err))
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	var timeout <-chan time.Time
	if lim.Timeout > 0 {
		tm := time.NewTimer(lim.Timeout.D())
		defer tm.Stop()
		timeout = tm.C
	}
	var werr error
	timedOut := false
	select {
	case werr = <-waited:
	case <-timeout:
		kill(cmd)
		werr = <-waited
		timedOut = true
	case <-ctx.Done():
		kill(cmd)
		<-waited
		return base, false
	}
	elapsed := time.Since(start)
	rss := int64(0)
	if cmd.ProcessState != nil {
		rss = peakRSS(cmd.ProcessState)
	}
	r := base
	memLimit := s.MemoryBytes
	switch {
	case timedOut:
		r.Status, r.Reason = StatusTimeout, fmt.Sprintf("ran past the %s timeout (killed after %.1fs)", lim.Timeout, elapsed.Seconds())
	default:
		if b, err := os.ReadFile(filepath.Join(s.Dir, resultFile)); err == nil && json.Unmarshal(b, &r) == nil {
			break
		}
		msg := tail.String()
		switch {
		case memLimit > 0 && (outOfMemory(msg) || rss >= memLimit):
			r.Status, r.Reason = StatusOOM, fmt.Sprintf("passed the %s memory limit (peak RSS %.0f MiB)", lim.Memory, float64(rss)/(1<<20))
		default:
			why := crashLine(msg)
			if why == "" && werr != nil {
				why = werr.Error()
			}
			r.Status, r.Reason = StatusFailed, "cell process: "+why
		}
	}
	r.PeakRSSBytes = rss
	r.Timings.TotalS = elapsed.Seconds()
	r.Shard = o.Shard.String()
	return r, true
}

// outOfMemory recognises the last words of a process refused memory: the
// Go runtime's, a C allocator's, the race detector's.
func outOfMemory(stderr string) bool {
	for _, s := range []string{"out of memory", "cannot allocate memory", "failed to allocate"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

// crashLine picks the line that says why a child died: a panic or fatal
// error, else its last line.
func crashLine(s string) string {
	for l := range strings.SplitSeq(s, "\n") {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") || strings.HasPrefix(l, "runtime") {
			return strings.TrimSpace(l)
		}
	}
	return lastLine([]byte(s))
}

// tailWriter writes to w and keeps the last 8 KiB in tail.
type tailWriter struct {
	mu   sync.Mutex
	w    *os.File
	tail *bytes.Buffer
}

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tail.Write(p)
	if n := t.tail.Len(); n > 8<<10 {
		b := append([]byte(nil), t.tail.Bytes()[n-8<<10:]...)
		t.tail.Reset()
		t.tail.Write(b)
	}
	return t.w.Write(p)
}

func (o RunOptions) command(spec string) *exec.Cmd {
	if o.Command != nil {
		return o.Command(spec)
	}
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return exec.Command(exe, "cell", spec)
}

// moduleVersion is the main module's version and VCS revision from the
// build info.
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += "+" + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += "-dirty"
			}
		}
	}
	return v
}

// tasks expands the matrix into the shard's cells, in matrix order.
func (c *Config) tasks(dir string, o RunOptions) ([]task, error) {
	prep, err := c.Prepare(dir)
	if err != nil {
		return nil, err
	}
	cb, _ := json.Marshal(c)
	ch := sha256.Sum256(cb)
	configHash := hex.EncodeToString(ch[:])
	mem := c.Limits.Memory.Bytes()
	type backend struct {
		cfg  *llm.Config
		skip string
	}
	backends := make([]backend, len(c.Methods))
	for i, m := range c.Methods {
		reg, err := methods.Lookup(m.Name)
		if err != nil {
			return nil, fmt.Errorf("methods[%d].name: %w", i, err)
		}
		if !reg.UsesLLM(m.Params) {
			continue
		}
		lc, err := c.loadBackend(m)
		if err != nil {
			return nil, fmt.Errorf("methods[%d].backend: %w", i, err)
		}
		backends[i].cfg = &lc
		if lc.APIKeyEnv != "" && o.Getenv(lc.APIKeyEnv) == "" {
			backends[i].skip = fmt.Sprintf("%s needs the API key variable %s, which is not set", backendName(m), lc.APIKeyEnv)
		}
	}
	var out []task
	idx := 0
	for di, d := range c.Datasets {
		p := prep[di]
		for mi, m := range c.Methods {
			for _, seed := range c.Seeds {
				reg, _ := methods.Lookup(m.Name)
				ref := MethodRef{Name: m.Name, Label: m.Label, Params: m.Params.JSON(), Backend: backendName(m)}
				if reg.Param("planner") != nil {
					ref.Planner = m.Params.Choice("planner")
				}
				s := Spec{Index: idx, Dataset: d.Name, Method: ref, Seed: seed, Rows: p.Rows,
					Train: filepath.Join(dir, p.Train), Target: p.Target, Metrics: c.Metrics,
					MemoryBytes: mem, DataHash: p.Hash, ConfigHash: configHash,
					Versions: Versions{Module: o.Version, Prompt: synthor.PromptVersion, Metrics: MetricsVersion + ":" + strings.Join(c.Metrics, ",")}}
				if p.Holdout != "" {
					s.Holdout = filepath.Join(dir, p.Holdout)
				}
				if p.Controls != "" {
					s.Real, s.Controls = filepath.Join(dir, p.Real), filepath.Join(dir, p.Controls)
				}
				if b := backends[mi].cfg; b != nil {
					cp := *b
					s.LLM, s.Method.Model = &cp, b.Model
				}
				s.ID = cellID(s)
				s.Dir = filepath.Join(dir, "cells", s.ID)
				if o.Shard.takes(idx) {
					skip := backends[mi].skip
					if p.GroupKey != "" && !reg.Groups {
						skip = fmt.Sprintf("%s does not model grouped tables, and %s is grouped by %s", m.Name, d.Name, p.GroupKey)
					}
					out = append(out, task{spec: s, skip: skip})
				}
				idx++
			}
		}
	}
	return out, nil
}

func backendName(m MethodConfig) string {
	if m.Backend == "" {
		if m.LLM != nil {
			return "inline"
		}
		return ""
	}
	return strings.TrimSuffix(filepath.Base(m.Backend), ".yaml")
}

// shareLimits divides each backend's request rate and concurrency among
// the cells that may use it at once, so that together they keep to the
// backend's limits.
func shareLimits(todo []task, workers int) {
	count := map[string]int{}
	key := func(c *llm.Config) string { return c.BaseURL + "\x00" + c.Model + "\x00" + c.APIKeyEnv }
	for _, t := range todo {
		if t.spec.LLM != nil && t.skip == "" {
			count[key(t.spec.LLM)]++
		}
	}
	for i := range todo {
		c := todo[i].spec.LLM
		if c == nil {
			continue
		}
		slots := min(workers, max(count[key(c)], 1))
		if c.RequestsPerMinute > 0 {
			c.RequestsPerMinute /= float64(slots)
		}
		if c.Concurrency > 0 {
			c.Concurrency = max(1, c.Concurrency/slots)
		}
	}
}

// Shard is part I of N (1-based) of a run's cells: those whose index is
// I-1 modulo N. The zero Shard is the whole run.
type Shard struct{ I, N int }

func (s Shard) takes(idx int) bool { return s.N <= 1 || idx%s.N == s.I-1 }

// String is "I/N", or "" for the whole run.
func (s Shard) String() string {
	if s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

// ParseShard reads "I/N" (1 <= I <= N).
func ParseShard(v string) (Shard, error) {
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N (e.g. 2/3)", v)
	}
	return Shard{I: i, N: n}, nil
}

// ShardFromEnv reads the shard of a Kubernetes Indexed Job
// (JOB_COMPLETION_INDEX, 0-based, with JOB_COMPLETIONS, which the manifest
// sets) or of a Slurm job array (SLURM_ARRAY_TASK_ID from
// SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT). ok is false when
// neither is set.
func ShardFromEnv(getenv func(string) string) (s Shard, ok bool, err error) {
	num := func(k string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(getenv(k)))
		if err != nil {
			return 0, fmt.Errorf("%s=%q is not a number", k, getenv(k))
		}
		return n, nil
	}
	if getenv("JOB_COMPLETION_INDEX") != "" {
		idx, err := num("JOB_COMPLETION_INDEX")
		if err != nil {
			return s, false, err
		}
		n, err := num("JOB_COMPLETIONS")
		if err != nil {
			return s, false, fmt.Errorf("JOB_COMPLETION_INDEX is set: set JOB_COMPLETIONS to the job's completions too (%w)", err)
		}
		s = Shard{I: idx + 1, N: n}
	} else if getenv("SLURM_ARRAY_TASK_ID") != "" {
		id, err := num("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return s, false, err
		}
		n, err := num("SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return s, false, err
		}
		lo := 0
		if getenv("SLURM_ARRAY_TASK_MIN") != "" {
			if lo, err = num("SLURM_ARRAY_TASK_MIN"); err != nil {
				return s, false, err
			}
		}
		s = Shard{I: id - lo + 1, N: n}
	} else {
		return s, false, nil
	}
	if s.N < 1 || s.I < 1 || s.I > s.N {
		return Shard{}, false, fmt.Errorf("shard %d/%d from the environment is out of range", s.I, s.N)
	}
	return s, true, nil
}

// DefaultWorkers is the number of cells run at once when none is given:
// the number of cores.
func DefaultWorkers() int { return runtime.NumCPU() }
