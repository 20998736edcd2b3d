package bench

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/synthor/synthor/metrics"
)

// The fast score decoder must read every field metrics.Score has.
func TestScoreJSONMirrorsScore(t *testing.T) {
	s, m := reflect.TypeFor[metrics.Score](), reflect.TypeFor[scoreJSON]()
	if s.NumField() != m.NumField() {
		t.Fatalf("metrics.Score has %d fields, scoreJSON %d", s.NumField(), m.NumField())
	}
	for i := range s.NumField() {
		a, b := s.Field(i), m.Field(i)
		name := func(f reflect.StructField) string { n, _, _ := strings.Cut(f.Tag.Get("json"), ","); return n }
		if a.Name != b.Name || name(a) != name(b) {
			t.Errorf("field %d: %s %q vs %s %q", i, a.Name, name(a), b.Name, name(b))
		}
	}
}

func TestReadRuns(t *testing.T) {
	row := func(id string, index int, status string) string {
		return `{"id":"` + id + `","index":` + string(rune('0'+index)) + `,"dataset":"d","method":{"name":"m"},"status":"` + status + `"}`
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	write := func(p string, lines ...string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Shard 1 ran x ok and y skipped; a resumed shard 2 ran y; b repeats x failed.
	write(filepath.Join(a, ResultsFileShard(1, 2)), row("y", 1, "skipped"), row("x", 2, "ok"))
	write(filepath.Join(a, ResultsFileShard(2, 2)), row("z", 0, "failed"), row("y", 1, "ok"))
	write(filepath.Join(b, ResultsFile), row("x", 2, "failed"))
	rs, dirs, err := ReadRuns(a, b)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, r := range rs {
		got = append(got, r.ID+":"+string(r.Status)+":"+filepath.Base(dirs[i]))
	}
	if want := []string{"z:failed:a", "y:ok:a", "x:ok:a"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// An error names the file and line, on one line.
	bad := filepath.Join(dir, "bad.jsonl")
	write(bad, row("x", 0, "ok"), `{"id":"q","dataset":"d","method":{"name":"m"},"status":"done"}`)
	if _, _, err := ReadRuns(bad); err == nil || !strings.Contains(err.Error(), bad+`:2: cell q: unknown status "done"`) {
		t.Fatalf("error %v", err)
	}
	if _, _, err := ReadRuns(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no results files") {
		t.Fatalf("empty dir: %v", err)
	}
}

// TestReadResultsStrict checks what report and merge read without the
// runner's repair: a cut last line, a line of 32 MiB without a newline
// (/dev/zero) and an empty file are errors naming the file (and line),
// each one short line; a file is never changed.
func TestReadResultsStrict(t *testing.T) {
	ok := `{"id":"a","index":0,"dataset":"d","method":{"name":"m"},"status":"ok"}` + "\n"
	dir := t.TempDir()
	for _, tc := range []struct {
		name, body, want string
	}{
		{"cut", ok + ok + `{"id":"b","ind`, ":3: the last line is cut short"},
		{"bad", ok + "{\"id\": 1}\n" + ok, ":2: json"},
		{"empty", "", "no results"},
		{"blank", "\n\n", "no results"},
		{"huge value", `{"id":"a","index":0,"dataset":"d","method":{"name":"m"},"status":"` + strings.Repeat("x", 1<<20) + `"}` + "\n", `unknown status "xxx`},
	} {
		p := filepath.Join(dir, tc.name+".jsonl")
		if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := ReadRuns(p)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), p) || len(err.Error()) > 400 {
			t.Errorf("%s: error %.400v, want one naming %s and %q", tc.name, err, p, tc.want)
		}
		if b, _ := os.ReadFile(p); string(b) != tc.body {
			t.Errorf("%s: the file was changed", tc.name)
		}
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, _, err := ReadRuns("/dev/zero")
		if err == nil || !strings.Contains(err.Error(), "/dev/zero:1: a line longer than 32 MiB") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
}
