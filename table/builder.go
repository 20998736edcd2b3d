package table

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dateLayout is the layout of a date-only datetime column.
const dateLayout = "2006-01-02"

// Earliest and latest instants representable as int64 Unix nanoseconds.
var (
	minTime = time.Unix(0, math.MinInt64).UTC()
	maxTime = time.Unix(0, math.MaxInt64).UTC()
)

// builder accumulates the cells of one column, in row order, straight into
// typed storage. With a fixed field (from a schema) every cell is parsed
// as that kind and a cell that does not parse is an error. Without one the
// builder speculates: the first non-missing cell picks the narrowest kind
// that parses it (integer, float, datetime, else categorical), and a later
// cell that does not fit demotes the column (integer -> float ->
// categorical, datetime -> categorical), converting what is already stored.
// Only cells whose text cannot be recovered by formatting the parsed value
// ("007", "1.50", a timestamp with an offset) are kept as text, in exc, so
// that a demotion reproduces the original strings exactly.
type builder struct {
	field Field
	fixed bool

	state Kind // Kind of the stored values so far; 0 while every cell was missing
	n     int  // rows added

	ints   []int64
	floats []float64
	codes  []int32
	dict   []string
	index  map[string]int32
	strs   []string
	recent *[256]recentCat // direct-mapped cache in front of index
	// byPrefix caches categories by their first three bytes, for the
	// chunk parser (csvline.go); it holds no category with a comma.
	byPrefix *[256]prefixCat

	nullRows []int   // rows that are missing, ascending
	exc      texts   // original text of non-canonical numeric or datetime cells
	layout   string  // datetime layout in use; "" means automatic (RFC 3339 or date)
	scratch  []byte  // formatting buffer
	catOnly  bool    // fixed categorical with listed categories
	min, max float64 // range of a fixed numeric field
	hasRange bool    // min or max set
	autoTime bool    // fixed datetime field without layout
}

// errCell is a parse failure of one cell; the reader adds file, line and
// column.
type errCell struct{ msg string }

func (e *errCell) Error() string { return e.msg }

func newBuilder(name string, f *Field, capHint int) *builder {
	b := &builder{field: Field{Name: name}}
	if f != nil {
		b.field = *f
		b.field.Name = name
		b.field.Categories = slices.Clone(f.Categories) // the column must not alias the schema
		b.fixed = true
		b.state = f.Kind
		switch f.Kind {
		case Categorical:
			b.dict = append([]string(nil), f.Categories...)
			b.index = make(map[string]int32, len(b.dict))
			for i, c := range b.dict {
				b.index[c] = int32(i)
			}
			b.catOnly = len(f.Categories) > 0
			b.codes = make([]int32, 0, capHint)
		case Integer:
			b.ints = make([]int64, 0, capHint)
		case Datetime:
			b.ints = make([]int64, 0, capHint)
			b.layout = f.Layout
			b.autoTime = f.Layout == ""
		case Float:
			b.floats = make([]float64, 0, capHint)
		case Text:
			b.strs = make([]string, 0, capHint)
		}
		b.min, b.max = math.Inf(-1), math.Inf(1)
		if f.Min != nil {
			b.min, b.hasRange = *f.Min, true
		}
		if f.Max != nil {
			b.max, b.hasRange = *f.Max, true
		}
	}
	return b
}

// addNull appends a missing value.
func (b *builder) addNull() {
	b.nullRows = append(b.nullRows, b.n)
	b.n++
	switch b.state {
	case Categorical:
		b.codes = append(b.codes, Missing)
	case Integer, Datetime:
		b.ints = append(b.ints, 0)
	case Float:
		b.floats = append(b.floats, math.NaN())
	case Text:
		b.strs = append(b.strs, "")
	}
}

// add appends the non-missing cell s. str marks a JSON string: it never
// makes an inferred column numeric.
func (b *builder) add(s string, str bool) error {
	if b.fixed {
		err := b.addFixed(s)
		if err == nil {
			b.n++
		}
		return err
	}
	b.addInfer(s, str)
	b.n++
	return nil
}

func (b *builder) addFixed(s string) error {
	switch b.field.Kind {
	case Categorical:
		if !b.catOnly {
			b.codes = append(b.codes, b.intern(s))
			return nil
		}
		c, ok := b.index[s]
		if !ok {
			return &errCell{fmt.Sprintf("%s is not one of the schema's categories", quote(s))}
		}
		b.codes = append(b.codes, c)
	case Integer:
		v, _, ok := parseInt(s)
		if !ok {
			if intLiteral(s) {
				return &errCell{fmt.Sprintf("%s is outside the integer range (−2^63 to 2^63−1; give the column kind text in the schema to read it as text)", quote(s))}
			}
			return &errCell{fmt.Sprintf("%s is not an integer (schema says integer)", quote(s))}
		}
		if err := b.checkRange(s, float64(v)); err != nil {
			return err
		}
		b.ints = append(b.ints, v)
	case Float:
		v, ok := parseFloat(s)
		if !ok {
			return &errCell{fmt.Sprintf("%s is not a number (schema says float)", quote(s))}
		}
		if err := b.checkRange(s, v); err != nil {
			return err
		}
		b.floats = append(b.floats, v)
	case Datetime:
		var v int64
		ok := false
		if b.autoTime {
			var layout string
			v, layout, ok = parseTimeAuto(s)
			if ok && layout != b.layout {
				// A date after timestamps keeps the timestamp layout;
				// the first timestamp widens a date layout.
				if b.layout == "" || layout == time.RFC3339Nano {
					b.layout = layout
				}
			}
		} else {
			v, ok = parseTime(s, b.layout)
		}
		if !ok {
			want := "an RFC 3339 timestamp or a 2006-01-02 date"
			if !b.autoTime {
				want = "a time in layout " + strconv.Quote(b.layout)
			}
			return &errCell{fmt.Sprintf("%s is not %s (schema says datetime)", quote(s), want)}
		}
		if err := b.checkRange(s, float64(v)); err != nil {
			return err
		}
		b.ints = append(b.ints, v)
	case Text:
		b.strs = append(b.strs, strings.Clone(s))
	}
	return nil
}

func (b *builder) checkRange(s string, v float64) error {
	if !b.hasRange {
		return nil
	}
	if v < b.min || v > b.max {
		return &errCell{fmt.Sprintf("%s is outside the schema's range [%s, %s]", clip(s), fmtBound(b.field.Min), fmtBound(b.field.Max))}
	}
	return nil
}

func fmtBound(p *float64) string {
	if p == nil {
		return "unbounded"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

// recentCat is one entry of a builder's cache of categories: a category
// and its code.
type recentCat struct {
	s    string
	code int32
}

// recentSlot returns the cache slot of s, from its length and its first
// and last bytes.
func recentSlot(s string) int {
	n := len(s)
	return (n*37 + int(s[0])*7 + int(s[n-1])*131 + int(s[n/2])*17) & 255
}

// intern returns the code of category s, adding it to the dictionary if it
// is new. s may point into a reused buffer: it is copied when added.
func (b *builder) intern(s string) int32 {
	if len(s) == 0 {
		return b.internSlow(s)
	}
	if b.recent == nil {
		b.recent = new([256]recentCat)
	}
	e := &b.recent[recentSlot(s)]
	if e.s == s {
		return e.code
	}
	c := b.internSlow(s)
	*e = recentCat{s: b.dict[c], code: c}
	return c
}

func (b *builder) internSlow(s string) int32 {
	if c, ok := b.index[s]; ok {
		return c
	}
	c := int32(len(b.dict))
	s = strings.Clone(s)
	b.dict = append(b.dict, s)
	b.index[s] = c
	return c
}

func (b *builder) addInfer(s string, str bool) {
	switch b.state {
	case 0:
		b.start(s, str)
	case Integer:
		if !str {
			if v, canon, ok := parseInt(s); ok {
				b.ints = append(b.ints, v)
				if !canon {
					b.keep(s)
				}
				return
			}
			if v, ok := parseFloat(s); ok && !intLiteral(s) {
				b.intToFloat()
				b.appendFloat(s, v)
				return
			}
		}
		b.toCategorical()
		b.codes = append(b.codes, b.intern(s))
	case Float:
		if !str {
			if v, ok := parseFloat(s); ok && !outsideInt64(s) {
				b.appendFloat(s, v)
				return
			}
		}
		b.toCategorical()
		b.codes = append(b.codes, b.intern(s))
	case Datetime:
		if v, layout, ok := parseTimeAuto(s); ok {
			if layout != b.layout && layout == time.RFC3339Nano {
				b.widenDates()
			}
			b.ints = append(b.ints, v)
			if !b.canonicalTime(s, v) {
				b.keep(s)
			}
			return
		}
		b.toCategorical()
		b.codes = append(b.codes, b.intern(s))
	case Categorical:
		b.codes = append(b.codes, b.intern(s))
	}
}

// start handles the first non-missing cell of an inferred column: it picks
// the storage and pads the rows missing so far.
func (b *builder) start(s string, str bool) {
	pad := b.n
	if !str {
		if v, canon, ok := parseInt(s); ok {
			b.state = Integer
			b.ints = append(reuse(b.ints, pad), v)
			if !canon {
				b.keep(s)
			}
			return
		}
		if v, ok := parseFloat(s); ok && !intLiteral(s) {
			b.state = Float
			b.floats = reuse(b.floats, pad)
			for i := range b.floats {
				b.floats[i] = math.NaN()
			}
			b.appendFloat(s, v)
			return
		}
	}
	if v, layout, ok := parseTimeAuto(s); ok {
		b.state = Datetime
		b.layout = layout
		b.ints = append(reuse(b.ints, pad), v)
		if !b.canonicalTime(s, v) {
			b.keep(s)
		}
		return
	}
	b.state = Categorical
	if b.index == nil {
		b.index = make(map[string]int32)
	}
	b.codes = reuse(b.codes, pad)
	for i := range b.codes {
		b.codes[i] = Missing
	}
	b.codes = append(b.codes, b.intern(s))
}

// reuse returns s's storage (left from a recycled builder) holding n
// zero values when it has room for them and 1024 more, else new storage.
// The caller fills in the values of missing rows.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n+1024 {
		return make([]T, n, n+1024)
	}
	s = s[:n]
	clear(s)
	return s
}

// recycle returns a builder for column name (field f, as newBuilder) that
// reuses b's storage; b must not be used afterwards.
func (b *builder) recycle(name string, f *Field) *builder {
	nb := newBuilder(name, f, 0)
	if len(b.strs) > 0 {
		clear(b.strs)
	}
	if nb.fixed {
		switch nb.field.Kind {
		case Categorical:
			nb.codes = b.codes[:0]
		case Integer, Datetime:
			nb.ints = b.ints[:0]
		case Float:
			nb.floats = b.floats[:0]
		case Text:
			nb.strs = b.strs[:0]
		}
	} else {
		nb.ints, nb.floats, nb.codes = b.ints[:0], b.floats[:0], b.codes[:0]
		if b.index != nil {
			clear(b.index)
			nb.index = b.index
		}
	}
	nb.nullRows = b.nullRows[:0]
	nb.exc = texts{rows: b.exc.rows[:0], ends: b.exc.ends[:0], data: b.exc.data[:0]}
	nb.scratch = b.scratch
	if b.recent != nil {
		clear(b.recent[:])
		nb.recent = b.recent
	}
	if b.byPrefix != nil {
		clear(b.byPrefix[:])
		nb.byPrefix = b.byPrefix
	}
	return nb
}

// texts holds the original text of some rows of a column, in ascending
// row order, packed in one byte slice (a map of strings would cost tens of
// bytes per row in a column such as prices written "12.50").
type texts struct {
	rows []int32  // row of each text, ascending
	ends []uint32 // end of each text in data
	data []byte
}

func (t *texts) add(row int, s string) {
	t.rows = append(t.rows, int32(row))
	t.data = append(t.data, s...)
	t.ends = append(t.ends, uint32(len(t.data)))
}

// at returns text k.
func (t *texts) at(k int) []byte {
	start := uint32(0)
	if k > 0 {
		start = t.ends[k-1]
	}
	return t.data[start:t.ends[k]]
}

// cursor walks the missing rows and the kept texts of a builder in row
// order.
type cursor struct {
	b      *builder
	ni, ei int
}

// next reports whether row i is missing and returns its kept text, if
// any; rows must be visited in ascending order.
func (c *cursor) next(i int) (null bool, kept []byte) {
	if c.ni < len(c.b.nullRows) && c.b.nullRows[c.ni] == i {
		c.ni++
		return true, nil
	}
	if e := &c.b.exc; c.ei < len(e.rows) && int(e.rows[c.ei]) == i {
		c.ei++
		return false, e.at(c.ei - 1)
	}
	return false, nil
}

// keep records the original text of the current row.
func (b *builder) keep(s string) { b.exc.add(b.n, s) }

func (b *builder) appendFloat(s string, v float64) {
	b.floats = append(b.floats, v)
	b.scratch = strconv.AppendFloat(b.scratch[:0], v, 'g', -1, 64)
	if string(b.scratch) != s {
		b.keep(s)
	}
}

func (b *builder) canonicalTime(s string, v int64) bool {
	b.scratch = time.Unix(0, v).UTC().AppendFormat(b.scratch[:0], b.layout)
	return string(b.scratch) == s
}

// intToFloat converts the stored integers to floats, keeping the text of
// integers that do not print the same as floats (|v| >= 1e6 prints with an
// exponent; beyond 2^53 precision is lost).
func (b *builder) intToFloat() {
	b.floats = make([]float64, len(b.ints), cap(b.ints))
	var exc texts
	cur := cursor{b: b}
	for i, v := range b.ints {
		null, kept := cur.next(i)
		switch {
		case null:
			b.floats[i] = math.NaN()
			continue
		case kept != nil:
			exc.add(i, string(kept))
		case v <= -1e6 || v >= 1e6:
			if strconv.FormatFloat(float64(v), 'g', -1, 64) != strconv.FormatInt(v, 10) {
				exc.add(i, strconv.FormatInt(v, 10))
			}
		}
		b.floats[i] = float64(v)
	}
	b.exc = exc
	b.ints = nil
	b.state = Float
}

// widenDates switches a date-only column to RFC 3339 timestamps; the
// dates stored so far keep their text.
func (b *builder) widenDates() {
	var exc texts
	cur := cursor{b: b}
	for i, v := range b.ints {
		null, kept := cur.next(i)
		switch {
		case null:
		case kept != nil:
			exc.add(i, string(kept))
		default:
			exc.add(i, time.Unix(0, v).UTC().Format(dateLayout))
		}
	}
	b.exc = exc
	b.layout = time.RFC3339Nano
}

// toCategorical demotes a numeric or datetime column to categorical,
// re-creating the original text of every stored cell.
func (b *builder) toCategorical() {
	b.index = make(map[string]int32)
	b.recent, b.byPrefix = nil, nil
	codes := make([]int32, b.n, max(b.n+1024, cap(b.ints), cap(b.floats)))
	cur := cursor{b: b}
	for i := range codes {
		null, kept := cur.next(i)
		if null {
			codes[i] = Missing
			continue
		}
		if kept == nil {
			switch b.state {
			case Integer:
				kept = strconv.AppendInt(b.scratch[:0], b.ints[i], 10)
			case Float:
				kept = strconv.AppendFloat(b.scratch[:0], b.floats[i], 'g', -1, 64)
			case Datetime:
				kept = time.Unix(0, b.ints[i]).UTC().AppendFormat(b.scratch[:0], b.layout)
			}
			b.scratch = kept
		}
		code, ok := b.index[string(kept)]
		if !ok {
			code = int32(len(b.dict))
			s := string(kept)
			b.dict = append(b.dict, s)
			b.index[s] = code
		}
		codes[i] = code
	}
	b.codes = codes
	b.ints, b.floats, b.exc = nil, nil, texts{}
	b.state = Categorical
	b.layout = ""
}

// nonFinite returns the first row of a float column holding an infinite
// value and the cell's text.
func (b *builder) nonFinite() (row int, text string, ok bool) {
	if b.state != Float {
		return 0, "", false
	}
	cur := cursor{b: b}
	for i, v := range b.floats {
		null, kept := cur.next(i)
		if null || !math.IsInf(v, 0) {
			continue
		}
		if kept != nil {
			return i, string(kept), true
		}
		return i, strconv.FormatFloat(v, 'g', -1, 64), true
	}
	return 0, "", false
}

// maxCategories returns the largest number of distinct values an inferred
// column of nonMissing values may have and still be categorical.
func maxCategories(nonMissing int) int { return max(20, nonMissing/20) }

// column finishes the column.
func (b *builder) column() *Column {
	c := &Column{Field: b.field}
	if len(b.nullRows) > 0 {
		c.Nulls = make([]bool, b.n)
		for _, r := range b.nullRows {
			c.Nulls[r] = true
		}
	}
	kind := b.state
	if kind == 0 {
		// Every cell missing: an empty categorical.
		kind = Categorical
		b.dict = []string{}
		b.codes = make([]int32, b.n)
		for i := range b.codes {
			b.codes[i] = Missing
		}
	}
	c.Kind = kind
	switch kind {
	case Categorical:
		if !b.fixed && len(b.dict) > maxCategories(b.n-len(b.nullRows)) {
			c.Kind = Text
			c.Strs = make([]string, b.n)
			for i, k := range b.codes {
				if k != Missing {
					c.Strs[i] = b.dict[k]
				}
			}
			break
		}
		if b.dict == nil {
			b.dict = []string{}
		}
		c.Codes, c.Dict = b.codes, b.dict
	case Integer:
		c.Ints = b.ints
	case Datetime:
		c.Ints = b.ints
		c.Layout = b.layout
	case Float:
		c.Floats = b.floats
	case Text:
		c.Strs = b.strs
	}
	return c
}

// parseInt parses a base-10 integer with an optional sign. canonical
// reports whether strconv.FormatInt gives s back (no '+', no leading
// zeros, no "-0").
func parseInt(s string) (v int64, canonical, ok bool) {
	n := len(s)
	if n == 0 {
		return 0, false, false
	}
	i := 0
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		i = 1
		if n == 1 {
			return 0, false, false
		}
	}
	if n-i > 18 {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, false, false
		}
		return v, strconv.FormatInt(v, 10) == s, true
	}
	var u int64
	for j := i; j < n; j++ {
		d := s[j] - '0'
		if d > 9 {
			return 0, false, false
		}
		u = u*10 + int64(d)
	}
	canonical = s[0] != '+' && !(s[i] == '0' && n-i > 1) && !(neg && u == 0)
	if neg {
		u = -u
	}
	return u, canonical, true
}

// intLiteral reports whether s is a base-10 integer literal (an optional
// sign and digits), whether or not it fits int64. One that does not is
// neither an integer nor a float to inference: the column becomes
// categorical (text), so that the value is kept exactly rather than
// rounded to a float64.
func intLiteral(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// outsideInt64 reports whether s is an integer literal that int64 cannot
// hold (see intLiteral).
func outsideInt64(s string) bool {
	if !intLiteral(s) {
		return false
	}
	_, _, ok := parseInt(s)
	return !ok
}

// parseFloat parses a float as strconv.ParseFloat does, taking overflow as
// ±Inf; spelled-out NaN is not a number here (it marks a missing value).
func parseFloat(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	// Quick rejection: a number starts with a digit, sign, '.', or i/I (inf).
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'i', c == 'I':
	default:
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	if math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// parseTimeAuto parses an RFC 3339 timestamp or a 2006-01-02 date and
// returns Unix nanoseconds and the layout that writes it back.
func parseTimeAuto(s string) (int64, string, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0, "", false
	}
	if len(s) == 10 {
		v, ok := parseTime(s, dateLayout)
		return v, dateLayout, ok
	}
	v, ok := parseTime(s, time.RFC3339Nano)
	return v, time.RFC3339Nano, ok
}

// parseTime parses s in layout and returns Unix nanoseconds; times outside
// the int64 nanosecond range (years 1678 to 2261) do not parse.
func parseTime(s, layout string) (int64, bool) {
	t, err := time.Parse(layout, s)
	if err != nil || t.Before(minTime) || t.After(maxTime) {
		return 0, false
	}
	return t.UnixNano(), true
}
