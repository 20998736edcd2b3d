package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"testing"
)

// update rewrites golden files under testdata/ (go test ./cmd/synthor -update).
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func updating() bool { return *update }

// runCLI runs the CLI in-process and returns stdout, stderr, the exit status
// main would use (0, 1, or 2 for a usage error) and the error.
func runCLI(t *testing.T, args ...string) (string, string, int, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	code := 0
	if err != nil {
		code = 1
		var u usageError
		if errors.As(err, &u) {
			code = 2
		}
	}
	return out.String(), errb.String(), code, err
}
