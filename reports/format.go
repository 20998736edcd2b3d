package reports

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/synthor/synthor/metrics"
)

// Sig is the number of significant digits of every number the table,
// Markdown and HTML formats show (synthor eval's values included): a value
// shows Sig significant digits, every digit before the decimal point kept
// (12346, not 12300), and a standard deviation the decimals of the mean it
// goes with. Magnitudes below 1e-3 or from 1e6 up use a short exponent
// (2.88e-5 ± 1.3e-5; the sd then with 2 significant digits).
const Sig = 3

// maxDecimals is the most decimals a positional number shows: Sig
// significant digits of a value just above 1e-3.
const maxDecimals = Sig + 2

// FormatValue renders v with Sig significant digits: positional from 1e-3
// up to 1e6 (0.0133, 24.6, 12346), else with a short exponent (2.88e-5).
// Undefined values are "n/a".
func FormatValue(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "n/a"
	case v == 0:
		return "0"
	case exponent(v):
		return shortExp(v, Sig)
	}
	return fixed(v, sigDecimals(v))
}

// exponent reports whether v is shown with an exponent.
func exponent(v float64) bool {
	a := math.Abs(v)
	return a != 0 && (a < 1e-3 || a >= 1e6)
}

// shortExp renders v with sig significant digits and an exponent without
// its sign when positive or its leading zeros: 2.88e-5, 1.23e6.
func shortExp(v float64, sig int) string {
	t := strconv.FormatFloat(v, 'e', sig-1, 64)
	i := strings.IndexByte(t, 'e')
	exp := strings.TrimPrefix(t[i+1:], "+")
	neg := strings.HasPrefix(exp, "-")
	exp = strings.TrimLeft(strings.TrimPrefix(exp, "-"), "0")
	if neg {
		exp = "-" + exp
	}
	return t[:i] + "e" + exp
}

// sigDecimals is the number of decimals that shows Sig significant digits
// of v (0 for v = 0 or |v| ≥ 10^(Sig-1)).
func sigDecimals(v float64) int {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	// The exponent after rounding to Sig digits: 0.99951 is 1.00e+00.
	e := strconv.FormatFloat(v, 'e', Sig-1, 64)
	exp, err := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if err != nil {
		exp = int(math.Floor(math.Log10(math.Abs(v))))
	}
	return min(max(Sig-1-exp, 0), maxDecimals)
}

// decimals returns the decimals of column j of d: enough for Sig
// significant digits of its smallest non-zero mean, at most maxDecimals.
// It is the Metric's Decimals (JSON); the text formats show each value with
// Sig significant digits of its own.
func decimals(d *Dataset, j int) int {
	out := 0
	for i := range d.Methods {
		if c := d.Cells[i][j]; c.N > 0 {
			out = max(out, sigDecimals(c.Mean))
		}
	}
	return out
}

// sdText is the standard deviation as FormatStat shows it.
func sdText(s Stat) string {
	t := FormatStat(s)
	if i := strings.Index(t, " ± "); i >= 0 {
		return t[i+len(" ± "):]
	}
	return FormatValue(s.SD)
}

// FormatStat renders a mean and its sample standard deviation: "0.0133 ±
// 0.0012", the mean with Sig significant digits and the sd with the mean's
// decimals (with 2 significant digits of the sd when the mean is 0); the
// mean alone when n < 2.
func FormatStat(s Stat) string {
	if s.N < 2 {
		return FormatValue(s.Mean)
	}
	switch {
	case exponent(s.Mean) || (s.Mean == 0 && exponent(s.SD)):
		sd := "0"
		if s.SD != 0 {
			sd = shortExp(s.SD, 2)
		}
		return FormatValue(s.Mean) + " ± " + sd
	case s.Mean == 0 && s.SD == 0:
		return "0 ± 0"
	case s.Mean == 0:
		dec := max(sigDecimals(s.SD)-1, 0)
		return fixed(0, dec) + " ± " + fixed(s.SD, dec)
	}
	dec := sigDecimals(s.Mean)
	return fixed(s.Mean, dec) + " ± " + fixed(s.SD, dec)
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

// FormatCell renders a cell with dec decimals: "mean ± sd (n=3)", the mean
// alone for one value, the reason when there is none.
func FormatCell(c Cell, dec int) string {
	switch {
	case c.N == 0 && c.Reason != "":
		return "— (" + c.Reason + ")"
	case c.N == 0:
		return "—"
	case c.N == 1:
		return fixed(c.Mean, dec)
	}
	return fixed(c.Mean, dec) + " ± " + fixed(c.SD, dec) + " (n=" + strconv.Itoa(c.N) + ")"
}

// formatCell renders a cell with Sig significant digits (FormatStat), n
// after it when showN; a cell without a value as "—" and its reason: the
// reason's mark in nt, or the reason itself in parentheses when nt is nil.
func formatCell(c Cell, showN bool, nt *notes) string {
	switch {
	case c.N == 0 && c.Reason != "" && nt != nil:
		return "— " + nt.ref(c.Reason)
	case c.N == 0 && c.Reason != "":
		return "— (" + c.Reason + ")"
	case c.N == 0:
		return "—"
	case showN && c.N > 1:
		return FormatStat(c.Stat) + " (n=" + strconv.Itoa(c.N) + ")"
	}
	return FormatStat(c.Stat)
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
