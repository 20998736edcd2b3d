package reports

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/synthor/synthor/metrics"
)

// Significant digits: SigValue for a lone value (eval's table), SigColumn
// for the smallest non-zero mean of a report column, which fixes the
// column's decimals.
const (
	SigValue    = 4
	SigColumn   = 3
	maxDecimals = 6
)

// FormatValue renders v with SigValue significant digits in positional
// notation (0.00002884, not 2.88416e-05); magnitudes beyond 1e-6 .. 1e12
// use an exponent. Undefined values are "n/a".
func FormatValue(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "n/a"
	case v == 0:
		return "0"
	}
	a := math.Abs(v)
	if a < 1e-6 || a >= 1e12 {
		return strconv.FormatFloat(v, 'e', SigValue-1, 64)
	}
	d := SigValue - 1 - int(math.Floor(math.Log10(a)))
	return strconv.FormatFloat(v, 'f', max(d, 0), 64)
}

// decimals returns the decimals of column j of d: enough for SigColumn
// significant digits of its smallest non-zero mean, at most maxDecimals.
func decimals(d *Dataset, j int) int {
	out := 0
	for i := range d.Methods {
		c := d.Cells[i][j]
		if c.N == 0 || c.Mean == 0 || math.IsNaN(c.Mean) || math.IsInf(c.Mean, 0) {
			continue
		}
		need := SigColumn - 1 - int(math.Floor(math.Log10(math.Abs(c.Mean))))
		out = max(out, need)
	}
	return min(out, maxDecimals)
}

// fixed renders v with dec decimals.
func fixed(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.TrimLeft(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s
}

// FormatCell renders a cell: "mean ± sd (n=3)", the mean alone for one
// value, the reason when there is none.
func FormatCell(c Cell, dec int) string { return formatCell(c, dec, true) }

// formatCell is FormatCell, with n shown or not.
func formatCell(c Cell, dec int, showN bool) string {
	switch {
	case c.N == 0 && c.Reason != "":
		return "— (" + c.Reason + ")"
	case c.N == 0:
		return "—"
	case c.N == 1:
		return fixed(c.Mean, dec)
	}
	if !showN {
		return fixed(c.Mean, dec) + " ± " + fixed(c.SD, dec)
	}
	return fixed(c.Mean, dec) + " ± " + fixed(c.SD, dec) + " (n=" + strconv.Itoa(c.N) + ")"
}

// Arrow is the direction mark of a metric: ↓ lower is better, ↑ higher.
func Arrow(d metrics.Direction) string {
	if d == metrics.Higher {
		return "↑"
	}
	return "↓"
}

// FileLabels names files for column headers: the base name without its
// extensions ("bayes-net.csv" → "bayes-net"), with as many parent folders
// as it takes to tell equal names apart ("a/s.csv", "b/s.csv" → "a/s",
// "b/s").
func FileLabels(paths []string) []string {
	parts := make([][]string, len(paths))
	for i, p := range paths {
		p = filepath.ToSlash(filepath.Clean(p))
		segs := strings.Split(p, "/")
		segs[len(segs)-1] = trimExt(segs[len(segs)-1])
		parts[i] = segs
	}
	depth := make([]int, len(paths))
	for i := range depth {
		depth[i] = 1
	}
	labelOf := func(i int) string {
		s := parts[i]
		return strings.Join(s[max(len(s)-depth[i], 0):], "/")
	}
	for range 64 {
		seen := map[string][]int{}
		for i := range paths {
			l := labelOf(i)
			seen[l] = append(seen[l], i)
		}
		grew := false
		for _, idx := range seen {
			if len(idx) < 2 {
				continue
			}
			for _, i := range idx {
				if depth[i] < len(parts[i]) {
					depth[i]++
					grew = true
				}
			}
		}
		if !grew {
			break
		}
	}
	out := make([]string, len(paths))
	seen := map[string]int{}
	for i := range paths {
		out[i] = labelOf(i)
		seen[out[i]]++
	}
	// The same path twice: number the repeats.
	n := map[string]int{}
	for i, l := range out {
		if seen[l] > 1 {
			n[l]++
			out[i] = l + " #" + strconv.Itoa(n[l])
		}
	}
	return out
}

func trimExt(b string) string {
	for {
		t := b
		for _, ext := range []string{".gz", ".csv", ".jsonl", ".ndjson", ".json", ".parquet"} {
			t = strings.TrimSuffix(t, ext)
		}
		if t == b || t == "" {
			return b
		}
		b = t
	}
}
