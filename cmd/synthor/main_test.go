package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
	"unicode/utf8"
)

// update rewrites golden files under testdata/ (go test ./cmd/synthor -update).
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func updating() bool { return *update }

// runCLI runs the CLI in-process and returns stdout, stderr, the exit status
// main would use (exitCode: 0, 1, or 2 for a usage error or unknown name) and the error.
func runCLI(t *testing.T, args ...string) (string, string, int, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), exitCode(err), err
}

// TestMessageIsBounded: the line printed for an error is cut at
// maxMessage bytes, at a character boundary, saying how much was cut.
func TestMessageIsBounded(t *testing.T) {
	long := strings.Repeat("é", 50<<10)
	got := message(errors.New("bad value " + long + "\nsecond line"))
	if len(got) > maxMessage+40 || strings.Contains(got, "\n") || !utf8.ValidString(got) || !strings.Contains(got, "more bytes)") {
		t.Errorf("message of %d bytes: %.80q…", len(got), got)
	}
	if got := message(errors.New("short\nerror")); got != "short; error" {
		t.Errorf("message = %q", got)
	}
}
