package guard

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

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

// methodFactor is each method's peak memory per output cell in units of
// BytesPerCell, measured as peak RSS over cells for 2 million records of
// ecommerce-bn (6 columns; see BENCHMARKS.md, "Hostile input and limits")
// and rounded up.
var methodFactor = map[string]float64{
	"llmsynthor": 4,   // measured 30.6 B/cell: records, their cells and proposals
	"cart":       1.5, // measured 9.7 B/cell: donor indices per column
	"ipf":        1.5,
	"llm-icl":    1.5,
}

// Factor returns the memory factor of the named method (1 unless measured
// higher).
func Factor(method string) float64 {
	if f, ok := methodFactor[method]; ok {
		return f
	}
	return 1
}

// Need estimates the bytes a synthesis takes: BaseBytes, the training table
// (trainRows × cols cells) and the output (outRows × cols cells), both
// weighted by the method's Factor. It is a float64 so that no input
// overflows it.
func Need(method string, trainRows, outRows float64, cols int) float64 {
	cells := (max(trainRows, 0) + max(outRows, 0)) * float64(max(cols, 1))
	return BaseBytes + cells*BytesPerCell*Factor(method)
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

// ParseSize reads a memory size: a number of bytes with an optional unit
// (B, KB, MB, GB, TB powers of 1000; KiB, MiB, GiB, TiB powers of 1024; K,
// M, G, T as the binary ones), or a percentage of physical memory ("75%").
func ParseSize(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || !(x > 0 && x <= 100) || float64(physicalMemory())*x/100 < 1 {
			return 0, fmt.Errorf("memory size %q: a percentage must be in (0, 100]", s)
		}
		total := physicalMemory()
		if total == 0 {
			return 0, fmt.Errorf("memory size %q: physical memory is unknown here; give bytes", s)
		}
		return uint64(float64(total) * x / 100), nil
	}
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	mult, ok := sizeUnits[strings.ToLower(unit)]
	x, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || !(x*mult >= 1) || math.IsInf(x*mult, 0) || x*mult >= math.MaxUint64 {
		return 0, fmt.Errorf("memory size %q: want a positive size such as 8GiB, 500MB or 75%%", s)
	}
	return uint64(x * mult), nil
}

var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

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

// EvalNeed estimates the bytes eval's frequency tables take: BaseBytes,
// the tables' cells (t's rows × columns × BytesPerCell, both sides), and
// the workers largest frequency tables over groups (the column groups
// scored; every pair when groups is empty) at ContingencyBytesPerCell.
func EvalNeed(t *table.Table, bins int, groups [][]string, workers int) float64 {
	if len(groups) == 0 {
		names := t.Names()
		for i := range names {
			for j := i + 1; j < len(names); j++ {
				groups = append(groups, []string{names[i], names[j]})
			}
		}
	}
	sizes := make([]float64, len(groups))
	for i, g := range groups {
		sizes[i] = TableCells(t, bins, g)
	}
	slices.Sort(sizes)
	need := BaseBytes + 2*float64(t.NumRows())*float64(t.NumCols())*BytesPerCell
	for i := len(sizes) - 1; i >= 0 && i >= len(sizes)-max(workers, 1); i-- {
		need += sizes[i] * ContingencyBytesPerCell
	}
	return need
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
