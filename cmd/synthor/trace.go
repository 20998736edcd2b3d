package main

import (
	"fmt"
	"os"
)

// traceFile streams synth's trace to its file as the loop runs, one JSON
// line per write, so that a stopped or failed run keeps the iterations it
// did. The file is created (truncated) at the first line: a run that fails
// before its first iteration leaves no file.
type traceFile struct {
	path string
	f    *os.File
	err  error
}

func (t *traceFile) Write(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	if t.f == nil {
		if t.f, t.err = os.OpenFile(t.path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644); t.err != nil {
			t.err = fmt.Errorf("--trace: %w", t.err)
			return 0, t.err
		}
	}
	n, err := t.f.Write(p)
	if err != nil {
		t.err = fmt.Errorf("--trace %s: %w", t.path, err)
	}
	return n, err
}

// Close closes the file and returns the first error of any write.
func (t *traceFile) Close() error {
	if t.f != nil {
		if err := t.f.Close(); err != nil && t.err == nil {
			t.err = fmt.Errorf("--trace %s: %w", t.path, err)
		}
		t.f = nil
	}
	return t.err
}
