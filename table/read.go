package table

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DefaultNullValues are the cell texts read as missing when
// ReadOptions.NullValues is nil.
var DefaultNullValues = []string{"", "NA", "NaN", "null"}

// ReadOptions controls the readers. The zero value infers every column and
// reads DefaultNullValues as missing.
type ReadOptions struct {
	// Schema, when set, fixes the kind (and categories, range, layout and
	// metadata) of each column it names; other columns are inferred. A
	// field naming a column the input lacks is an error.
	Schema *Schema
	// GroupKey names the column whose equal values form one record; empty
	// means Schema.GroupKey, and no grouping when that is empty too.
	GroupKey string
	// NullValues are the cell texts read as missing; nil means
	// DefaultNullValues, []string{""} only empty cells.
	NullValues []string
	// Name identifies the input in errors; ReadFile sets it to the path.
	// Empty means "input".
	Name string
	// NonFinite says what a non-finite number in a float column is:
	// "inf", "-Infinity", or a literal too large for a float64 such as
	// "1e400". The zero value, NonFiniteError, makes it an error naming
	// the file, line (row, in Parquet) and column; NonFiniteMissing reads
	// it as missing; NonFiniteKeep reads it as ±Inf (for tables that hold
	// infinities on purpose). A spelled-out NaN is a null value by default
	// (see DefaultNullValues). A column that is not a float column (text
	// with an "inf" among its categories, say) is not affected.
	NonFinite NonFinite
	// MaxBytes, when positive, is the most input ReadFile takes: bytes of
	// text after decompression (CSV, JSON lines, a gzip-compressed file of
	// any format), or a Parquet file's size. Past it, reading stops with an
	// error wrapping ErrTooLarge. Zero means no limit. The readers taking
	// an io.Reader leave it to the caller.
	MaxBytes int64
	// MaxCells, when positive, is the most cells (rows × columns) a reader
	// builds: past it, reading stops with an error wrapping ErrTooLarge.
	// Short cells ("1,2" is two cells in four bytes) take more memory
	// than their text, so MaxBytes alone does not bound a table's memory.
	// Every reader applies it; Parquet's before reading, from its footer.
	MaxCells int64
}

// NonFinite is what a reader does with a non-finite number in a float
// column (ReadOptions.NonFinite).
type NonFinite uint8

const (
	// NonFiniteError makes a non-finite number an error.
	NonFiniteError NonFinite = iota
	// NonFiniteMissing reads a non-finite number as a missing value.
	NonFiniteMissing
	// NonFiniteKeep reads a non-finite number as +Inf or -Inf.
	NonFiniteKeep
)

// Validate checks the schema's fields, naming the bad one. The schema's
// group key need not be one of its fields (a schema may list only some
// columns); the reader checks that it names a column.
func (o ReadOptions) Validate() error {
	if o.Schema != nil {
		return o.Schema.validateFields()
	}
	return nil
}

// Error is a problem with an input file: Op is "read", "write" or
// "schema", File names the input, Line (1-based, the CSV header is line 1;
// 0 when not known) and Column (empty when not known) locate it. Its text
// is one line: `read x.csv: line 9, column "age": "abc" is not an integer`.
type Error struct {
	Op     string
	File   string
	Line   int
	Column string
	Err    error
}

// Error formats the error as one line: op, file, then line and column when
// known, then the cause.
func (e *Error) Error() string {
	var sb strings.Builder
	sb.WriteString(e.Op)
	sb.WriteByte(' ')
	sb.WriteString(e.File)
	sb.WriteString(": ")
	if e.Line > 0 {
		sb.WriteString("line ")
		sb.WriteString(strconv.Itoa(e.Line))
		if e.Column != "" {
			sb.WriteString(", ")
		} else {
			sb.WriteString(": ")
		}
	}
	if e.Column != "" {
		sb.WriteString("column ")
		sb.WriteString(quote(e.Column))
		sb.WriteString(": ")
	}
	sb.WriteString(e.Err.Error())
	return sb.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// ErrEmpty is returned (wrapped) for an input with no header or no data.
var ErrEmpty = errors.New("empty file")

// assembler turns a stream of rows into a Table: it matches the header
// against the schema, routes each cell to its column builder, and checks
// the group structure at the end.
type assembler struct {
	name     string
	opts     ReadOptions
	nulls    []string
	hasEmpty bool
	// explicitNulls: the input marks missing values itself (a Parquet
	// file written by WriteParquet), so no cell text is a null value.
	explicitNulls bool
	nullLens      uint64    // bit k set when a null value has k bytes (k < 64)
	nullFirst     [256]bool // the first bytes of the non-empty null values
	digitNull     bool      // a null value is all ASCII digits (and not empty)
	longNull      bool      // a null value has 64 bytes or more
	names         []string
	seen          map[string]int // column index by name
	b             []*builder
	rows          int               // rows read so far (kept by readers that add columns late)
	lineOf        func(row int) int // input line of a row, for errors
}

func newAssembler(opts ReadOptions, format string) *assembler {
	name := opts.Name
	if name == "" {
		name = format + " input"
	}
	a := &assembler{name: name, opts: opts, nulls: opts.NullValues}
	if a.nulls == nil {
		a.nulls = DefaultNullValues
	}
	for _, s := range a.nulls {
		if s == "" {
			a.hasEmpty = true
		}
		if s != "" {
			a.nullFirst[s[0]] = true
			a.digitNull = a.digitNull || strings.Trim(s, "0123456789") == ""
		}
		if len(s) < 64 {
			a.nullLens |= 1 << len(s)
		} else {
			a.longNull = true
		}
	}
	return a
}

func (a *assembler) errorf(line int, col string, format string, args ...any) error {
	return &Error{Op: "read", File: a.name, Line: line, Column: col, Err: fmt.Errorf(format, args...)}
}

// isNull reports whether cell text s marks a missing value.
func (a *assembler) isNull(s string) bool {
	if s == "" {
		return a.hasEmpty
	}
	if len(s) < 64 && a.nullLens&(1<<len(s)) == 0 {
		return false
	}
	if len(s) >= 64 && !a.longNull {
		return false
	}
	for _, n := range a.nulls {
		if len(n) == len(s) && n[0] == s[0] && n == s {
			return true
		}
	}
	return false
}

// header sets the column names; line is the header's line (for errors).
func (a *assembler) header(names []string, line int) error {
	if err := a.start(); err != nil {
		return err
	}
	for _, n := range names {
		if err := a.addColumn(n, line); err != nil {
			return err
		}
	}
	return a.checkSchema()
}

// start validates the options and sets up the column index.
func (a *assembler) start() error {
	if err := a.opts.Validate(); err != nil {
		return &Error{Op: "read", File: a.name, Err: err}
	}
	a.seen = make(map[string]int)
	return nil
}

// addColumn adds column name, missing in the rows read so far; line is
// where it was named (for errors).
func (a *assembler) addColumn(name string, line int) error {
	if name == "" {
		return a.errorf(line, "", "column %d has no name", len(a.names)+1)
	}
	if _, dup := a.seen[name]; dup {
		return a.errorf(line, "", "column %s appears twice", quote(name))
	}
	a.seen[name] = len(a.names)
	a.names = append(a.names, name)
	var f *Field
	if a.opts.Schema != nil {
		f = a.opts.Schema.Field(name)
	}
	b := newBuilder(name, f, 0)
	for range a.rows {
		b.addNull()
	}
	a.b = append(a.b, b)
	return nil
}

// checkSchema checks that every schema field and the group key name
// columns.
func (a *assembler) checkSchema() error {
	if s := a.opts.Schema; s != nil {
		for _, f := range s.Fields {
			if _, ok := a.seen[f.Name]; !ok {
				return schemaError(s, fmt.Errorf("field %s is not a column of %s", quote(f.Name), a.name))
			}
		}
	}
	if g := a.groupKey(); g != "" {
		if _, ok := a.seen[g]; !ok {
			return &Error{Op: "read", File: a.name, Err: fmt.Errorf("group key %s is not a column", quote(g))}
		}
	}
	return nil
}

func schemaError(s *Schema, err error) error {
	name := s.Source
	if name == "" {
		name = "(in memory)"
	}
	return &Error{Op: "schema", File: name, Err: err}
}

func (a *assembler) groupKey() string {
	if a.opts.GroupKey != "" {
		return a.opts.GroupKey
	}
	if a.opts.Schema != nil {
		return a.opts.Schema.GroupKey
	}
	return ""
}

// cell adds cell s (str: a JSON string) to column j; line is for errors.
func (a *assembler) cell(j int, s string, str bool, line int) error {
	b := a.b[j]
	if !a.explicitNulls && a.isNull(s) {
		b.addNull()
		return nil
	}
	if err := b.add(s, str); err != nil {
		return a.errorf(line, a.names[j], "%w", err)
	}
	return nil
}

// rowErrorf is errorf for row (0-based) of the table: the input's line
// when the reader knows it, else the row's number.
func (a *assembler) rowErrorf(row int, col string, format string, args ...any) error {
	if line := a.lineOf(row); line > 0 {
		return a.errorf(line, col, format, args...)
	}
	return a.errorf(0, col, "row %d: %s", row+1, fmt.Sprintf(format, args...))
}

// overCells returns an error wrapping ErrTooLarge when rows rows of the
// columns so far pass opts.MaxCells.
func (a *assembler) overCells(rows int) error {
	return a.overCells64(int64(rows), len(a.b))
}

func (a *assembler) overCells64(rows int64, cols int) error {
	if m := a.opts.MaxCells; m > 0 && float64(rows)*float64(max(cols, 1)) > float64(m) {
		return &Error{Op: "read", File: a.name, Err: fmt.Errorf("%w: more than %d cells (rows × columns)", ErrTooLarge, m)}
	}
	return nil
}

// missingNonFinite marks the infinite values of float column c missing.
func missingNonFinite(c *Column) {
	for i, v := range c.Floats {
		if math.IsInf(v, 0) {
			if c.Nulls == nil {
				c.Nulls = make([]bool, len(c.Floats))
			}
			c.Floats[i] = math.NaN()
			c.Nulls[i] = true
		}
	}
}

// table finishes the columns and checks the group key: rows of one group
// must be contiguous and group-level columns constant within a group.
func (a *assembler) table() (*Table, error) {
	cols := make([]*Column, len(a.b))
	for i, b := range a.b {
		if a.opts.NonFinite == NonFiniteError {
			if row, text, ok := b.nonFinite(); ok {
				return nil, a.rowErrorf(row, a.names[i], "%s is not a finite number", quote(text))
			}
		}
	}
	for i, b := range a.b {
		cols[i] = b.column()
		a.b[i] = nil
		if c := cols[i]; c.Kind == Float && a.opts.NonFinite == NonFiniteMissing {
			missingNonFinite(c)
		}
	}
	t, err := New(cols...)
	if err != nil {
		return nil, &Error{Op: "read", File: a.name, Err: err}
	}
	t.GroupKey = a.groupKey()
	if t.GroupKey == "" {
		return t, nil
	}
	key := t.Col(t.GroupKey)
	seen := make(map[string]bool)
	for i := 0; i < t.NumRows(); i++ {
		if i > 0 && key.String(i) == key.String(i-1) {
			continue
		}
		k := key.String(i)
		if seen[k] {
			return nil, a.errorf(a.lineOf(i), t.GroupKey, "group %s continues after another group; rows of a group must be contiguous", quote(k))
		}
		seen[k] = true
	}
	groups, err := t.Groups()
	if err != nil {
		return nil, &Error{Op: "read", File: a.name, Err: err}
	}
	for _, c := range t.Cols {
		if !c.Group {
			continue
		}
		for _, g := range groups {
			for i := g[0] + 1; i < g[1]; i++ {
				if c.IsNull(i) != c.IsNull(g[0]) || c.String(i) != c.String(g[0]) {
					return nil, a.errorf(a.lineOf(i), c.Name, "group-level value %s differs from %s earlier in group %s",
						quote(c.String(i)), quote(c.String(g[0])), quote(t.Col(t.GroupKey).String(g[0])))
				}
			}
		}
	}
	return t, nil
}
