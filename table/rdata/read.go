package rdata

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ulikunitz/xz"

	"github.com/synthor/synthor/table"
)

// MaxSize bounds the decompressed size of an input, so that a small
// crafted file cannot expand without limit (1 GiB).
const MaxSize = 1 << 30

// maxSize is the limit in force: MaxSize, lowered by the fuzz test.
var maxSize = MaxSize

// MaxXZDict bounds the dictionary an xz input may ask for (256 MiB; R
// writes 64 MiB at its default level). The xz decoder allocates the
// dictionary a block header claims, so without a bound a small crafted
// file could make it allocate gigabytes.
const MaxXZDict = 256 << 20

// maxXZDict is the limit in force: MaxXZDict, lowered by the fuzz test.
var maxXZDict int64 = MaxXZDict

// Frame is one data frame of an R data file, by the name it was saved
// under (the file name for a .rds).
type Frame struct {
	Name  string
	Table *table.Table
}

// ErrNoFrame is returned (wrapped) by ReadFrame when the file holds no data
// frame of that name.
var ErrNoFrame = errors.New("no such data frame")

// Error is a problem with an R data input: File names it, Object the saved
// object (empty when not known), Column the column (empty when not known).
// Its text is one line.
type Error struct {
	File   string
	Object string
	Column string
	Err    error
}

func (e *Error) Error() string {
	s := "read " + e.File + ": "
	if e.Object != "" {
		s += "object " + e.Object + ": "
	}
	if e.Column != "" {
		s += fmt.Sprintf("column %q: ", e.Column)
	}
	return s + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ReadFile reads every data frame of an .rda, .RData or .rds file.
func ReadFile(path string) ([]Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// ReadFrame reads the data frame saved under object from an R data file;
// an empty object takes the first data frame.
func ReadFrame(path, object string) (*table.Table, error) {
	frames, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	for _, f := range frames {
		if object == "" || f.Name == object {
			return f.Table, nil
		}
	}
	return nil, &Error{File: path, Object: object, Err: ErrNoFrame}
}

// Read decodes R data from r: an .rda/.RData workspace ("RDX2"/"RDX3"
// then a serialized pairlist of named objects) or an .rds (one serialized
// object), either uncompressed or compressed with gzip, bzip2 or xz
// (detected from the magic bytes). It returns the data frames among the
// saved objects, in file order; other objects are skipped. name is used in
// errors.
func Read(r io.Reader, name string) ([]Frame, error) {
	data, err := decompress(r)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	workspace := false
	if len(data) >= 5 && (string(data[:5]) == "RDX2\n" || string(data[:5]) == "RDX3\n") {
		data, workspace = data[5:], true
	} else if len(data) >= 4 && string(data[:3]) == "RDA" {
		return nil, &Error{File: name, Err: errors.New("only XDR workspaces (RDX2, RDX3) are supported")}
	}
	d := &decoder{b: data}
	if err := d.header(); err != nil {
		return nil, &Error{File: name, Err: err}
	}
	top, err := d.item()
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	var objs []tagged
	switch {
	case workspace:
		if top == nil {
			return nil, nil
		}
		if top.typ != listSXP {
			return nil, &Error{File: name, Err: errors.New("workspace is not a list of named objects")}
		}
		for i := range top.items {
			objs = append(objs, tagged{name: top.tags[i], val: top.items[i]})
		}
	default:
		objs = []tagged{{name: name, val: top}}
	}
	var out []Frame
	for _, o := range objs {
		if o.val == nil || o.val.typ != vecSXP || !o.val.hasClass("data.frame") {
			continue
		}
		t, col, err := frameTable(o.val)
		if err != nil {
			return nil, &Error{File: name, Object: o.name, Column: col, Err: err}
		}
		out = append(out, Frame{Name: o.name, Table: t})
	}
	return out, nil
}

// decompress reads all of r, undoing gzip, bzip2 or xz compression when
// the magic bytes say so, up to maxSize bytes.
func decompress(r io.Reader) ([]byte, error) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(64)
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		src = zr
	case bytes.HasPrefix(magic, []byte("BZh")):
		src = bzip2.NewReader(br)
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		if d, ok := xzDict(magic); ok && d > maxXZDict {
			return nil, fmt.Errorf("xz: dictionary of %d bytes exceeds the %d this reader allows", d, maxXZDict)
		}
		zr, err := xz.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("xz: %w", err)
		}
		src = zr
	}
	data, err := io.ReadAll(io.LimitReader(src, int64(maxSize)+1))
	if err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	if len(data) > maxSize {
		return nil, fmt.Errorf("decompressed data exceeds %d bytes", maxSize)
	}
	if len(data) == 0 {
		return nil, table.ErrEmpty
	}
	return data, nil
}

// xzDict returns the LZMA2 dictionary size that the first block header of
// an xz stream declares (xz file format 1.1.0, §3.1 and §5.3.1): after the
// 12-byte stream header, a block header of size byte, flags, optional
// compressed and uncompressed sizes (varints), then filter flags: filter
// ID 0x21 (LZMA2), properties size 1, and the dictionary byte d, which
// means 4 GiB - 1 for d = 40 and (2 | d&1) << (d/2 + 11) below.
func xzDict(b []byte) (int64, bool) {
	p := 12
	if len(b) < p+2 {
		return 0, false
	}
	flags := b[p+1]
	p += 2
	varint := func() (uint64, bool) {
		var v uint64
		for i := 0; i < 9 && p < len(b); i++ {
			c := b[p]
			p++
			v |= uint64(c&0x7f) << (7 * i)
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	for _, bit := range []byte{0x40, 0x80} {
		if flags&bit != 0 {
			if _, ok := varint(); !ok {
				return 0, false
			}
		}
	}
	for range int(flags&0x03) + 1 { // filters; LZMA2 is the last
		id, ok := varint()
		if !ok {
			return 0, false
		}
		n, ok := varint()
		if !ok || n > 64 || p+int(n) > len(b) {
			return 0, false
		}
		if id == 0x21 && n == 1 {
			d := b[p]
			switch {
			case d > 40:
				return 0, false
			case d == 40:
				return 1<<32 - 1, true
			}
			return int64(2|d&1) << (d/2 + 11), true
		}
		p += int(n)
	}
	return 0, false
}
