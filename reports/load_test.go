package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
)

func fixtureLines(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testRun, bench.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestShardsMergeToOneRun(t *testing.T) {
	lines := fixtureLines(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	writeLines(t, filepath.Join(a, "results.jsonl"), lines[:4])
	writeLines(t, filepath.Join(a, "results.shard-2-of-3.jsonl"), lines[4:8])
	// The third shard repeats a cell of the first (a resumed shard).
	writeLines(t, filepath.Join(b, "results.jsonl"), append(lines[8:], lines[0]))
	merged, err := Load(a, b)
	if err != nil {
		t.Fatal(err)
	}
	single := mustLoad(t, testRun)
	if !reflect.DeepEqual(jsonOf(t, merged), jsonOf(t, single)) {
		t.Fatalf("merged shards differ from the single run: %d vs %d cells", len(merged), len(single))
	}
	var x, y bytes.Buffer
	if err := WriteMarkdown(&x, Build(merged)); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&y, Build(single)); err != nil {
		t.Fatal(err)
	}
	if x.String() != y.String() {
		t.Fatal("reports of merged shards and the single run differ")
	}
}

func jsonOf(t *testing.T, rs []bench.Result) string {
	var buf bytes.Buffer
	for _, r := range rs {
		if err := writeJSON(&buf, r); err != nil {
			t.Fatal(err)
		}
	}
	return buf.String()
}

func TestDuplicateKeepsOK(t *testing.T) {
	dir := t.TempDir()
	writeLines(t, filepath.Join(dir, "results.jsonl"), []string{
		`{"id":"x","dataset":"d","method":{"name":"m"},"status":"ok","metrics":[]}`,
		`{"id":"x","dataset":"d","method":{"name":"m"},"status":"failed","reason":"later crash","metrics":[]}`,
		`{"id":"y","dataset":"d","method":{"name":"m"},"status":"timeout","reason":"t","metrics":[]}`,
		`{"id":"y","dataset":"d","method":{"name":"m"},"status":"ok","metrics":[]}`,
	})
	rs := mustLoad(t, dir)
	if len(rs) != 2 || rs[0].Status != bench.StatusOK || rs[1].Status != bench.StatusOK {
		t.Fatalf("%+v", rs)
	}
}

func TestLoadErrorsNameTheLine(t *testing.T) {
	ok := `{"id":"x","dataset":"d","method":{"name":"m"},"status":"ok","metrics":[]}`
	for _, c := range []struct {
		name, line, want string
	}{
		{"syntax", `{"id":`, ":2: unexpected end of JSON input"},
		{"status", `{"id":"z","dataset":"d","method":{"name":"m"},"status":"done"}`, `:2: cell z: unknown status "done"`},
		{"no id", `{"dataset":"d","method":{"name":"m"},"status":"ok"}`, ":2: result without an id"},
		{"no dataset", `{"id":"z","method":{"name":"m"},"status":"ok"}`, ":2: cell z: no dataset"},
		{"bad value", `{"id":"z","dataset":"d","method":{"name":"m"},"status":"ok","metrics":[{"value":"x"}]}`, ":2: json: cannot unmarshal"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "results.jsonl")
			writeLines(t, path, []string{ok, c.line})
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), path+c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want it to contain %q", err, path+c.want)
			}
		})
	}
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no results.jsonl") {
		t.Fatalf("empty dir: %v", err)
	}
	if _, err := Load(); err == nil {
		t.Fatal("no dir: no error")
	}
}

// FuzzLoad: any results file is rows every format renders, or an error.
func FuzzLoad(f *testing.F) {
	for _, l := range []string{
		`{"id":"x","dataset":"d","method":{"name":"m"},"status":"ok","metrics":[{"name":"tvd","group":"g","columns":["a"],"value":0.5,"better":"lower"}]}`,
		`{"id":"x","dataset":"d","method":{"name":"m"},"status":"ok","metrics":[{"name":"tvd","value":null,"reason":"r"}]}` + "\n\n",
		`{"id":"y","dataset":"d","method":{"label":"l"},"status":"failed","reason":"boom"}`,
		`{`, "", "\n",
	} {
		f.Add([]byte(l + "\n"))
	}
	path := filepath.Join(f.TempDir(), bench.ResultsFile)
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		rs, err := Load(path)
		if err != nil {
			return
		}
		m := Build(rs)
		var buf bytes.Buffer
		for _, f := range []string{"table", "markdown", "csv", "json"} {
			buf.Reset()
			if err := Write(&buf, f, &Run{Results: rs, Dirs: make([]string, len(rs))}, m); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		}
	})
}
