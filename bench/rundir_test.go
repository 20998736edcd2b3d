package bench

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/synthor/synthor/settings"
)

// TestRunDirRefusals: a run writes nothing into a directory that holds
// files no run wrote, a run of another config (resumed or not), or its own
// inputs; each refusal is an ErrRunDir and leaves every file as it was.
func TestRunDirRefusals(t *testing.T) {
	const body = "datasets: [{name: ecommerce-bn, rows: 200}]\nmethods: [independent]\n"
	c := mustLoad(t, body)
	other := mustLoad(t, body+"seeds: [2]\n")
	done := run(t, c, RunOptions{})

	userDir := t.TempDir()
	for name, text := range map[string]string{"report.md": "my notes\n", "notes.txt": "more\n"} {
		if err := os.WriteFile(filepath.Join(userDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bogusDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(bogusDir, "manifest.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mergedDir := t.TempDir()
	if err := WriteResults(filepath.Join(mergedDir, ResultsFile), done.Results); err != nil {
		t.Fatal(err)
	}
	fileDir := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(fileDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A dataset file that is the run's own results file.
	selfIn := mustLoad(t, "datasets: [{name: x, file: "+filepath.Join(done.Dir, ResultsFile)+"}]\nmethods: [independent]\n")

	for _, tc := range []struct {
		name string
		c    *Config
		o    RunOptions
		want string
	}{
		{"user files", c, RunOptions{Dir: userDir}, "holds files no run wrote (notes.txt, report.md)"},
		{"not a run's manifest", c, RunOptions{Dir: bogusDir}, "not a run's manifest"},
		{"merged results", c, RunOptions{Dir: mergedDir, Resume: true}, "holds files no run wrote (results.jsonl)"},
		{"a file", c, RunOptions{Dir: fileDir}, "is a file"},
		{"another config", other, RunOptions{Dir: done.Dir}, "holds a run of another config"},
		{"another config resumed", other, RunOptions{Dir: done.Dir, Resume: true}, "holds a run of another config"},
		{"another config, one shard", other, RunOptions{Dir: done.Dir, Shard: Shard{I: 2, N: 2}}, "holds a run of another config"},
		{"config is an output", c, RunOptions{Dir: done.Dir, Resume: true, Inputs: []string{filepath.Join(done.Dir, ResultsFile)}}, "is the same file as config"},
		{"dataset is an output", selfIn, RunOptions{Dir: done.Dir, Resume: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshotDir(t, tc.o.Dir)
			tc.o.Command = testCommand
			_, err := Run(context.Background(), tc.c, tc.o)
			if !errors.Is(err, ErrRunDir) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrRunDir saying %q", err, tc.want)
			}
			if after := snapshotDir(t, tc.o.Dir); after != before {
				t.Errorf("the directory changed:\n%s\nwas\n%s", after, before)
			}
		})
	}
	// The same config: resumed, and another shard of it, are accepted.
	if s := run(t, c, RunOptions{Dir: done.Dir, Resume: true}); s.Resumed != 1 || s.Ran != 0 {
		t.Errorf("resume: %d resumed, %d ran", s.Resumed, s.Ran)
	}
	// A report.md of the user's beside a run's manifest is left alone.
	if err := os.WriteFile(filepath.Join(done.Dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, c, RunOptions{Dir: done.Dir, Resume: true})
	if b, _ := os.ReadFile(filepath.Join(done.Dir, "notes.txt")); string(b) != "mine" {
		t.Errorf("notes.txt changed: %q", b)
	}
}

// snapshotDir lists the files under dir with their times and modes
// (directories' times change when the writability probe comes and goes).
func snapshotDir(t *testing.T, dir string) string {
	t.Helper()
	var sb strings.Builder
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			sb.WriteString(p + " " + info.ModTime().String() + " " + info.Mode().String() + "\n")
		}
		return nil
	})
	return sb.String()
}

// TestResumeKeepsFailedCells: --resume keeps a cell that timed out and
// says so (Kept); RetryFailed runs it again, here with a longer timeout
// (limits are not part of the experiment).
func TestResumeKeepsFailedCells(t *testing.T) {
	c := mustLoad(t, `
datasets: [{name: ecommerce-bn, rows: 200}]
methods: [independent, {name: test-hook, label: slow, params: {sleep: 10s}}]
limits: {timeout: 5s}
`)
	dir := t.TempDir()
	first := run(t, c, RunOptions{Dir: dir, Workers: 2})
	statuses := func(s *Summary) string {
		var out []string
		for _, r := range s.Results {
			out = append(out, r.Method.Label+":"+string(r.Status))
		}
		return strings.Join(out, " ")
	}
	if got := statuses(first); got != "independent:ok slow:timeout" {
		t.Fatalf("first run: %s", got)
	}
	kept := run(t, c, RunOptions{Dir: dir, Resume: true})
	if kept.Ran != 0 || kept.Resumed != 2 || kept.Kept != 1 || statuses(kept) != "independent:ok slow:timeout" {
		t.Errorf("resume: ran %d, resumed %d, kept %d: %s", kept.Ran, kept.Resumed, kept.Kept, statuses(kept))
	}
	longer := *c
	longer.Limits.Timeout = settings.Duration(time.Minute)
	again := run(t, &longer, RunOptions{Dir: dir, Resume: true, RetryFailed: true})
	if again.Ran != 1 || again.Resumed != 1 || again.Kept != 0 || statuses(again) != "independent:ok slow:ok" {
		t.Errorf("retry: ran %d, resumed %d, kept %d: %s", again.Ran, again.Resumed, again.Kept, statuses(again))
	}
	merged, err := Merge(dir)
	if err != nil || len(merged) != 2 || merged[1].Status != StatusOK {
		t.Fatalf("merged: %v %v", merged, err)
	}
}
