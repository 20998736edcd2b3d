package main

import (
	"bytes"
	"context"
	"flag"
	"testing"
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
