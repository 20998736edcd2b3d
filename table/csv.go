package table

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ReadCSV reads a CSV file (RFC 4180 as encoding/csv reads it:
// comma-separated, first line the header, a leading UTF-8 byte order mark
// ignored, blank lines skipped, CR LF read as LF, also inside quoted cells)
// into a Table. Columns named by opts.Schema take its kinds; the others
// are inferred by the rules in the package documentation. Errors name the
// input (opts.Name), the 1-based line (the header is line 1) and the
// column.
func ReadCSV(r io.Reader, opts ReadOptions) (*Table, error) {
	a := newAssembler(opts, "csv")
	br := bufio.NewReaderSize(r, 1<<16)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{Op: "read", File: a.name, Err: ErrEmpty}
		}
		return nil, a.csvError(err)
	}
	names := make([]string, len(rec))
	for i, s := range rec {
		names[i] = strings.Clone(s)
	}
	line, _ := cr.FieldPos(0)
	if err := a.header(names, line); err != nil {
		return nil, err
	}
	var lines []int32 // line of each row
	for {
		rec, err = cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, a.csvError(err)
		}
		line, _ = cr.FieldPos(0)
		if len(rec) != len(names) {
			return nil, a.errorf(line, "", "%s, header has %d", plural(len(rec), "field"), len(names))
		}
		for j, s := range rec {
			if err := a.cell(j, s, false, line); err != nil {
				return nil, err
			}
		}
		lines = append(lines, int32(line))
		if err := a.overCells(len(lines)); err != nil {
			return nil, err
		}
	}
	a.lineOf = func(row int) int { return int(lines[row]) }
	return a.table()
}

// csvError turns an encoding/csv error into one line naming the line.
func (a *assembler) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return a.errorf(pe.Line, "", "%w", pe.Err)
	}
	return &Error{Op: "read", File: a.name, Err: err}
}

// WriteCSV writes t as CSV: a header line, then one line per row, "\n"
// line endings, a missing value as an empty cell, numbers as
// strconv.FormatInt and strconv.FormatFloat(v, 'g', -1, 64) write them,
// datetimes in the column's layout. A cell is quoted only when it holds a
// comma, a double quote, a carriage return or a line feed (RFC 4180), or
// when it is the empty cell of a one-column table (an empty line would be
// skipped on reading). A value that equals a null value ("NA", say) is
// written as is and reads back as missing unless ReadOptions.NullValues
// leaves it out.
func WriteCSV(w io.Writer, t *Table) error {
	var buf []byte
	for j, c := range t.Cols {
		if j > 0 {
			buf = append(buf, ',')
		}
		if j == 0 && strings.HasPrefix(c.Name, "\ufeff") {
			// Quoted, so that a reader does not take it for a byte order mark.
			buf = append(buf, '"')
			buf = append(buf, strings.ReplaceAll(c.Name, `"`, `""`)...)
			buf = append(buf, '"')
			continue
		}
		buf = appendCSVField(buf, c.Name)
	}
	buf = append(buf, '\n')
	// Categorical dictionaries are quoted once.
	dicts := make([][][]byte, len(t.Cols))
	for j, c := range t.Cols {
		if c.Kind == Categorical {
			dicts[j] = make([][]byte, len(c.Dict))
			for k, s := range c.Dict {
				dicts[j][k] = appendCSVField(nil, s)
			}
		}
	}
	single := len(t.Cols) == 1
	n := t.NumRows()
	for i := 0; i < n; i++ {
		for j, c := range t.Cols {
			if j > 0 {
				buf = append(buf, ',')
			}
			if c.IsNull(i) {
				if single {
					buf = append(buf, '"', '"')
				}
				continue
			}
			switch c.Kind {
			case Categorical:
				buf = append(buf, dicts[j][c.Codes[i]]...)
			case Integer:
				buf = strconv.AppendInt(buf, c.Ints[i], 10)
			case Float:
				buf = strconv.AppendFloat(buf, c.Floats[i], 'g', -1, 64)
			case Datetime:
				buf = time.Unix(0, c.Ints[i]).UTC().AppendFormat(buf, layoutOf(c))
			case Text:
				buf = appendCSVField(buf, c.Strs[i])
			default:
				return fmt.Errorf("write csv: column %q: invalid kind %d", c.Name, c.Kind)
			}
		}
		buf = append(buf, '\n')
		if len(buf) > 1<<16 {
			if _, err := w.Write(buf); err != nil {
				return fmt.Errorf("write csv: %w", err)
			}
			buf = buf[:0]
		}
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// layoutOf returns the layout a datetime column is written in.
func layoutOf(c *Column) string {
	if c.Layout == "" {
		return time.RFC3339Nano
	}
	return c.Layout
}

// appendCSVField appends s, quoted when it holds a comma, quote, CR or LF.
func appendCSVField(buf []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(buf, s...)
	}
	buf = append(buf, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		buf = append(buf, s[:i+1]...)
		buf = append(buf, '"')
		s = s[i+1:]
	}
	buf = append(buf, s...)
	return append(buf, '"')
}

// plural returns "1 field", "2 fields".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
