package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// ResultsFile is the results file of a run directory; a shard writes
// ResultsFileShard(I, N) instead.
const ResultsFile = "results.jsonl"

// ResultsFileShard names shard i of n's results file.
func ResultsFileShard(i, n int) string { return fmt.Sprintf("results.shard-%d-of-%d.jsonl", i, n) }

// ReadResults reads a results file. A last line without its newline (a
// row cut short by a killed writer) is dropped; with repair, the file is
// truncated to its last whole row. A missing file is no rows.
func ReadResults(path string, repair bool) ([]Result, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	whole := b
	if i := bytes.LastIndexByte(b, '\n'); i+1 < len(b) {
		whole = b[:i+1]
		if repair {
			if err := os.Truncate(path, int64(len(whole))); err != nil {
				return nil, err
			}
		}
	}
	var out []Result
	for n, line := range bytes.Split(whole, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r Result
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %s", path, n+1, OneLine(err.Error()))
		}
		out = append(out, r)
	}
	return out, nil
}

// appender appends result rows to a results file, one write and one
// fsync per row, so a row is either whole or (cut by a crash) dropped on
// the next read.
type appender struct {
	mu sync.Mutex
	f  *os.File
}

func openAppender(path string) (*appender, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &appender{f: f}, nil
}

func (a *appender) add(r Result) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.f.Write(b); err != nil {
		return err
	}
	return a.f.Sync()
}

func (a *appender) close() error { return a.f.Close() }

// SortResults orders rows by their cell index, then id.
func SortResults(rs []Result) {
	slices.SortStableFunc(rs, func(a, b Result) int {
		if a.Index != b.Index {
			return a.Index - b.Index
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// ReadDir reads every results file of a run directory (results.jsonl and
// each shard's), keeping one row per cell id (the last written), sorted.
func ReadDir(dir string) ([]Result, error) {
	files, err := filepath.Glob(filepath.Join(dir, "results*.jsonl"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no results files (results*.jsonl)", dir)
	}
	return merge(files)
}

// Merge reads the results of several run directories (shards of one run,
// or runs to compare) into one list: one row per cell id, sorted by cell
// index. A cell with two different rows keeps the first read.
func Merge(dirs ...string) ([]Result, error) {
	var all []Result
	seen := map[string]bool{}
	for _, d := range dirs {
		rs, err := ReadDir(d)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if !seen[r.ID] {
				seen[r.ID] = true
				all = append(all, r)
			}
		}
	}
	SortResults(all)
	return all, nil
}

// merge reads the results files of one run directory; a later row of a
// cell (a skipped cell run on --resume) replaces an earlier one.
func merge(files []string) ([]Result, error) {
	slices.Sort(files)
	var all []Result
	at := map[string]int{}
	for _, f := range files {
		rs, err := ReadResults(f, false)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if i, ok := at[r.ID]; ok {
				all[i] = r
				continue
			}
			at[r.ID] = len(all)
			all = append(all, r)
		}
	}
	SortResults(all)
	return all, nil
}

// WriteResults writes rows as a results file, atomically.
func WriteResults(path string, rs []Result) error {
	var b bytes.Buffer
	for _, r := range rs {
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return writeBytes(path, b.Bytes())
}

// Comparable returns a copy of r without what differs between runs of the
// same cell: timings, peak memory, the shard and LLM latencies.
func Comparable(r Result) Result {
	r.Timings, r.PeakRSSBytes, r.Shard = Timings{}, 0, ""
	if r.LLM != nil {
		a := *r.LLM
		a.LatencyP50MS, a.LatencyP90MS, a.LatencyP99MS = 0, 0, 0
		r.LLM = &a
	}
	return r
}

// Same reports the first difference between two result lists, timings
// aside (Comparable), or nil when they hold the same cells with the same
// results.
func Same(got, want []Result) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d results, want %d", len(got), len(want))
	}
	for i := range got {
		g, err := json.Marshal(Comparable(got[i]))
		if err != nil {
			return err
		}
		w, err := json.Marshal(Comparable(want[i]))
		if err != nil {
			return err
		}
		if !bytes.Equal(g, w) {
			return fmt.Errorf("result %d (cell %s, %s %s seed %d) differs", i, want[i].ID, want[i].Dataset, want[i].Method.Label, want[i].Seed)
		}
	}
	return nil
}
