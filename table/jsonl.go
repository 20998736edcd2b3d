package table

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ReadJSONL reads JSON lines (one flat object per line; blank lines are
// skipped) into a Table. The columns are the keys in order of first
// appearance; a key absent from a row, JSON null, or a string in the null
// values is missing. Numbers keep their text for inference; a JSON string
// never makes an inferred column numeric; true and false are categories.
// Nested arrays and objects are errors. An input without rows is an
// error, unless opts.Schema is set: then it is a table of no rows with the
// schema's columns. Errors name the input and the 1-based line.
func ReadJSONL(r io.Reader, opts ReadOptions) (*Table, error) {
	return readJSONL(r, opts, (*assembler).jsonRow)
}

// readJSONL is ReadJSONL with the parser of one line as a parameter.
func readJSONL(r io.Reader, opts ReadOptions, parse func(a *assembler, obj string, line int, set *[]int) error) (*Table, error) {
	a := newAssembler(opts, "jsonl")
	if err := a.start(); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 1<<16)
	var (
		lines []int32
		set   []int // row+1 at which column j was last set
		line  int
		long  []byte
	)
	for {
		buf, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], buf...)
			for errors.Is(err, bufio.ErrBufferFull) {
				buf, err = br.ReadSlice('\n')
				long = append(long, buf...)
			}
			buf = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, &Error{Op: "read", File: a.name, Err: err}
		}
		if len(buf) == 0 && err != nil {
			break
		}
		line++
		if t := bytes.Trim(buf, jsonSpace); len(t) > 0 {
			if err := parse(a, string(t), line, &set); err != nil {
				return nil, err
			}
			lines = append(lines, int32(line))
			if err := a.overCells(len(lines)); err != nil {
				return nil, err
			}
		}
		if err != nil {
			break
		}
	}
	if len(a.names) == 0 {
		if a.rows > 0 {
			return nil, &Error{Op: "read", File: a.name, Err: errors.New("no columns: every object is empty")}
		}
		if opts.Schema == nil || len(opts.Schema.Fields) == 0 {
			return nil, &Error{Op: "read", File: a.name, Err: ErrEmpty}
		}
		// No rows: the schema gives the columns.
		for _, f := range opts.Schema.Fields {
			if err := a.addColumn(f.Name, 0); err != nil {
				return nil, err
			}
		}
	}
	if err := a.checkSchema(); err != nil {
		return nil, err
	}
	a.lineOf = func(row int) int { return int(lines[row]) }
	return a.table()
}

// jsonSpace is JSON's insignificant whitespace.
const jsonSpace = " \t\r\n"

// jsonRow adds the flat JSON object obj (line line) as a row; set[j]
// records the row in which column j was last given a value. Strings
// without escapes are taken as substrings of obj; others are decoded by
// encoding/json, so the values are the ones it would give.
func (a *assembler) jsonRow(obj string, line int, set *[]int) error {
	bad := func(p int, what string) error {
		if p >= len(obj) {
			return a.errorf(line, "", "invalid JSON: unexpected end of line")
		}
		return a.errorf(line, "", "invalid JSON at byte %d: %s %q", p+1, what, obj[p])
	}
	p := 0
	if obj[0] != '{' {
		return a.errorf(line, "", "not a JSON object")
	}
	p = skipJSONSpace(obj, 1)
	row := a.rows + 1
	if p < len(obj) && obj[p] == '}' {
		p++
	} else {
		for {
			if p >= len(obj) || obj[p] != '"' {
				return bad(p, "want a string key, found")
			}
			key, end, err := jsonString(obj, p)
			if err != nil {
				return a.errorf(line, "", "invalid JSON at byte %d: %v", p+1, err)
			}
			p = skipJSONSpace(obj, end)
			if p >= len(obj) || obj[p] != ':' {
				return bad(p, "want ':', found")
			}
			p = skipJSONSpace(obj, p+1)
			j, ok := a.seen[key]
			if !ok {
				if err := a.addColumn(key, line); err != nil {
					return err
				}
				j = len(a.names) - 1
				*set = append(*set, 0)
			}
			if (*set)[j] == row {
				return a.errorf(line, key, "key appears twice in the object")
			}
			(*set)[j] = row
			if p >= len(obj) {
				return bad(p, "")
			}
			switch c := obj[p]; {
			case c == '"':
				v, end, err := jsonString(obj, p)
				if err != nil {
					return a.errorf(line, "", "invalid JSON at byte %d: %v", p+1, err)
				}
				if err := a.cell(j, v, true, line); err != nil {
					return err
				}
				p = end
			case c == '-' || c >= '0' && c <= '9':
				end := jsonNumber(obj, p)
				if end < 0 {
					return a.errorf(line, "", "invalid JSON at byte %d: malformed number", p+1)
				}
				if err := a.cell(j, obj[p:end], false, line); err != nil {
					return err
				}
				p = end
			case strings.HasPrefix(obj[p:], "true"):
				if err := a.cell(j, "true", true, line); err != nil {
					return err
				}
				p += 4
			case strings.HasPrefix(obj[p:], "false"):
				if err := a.cell(j, "false", true, line); err != nil {
					return err
				}
				p += 5
			case strings.HasPrefix(obj[p:], "null"):
				a.b[j].addNull()
				p += 4
			case c == '[' || c == '{':
				return a.errorf(line, key, "nested arrays and objects are not supported")
			default:
				return bad(p, "want a value, found")
			}
			p = skipJSONSpace(obj, p)
			if p < len(obj) && obj[p] == ',' {
				p = skipJSONSpace(obj, p+1)
				continue
			}
			if p < len(obj) && obj[p] == '}' {
				p++
				break
			}
			return bad(p, "want ',' or '}', found")
		}
	}
	if p = skipJSONSpace(obj, p); p < len(obj) {
		return a.errorf(line, "", "invalid JSON: data after the object")
	}
	for j, b := range a.b {
		if (*set)[j] != row {
			b.addNull()
		}
	}
	a.rows++
	return nil
}

func skipJSONSpace(s string, p int) int {
	for p < len(s) && (s[p] == ' ' || s[p] == '\t' || s[p] == '\r' || s[p] == '\n') {
		p++
	}
	return p
}

// jsonString decodes the JSON string starting at s[p] (a quote) and
// returns it and the index after its closing quote.
func jsonString(s string, p int) (string, int, error) {
	plain := true
	for i := p + 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			raw := s[p : i+1]
			if plain && utf8.ValidString(raw) {
				return s[p+1 : i], i + 1, nil
			}
			var out string
			if err := json.Unmarshal([]byte(raw), &out); err != nil {
				return "", 0, errors.New(strings.TrimPrefix(err.Error(), "json: "))
			}
			return out, i + 1, nil
		case c == '\\':
			plain = false
			i++
		case c < 0x20:
			return "", 0, fmt.Errorf("control character %q in string", c)
		}
	}
	return "", 0, errors.New("unterminated string")
}

// jsonNumber returns the end of the JSON number at s[p], or -1 when it is
// malformed.
func jsonNumber(s string, p int) int {
	digits := func(i int) int {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i
	}
	i := p
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digits(i)
	default:
		return -1
	}
	if i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

// WriteJSONL writes t as JSON lines: one object per row, keys in column
// order, a missing value as null, integers and finite floats as JSON
// numbers (floats formatted by strconv 'g', -1), infinities as the strings
// "+Inf" and "-Inf", categories, text and datetimes (in the column's
// layout) as strings.
func WriteJSONL(w io.Writer, t *Table) error {
	keys := make([][]byte, len(t.Cols))
	dicts := make([][][]byte, len(t.Cols))
	for j, c := range t.Cols {
		var k []byte
		if j == 0 {
			k = append(k, '{')
		} else {
			k = append(k, ',')
		}
		k = appendJSONString(k, c.Name)
		keys[j] = append(k, ':')
		if c.Kind == Categorical {
			dicts[j] = make([][]byte, len(c.Dict))
			for i, s := range c.Dict {
				dicts[j][i] = appendJSONString(nil, s)
			}
		}
	}
	var buf []byte
	n := t.NumRows()
	for i := 0; i < n; i++ {
		if len(t.Cols) == 0 {
			buf = append(buf, '{')
		}
		for j, c := range t.Cols {
			buf = append(buf, keys[j]...)
			if c.IsNull(i) {
				buf = append(buf, "null"...)
				continue
			}
			switch c.Kind {
			case Categorical:
				buf = append(buf, dicts[j][c.Codes[i]]...)
			case Integer:
				buf = strconv.AppendInt(buf, c.Ints[i], 10)
			case Float:
				v := c.Floats[i]
				switch {
				case math.IsInf(v, 1):
					buf = append(buf, `"+Inf"`...)
				case math.IsInf(v, -1):
					buf = append(buf, `"-Inf"`...)
				case math.IsNaN(v):
					buf = append(buf, "null"...)
				default:
					buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
				}
			case Datetime:
				buf = append(buf, '"')
				buf = time.Unix(0, c.Ints[i]).UTC().AppendFormat(buf, layoutOf(c))
				buf = append(buf, '"')
			case Text:
				buf = appendJSONString(buf, c.Strs[i])
			default:
				return fmt.Errorf("write jsonl: column %q: invalid kind %d", c.Name, c.Kind)
			}
		}
		buf = append(buf, '}', '\n')
		if len(buf) > 1<<16 {
			if _, err := w.Write(buf); err != nil {
				return fmt.Errorf("write jsonl: %w", err)
			}
			buf = buf[:0]
		}
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does; HTML characters are not escaped.
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
