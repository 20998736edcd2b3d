//go:build unix

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignals stops a long synth with SIGTERM, SIGINT and SIGHUP while it
// fits, while it loops and while it writes --out: the process exits within
// a second with 143, 130 or 129 and one line, leaves no output and no
// temporary file, and keeps the trace lines of the iterations it did, each
// whole.
// A second signal exits at once, still removing the temporary file.
func TestSignals(t *testing.T) {
	bin := synthorBinary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "big.csv")
	if out, err := exec.Command(bin, "datasets", "export", "ecommerce-bn", "--rows", "100000", "--seed", "1", "--out", data).CombinedOutput(); err != nil {
		t.Fatalf("export: %v: %s", err, out)
	}
	out := filepath.Join(dir, "synth.csv")
	trace := filepath.Join(dir, "trace.jsonl")
	// moments wait for a phase of the run; they return false when the run
	// ended before it.
	moments := []struct {
		name string
		wait func(done <-chan struct{}) bool
	}{
		// Reading 100,000 rows and fitting take longer than this; the
		// signal handler is installed first thing in main, before the
		// data is opened (opened, below, waits for that: the process's
		// start alone can take longer than 100 ms on a loaded machine).
		{"fit", func(done <-chan struct{}) bool {
			select {
			case <-done:
				return false
			case <-time.After(100 * time.Millisecond):
				return true
			}
		}},
		{"loop", func(done <-chan struct{}) bool {
			return poll(done, func() bool { st, err := os.Stat(trace); return err == nil && st.Size() > 0 })
		}},
		{"write", func(done <-chan struct{}) bool {
			return poll(done, func() bool { return len(temps(t, dir)) > 0 })
		}},
	}
	signals := []struct {
		sig  syscall.Signal
		name string
		code int
	}{{syscall.SIGTERM, "SIGTERM", 143}, {syscall.SIGINT, "SIGINT", 130}, {syscall.SIGHUP, "SIGHUP", 129}}
	for _, m := range moments {
		for _, s := range signals {
			for _, twice := range []bool{false, true} {
				if twice && m.name != "write" {
					continue
				}
				name := m.name + "/" + s.name
				if twice {
					name += "/twice"
				}
				t.Run(name, func(t *testing.T) {
					_ = os.Remove(trace)
					cmd := exec.Command(bin, "synth", "--data", data, "--rows", "1000000", "--seed", "1", "--out", out, "--trace", trace)
					var stderr bytes.Buffer
					cmd.Stderr = &stderr
					if err := cmd.Start(); err != nil {
						t.Fatal(err)
					}
					done := make(chan struct{})
					var werr error
					go func() { werr = cmd.Wait(); close(done) }()
					if !opened(done, cmd.Process.Pid, data) || !m.wait(done) {
						t.Skipf("the run ended before the %s phase (stderr %q)", m.name, stderr.String())
					}
					_ = cmd.Process.Signal(s.sig)
					sent := time.Now()
					if twice {
						_ = cmd.Process.Signal(s.sig)
					}
					select {
					case <-done:
					case <-time.After(10 * time.Second):
						_ = cmd.Process.Kill()
						<-done
						t.Fatal("still running 10 s after the signal")
					}
					// The command gives itself stopGrace (0.8 s) before it exits
					// regardless; the rest of the bound is slack for a loaded
					// machine (the race detector, packages tested in parallel).
					if took := time.Since(sent); took > 3*time.Second {
						t.Errorf("stopped %v after the signal, want within a second (3 s with slack)", took)
					}
					var ee *exec.ExitError
					if !errors.As(werr, &ee) || ee.ExitCode() != s.code {
						t.Fatalf("exit: %v, want status %d; stderr %q", werr, s.code, stderr.String())
					}
					want := "synthor: stopped by " + s.name + "; no output written"
					if _, err := os.Stat(trace); err == nil {
						want += "; " + trace + " keeps what was done"
					}
					if got := stderr.String(); got != want+"\n" {
						t.Errorf("stderr %q, want %q", got, want+"\n")
					}
					if _, err := os.Stat(out); err == nil {
						t.Error("--out was written")
					}
					if tmp := temps(t, dir); len(tmp) > 0 {
						t.Errorf("temporary files left: %v", tmp)
					}
					if m.name != "fit" {
						checkTrace(t, trace)
					}
				})
			}
		}
	}
}

// opened waits until the process pid has path open (its /proc fd links,
// where there are some): it then runs main, past the signal handler's
// installation, however long the start took. done closing is false.
func opened(done <-chan struct{}, pid int, path string) bool {
	fds := filepath.Join("/proc", strconv.Itoa(pid), "fd")
	if _, err := os.Stat(fds); err != nil {
		return true // no /proc: the 100 ms wait must do
	}
	return poll(done, func() bool {
		entries, _ := os.ReadDir(fds)
		for _, e := range entries {
			if l, err := os.Readlink(filepath.Join(fds, e.Name())); err == nil && l == path {
				return true
			}
		}
		return false
	})
}

// poll calls cond every 2 ms until it holds (true) or done closes (false).
func poll(done <-chan struct{}, cond func() bool) bool {
	for {
		if cond() {
			return true
		}
		select {
		case <-done:
			return false
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// temps lists the hidden temporary files table.WriteAtomic makes in dir.
func temps(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), ".tmp") {
			out = append(out, e.Name())
		}
	}
	return out
}

// checkTrace requires a trace of at least one line, every line whole JSON.
func checkTrace(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the trace of the iterations done is gone: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		n++
		var line traceProbe
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil || line.Iteration == nil {
			t.Fatalf("trace line %d is not whole: %v", n, err)
		}
	}
	if n == 0 {
		t.Error("the trace is empty")
	}
}

// traceProbe reads the one field of a trace line the test needs.
type traceProbe struct {
	Iteration *int `json:"iteration"`
}
