package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// ResultsFile is the name of a run directory's results file; shard runs may
// write results*.jsonl beside it (results.shard-1-of-3.jsonl).
const ResultsFile = "results.jsonl"

// maxLine bounds one results line (a cell with thousands of scores is a few
// MiB).
const maxLine = 64 << 20

// Run is a set of results and, for each, the directory its Files are
// relative to.
type Run struct {
	Results []bench.Result
	// Dirs[i] is the run directory of Results[i].
	Dirs []string
	// Real holds, by dataset name, the real table the cells were scored
	// against, where known: the HTML report then draws real against
	// synthetic marginals and heat maps of the targeted joints from the
	// cells' synthetic files.
	Real map[string]*table.Table
}

// Load reads and merges the results of run directories (or results files):
// shards of one run, or several runs. A cell's ID appears once: a repeated
// ID keeps the ok row over a failed one, else the last read.
func Load(dirs ...string) ([]bench.Result, error) {
	r, err := Open(dirs...)
	if err != nil {
		return nil, err
	}
	return r.Results, nil
}

// Open is Load keeping each result's directory.
func Open(paths ...string) (*Run, error) {
	if len(paths) == 0 {
		return nil, errors.New("reports: no run directory given")
	}
	run := &Run{}
	index := map[string]int{}
	for _, p := range paths {
		files, dir, err := resultFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			rs, err := readFile(f)
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				i, seen := index[r.ID]
				switch {
				case !seen:
					index[r.ID] = len(run.Results)
					run.Results = append(run.Results, r)
					run.Dirs = append(run.Dirs, dir)
				case run.Results[i].Status != bench.StatusOK || r.Status == bench.StatusOK:
					run.Results[i], run.Dirs[i] = r, dir
				}
			}
		}
	}
	return run, nil
}

// resultFiles returns the results files of a directory (results.jsonl and
// results*.jsonl, sorted) or the file itself, with the directory the
// results' Files are relative to.
func resultFiles(p string) ([]string, string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, "", fmt.Errorf("reports: %w", err)
	}
	if !st.IsDir() {
		return []string{p}, filepath.Dir(p), nil
	}
	files, err := filepath.Glob(filepath.Join(p, "results*.jsonl"))
	if err != nil {
		return nil, "", fmt.Errorf("reports: %s: %w", p, err)
	}
	if len(files) == 0 {
		return nil, "", fmt.Errorf("reports: %s: no %s", p, ResultsFile)
	}
	slices.Sort(files)
	return files, p, nil
}

func readFile(path string) ([]bench.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	defer f.Close()
	rs, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("reports: %s:%w", path, err)
	}
	return rs, nil
}

// Parse reads results lines; blank lines are skipped. An error names the
// line ("12: ...") and, where known, the cell. Lines are decoded in
// parallel; the results keep the file's order.
func Parse(r io.Reader) ([]bench.Result, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var lines [][]byte
	var nums []int
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF && line == nil {
			break
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%d: %w", n, err)
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			lines, nums = append(lines, line), append(nums, n)
		}
	}
	out := make([]bench.Result, len(lines))
	errs := make([]error, len(lines))
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), max(len(lines), 1))
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(lines); i += workers {
				errs[i] = decode(lines[i], &out[i])
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%d: %w", nums[i], err)
		}
	}
	return out, nil
}

// scoreJSON mirrors metrics.Score without its UnmarshalJSON, which decodes
// each score twice: a results file holds hundreds of thousands.
type scoreJSON struct {
	Name     string            `json:"name"`
	Group    string            `json:"group"`
	Columns  []string          `json:"columns"`
	Value    *float64          `json:"value"`
	Better   metrics.Direction `json:"better"`
	Reason   string            `json:"reason"`
	Targeted *bool             `json:"targeted"`
	Params   map[string]any    `json:"params"`
}

// decode reads one results line into r.
func decode(line []byte, r *bench.Result) error {
	in := struct {
		*bench.Result
		Metrics []scoreJSON `json:"metrics"`
	}{Result: r}
	if err := json.Unmarshal(line, &in); err != nil {
		return err
	}
	if in.Metrics != nil {
		r.Metrics = make([]metrics.Score, len(in.Metrics))
	}
	for i, s := range in.Metrics {
		v := math.NaN()
		if s.Value != nil {
			v = *s.Value
		}
		r.Metrics[i] = metrics.Score{Name: s.Name, Group: s.Group, Columns: s.Columns, Value: v, Better: s.Better,
			Reason: s.Reason, Targeted: s.Targeted, Params: s.Params}
	}
	return check(*r)
}

// readLine returns the next line without its newline, io.EOF with a nil
// line at the end.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > maxLine {
			return nil, fmt.Errorf("line longer than %d bytes", maxLine)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(buf) == 0 {
				return nil, io.EOF
			}
			return buf, nil
		case err != nil:
			return nil, err
		}
		return buf[:len(buf)-1], nil
	}
}

// check rejects a row a report cannot place.
func check(r bench.Result) error {
	switch {
	case r.ID == "":
		return errors.New("result without an id")
	case r.Dataset == "":
		return fmt.Errorf("cell %s: no dataset", r.ID)
	case r.Method.Name == "" && r.Method.Label == "":
		return fmt.Errorf("cell %s: no method name", r.ID)
	}
	switch r.Status {
	case bench.StatusOK, bench.StatusFailed, bench.StatusTimeout, bench.StatusOOM, bench.StatusSkipped:
	default:
		return fmt.Errorf("cell %s: unknown status %q (want ok, failed, timeout, oom or skipped)", r.ID, r.Status)
	}
	return nil
}
