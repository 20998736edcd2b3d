package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The subprocess tests (TestHostile, TestSignals) run the real binary, to
// see its exit status, its stderr and what a signal does. It is built once
// per test run.
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// synthorBinary builds cmd/synthor into a temporary directory (once) and
// returns its path.
func synthorBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "synthor-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "synthor")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = &buildError{err, string(out)}
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

// Peak RSS of a child run through the test binary is that of the test
// binary when larger (see testdata/rsswrap): TestHostile runs synthor
// through rsswrap, built once like synthor.
var (
	wrapOnce sync.Once
	wrapPath string
	wrapErr  error
)

// rssWrapBinary builds testdata/rsswrap (once) beside synthor and returns
// its path.
func rssWrapBinary(t *testing.T) string {
	t.Helper()
	synthorBinary(t)
	wrapOnce.Do(func() {
		wrapPath = filepath.Join(binDir, "rsswrap")
		out, err := exec.Command("go", "build", "-o", wrapPath, "./testdata/rsswrap").CombinedOutput()
		if err != nil {
			wrapErr = &buildError{err, string(out)}
		}
	})
	if wrapErr != nil {
		t.Fatalf("go build rsswrap: %v", wrapErr)
	}
	return wrapPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}
