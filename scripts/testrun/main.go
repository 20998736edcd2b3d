// Command testrun runs go test and prints what go test prints without -v
// (each package's result, the output of failing tests), then every test
// that skipped with its reason, so that make test says why a test did not
// run. It exits as go test does, or 1 when a test skipped for lack of
// something -require names (a skip reason "needs WHAT: ..." from
// internal/need): CI, which provides those things, fails when one skips.
//
//	go run ./scripts/testrun [-go go] [-require chromium,datasets] [go test flags and packages]
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"

	"github.com/synthor/synthor/internal/need"
)

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

// skip is a test that skipped, with its reason.
type skip struct{ pkg, test, reason string }

func main() {
	goCmd := flag.String("go", "go", "the go command")
	require := flag.String("require", "", "comma-separated things (chromium, datasets, shared) whose lack must not make a test skip")
	flag.Parse()
	code, err := run(*goCmd, splitList(*require), flag.Args(), os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testrun:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// run runs go test -json with args, writing the summary to w; it returns
// the exit status.
func run(goCmd string, require, args []string, w io.Writer) (int, error) {
	cmd := exec.Command(goCmd, append([]string{"test", "-json"}, args...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 1, err
	}
	if err := cmd.Start(); err != nil {
		return 1, err
	}
	skips, rerr := summarize(out, w)
	werr := cmd.Wait()
	if rerr != nil {
		return 1, rerr
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
	} else if werr != nil {
		return 1, werr
	}
	if missed := report(skips, require, w); missed > 0 {
		fmt.Fprintf(w, "FAIL: %d skipped for lack of something required (-require %s)\n", missed, strings.Join(require, ","))
		code = max(code, 1)
	}
	return code, nil
}

// summarize reads go test -json events from r and writes what go test
// writes without -v; it returns the tests that skipped.
func summarize(r io.Reader, w io.Writer) ([]skip, error) {
	type key struct{ pkg, test string }
	held := map[key][]string{}
	var skips []skip
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			fmt.Fprintln(w, sc.Text()) // not an event: the go command's own words
			continue
		}
		k := key{ev.Package, ev.Test}
		switch {
		case ev.Action == "build-output":
			fmt.Fprint(w, ev.Output)
		case ev.Action == "output" && ev.Test == "":
			if ev.Output != "PASS\n" && !strings.HasPrefix(ev.Output, "=== ") {
				fmt.Fprint(w, ev.Output)
			}
		case ev.Action == "output":
			held[k] = append(held[k], ev.Output)
		case ev.Action == "fail" && ev.Test != "":
			for _, l := range held[k] {
				if !strings.HasPrefix(strings.TrimSpace(l), "=== ") {
					fmt.Fprint(w, l)
				}
			}
			delete(held, k)
		case ev.Action == "skip" && ev.Test != "":
			skips = append(skips, skip{ev.Package, ev.Test, reason(held[k])})
			delete(held, k)
		case ev.Action == "pass":
			delete(held, k)
		}
	}
	return skips, sc.Err()
}

// filePos is the "name_test.go:12: " that t.Skip puts before its message.
var filePos = regexp.MustCompile(`^\S+\.go:\d+: `)

// reason is the skip message among a skipped test's output lines.
func reason(lines []string) string {
	var parts []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- SKIP") {
			continue
		}
		parts = append(parts, filePos.ReplaceAllString(l, ""))
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, "; ")
}

// report lists the skips and returns how many lack something required.
func report(skips []skip, require []string, w io.Writer) int {
	if len(skips) == 0 {
		return 0
	}
	slices.SortStableFunc(skips, func(a, b skip) int { return strings.Compare(a.pkg+" "+a.test, b.pkg+" "+b.test) })
	noun := "tests"
	if len(skips) == 1 {
		noun = "test"
	}
	fmt.Fprintf(w, "\nskipped: %d %s\n", len(skips), noun)
	missed := 0
	for _, s := range skips {
		mark := ""
		for _, r := range require {
			if strings.HasPrefix(s.reason, need.Reason(r, "")) {
				mark, missed = "REQUIRED ", missed+1
			}
		}
		fmt.Fprintf(w, "  %s%s %s: %s\n", mark, strings.TrimPrefix(s.pkg, "github.com/synthor/synthor/"), s.test, s.reason)
	}
	return missed
}
