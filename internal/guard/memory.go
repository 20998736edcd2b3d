package guard

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

// BytesPerCell is the memory one cell (a row of one column) takes in a
// table: an 8-byte value (float64, int64, or an int32 code with its share of
// the dictionary and null mask).
const BytesPerCell = 8

// BaseBytes is the memory a command takes before any table: the runtime,
// the catalog and buffers.
const BaseBytes = 64 << 20

// DefaultShare is the share of physical memory (or of the cgroup limit,
// when lower) that DefaultLimit allows a command.
const DefaultShare = 0.5

// Need estimates the bytes a synthesis takes: BaseBytes, the training table
// (trainRows × cols cells) and the output (outRows × cols cells), both
// weighted by the method's memory factor (methods.Method.MemoryFactor). It
// is a float64 so that no input overflows it.
func Need(factor float64, trainRows, outRows float64, cols int) float64 {
	cells := (max(trainRows, 0) + max(outRows, 0)) * float64(max(cols, 1))
	return BaseBytes + cells*BytesPerCell*max(factor, 1)
}

// DefaultLimit is DefaultShare of the physical memory (or of a lower cgroup
// limit); 8 GiB when neither can be read.
func DefaultLimit() uint64 {
	total := physicalMemory()
	if total == 0 {
		return 8 << 30
	}
	return uint64(float64(total) * DefaultShare)
}

// CheckMemory returns an error when need bytes exceed limit, saying what
// (the work) would need, the limit, where it comes from (source) and how to
// fix it (fix).
func CheckMemory(what string, need float64, limit uint64, source, fix string) error {
	if need <= float64(limit) {
		return nil
	}
	return fmt.Errorf("%s would need about %s of memory, above the limit of %s (%s; %s)",
		what, FormatSize(need), FormatSize(float64(limit)), source, fix)
}

// Limit is a memory limit: a size with its unit (settings.ParseSize:
// 8GiB, 500MB) or a share of the physical memory (75%). The zero Limit is
// unset: DefaultLimit applies. It is a flag value (--max-memory).
type Limit struct {
	bytes uint64
	text  string
}

// ParseLimit reads a limit.
func ParseLimit(s string) (Limit, error) {
	t := strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || !(x > 0 && x <= 100) {
			return Limit{}, fmt.Errorf("memory limit %s: a percentage must be in (0, 100]", settings.Quote(s))
		}
		total := physicalMemory()
		if total == 0 {
			return Limit{}, fmt.Errorf("memory limit %s: physical memory is unknown here; give a size such as 8GiB", settings.Quote(s))
		}
		if b := uint64(float64(total) * x / 100); b >= 1 {
			return Limit{bytes: b, text: t}, nil
		}
		return Limit{}, fmt.Errorf("memory limit %s is less than a byte", settings.Quote(s))
	}
	z, err := settings.ParseSize(t)
	if err != nil {
		return Limit{}, fmt.Errorf("memory limit: %w (or a share such as 75%%)", err)
	}
	return Limit{bytes: uint64(z), text: t}, nil
}

// Bytes is the limit in bytes: DefaultLimit when unset.
func (l Limit) Bytes() uint64 {
	if l.bytes == 0 {
		return DefaultLimit()
	}
	return l.bytes
}

// IsSet reports whether a limit was given.
func (l Limit) IsSet() bool { return l.bytes > 0 }

// String is the limit as given ("" when unset).
func (l Limit) String() string { return l.text }

// Set parses s as the flag's value.
func (l *Limit) Set(s string) error {
	v, err := ParseLimit(s)
	*l = v
	return err
}

// Type names the flag's value in help texts.
func (*Limit) Type() string { return "size" }

// FormatSize writes bytes with a binary unit: "1.5 GiB".
func FormatSize(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == len(units)-1 && b >= 1024 {
		return fmt.Sprintf("%.3g %s", b, units[i])
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// ContingencyBytesPerCell is the peak memory of one cell of a frequency
// table in eval's fidelity metrics (counts and shares of both sides),
// measured as peak RSS over cells for a 3001 × 3001 table (47 B; see
// BENCHMARKS.md) and rounded up.
const ContingencyBytesPerCell = 48

// TableCells returns the cells of the frequency table over columns of t:
// the product of each column's levels (bins + 1 for a numeric column,
// categories + 1 for a categorical one, the extra level being missing).
// Unknown columns count as one level.
func TableCells(t *table.Table, bins int, columns []string) float64 {
	cells := 1.0
	for _, name := range columns {
		c := t.Col(name)
		switch {
		case c == nil:
		case c.Kind.Numeric():
			cells *= float64(max(bins, 1) + 1)
		case c.Kind == table.Categorical:
			cells *= float64(len(c.Dict) + 1)
		}
	}
	return cells
}

// Score memory of eval, measured as live heap per pair and per column on
// 1,000 columns × 1,000 rows (BENCHMARKS.md, "Width"): a pair's fidelity
// scores take 603 bytes and its sdmetrics score 605 (with its params), a
// column's scores about a third of that; rounded up, so that the estimate
// also leaves the garbage collector room.
const (
	PairScoreBytes   = 1300
	ColumnScoreBytes = 1000
)

// EvalNeed estimates the bytes scoring t takes, in O(columns + groups)
// without listing pairs: BaseBytes; the two tables and their encodings (4 ×
// rows × columns × BytesPerCell); the score lists (ColumnScoreBytes per
// column and PairScoreBytes per pair: every pair when groups is empty, else
// one per group), times copies (2 when a holdout reference is scored
// beside them); and the workers largest frequency tables being counted at
// once (ContingencyBytesPerCell per cell; for all pairs, workers times the
// product of the two largest columns' levels).
func EvalNeed(t *table.Table, bins int, groups [][]string, workers, copies int) float64 {
	n := float64(t.NumCols())
	pairs := n * (n - 1) / 2
	var sizes []float64
	if len(groups) > 0 {
		pairs = float64(len(groups))
		sizes = make([]float64, len(groups))
		for i, g := range groups {
			sizes[i] = TableCells(t, bins, g)
		}
	} else {
		var top [2]float64
		for _, c := range t.Cols {
			l := TableCells(t, bins, []string{c.Name})
			switch {
			case l > top[0]:
				top[0], top[1] = l, top[0]
			case l > top[1]:
				top[1] = l
			}
		}
		if t.NumCols() >= 2 {
			sizes = []float64{top[0] * top[1]}
		}
	}
	slices.Sort(sizes)
	need := BaseBytes + 4*float64(t.NumRows())*n*BytesPerCell + scoreListBytes(n, pairs, copies)
	k := max(workers, 1)
	if len(groups) == 0 && len(sizes) == 1 {
		need += float64(k) * sizes[0] * ContingencyBytesPerCell
	}
	for i := len(sizes) - 1; len(groups) > 0 && i >= 0 && i >= len(sizes)-k; i-- {
		need += sizes[i] * ContingencyBytesPerCell
	}
	return need
}

// EvalScoresNeed is the part of EvalNeed that a table's column count
// fixes when every pair is scored: BaseBytes and the score lists
// (ColumnScoreBytes per column and PairScoreBytes per pair, times copies).
// It is at most EvalNeed of any table of cols columns scored over all
// pairs (the rest of EvalNeed is never negative), so a limit it exceeds,
// EvalNeed exceeds too: eval checks it from a file's header, before
// reading the rows.
func EvalScoresNeed(cols, copies int) float64 {
	n := float64(cols)
	return BaseBytes + scoreListBytes(n, n*(n-1)/2, copies)
}

// scoreListBytes is the memory of the score lists of n columns and pairs
// pairs, times copies (at least one).
func scoreListBytes(n, pairs float64, copies int) float64 {
	return (n*ColumnScoreBytes + pairs*PairScoreBytes) * float64(max(copies, 1))
}

// ReadFactor is the peak memory of reading a table file per byte of its
// uncompressed text, measured as peak RSS over file size for a
// 120 MB CSV (1.76; see BENCHMARKS.md) and rounded up.
const ReadFactor = 2

// ReadCellBytes is the peak memory of reading one cell (a row of one
// column): its 8-byte value and the growth of its column (a doubling
// slice holds the old and the new array at once), measured as 24.6 B for
// 26 million rows of "1,2" read from a gzip stream (see BENCHMARKS.md,
// "Memory before allocation") and rounded up. Short cells take more memory
// than their text, so a reader is bounded by cells as well as by bytes.
const ReadCellBytes = 32

// ReadBudget returns the bytes of text and the cells (table.ReadOptions
// MaxBytes and MaxCells) that files table files read at once may each take
// under limit: what is left after BaseBytes, shared among them.
func ReadBudget(limit uint64, files int) (maxBytes, maxCells int64) {
	left := max(float64(limit)-BaseBytes, 1<<20) / float64(max(files, 1))
	return int64(left / ReadFactor), int64(left / ReadCellBytes)
}

// ReadNeed estimates the bytes reading the table file at path takes
// before reading it: ReadFactor × its size. For a compressed file (.gz,
// Parquet) that is a lower bound: no compression ratio is assumed, and the
// reader measures the rest as it reads (table.ReadOptions.MaxBytes stops
// it at the limit). It is 0 for a file that cannot be stat'ed (the reader
// reports it) or that is not a regular file (a device or pipe, whose size
// only the reader can measure).
func ReadNeed(path string) float64 {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	return float64(st.Size()) * ReadFactor
}
