package arff

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/synthor/synthor/table"
)

// maxLine bounds the length of one line (16 MiB).
const maxLine = 16 << 20

// attrKind is the declared type of an attribute.
type attrKind uint8

const (
	numeric attrKind = iota
	nominal
	text
	date
)

// attribute is one @attribute declaration and the values read so far.
type attribute struct {
	name   string
	kind   attrKind
	values []string         // nominal values in declared order
	index  map[string]int32 // nominal value -> code
	layout string           // Go layout of a date attribute

	floats []float64
	codes  []int32
	strs   []string
	times  []int64
	nulls  []bool
	nnull  int
}

// ReadFile reads an ARFF file.
func ReadFile(path string) (*table.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads an ARFF (Weka attribute-relation file format) document: a
// header of @relation and @attribute lines, then @data and one instance
// per line (dense, comma-separated, or sparse in braces). name is used in
// errors, which are *table.Error values naming the line and attribute.
func Read(r io.Reader, name string) (*table.Table, error) {
	p := &parser{name: name, sc: bufio.NewScanner(r)}
	p.sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	if err := p.readHeader(); err != nil {
		return nil, err
	}
	if err := p.readData(); err != nil {
		return nil, err
	}
	return p.table()
}

type parser struct {
	name  string
	sc    *bufio.Scanner
	line  int
	attrs []*attribute
	rows  int
}

func (p *parser) errorf(col string, format string, a ...any) error {
	return &table.Error{Op: "read", File: p.name, Line: p.line, Column: col, Err: fmt.Errorf(format, a...)}
}

// next returns the next line that is neither blank nor a comment.
func (p *parser) next() (string, bool, error) {
	for p.sc.Scan() {
		p.line++
		s := strings.TrimSpace(p.sc.Text())
		if s == "" || s[0] == '%' {
			continue
		}
		return s, true, nil
	}
	if err := p.sc.Err(); err != nil {
		p.line++
		if errors.Is(err, bufio.ErrTooLong) {
			return "", false, p.errorf("", "line longer than %d bytes", maxLine)
		}
		return "", false, &table.Error{Op: "read", File: p.name, Err: err}
	}
	return "", false, nil
}

// keyword splits "@word rest" and lower-cases the word.
func keyword(s string) (string, string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return strings.ToLower(s), ""
	}
	return strings.ToLower(s[:i]), strings.TrimSpace(s[i+1:])
}

func (p *parser) readHeader() error {
	seen := map[string]bool{}
	for {
		s, ok, err := p.next()
		if err != nil {
			return err
		}
		if !ok {
			if len(p.attrs) == 0 {
				return &table.Error{Op: "read", File: p.name, Err: table.ErrEmpty}
			}
			return p.errorf("", "no @data section")
		}
		kw, rest := keyword(s)
		switch kw {
		case "@relation":
		case "@attribute":
			a, err := p.attribute(rest)
			if err != nil {
				return err
			}
			if seen[a.name] {
				return p.errorf(a.name, "attribute declared twice")
			}
			seen[a.name] = true
			p.attrs = append(p.attrs, a)
		case "@data":
			if len(p.attrs) == 0 {
				return p.errorf("", "@data before any @attribute")
			}
			return nil
		default:
			return p.errorf("", "unexpected %q in the header (want @relation, @attribute or @data)", kw)
		}
	}
}

// attribute parses the text after "@attribute": a name (quoted or not)
// and a type.
func (p *parser) attribute(s string) (*attribute, error) {
	name, rest, err := token(s)
	if err != nil {
		return nil, p.errorf("", "attribute name: %v", err)
	}
	if name == "" {
		return nil, p.errorf("", "attribute without a name")
	}
	a := &attribute{name: name}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "{") {
		end := strings.LastIndexByte(rest, '}')
		if end < 0 {
			return nil, p.errorf(name, "nominal values without a closing }")
		}
		vals, err := split(rest[1:end])
		if err != nil {
			return nil, p.errorf(name, "nominal values: %v", err)
		}
		a.kind, a.index = nominal, make(map[string]int32, len(vals))
		for _, v := range vals {
			if _, dup := a.index[v.s]; dup {
				return nil, p.errorf(name, "nominal value %q listed twice", v.s)
			}
			a.index[v.s] = int32(len(a.values))
			a.values = append(a.values, v.s)
		}
		return a, nil
	}
	kw, format := keyword(rest)
	switch kw {
	case "numeric", "real", "integer":
		a.kind = numeric
	case "string":
		a.kind = text
	case "date":
		a.kind = date
		f, _, err := token(format)
		if err != nil {
			return nil, p.errorf(name, "date format: %v", err)
		}
		if a.layout, err = javaLayout(f); err != nil {
			return nil, p.errorf(name, "%v", err)
		}
	case "":
		return nil, p.errorf(name, "attribute without a type")
	default:
		return nil, p.errorf(name, "attribute type %q is not supported (numeric, real, integer, string, date or {nominal values})", kw)
	}
	return a, nil
}

// javaLayout converts a Java SimpleDateFormat pattern of the common
// fields (yyyy, MM, dd, HH, mm, ss, SSS and quoted literals) into a Go
// layout; "" is Weka's default, yyyy-MM-dd'T'HH:mm:ss.
func javaLayout(f string) (string, error) {
	if f == "" {
		f = "yyyy-MM-dd'T'HH:mm:ss"
	}
	repl := []struct{ java, goLayout string }{
		{"yyyy", "2006"}, {"yy", "06"}, {"MM", "01"}, {"dd", "02"}, {"HH", "15"},
		{"mm", "04"}, {"ss", "05"}, {"SSS", "000"},
	}
	var sb strings.Builder
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(f[i+1:], '\'')
			if j < 0 {
				return "", fmt.Errorf("date format %q: unterminated quote", f)
			}
			sb.WriteString(f[i+1 : i+1+j])
			i += j + 2
			continue
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			ok := false
			for _, r := range repl {
				if strings.HasPrefix(f[i:], r.java) {
					sb.WriteString(r.goLayout)
					i += len(r.java)
					ok = true
					break
				}
			}
			if !ok {
				return "", fmt.Errorf("date format %q: pattern letter %q is not supported", f, c)
			}
			continue
		}
		sb.WriteByte(c)
		i++
	}
	return sb.String(), nil
}

func (p *parser) readData() error {
	for {
		s, ok, err := p.next()
		if err != nil || !ok {
			return err
		}
		if s[0] == '{' {
			err = p.sparse(s)
		} else {
			err = p.dense(s)
		}
		if err != nil {
			return err
		}
		p.rows++
	}
}

func (p *parser) dense(s string) error {
	vals, err := split(s)
	if err != nil {
		return p.errorf("", "%v", err)
	}
	if len(vals) != len(p.attrs) {
		return p.errorf("", "%d values, want %d (one per attribute)", len(vals), len(p.attrs))
	}
	for j, v := range vals {
		if err := p.add(p.attrs[j], v); err != nil {
			return err
		}
	}
	return nil
}

// sparse reads "{i v, j v, ...}": listed attributes by 0-based index,
// the others 0 (or the first nominal value, as Weka does).
func (p *parser) sparse(s string) error {
	if !strings.HasSuffix(s, "}") {
		return p.errorf("", "sparse instance without a closing }")
	}
	var vals []cell
	if inner := strings.TrimSpace(s[1 : len(s)-1]); inner != "" {
		var err error
		if vals, err = split(inner); err != nil {
			return p.errorf("", "%v", err)
		}
	}
	set := make([]*cell, len(p.attrs))
	prev := -1
	for _, v := range vals {
		is, rest, _ := strings.Cut(v.s, " ")
		if v.quoted {
			return p.errorf("", "sparse entry %q has no index", v.s)
		}
		i, err := strconv.Atoi(is)
		if err != nil || i <= prev || i >= len(p.attrs) {
			return p.errorf("", "sparse index %q is not an increasing attribute index below %d", is, len(p.attrs))
		}
		prev = i
		c, _, err := token(rest)
		if err != nil {
			return p.errorf(p.attrs[i].name, "%v", err)
		}
		q := strings.TrimSpace(rest)
		set[i] = &cell{s: c, quoted: q != "" && (q[0] == '\'' || q[0] == '"')}
	}
	for j, a := range p.attrs {
		c := set[j]
		if c == nil {
			c = &cell{s: "0"}
			if a.kind == nominal && len(a.values) > 0 {
				c.s = a.values[0]
			}
		}
		if err := p.add(a, *c); err != nil {
			return err
		}
	}
	return nil
}

// add appends one value to its attribute; an unquoted ? is missing.
func (p *parser) add(a *attribute, v cell) error {
	if v.s == "?" && !v.quoted {
		a.nnull++
		if a.nulls == nil {
			a.nulls = make([]bool, p.rows, p.rows+1024)
		}
		a.nulls = append(a.nulls, true)
		switch a.kind {
		case numeric:
			a.floats = append(a.floats, math.NaN())
		case nominal:
			a.codes = append(a.codes, table.Missing)
		case text:
			a.strs = append(a.strs, "")
		case date:
			a.times = append(a.times, 0)
		}
		return nil
	}
	if a.nulls != nil {
		a.nulls = append(a.nulls, false)
	}
	switch a.kind {
	case numeric:
		x, err := strconv.ParseFloat(v.s, 64)
		if err != nil || math.IsNaN(x) {
			return p.errorf(a.name, "%q is not a number", v.s)
		}
		a.floats = append(a.floats, x)
	case nominal:
		k, ok := a.index[v.s]
		if !ok {
			return p.errorf(a.name, "%q is not one of the declared values", v.s)
		}
		a.codes = append(a.codes, k)
	case text:
		a.strs = append(a.strs, v.s)
	case date:
		t, err := time.Parse(a.layout, v.s)
		if err != nil {
			return p.errorf(a.name, "%q is not a date in layout %q", v.s, a.layout)
		}
		a.times = append(a.times, t.UTC().UnixNano())
	}
	return nil
}

// table assembles the columns. A numeric attribute whose present values
// are all whole numbers of magnitude below 2^53 becomes an integer column.
func (p *parser) table() (*table.Table, error) {
	cols := make([]*table.Column, len(p.attrs))
	for j, a := range p.attrs {
		var c *table.Column
		switch a.kind {
		case numeric:
			c = numericColumn(a)
		case nominal:
			c = table.NewCategorical(a.name, slices.Clone(a.values), a.codes)
			c.Categories = slices.Clone(a.values)
		case text:
			c = table.NewText(a.name, a.strs, a.nulls)
		case date:
			c = table.NewDatetime(a.name, a.times, a.nulls)
			c.Layout = a.layout
		}
		cols[j] = c
	}
	t, err := table.New(cols...)
	if err != nil {
		return nil, &table.Error{Op: "read", File: p.name, Err: err}
	}
	return t, nil
}

func numericColumn(a *attribute) *table.Column {
	for _, x := range a.floats {
		if !math.IsNaN(x) && (x != math.Trunc(x) || math.Abs(x) >= 1<<53) {
			return table.NewFloat(a.name, a.floats)
		}
	}
	ints := make([]int64, len(a.floats))
	for i, x := range a.floats {
		if !math.IsNaN(x) {
			ints[i] = int64(x)
		}
	}
	return table.NewInteger(a.name, ints, a.nulls)
}
