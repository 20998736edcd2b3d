package bench

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress follows a run: Start once, Done per recorded cell, Finish at
// the end. Calls may come from several goroutines.
type Progress interface {
	Start(total, resumed int)
	Done(r Result)
	Finish()
}

// tally counts what a run has done so far.
type tally struct {
	mu                           sync.Mutex
	total, done, failed, workers int
	calls, tokens                int
	start                        time.Time
}

func (t *tally) add(r Result) {
	t.done++
	if r.Status != StatusOK && r.Status != StatusSkipped {
		t.failed++
	}
	if r.LLM != nil {
		t.calls += r.LLM.Calls
		t.tokens += r.LLM.PromptTokens + r.LLM.CompletionTokens
	}
}

func (t *tally) line() string {
	running := min(t.workers, t.total-t.done)
	s := fmt.Sprintf("%d/%d done, %d running, %d failed", t.done, t.total, running, t.failed)
	if t.calls > 0 {
		s += fmt.Sprintf(", LLM %d calls, %d tokens", t.calls, t.tokens)
	}
	return s
}

// LineProgress writes one plain line per finished cell (for logs and
// pipes).
func LineProgress(w io.Writer, workers int) Progress { return &lines{w: w, t: tally{workers: workers}} }

type lines struct {
	w io.Writer
	t tally
}

func (l *lines) Start(total, resumed int) {
	l.t.total, l.t.start = total, time.Now()
	if resumed > 0 {
		fmt.Fprintf(l.w, "resuming: %d cells already done, %d to run\n", resumed, total)
	}
}

func (l *lines) Done(r Result) {
	l.t.mu.Lock()
	defer l.t.mu.Unlock()
	l.t.add(r)
	note := ""
	if r.Reason != "" {
		note = ": " + r.Reason
	}
	fmt.Fprintf(l.w, "[%d/%d] %s %s %s seed %d (%.1fs)%s\n", l.t.done, l.t.total, r.Status, r.Dataset, r.Method.Label, r.Seed, r.Timings.TotalS, note)
}

func (l *lines) Finish() {
	l.t.mu.Lock()
	defer l.t.mu.Unlock()
	fmt.Fprintf(l.w, "%s in %s\n", l.t.line(), time.Since(l.t.start).Round(time.Millisecond))
}

// BarProgress draws a progress bar with an ETA (for a terminal).
func BarProgress(w io.Writer, workers int) Progress { return &bar{w: w, t: tally{workers: workers}} }

type bar struct {
	w io.Writer
	t tally
	b *progressbar.ProgressBar
}

func (b *bar) Start(total, resumed int) {
	b.t.total, b.t.start = total, time.Now()
	b.b = progressbar.NewOptions(total, progressbar.OptionSetWriter(b.w), progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true), progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetDescription("cells"), progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond))
}

func (b *bar) Done(r Result) {
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	b.t.add(r)
	b.b.Describe(b.t.line())
	_ = b.b.Add(1)
}

func (b *bar) Finish() {
	_ = b.b.Finish()
	fmt.Fprintln(b.w)
}
