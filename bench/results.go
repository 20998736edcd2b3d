package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/synthor/synthor/metrics"
)

// ResultsFile is the results file of a run directory; a shard writes
// ResultsFileShard(I, N) instead.
const ResultsFile = "results.jsonl"

// ResultsFileShard names shard i of n's results file.
func ResultsFileShard(i, n int) string { return fmt.Sprintf("results.shard-%d-of-%d.jsonl", i, n) }

// MaxResultLine is the longest line ReadResults takes (32 MiB: a row of a
// cell scored on a table of 100 columns is about 4 MiB). A longer line is
// an error naming it, so that reading /dev/zero or a binary file fails at
// once instead of filling memory.
const MaxResultLine = 32 << 20

// ReadResults reads a results file. The runner ends every row with a
// newline; a last line without one is kept when it is a whole row (with
// repair, its newline is added). One that is not (a row cut short by a
// killed writer, or a file cut by a copy) is, with repair, truncated away
// so that rows appended next start on a line of their own (the runner on
// --resume); without repair it is an error naming the line, as is a line
// longer than MaxResultLine. A missing file is no rows. Lines are decoded
// in parallel; an error names the file and line ("DIR/results.jsonl:12:
// cell c: ...").
func ReadResults(path string, repair bool) ([]Result, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lines, nums, tail, err := readLines(f, path)
	f.Close()
	if err != nil {
		return nil, err
	}
	var last *Result
	if tail.text != nil {
		var r Result
		if t := bytes.TrimSpace(tail.text); len(t) > 0 && decodeResult(t, &r) == nil {
			last = &r
		}
		switch {
		case repair:
			if err := repairTail(path, tail.at, last != nil); err != nil {
				return nil, err
			}
		case last == nil && len(bytes.TrimSpace(tail.text)) > 0:
			return nil, fmt.Errorf("%s:%d: the last line is cut short (no newline, not a whole row): the file was cut; synthor run --resume repairs a run's own results file, dropping that row", path, tail.line)
		}
	}
	out := make([]Result, len(lines))
	errs := make([]error, len(lines))
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), max(len(lines), 1))
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(lines); i += workers {
				errs[i] = decodeResult(lines[i], &out[i])
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s", path, nums[i], clipMessage(OneLine(err.Error())))
		}
	}
	if last != nil {
		out = append(out, *last)
	}
	return out, nil
}

// cutLine is a final line without a newline: its text, its 1-based line
// number and the offset it starts at. text is nil when the input ends
// with a newline.
type cutLine struct {
	text []byte
	line int
	at   int64
}

// readLines reads the non-blank newline-ended lines of r (trimmed) with
// their 1-based numbers, and the last line when it lacks a newline. A line
// longer than MaxResultLine is an error naming it.
func readLines(r io.Reader, path string) (lines [][]byte, nums []int, tail cutLine, err error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var off int64
	for n := 1; ; n++ {
		line, err := readLine(br, MaxResultLine)
		switch {
		case errors.Is(err, errLongLine):
			return nil, nil, cutLine{}, fmt.Errorf("%s:%d: a line longer than %d MiB: not a results file (a results file holds one JSON object per line)", path, n, MaxResultLine>>20)
		case err == io.EOF && len(line) == 0:
			return lines, nums, tail, nil
		case err == io.EOF:
			return lines, nums, cutLine{text: line, line: n, at: off}, nil
		case err != nil:
			return nil, nil, cutLine{}, fmt.Errorf("%s: %w", path, err)
		}
		off += int64(len(line))
		if t := bytes.TrimSpace(line); len(t) > 0 {
			lines, nums = append(lines, t), append(nums, n)
		}
	}
}

// errLongLine reports a line longer than readLine's limit.
var errLongLine = errors.New("line too long")

// readLine reads one line of br, its newline included, of at most max
// bytes; io.EOF with the bytes read when the input ends without a newline.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		b, err := br.ReadSlice('\n')
		if len(line)+len(b) > max {
			return nil, errLongLine
		}
		switch {
		case err == nil && line == nil:
			return slices.Clone(b), nil
		case err == nil:
			return append(line, b...), nil
		case errors.Is(err, bufio.ErrBufferFull):
			line = append(line, b...)
		default:
			return append(line, b...), err
		}
	}
}

// clipMessage cuts a message to 300 bytes: an error about a row quotes its
// values, which a hostile file makes as long as it likes.
func clipMessage(s string) string {
	const max = 300
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// repairTail ends a results file whose last line has no newline: with
// keep, by adding it; else by truncating the file to size.
func repairTail(path string, size int64, keep bool) error {
	if !keep {
		return os.Truncate(path, size)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write([]byte("\n")); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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

	Reference       *float64 `json:"reference"`
	ReferenceKind   string   `json:"reference_kind"`
	ReferenceReason string   `json:"reference_reason"`
}

// decodeResult reads one results line into r and checks it.
func decodeResult(line []byte, r *Result) error {
	in := struct {
		*Result
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
		var ref float64
		switch {
		case s.Reference != nil:
			ref = *s.Reference
		case s.ReferenceKind != "":
			ref = math.NaN()
		}
		r.Metrics[i] = metrics.Score{Name: s.Name, Group: s.Group, Columns: s.Columns, Value: v, Better: s.Better,
			Reason: s.Reason, Targeted: s.Targeted, Params: s.Params,
			Reference: ref, ReferenceKind: s.ReferenceKind, ReferenceReason: s.ReferenceReason}
	}
	return checkResult(*r)
}

// checkResult rejects a row that no run writes: one a report cannot place
// or --resume cannot match.
func checkResult(r Result) error {
	switch {
	case r.ID == "":
		return errors.New("result without an id")
	case r.Dataset == "":
		return fmt.Errorf("cell %s: no dataset", r.ID)
	case r.Method.Name == "" && r.Method.Label == "":
		return fmt.Errorf("cell %s: no method name", r.ID)
	}
	switch r.Status {
	case StatusOK, StatusFailed, StatusTimeout, StatusOOM, StatusSkipped:
	default:
		return fmt.Errorf("cell %s: unknown status %q (want ok, failed, timeout, oom or skipped)", r.ID, r.Status)
	}
	return nil
}

// supersedes reports whether a later row of a cell replaces an earlier
// one: it does unless the earlier one succeeded and the later did not (a
// skipped cell run on --resume replaces its skipped row; a shard re-run
// that crashed does not undo its ok row).
func supersedes(later, earlier Result) bool {
	return earlier.Status != StatusOK || later.Status == StatusOK
}

// ReadRuns reads and merges the results of run directories (results.jsonl
// and each shard's results*.jsonl) or results files: the shards of one run,
// or several runs. Each file is read strictly (ReadResults without repair:
// a cut or bad line is an error naming it), and a path whose files hold no
// row is an error: an empty results file reports nothing. A cell id appears once (see supersedes), in matrix order
// (by Index; rows of one index in the order read). dirs[i] is the directory that rs[i]'s Files are
// relative to.
func ReadRuns(paths ...string) (rs []Result, dirs []string, err error) {
	if len(paths) == 0 {
		return nil, nil, errors.New("no run directory given")
	}
	at := map[string]int{}
	for _, p := range paths {
		files, dir, err := resultFiles(p)
		if err != nil {
			return nil, nil, err
		}
		rows := 0
		for _, f := range files {
			got, err := ReadResults(f, false)
			if err != nil {
				return nil, nil, err
			}
			rows += len(got)
			for _, r := range got {
				i, seen := at[r.ID]
				switch {
				case !seen:
					at[r.ID] = len(rs)
					rs, dirs = append(rs, r), append(dirs, dir)
				case supersedes(r, rs[i]):
					rs[i], dirs[i] = r, dir
				}
			}
		}
		if rows == 0 {
			what := "an empty file"
			if len(files) > 1 || files[0] != p {
				what = "empty: " + strings.Join(files, ", ")
			}
			return nil, nil, fmt.Errorf("%s: no results (%s): nothing to report", p, what)
		}
	}
	order := make([]int, len(rs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareResults(rs[a], rs[b]) })
	srs, sdirs := make([]Result, len(rs)), make([]string, len(rs))
	for i, j := range order {
		srs[i], sdirs[i] = rs[j], dirs[j]
	}
	return srs, sdirs, nil
}

// Merge is ReadRuns without the directories.
func Merge(paths ...string) ([]Result, error) {
	rs, _, err := ReadRuns(paths...)
	return rs, err
}

// ResultFiles returns the results files a run directory holds
// (results.jsonl and results*.jsonl, sorted), or p itself when it is a
// file: what ReadRuns reads of p.
func ResultFiles(p string) ([]string, error) {
	files, _, err := resultFiles(p)
	return files, err
}

// resultFiles returns the results files of a run directory (results.jsonl
// and results*.jsonl, sorted) or the results file itself, with the
// directory the results' Files are relative to.
func resultFiles(p string) ([]string, string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, "", err
	}
	if !st.IsDir() {
		return []string{p}, filepath.Dir(p), nil
	}
	files, err := filepath.Glob(filepath.Join(p, "results*.jsonl"))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", p, err)
	}
	if len(files) == 0 {
		return nil, "", fmt.Errorf("%s: no results files (no %s nor a shard's results*.jsonl)", p, ResultsFile)
	}
	slices.Sort(files)
	return files, p, nil
}

// compareResults orders rows by their cell index. Sorts are stable: rows
// of the same index (from runs of different configs, or written before
// rows had one) keep the order they were read in.
func compareResults(a, b Result) int { return a.Index - b.Index }

// sortResults puts rows in matrix order.
func sortResults(rs []Result) { slices.SortStableFunc(rs, compareResults) }

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
