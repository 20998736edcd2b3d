package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/synthor/synthor/internal/guard"
)

// hostileCase is one line of testdata/hostile/cases.txt.
type hostileCase struct {
	name string
	code int
	want string
	args []string
}

func readHostileCases(t *testing.T) []hostileCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "hostile", "cases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []hostileCase
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		parts := strings.SplitN(s, "|", 4)
		if len(parts) != 4 {
			t.Fatalf("cases.txt:%d: want name | status | message | args", line)
		}
		code, err := strconv.Atoi(strings.TrimSpace(parts[1]))
		if err != nil {
			t.Fatalf("cases.txt:%d: status %q", line, parts[1])
		}
		cases = append(cases, hostileCase{
			name: strings.TrimSpace(parts[0]), code: code,
			want: strings.TrimSpace(parts[2]), args: strings.Fields(parts[3]),
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// snapshot maps every file under dir (hidden ones included) to its bytes.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// copyFixtures copies testdata/hostile into a directory named hostile
// under a fresh temporary directory and returns it.
func copyFixtures(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "hostile")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "hostile"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Bounds every hostile case keeps: a stderr line of at most
// hostileMaxLine bytes, a peak RSS of at most hostileMaxRSS, and of at
// most its --max-memory when it gives one (the memory cases run under
// --max-memory 100MiB or refuse before allocating), and an end within
// hostileTimeout.
const (
	hostileMaxLine = 2200
	hostileMaxRSS  = 256 << 20
	hostileTimeout = 2 * time.Minute
)

// hostileServers starts the servers a case names in its arguments:
// {llm429} answers every call with 429 and Retry-After: 999999.
func hostileServers(t *testing.T) map[string]string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "999999")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error": {"message": "slow down", "type": "rate_limit"}}`))
	}))
	t.Cleanup(s.Close)
	return map[string]string{"{llm429}": s.URL}
}

// TestHostile runs the hostile-input battery: each case exits with its
// status and one short line on stderr naming the problem, with no panic,
// goroutine dump or runtime fatal error, within hostileMaxRSS of memory,
// no file left behind and every input unchanged.
func TestHostile(t *testing.T) {
	bin, wrap := synthorBinary(t), rssWrapBinary(t)
	servers := hostileServers(t)
	for _, c := range readHostileCases(t) {
		t.Run(c.name, func(t *testing.T) {
			dir := copyFixtures(t)
			before := snapshot(t, dir)
			args := slices.Clone(c.args)
			for i, a := range args {
				for k, v := range servers {
					args[i] = strings.ReplaceAll(a, k, v)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
			defer cancel()
			rssFile := filepath.Join(t.TempDir(), "rss")
			cmd := exec.CommandContext(ctx, wrap, append([]string{rssFile, bin}, args...)...)
			cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) } // rsswrap ends synthor too
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if ctx.Err() != nil {
				t.Fatalf("still running after %s", hostileTimeout)
			}
			msg := stderr.String()
			if code != c.code {
				t.Errorf("exit status %d, want %d; stderr %q", code, c.code, msg)
			}
			lines := strings.Split(strings.TrimRight(msg, "\n"), "\n")
			if len(lines) != 1 || lines[0] == "" {
				t.Errorf("stderr has %d lines, want one: %.500q", len(lines), msg)
			}
			if len(msg) > hostileMaxLine {
				t.Errorf("stderr line of %d bytes, want at most %d: %.200q…", len(msg), hostileMaxLine, msg)
			}
			if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") || strings.Contains(msg, "fatal error") {
				t.Errorf("stderr shows a crash: %.500q", msg)
			}
			maxRSS := int64(hostileMaxRSS)
			if i := slices.Index(args, "--max-memory"); i >= 0 && i+1 < len(args) {
				if l, err := guard.ParseLimit(args[i+1]); err == nil {
					// The limit the command was given, at least what any
					// command takes before a table.
					maxRSS = min(maxRSS, max(int64(l.Bytes()), guard.BaseBytes))
				}
			}
			b, err := os.ReadFile(rssFile)
			if err != nil {
				t.Fatalf("peak RSS: %v", err)
			}
			rss, _ := strconv.ParseInt(string(b), 10, 64)
			if rss > maxRSS {
				t.Errorf("peak RSS %d MiB, want at most %d MiB", rss>>20, maxRSS>>20)
			}
			t.Logf("%.1fs, peak RSS %d MiB", time.Since(start).Seconds(), rss>>20)
			if !strings.Contains(msg, c.want) {
				t.Errorf("stderr %q does not contain %q", msg, c.want)
			}
			after := snapshot(t, dir)
			for name, b := range before {
				if !bytes.Equal(after[name], b) {
					t.Errorf("input %s changed", name)
				}
			}
			for name := range after {
				if _, ok := before[name]; !ok {
					t.Errorf("file %s left behind", name)
				}
			}
			if len(after) != len(before) {
				names := slices.Sorted(func(yield func(string) bool) {
					for n := range after {
						if !yield(n) {
							return
						}
					}
				})
				t.Logf("files after: %v", names)
			}
		})
	}
}
