package synthor

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/synthor/synthor/table"
)

// How a column the loop does not plan is made, as reported in
// Result.Columns, the summary line and the trace.
const (
	ColumnAllMissing = "all missing" // every value missing: output all missing
	ColumnConstant   = "constant"    // one value, never missing: output that value
	ColumnIdentifier = "identifier"  // (near-)unique strings: fresh identifiers of the same shape
	ColumnFreeText   = "free text"   // text: drawn from the target's most frequent values
)

// IdentifierShare is the share of distinct values among a string column's
// non-missing values from which it is an identifier.
const IdentifierShare = 0.9

// FreeTextValues is the most frequent values of a free-text column kept as
// its target; only values that occur at least twice are kept.
const FreeTextValues = 50

// HandledColumn says how a column outside the loop is made.
type HandledColumn struct {
	Name string `json:"name"`
	How  string `json:"how"`
}

// special is a column made outside the loop, from aggregates only: its
// missing share and, by kind, the constant, the identifier shape (letters
// and digits as placeholders, except characters every value shares at a
// position) or the frequent values with their counts.
type special struct {
	field   table.Field
	how     string
	missing float64
	value   string          // constant: the value as text
	num     float64         // constant: the value of a numeric column
	shape   string          // identifier
	taken   map[uint64]bool // identifier: hashes of the training values, never output
	top     []string
	weights []float64
}

// classify returns how column c is handled outside the loop, or nil when
// the loop plans it.
func classify(c *table.Column) *special {
	n := c.Len()
	nulls := c.NullCount()
	sp := &special{field: c.Field, missing: float64(nulls) / float64(max(1, n))}
	if c.Kind == table.Categorical && len(sp.field.Categories) == 0 {
		// The output keeps the training dictionary (identifiers aside).
		sp.field.Categories = slices.Clone(c.Dict)
	}
	if nulls == n {
		sp.how = ColumnAllMissing
		return sp
	}
	if c.Kind.Numeric() {
		if nulls > 0 {
			return nil
		}
		x := c.Float(0)
		for i := 1; i < n; i++ {
			if c.Float(i) != x {
				return nil
			}
		}
		sp.how, sp.num = ColumnConstant, x
		return sp
	}
	counts := map[string]int{}
	for i := range n {
		if !c.IsNull(i) {
			counts[c.String(i)]++
		}
	}
	nonMissing := n - nulls
	switch {
	case len(counts) == 1 && nulls == 0:
		for v := range counts {
			sp.how, sp.value = ColumnConstant, v
		}
	case nonMissing >= 20 && float64(len(counts)) >= IdentifierShare*float64(nonMissing):
		sp.how, sp.shape, sp.taken = ColumnIdentifier, commonShape(counts), idHashes(counts)
	case c.Kind == table.Text:
		sp.how = ColumnFreeText
		type vc struct {
			v string
			n int
		}
		var vs []vc
		for v, k := range counts {
			if k >= 2 {
				vs = append(vs, vc{v, k})
			}
		}
		slices.SortFunc(vs, func(a, b vc) int {
			if a.n != b.n {
				return b.n - a.n
			}
			return strings.Compare(a.v, b.v)
		})
		if len(vs) > FreeTextValues {
			vs = vs[:FreeTextValues]
		}
		for _, x := range vs {
			sp.top = append(sp.top, x.v)
			sp.weights = append(sp.weights, float64(x.n))
		}
		if len(sp.top) == 0 { // no value repeats: fresh identifiers
			sp.how, sp.shape, sp.taken = ColumnIdentifier, commonShape(counts), idHashes(counts)
		}
	default:
		return nil
	}
	return sp
}

// commonShape returns the most frequent shape of the values (ties: the
// smallest), a shape being a value with letters and digits replaced by
// placeholders.
func commonShape(counts map[string]int) string {
	shapes := map[string]int{}
	for v, k := range counts {
		shapes[shapeOf(v)] += k
	}
	best, bn := "", -1
	for s, k := range shapes {
		if k > bn || k == bn && s < best {
			best, bn = s, k
		}
	}
	// Characters every value of that shape has at a position are kept
	// (the "ID-" of "ID-000123").
	out := []rune(best)
	same := make([]bool, len(out))
	first := true
	for v := range counts {
		if shapeOf(v) != best {
			continue
		}
		r := []rune(v)
		for i := range out {
			if first {
				out[i], same[i] = r[i], true
			} else if same[i] && out[i] != r[i] {
				same[i] = false
			}
		}
		first = false
	}
	b := []rune(best)
	for i := range out {
		if !same[i] {
			out[i] = b[i]
		}
	}
	return string(out)
}

// The placeholders of a shape (private-use runes): a digit, a lower-case
// and an upper-case letter.
const (
	shapeDigit = '\ue000'
	shapeLower = '\ue001'
	shapeUpper = '\ue002'
)

func shapeOf(v string) string {
	b := []rune(v)
	for i, r := range b {
		switch {
		case r >= '0' && r <= '9':
			b[i] = shapeDigit
		case r >= 'a' && r <= 'z':
			b[i] = shapeLower
		case r >= 'A' && r <= 'Z':
			b[i] = shapeUpper
		}
	}
	return string(b)
}

// idHashes returns the FNV-1a hashes of the values: what the identifier
// column keeps of its training values, so that no output identifier
// equals one of them.
func idHashes(counts map[string]int) map[uint64]bool {
	out := make(map[uint64]bool, len(counts))
	for v := range counts {
		out[idHash(v)] = true
	}
	return out
}

func idHash(v string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(v))
	return h.Sum64()
}

// freshID returns the first identifier of the shape from the k-th on that
// is no training value, and the k to try next.
func (sp *special) freshID(k int) (string, int) {
	for {
		id := freshID(sp.shape, k)
		k++
		if !sp.taken[idHash(id)] {
			return id, k
		}
	}
}

// freshID fills shape's placeholders with the digits (base 10 for a
// digit, base 26 for a letter) of i + 1 from the right, leading positions
// 0 or 'a': ids of distinct i differ.
func freshID(shape string, i int) string {
	b := []rune(shape)
	if len(b) == 0 {
		return strconv.Itoa(i + 1)
	}
	k := i + 1
	for j := len(b) - 1; j >= 0; j-- {
		var base int
		var first rune
		switch b[j] {
		case shapeDigit:
			base, first = 10, '0'
		case shapeLower:
			base, first = 26, 'a'
		case shapeUpper:
			base, first = 26, 'A'
		default:
			continue
		}
		d := k % base
		k /= base
		b[j] = first + rune(d)
	}
	out := string(b)
	if k > 0 { // the shape has no room left: a suffix keeps ids unique
		out += "-" + strconv.Itoa(i+1)
	}
	return out
}

// column makes n rows of the special column.
func (sp *special) column(n int, rng *rand.Rand) *table.Column {
	f := sp.field
	if sp.how == ColumnAllMissing {
		return table.NewNull(f, n)
	}
	nulls := make([]bool, n)
	anyNull := false
	for i := range nulls {
		if sp.missing > 0 && rng.Float64() < sp.missing {
			nulls[i], anyNull = true, true
		}
	}
	if !anyNull {
		nulls = nil
	}
	switch {
	case f.Kind.Numeric():
		if f.Kind == table.Float {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = sp.num
			}
			c := table.NewFloat(f.Name, xs)
			c.Field = f
			return c
		}
		xs := make([]int64, n)
		for i := range xs {
			xs[i] = int64(sp.num)
		}
		c := &table.Column{Field: f, Ints: xs}
		return c
	case sp.how == ColumnConstant && f.Kind == table.Categorical:
		codes := make([]int32, n)
		c := table.NewCategorical(f.Name, []string{sp.value}, codes)
		f.Categories = nil
		c.Field = f
		return c
	}
	strs := make([]string, n)
	var cum []float64
	if sp.how == ColumnFreeText {
		cum = cumulative(sp.weights)
	}
	next := 0 // the next identifier to try
	for i := range strs {
		if nulls != nil && nulls[i] {
			continue
		}
		switch sp.how {
		case ColumnConstant:
			strs[i] = sp.value
		case ColumnIdentifier:
			strs[i], next = sp.freshID(next)
		default:
			strs[i] = sp.top[drawCum(cum, rng)]
		}
	}
	if f.Kind == table.Categorical {
		if sp.how == ColumnIdentifier {
			f.Categories = nil // fresh identifiers: a dictionary of their own
		}
		return categoricalFromStrings(f, strs, nulls)
	}
	c := table.NewText(f.Name, strs, nulls)
	c.Field = f
	return c
}

// categoricalFromStrings encodes strs over f's categories, in their order,
// with any other value appended in order of appearance.
func categoricalFromStrings(f table.Field, strs []string, nulls []bool) *table.Column {
	index := map[string]int32{}
	dict := slices.Clone(f.Categories)
	for i, s := range dict {
		index[s] = int32(i)
	}
	codes := make([]int32, len(strs))
	for i, s := range strs {
		if nulls != nil && nulls[i] {
			codes[i] = table.Missing
			continue
		}
		k, ok := index[s]
		if !ok {
			k = int32(len(dict))
			index[s] = k
			dict = append(dict, s)
		}
		codes[i] = k
	}
	c := table.NewCategorical(f.Name, dict, codes)
	f.Categories = nil
	c.Field = f
	c.Nulls = nulls
	return c
}

// cumulative returns the running sums of w.
func cumulative(w []float64) []float64 {
	out := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		out[i] = s
	}
	return out
}

// drawCum draws an index with probability proportional to the steps of
// the running sums cum.
func drawCum(cum []float64, rng *rand.Rand) int {
	u := rng.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, u)
	return min(i, len(cum)-1)
}

// checkFinite returns an error naming the first non-finite value of a
// float column that is not marked missing.
func checkFinite(t *table.Table) error {
	for _, c := range t.Cols {
		if c.Kind != table.Float {
			continue
		}
		for i, x := range c.Floats {
			if !c.IsNull(i) && (math.IsNaN(x) || math.IsInf(x, 0)) {
				return fmt.Errorf("llmsynthor: column %q, row %d: %v is not a finite number (read it as missing)", c.Name, i+1, x)
			}
		}
	}
	return nil
}

// decimals returns the fewest decimals (at most 9) that every value of a
// float column has, or −1 when they need more. A value has d decimals when
// rounding it to d decimals moves it by no more than a few units in its
// last place (the error of the decimal-to-binary conversion): a relative
// tolerance would cut the last digits of values above 1 (a longitude of
// -87.90446417 is not -87.9044642).
func decimals(c *table.Column) int {
	for d := 0; d <= 9; d++ {
		p := math.Pow(10, float64(d))
		ok := true
		for i, x := range c.Floats {
			if c.IsNull(i) {
				continue
			}
			r := math.Round(x*p) / p
			if ulp := math.Nextafter(math.Abs(x), math.Inf(1)) - math.Abs(x); math.Abs(r-x) > 4*ulp {
				ok = false
				break
			}
		}
		if ok {
			return d
		}
	}
	return -1
}
