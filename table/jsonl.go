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
		if t := bytes.TrimSpace(buf); len(t) > 0 {
			if err := a.jsonRow(t, line, &set); err != nil {
				return nil, err
			}
			lines = append(lines, int32(line))
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

// jsonRow adds the object in data (line line) as a row; set[j] records the
// rows in which column j was given a value.
func (a *assembler) jsonRow(data []byte, line int, set *[]int) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	bad := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return a.errorf(line, "", "invalid JSON: %s", jsonErr(err))
		}
		return a.errorf(line, "", "%w", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return bad(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return a.errorf(line, "", "not a JSON object")
	}
	row := a.rows + 1
	for dec.More() {
		tok, err = dec.Token()
		if err != nil {
			return bad(err)
		}
		key, ok := tok.(string)
		if !ok {
			return bad(fmt.Errorf("invalid JSON: object key is not a string"))
		}
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
		tok, err = dec.Token()
		if err != nil {
			return bad(err)
		}
		switch v := tok.(type) {
		case nil:
			a.b[j].addNull()
		case string:
			err = a.cell(j, v, true, line)
		case json.Number:
			err = a.cell(j, string(v), false, line)
		case bool:
			err = a.cell(j, strconv.FormatBool(v), true, line)
		case json.Delim:
			return a.errorf(line, key, "nested arrays and objects are not supported")
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return bad(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
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

// WriteJSONL writes t as JSON lines: one object per row, keys in column
// order, a missing value as null, integers and finite floats as JSON
// numbers (floats formatted by strconv 'g', -1), infinities as the strings
// "+Inf" and "-Inf", categories, text and datetimes (in the column's
// layout) as strings.
func WriteJSONL(w io.Writer, t *Table) error {
	bw := bufio.NewWriterSize(w, 1<<16)
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
		if len(buf) > 1<<15 {
			if _, err := bw.Write(buf); err != nil {
				return fmt.Errorf("write jsonl: %w", err)
			}
			buf = buf[:0]
		}
	}
	if _, err := bw.Write(buf); err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	if err := bw.Flush(); err != nil {
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
