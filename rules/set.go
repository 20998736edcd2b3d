package rules

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"
)

// Def is one named definition of a rule file: a plausibility rule or a
// query.
//
// A rule holds when its condition is false or its expression is true
// ("when C then E", "E when C", or just "E"). A rule that calls an
// aggregate (count, sum, ...) outside any other is a group rule, checked
// once per group with bare columns read from the group's first row;
// otherwise it is a record rule, checked once per row.
//
// A query is evaluated once over the whole table for a number: its bare
// columns must sit inside aggregates, which run over the table's groups
// (grouped table) or rows.
type Def struct {
	// Name is the definition's key ("preschool").
	Name string
	// Label is the optional bracketed word after the name: a query's
	// category ("Equity"); for a rule, "group" or "household" makes it a
	// group rule even without an aggregate (read from each group's first
	// row, checked once per group).
	Label string
	// Doc is the comment block directly above the definition, without
	// the leading "#".
	Doc string
	// Text is the expression as written, continuation lines joined by
	// newlines.
	Text string
	// File and Line locate the definition (Line is 1-based; File may be
	// empty for a definition parsed from a string).
	File string
	Line int
	// Group reports whether the definition aggregates over members (a
	// group rule); see Def.
	Group bool
	// Columns are the columns the definition reads, in order of first use.
	Columns []string

	expr, cond node
	textCol    int // file column of Text's first byte
}

// Set is the definitions of one file, in file order.
type Set struct {
	File string
	Defs []*Def
}

// ParseError is an error in a definition's text: it names the file, the
// definition, the line and column of the offending character and, when
// the error is about one, the table column.
type ParseError struct {
	File, Def string
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Col)
	} else {
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Col)
	}
	if e.Def != "" {
		fmt.Fprintf(&b, "rule %q: ", e.Def)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// posToLineCol maps a byte offset of a definition's text to a file line
// and column (1-based, in bytes). Continuation lines keep their leading
// spaces in Text, so columns match the file.
func (d *Def) posToLineCol(pos int) (int, int) {
	line, col := d.Line, d.textCol
	for i := 0; i < pos && i < len(d.Text); i++ {
		if d.Text[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// errAt wraps an error at a byte offset of the definition's text.
func (d *Def) wrap(err error) error {
	var pe *posError
	if !errors.As(err, &pe) {
		return err
	}
	line, col := d.posToLineCol(pe.pos)
	return &ParseError{File: d.File, Def: d.Name, Line: line, Col: col, Msg: pe.msg}
}

// Parse reads a rule or query file. Each definition is
//
//	name [label]: expression
//
// where [label] is optional; lines that start with white space continue the
// previous definition; "#" starts a comment line, and the comment lines
// right above a definition are its Doc. Names are letters, digits, "_", "-"
// and ".", unique within the file. file names the source in errors.
func Parse(file, src string) (*Set, error) {
	s := &Set{File: file}
	var doc []string
	var cur *Def
	seen := map[string]bool{}
	finish := func() error {
		if cur == nil {
			return nil
		}
		d := cur
		cur = nil
		if err := d.parse(); err != nil {
			return err
		}
		s.Defs = append(s.Defs, d)
		return nil
	}
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimRight(line, "\r")
		trim := strings.TrimSpace(line)
		switch {
		case trim == "":
			if err := finish(); err != nil {
				return nil, err
			}
			doc = nil
		case strings.HasPrefix(trim, "#"):
			if err := finish(); err != nil {
				return nil, err
			}
			doc = append(doc, strings.TrimSpace(strings.TrimPrefix(trim, "#")))
		case line[0] == ' ' || line[0] == '\t':
			if cur == nil {
				return nil, &ParseError{File: file, Line: n + 1, Col: 1, Msg: "indented line continues no definition"}
			}
			cur.Text += "\n" + line
		default:
			if err := finish(); err != nil {
				return nil, err
			}
			d, err := header(file, n+1, line)
			if err != nil {
				return nil, err
			}
			if seen[d.Name] {
				return nil, &ParseError{File: file, Def: d.Name, Line: n + 1, Col: 1, Msg: "defined twice"}
			}
			seen[d.Name] = true
			d.Doc = strings.Join(doc, " ")
			doc = nil
			cur = d
		}
	}
	if err := finish(); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseFile reads and parses a rule or query file.
func ParseFile(path string) (*Set, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(b))
}

// ParseDef parses one expression as a definition named name (in errors
// and reports).
func ParseDef(name, text string) (*Def, error) {
	d := &Def{Name: name, Text: text, Line: 1, textCol: 1}
	if err := d.parse(); err != nil {
		return nil, err
	}
	return d, nil
}

// header splits "name [label]: text".
func header(file string, line int, s string) (*Def, error) {
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return nil, &ParseError{File: file, Line: line, Col: 1, Msg: `expected "name: expression"`}
	}
	head := strings.TrimSpace(s[:colon])
	d := &Def{File: file, Line: line, textCol: colon + 2}
	if i := strings.IndexByte(head, '['); i >= 0 {
		if !strings.HasSuffix(head, "]") {
			return nil, &ParseError{File: file, Line: line, Col: i + 1, Msg: `label: expected "[word]"`}
		}
		d.Label = strings.TrimSpace(head[i+1 : len(head)-1])
		head = strings.TrimSpace(head[:i])
	}
	d.Name = head
	if head == "" || strings.IndexFunc(head, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.')
	}) >= 0 {
		return nil, &ParseError{File: file, Line: line, Col: 1, Msg: fmt.Sprintf("bad name %q (letters, digits, _ - .)", head)}
	}
	d.Text = s[colon+1:]
	return d, nil
}

// parse parses d.Text into its trees.
func (d *Def) parse() error {
	if strings.TrimSpace(d.Text) == "" {
		return d.wrap(errAt(0, "empty expression"))
	}
	expr, cond, err := parseTop(d.Text)
	if err != nil {
		return d.wrap(err)
	}
	d.expr, d.cond = expr, cond
	d.Group = hasAggregate(expr) || cond != nil && hasAggregate(cond) || d.Label == "group" || d.Label == "household"
	d.Columns = columns(expr, nil)
	if cond != nil {
		d.Columns = columns(cond, d.Columns)
	}
	return nil
}

// Lookup returns the named definition, or nil.
func (s *Set) Lookup(name string) *Def {
	for _, d := range s.Defs {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// String returns the definition as it would be written in a file, on one
// line.
func (d *Def) String() string {
	head := d.Name
	if d.Label != "" {
		head += " [" + d.Label + "]"
	}
	return head + ": " + d.Source()
}

// Source returns the expression with runs of white space collapsed.
func (d *Def) Source() string { return strings.Join(strings.Fields(d.Text), " ") }
