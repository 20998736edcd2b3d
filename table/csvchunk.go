package table

import (
	"bytes"
	"unsafe"
)

// csvChunk is one piece of CSV input cut at a line end, parsed into its
// own column builders by a worker of the parallel reader (csvpar.go).
//
// The chunk parser reads the records encoding/csv reads (the serial
// reader is the reference): fields separated by commas, a field that
// starts with a double quote is quoted ("" inside is one quote, and it may
// span lines), CR LF is read as LF, a CR before the end of the input is
// dropped, blank lines are skipped. Whatever encoding/csv would report as
// an error (a bare quote, text after a closing quote, an unterminated
// quote), a record whose field count differs from the header's, and a
// cell a schema field rejects make the chunk bail: the parallel reader
// then leaves the whole input to the serial reader, which reports the
// error with its file, line and column.
type csvChunk struct {
	data []byte // the chunk's bytes, owned by the chunk
	buf  []byte // the storage of data, to recycle
	eof  bool   // the chunk ends the input
	seq  int    // position in the input, from 0

	b    []*builder // one per column
	rows int
	// tail is the offset in data of a record that the end of data cuts
	// (a quoted field holding a line end), or -1. The next chunk was cut
	// inside that record, so it is parsed again after this tail.
	tail int
	bail bool
	err  error // reading the input failed before this chunk

	ready chan struct{} // closed when a worker has parsed the chunk
}

// csvParser parses records from byte slices without allocating per field:
// fields are sub-slices of the input, or of buf for quoted fields that
// need unescaping.
type csvParser struct {
	fields [][]byte
	buf    []byte
}

// recordStatus is the outcome of parsing one record.
type recordStatus uint8

const (
	recOK         recordStatus = iota
	recIncomplete              // data ends inside the record, and more input follows
	recBad                     // encoding/csv would report an error
)

// csvStop marks the bytes that end an unquoted field or make it an error.
var csvStop = [256]bool{',': true, '\n': true, '"': true}

// skipBlank returns the position of the next record at or after pos,
// skipping blank lines ("\n", "\r\n", and a lone "\r" that ends the
// input).
func skipBlank(data []byte, pos int, eof bool) int {
	for pos < len(data) {
		switch data[pos] {
		case '\n':
			pos++
			continue
		case '\r':
			if pos+1 < len(data) && data[pos+1] == '\n' {
				pos += 2
				continue
			}
			if pos+1 == len(data) && eof {
				return len(data)
			}
		}
		return pos
	}
	return pos
}

// record parses the record starting at data[pos] (not a blank line) into
// p.fields and returns the position after it.
func (p *csvParser) record(data []byte, pos int, eof bool) (int, recordStatus) {
	p.fields = p.fields[:0]
	p.buf = p.buf[:0]
	n := len(data)
	for {
		if pos < n && data[pos] == '"' {
			end, st := p.quoted(data, pos+1, eof)
			if st != recOK {
				return 0, st
			}
			// After the closing quote: a comma, or the end of the line.
			switch {
			case end == n:
				if !eof {
					return 0, recIncomplete
				}
				return n, recOK
			case data[end] == ',':
				pos = end + 1
				continue
			case data[end] == '\n':
				return end + 1, recOK
			case data[end] == '\r' && end+1 < n && data[end+1] == '\n':
				return end + 2, recOK
			case data[end] == '\r' && end+1 == n && eof:
				return n, recOK
			}
			return 0, recBad
		}
		j := pos
		for j < n && !csvStop[data[j]] {
			j++
		}
		if j == n {
			if !eof {
				return 0, recIncomplete
			}
			f := data[pos:n]
			if len(f) > 0 && f[len(f)-1] == '\r' {
				f = f[:len(f)-1]
			}
			p.fields = append(p.fields, f)
			return n, recOK
		}
		switch data[j] {
		case ',':
			p.fields = append(p.fields, data[pos:j])
			pos = j + 1
		case '\n':
			f := data[pos:j]
			if len(f) > 0 && f[len(f)-1] == '\r' {
				f = f[:len(f)-1]
			}
			p.fields = append(p.fields, f)
			return j + 1, recOK
		default: // a quote inside an unquoted field
			return 0, recBad
		}
	}
}

// quoted parses a quoted field whose text starts at data[pos] (after the
// opening quote), appends it to p.fields and returns the position after
// the closing quote.
func (p *csvParser) quoted(data []byte, pos int, eof bool) (int, recordStatus) {
	start := len(p.buf)
	for {
		i := bytes.IndexByte(data[pos:], '"')
		if i < 0 {
			if eof {
				return 0, recBad // unterminated quoted field
			}
			return 0, recIncomplete
		}
		p.appendCRLF(data[pos : pos+i])
		q := pos + i
		if q+1 < len(data) && data[q+1] == '"' {
			p.buf = append(p.buf, '"')
			pos = q + 2
			continue
		}
		p.fields = append(p.fields, p.buf[start:len(p.buf):len(p.buf)])
		return q + 1, recOK
	}
}

// appendCRLF appends s to p.buf, reading CR LF as LF.
func (p *csvParser) appendCRLF(s []byte) {
	for {
		i := bytes.IndexByte(s, '\r')
		if i < 0 || i+1 == len(s) {
			p.buf = append(p.buf, s...)
			return
		}
		if s[i+1] == '\n' {
			p.buf = append(p.buf, s[:i]...)
			s = s[i+1:]
			continue
		}
		p.buf = append(p.buf, s[:i+1]...)
		s = s[i+1:]
	}
}

// bytesString views b as a string without copying; the builders copy
// what they keep.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// parseChunk parses c.data into builders for the columns of a, reusing
// the storage of old (builders of an earlier chunk, or nil).
func parseChunk(a *assembler, c *csvChunk, p *csvParser, old []*builder) {
	c.b = make([]*builder, len(a.names))
	for j, name := range a.names {
		var f *Field
		if a.opts.Schema != nil {
			f = a.opts.Schema.Field(name)
		}
		if old != nil {
			c.b[j] = old[j].recycle(name, f)
		} else {
			c.b[j] = newBuilder(name, f, 0)
		}
	}
	c.tail = -1
	ncols := len(a.names)
	data := c.data
	pos := 0
	for {
		pos = skipBlank(data, pos, c.eof)
		if pos >= len(data) {
			return
		}
		// The common case: a line without quotes is one record whose
		// fields lie between its commas.
		end := len(data)
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			end = pos + i
		}
		if line := data[pos:end]; (end < len(data) || c.eof) && bytes.IndexByte(line, '"') < 0 {
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1] // CR LF, or a CR ending the input
			}
			if !c.line(a, line) {
				c.bail = true
				return
			}
			c.rows++
			pos = end + 1
			continue
		}
		next, st := p.record(data, pos, c.eof)
		switch st {
		case recIncomplete:
			c.tail = pos
			return
		case recBad:
			c.bail = true
			return
		}
		if len(p.fields) != ncols {
			c.bail = true
			return
		}
		for j, f := range p.fields {
			if !c.cell(a, j, f) {
				c.bail = true
				return
			}
		}
		c.rows++
		pos = next
	}
}

// cell adds field f to column j; false means the serial reader must
// report it.
func (c *csvChunk) cell(a *assembler, j int, f []byte) bool {
	s := bytesString(f)
	b := c.b[j]
	if a.isNull(s) {
		b.addNull()
		return true
	}
	// The common cases of add, without its dispatch.
	if !b.fixed {
		switch b.state {
		case Integer:
			if v, canon, ok := parseInt(s); ok && canon {
				b.ints = append(b.ints, v)
				b.n++
				return true
			}
		case Categorical:
			b.codes = append(b.codes, b.intern(s))
			b.n++
			return true
		}
	}
	return b.add(s, false) == nil
}
