package table

import (
	"encoding/binary"
	"math/bits"
)

// line adds the cells of line, a record without quotes (and without its
// line end), to the chunk's builders in one pass over its bytes; false
// means the record must be left to the serial reader (a wrong field count,
// a cell a schema field rejects).
//
// The common cells of an inferred column are read while the field is
// scanned: a canonical unsigned integer (at most 18 digits) in an integer
// column, and a category the builder's cache of recent categories holds.
// Every other cell, and every cell that could be a null value (its length
// is that of one), goes through cell, which does what the serial reader
// does.
func (c *csvChunk) line(a *assembler, line []byte) bool {
	n := len(line)
	last := len(c.b) - 1
	k := 0
	for j, b := range c.b {
		start := k
		done := false
		if !b.fixed {
			switch b.state {
			case Integer:
				var u int64
				for k < n {
					d := line[k] - '0'
					if d > 9 {
						break
					}
					u = u*10 + int64(d)
					k++
				}
				w := k - start
				if (k == n || line[k] == ',') && w > 0 && w <= 18 && (w == 1 || line[start] != '0') &&
					(!a.digitNull || !a.isNull(bytesString(line[start:k]))) {
					b.ints = append(b.ints, u)
					b.n++
					done = true
				}
			case Categorical:
				var pe *prefixCat
				if start+3 <= n && b.byPrefix != nil {
					// A category is guessed from its first three bytes,
					// then checked: the bytes and the comma after them.
					pe = &b.byPrefix[prefixSlot(line[start:])]
					if w := len(pe.s); w > 0 && start+w <= n && (start+w == n || line[start+w] == ',') && pe.is(line[start:], w) {
						b.codes = append(b.codes, pe.code)
						b.n++
						k = start + w
						done = true
						break
					}
				}
				k = comma(line, k)
				w := k - start
				s := bytesString(line[start:k])
				if w > 0 && w < 64 && (a.nullLens&(1<<w) == 0 || !a.nullFirst[s[0]] || !a.isNull(s)) && b.recent != nil {
					var code int32
					if e := &b.recent[recentSlot(s)]; e.s == s {
						code = e.code
					} else {
						code = b.intern(s)
					}
					b.codes = append(b.codes, code)
					b.n++
					done = true
					if pe != nil {
						// s holds no comma: a field without quotes.
						*pe = newPrefixCat(b.dict[code], code)
					} else if start+3 <= n {
						b.byPrefix = new([256]prefixCat)
					}
				}
			}
		}
		if !done {
			k = comma(line, k)
			if !c.cell(a, j, line[start:k]) {
				return false
			}
		}
		if j == last {
			return k == n // a comma here: more fields than columns
		}
		if k == n {
			return false // fewer fields than columns
		}
		k++
	}
	return false // no columns (a header has a field: not reached)
}

// prefixCat is an entry of a builder's byPrefix cache: a category, its
// code, and its first 16 bytes as two little-endian words with the masks
// that keep only its own bytes, so that most checks need no call.
type prefixCat struct {
	s      string
	code   int32
	w0, w1 uint64
	m0, m1 uint64
}

// newPrefixCat returns the byPrefix entry of category s with code code.
func newPrefixCat(s string, code int32) prefixCat {
	var buf [16]byte
	copy(buf[:], s)
	e := prefixCat{s: s, code: code, m0: ^uint64(0), m1: ^uint64(0)}
	if w := len(s); w < 8 {
		e.m0, e.m1 = 1<<(8*w)-1, 0
	} else if w < 16 {
		e.m1 = 1<<(8*(w-8)) - 1
	}
	e.w0 = binary.LittleEndian.Uint64(buf[:]) & e.m0
	e.w1 = binary.LittleEndian.Uint64(buf[8:]) & e.m1
	return e
}

// is reports whether f starts with e's category, whose length is w
// (len(f) >= w).
func (e *prefixCat) is(f []byte, w int) bool {
	if len(f) < 16 {
		return bytesString(f[:w]) == e.s
	}
	if binary.LittleEndian.Uint64(f)&e.m0 != e.w0 || binary.LittleEndian.Uint64(f[8:])&e.m1 != e.w1 {
		return false
	}
	return w <= 16 || bytesString(f[16:w]) == e.s[16:]
}

// prefixSlot returns the slot of a category in a builder's byPrefix
// cache, from its first three bytes.
func prefixSlot(f []byte) int {
	return (int(f[0])*7 + int(f[1])*31 + int(f[2])*131) & 255
}

// comma returns the position of the first comma in line at or after k, or
// len(line); it tests eight bytes at a time.
func comma(line []byte, k int) int {
	const ones, highs, commas = 0x0101010101010101, 0x8080808080808080, 0x2c2c2c2c2c2c2c2c
	for k+8 <= len(line) {
		x := binary.LittleEndian.Uint64(line[k:]) ^ commas
		// The lowest byte of x that is zero sets the lowest high bit.
		if t := (x - ones) &^ x & highs; t != 0 {
			return k + bits.TrailingZeros64(t)/8
		}
		k += 8
	}
	for k < len(line) && line[k] != ',' {
		k++
	}
	return k
}
