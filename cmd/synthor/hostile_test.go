package main

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
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

// TestHostile runs the hostile-input battery: each case exits with its
// status and one line on stderr naming the problem, with no panic or
// goroutine dump, no file left behind and every input unchanged.
func TestHostile(t *testing.T) {
	bin := synthorBinary(t)
	for _, c := range readHostileCases(t) {
		t.Run(c.name, func(t *testing.T) {
			dir := copyFixtures(t)
			before := snapshot(t, dir)
			cmd := exec.Command(bin, c.args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			msg := stderr.String()
			if code != c.code {
				t.Errorf("exit status %d, want %d; stderr %q", code, c.code, msg)
			}
			lines := strings.Split(strings.TrimRight(msg, "\n"), "\n")
			if len(lines) != 1 || lines[0] == "" {
				t.Errorf("stderr has %d lines, want one: %q", len(lines), msg)
			}
			if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") {
				t.Errorf("stderr shows a crash: %q", msg)
			}
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
