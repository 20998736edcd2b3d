package table

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// parquetKind says how the values of one Parquet leaf column become cell
// text for the column builders.
type parquetKind uint8

const (
	pqBool parquetKind = iota
	pqInt
	pqUint
	pqFloat
	pqString
	pqDate      // int32 days since the Unix epoch
	pqTimestamp // int64 in unit
	pqInt96     // legacy timestamp: nanoseconds of the day + Julian day
	pqDecimal   // unscaled integer / 10^scale
)

type parquetColumn struct {
	kind   parquetKind
	unit   time.Duration // pqTimestamp
	scale  int32         // pqDecimal
	layout string        // datetime text layout; "" means RFC 3339 (dates: 2006-01-02)
}

// ReadParquet reads a flat Parquet file of size bytes into a Table. Leaf
// columns of the common physical types are read: booleans as the
// categories "true" and "false", int32 and int64 as integers (DATE and
// TIMESTAMP annotations, and legacy int96, as datetimes), float and double
// as floats (NaN as missing), byte arrays as strings inferred as for JSON
// lines (never numeric unless a schema says so), decimals as floats;
// optional columns are nullable. Nested, repeated and other columns are
// errors naming the column. opts.Schema overrides kinds as for CSV.
//
// Before decoding, the footer and every page header are checked against
// the file's size (no page may claim more than its chunk holds, or more
// than 256 MiB uncompressed), so a corrupt file fails with an error instead
// of an allocation of what it claims. Row counts are trusted: run-length
// encoding lets a small valid file hold many rows; opts.MaxCells bounds
// them (rows × columns, from the footer, before any is read).
func ReadParquet(r io.ReaderAt, size int64, opts ReadOptions) (t *Table, err error) {
	a := newAssembler(opts, "parquet")
	if size == 0 {
		return nil, &Error{Op: "read", File: a.name, Err: ErrEmpty}
	}
	defer func() {
		// parquet-go may panic on corrupt input; report it as an error.
		if p := recover(); p != nil {
			t, err = nil, &Error{Op: "read", File: a.name, Err: fmt.Errorf("corrupt parquet file: %v", p)}
		}
	}()
	if err := checkParquetFrame(r, size); err != nil {
		return nil, &Error{Op: "read", File: a.name, Err: fmt.Errorf("not a parquet file: %w", err)}
	}
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return nil, &Error{Op: "read", File: a.name, Err: fmt.Errorf("not a parquet file: %w", err)}
	}
	if err := checkParquetPages(r, size, f.Metadata()); err != nil {
		return nil, &Error{Op: "read", File: a.name, Err: fmt.Errorf("corrupt parquet file: %w", err)}
	}
	fields := f.Schema().Fields()
	if err := a.overCells64(f.NumRows(), len(fields)); err != nil {
		return nil, err
	}
	cols := make([]parquetColumn, len(fields))
	names := make([]string, len(fields))
	for i, fd := range fields {
		names[i] = fd.Name()
		pc, err := parquetColumnOf(fd)
		if err != nil {
			return nil, &Error{Op: "read", File: a.name, Column: fd.Name(), Err: err}
		}
		cols[i] = pc
	}
	if len(f.Schema().Columns()) != len(fields) {
		return nil, &Error{Op: "read", File: a.name, Err: errors.New("nested columns are not supported")}
	}
	if opts.Schema == nil {
		if js, ok := f.Lookup(parquetSchemaKey); ok {
			// Written by WriteParquet: its schema gives the kinds back, and
			// its nulls are the only missing values.
			s, err := loadSchema([]byte(js), a.name+" (stored schema)")
			if err != nil {
				return nil, &Error{Op: "read", File: a.name, Err: fmt.Errorf("stored schema: %w", err)}
			}
			a.opts.Schema = s
			a.explicitNulls = true
		}
	}
	if err := a.header(names, 0); err != nil {
		return nil, err
	}
	for j, b := range a.b {
		if b.fixed && b.field.Kind == Datetime && !b.autoTime {
			cols[j].layout = b.layout // a schema's layout parses the text
		}
	}
	rows := make([]parquet.Row, 512)
	var scratch []byte
	for _, rg := range f.RowGroups() {
		rr := rg.Rows()
		for {
			n, rerr := rr.ReadRows(rows)
			for _, row := range rows[:n] {
				if len(row) != len(cols) {
					_ = rr.Close()
					return nil, &Error{Op: "read", File: a.name, Err: fmt.Errorf("row %d has %d values, want %d", a.rows+1, len(row), len(cols))}
				}
				for _, v := range row {
					j := v.Column()
					if j < 0 || j >= len(cols) {
						_ = rr.Close()
						return nil, &Error{Op: "read", File: a.name, Err: fmt.Errorf("row %d: value for column %d of %d", a.rows+1, j+1, len(cols))}
					}
					if v.IsNull() {
						a.b[j].addNull()
						continue
					}
					var s string
					var str bool
					s, str, scratch = cols[j].text(v, scratch)
					if s == "" && !str {
						a.b[j].addNull() // NaN
						continue
					}
					if err := a.cell(j, s, str, 0); err != nil {
						_ = rr.Close()
						var pe *Error
						if errors.As(err, &pe) {
							pe.Err = fmt.Errorf("row %d: %w", a.rows+1, pe.Err)
						}
						return nil, err
					}
				}
				a.rows++
			}
			if rerr != nil {
				_ = rr.Close()
				if errors.Is(rerr, io.EOF) {
					break
				}
				return nil, &Error{Op: "read", File: a.name, Err: rerr}
			}
		}
	}
	a.lineOf = func(int) int { return 0 }
	return a.table()
}

// parquetColumnOf classifies a top-level field.
func parquetColumnOf(fd parquet.Field) (parquetColumn, error) {
	if !fd.Leaf() {
		return parquetColumn{}, errors.New("nested columns are not supported")
	}
	if fd.Repeated() {
		return parquetColumn{}, errors.New("repeated columns are not supported")
	}
	typ := fd.Type()
	lt := typ.LogicalType()
	var ltv format.LogicalTypeValue
	if lt != nil {
		ltv = lt.Value
	}
	var ct deprecated.ConvertedType = -1
	if p := typ.ConvertedType(); p != nil {
		ct = *p
	}
	switch typ.Kind() {
	case parquet.Boolean:
		return parquetColumn{kind: pqBool}, nil
	case parquet.Int32, parquet.Int64:
		switch v := ltv.(type) {
		case *format.DateType:
			return parquetColumn{kind: pqDate}, nil
		case *format.TimestampType:
			if v.Unit.Value == nil {
				return parquetColumn{}, errors.New("timestamp without a unit")
			}
			return parquetColumn{kind: pqTimestamp, unit: v.Unit.Value.Duration()}, nil
		case *format.DecimalType:
			return parquetColumn{kind: pqDecimal, scale: v.Scale}, nil
		case *format.IntType:
			if !v.IsSigned && v.BitWidth == 64 {
				return parquetColumn{kind: pqUint}, nil
			}
		}
		switch ct {
		case deprecated.Date:
			return parquetColumn{kind: pqDate}, nil
		case deprecated.TimestampMillis:
			return parquetColumn{kind: pqTimestamp, unit: time.Millisecond}, nil
		case deprecated.TimestampMicros:
			return parquetColumn{kind: pqTimestamp, unit: time.Microsecond}, nil
		}
		return parquetColumn{kind: pqInt}, nil
	case parquet.Int96:
		return parquetColumn{kind: pqInt96}, nil
	case parquet.Float, parquet.Double:
		return parquetColumn{kind: pqFloat}, nil
	case parquet.ByteArray, parquet.FixedLenByteArray:
		if v, ok := ltv.(*format.DecimalType); ok {
			return parquetColumn{kind: pqDecimal, scale: v.Scale}, nil
		}
		if typ.Kind() == parquet.FixedLenByteArray {
			return parquetColumn{}, fmt.Errorf("unsupported parquet type %s", typ)
		}
		return parquetColumn{kind: pqString}, nil
	}
	return parquetColumn{}, fmt.Errorf("unsupported parquet type %s", typ)
}

// text returns the cell text of non-null value v and whether it is a
// string (never inferred numeric); "" with str false marks a float NaN.
func (pc parquetColumn) text(v parquet.Value, scratch []byte) (string, bool, []byte) {
	scratch = scratch[:0]
	switch pc.kind {
	case pqBool:
		return strconv.FormatBool(v.Boolean()), true, scratch
	case pqInt:
		scratch = strconv.AppendInt(scratch, v.Int64(), 10)
	case pqUint:
		scratch = strconv.AppendUint(scratch, v.Uint64(), 10)
	case pqFloat:
		x := v.Double()
		if v.Kind() == parquet.Float {
			x = float64(v.Float())
		}
		if math.IsNaN(x) {
			return "", false, scratch
		}
		scratch = strconv.AppendFloat(scratch, x, 'g', -1, 64)
	case pqString:
		return string(v.ByteArray()), true, scratch
	case pqDate:
		d := time.Unix(v.Int64()*86400, 0).UTC()
		if pc.layout != "" {
			return d.Format(pc.layout), true, scratch
		}
		return d.Format(dateLayout), true, scratch
	case pqTimestamp:
		n := v.Int64()
		var ts time.Time
		switch pc.unit {
		case time.Millisecond:
			ts = time.UnixMilli(n)
		case time.Microsecond:
			ts = time.UnixMicro(n)
		default:
			ts = time.Unix(0, n)
		}
		return ts.UTC().Format(pc.timeLayout()), true, scratch
	case pqInt96:
		x := v.Int96()
		nanos := int64(uint64(x[1])<<32 | uint64(x[0]))
		day := int64(x[2]) - 2440588 // Julian day of 1970-01-01
		ts := time.Unix(day*86400, nanos).UTC()
		return ts.Format(pc.timeLayout()), true, scratch
	case pqDecimal:
		var unscaled big.Int
		switch v.Kind() {
		case parquet.Int32, parquet.Int64:
			unscaled.SetInt64(v.Int64())
		default:
			b := v.ByteArray()
			unscaled.SetBytes(b)
			if len(b) > 0 && b[0]&0x80 != 0 { // two's complement
				unscaled.Sub(&unscaled, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
			}
		}
		r := new(big.Rat).SetFrac(&unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(pc.scale)), nil))
		x, _ := r.Float64()
		scratch = strconv.AppendFloat(scratch, x, 'g', -1, 64)
	}
	return string(scratch), false, scratch
}

// timeLayout returns the layout timestamps are given to the builders in.
func (pc parquetColumn) timeLayout() string {
	if pc.layout != "" {
		return pc.layout
	}
	return time.RFC3339Nano
}

// checkParquetFrame checks the magic bytes at both ends of a Parquet file
// and that the footer length fits in the file, before parquet-go
// allocates a buffer of that length.
func checkParquetFrame(r io.ReaderAt, size int64) error {
	if size < 12 {
		return fmt.Errorf("%d bytes is too short", size)
	}
	var head [4]byte
	var tail [8]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return err
	}
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	if string(head[:]) != "PAR1" || string(tail[4:]) != "PAR1" {
		return errors.New("missing PAR1 magic bytes")
	}
	footer := int64(binary.LittleEndian.Uint32(tail[:4]))
	if footer > size-12 {
		return fmt.Errorf("footer of %d bytes does not fit in a file of %d", footer, size)
	}
	return nil
}

// maxParquetPage bounds the uncompressed size of one page (256 MiB; writers
// default to 1 MiB pages).
const maxParquetPage = 1 << 28

// checkParquetPages walks the page headers of every column chunk and checks
// that chunks lie inside the file, that each page fits in its chunk and
// that no page claims more than maxParquetPage bytes uncompressed. parquet-go
// allocates what a page header claims before reading it, so a corrupt
// header could otherwise ask for gigabytes.
func checkParquetPages(r io.ReaderAt, size int64, md *format.FileMetaData) error {
	var proto thrift.CompactProtocol
	var buf []byte
	for gi := range md.RowGroups {
		for ci := range md.RowGroups[gi].Columns {
			m := &md.RowGroups[gi].Columns[ci].MetaData
			where := func(format string, args ...any) error {
				return fmt.Errorf("row group %d, column %d: %s", gi+1, ci+1, fmt.Sprintf(format, args...))
			}
			start := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
				start = m.DictionaryPageOffset
			}
			end := start + m.TotalCompressedSize
			if start < 4 || m.TotalCompressedSize < 0 || end > size || end < start {
				return where("chunk at %d of %d bytes is outside the file", start, m.TotalCompressedSize)
			}
			var values int64
			for off := start; off < end && values < m.NumValues; {
				n := min(end-off, 1<<16)
				var h format.PageHeader
				var used int
				for {
					buf = slices.Grow(buf[:0], int(n))[:n]
					if _, err := r.ReadAt(buf, off); err != nil {
						return where("page header at %d: %v", off, err)
					}
					h = format.PageHeader{}
					rd := proto.NewReaderFromBytes(buf)
					err := thrift.NewDecoder(rd).Decode(&h)
					if err == nil {
						used = rd.(interface{ BytesRead() int }).BytesRead()
						break
					}
					if n == end-off {
						return where("page header at %d: %v", off, err)
					}
					n = min(end-off, n*16) // a header with large statistics
				}
				switch {
				case h.CompressedPageSize < 0 || int64(h.CompressedPageSize) > end-off-int64(used):
					return where("page at %d claims %d bytes, more than its chunk holds", off, h.CompressedPageSize)
				case h.UncompressedPageSize < 0 || h.UncompressedPageSize > maxParquetPage:
					return where("page at %d claims %d bytes uncompressed", off, h.UncompressedPageSize)
				}
				if h.DataPageHeader.Valid {
					values += int64(h.DataPageHeader.V.NumValues)
				}
				if h.DataPageHeaderV2.Valid {
					values += int64(h.DataPageHeaderV2.V.NumValues)
				}
				off += int64(used) + int64(h.CompressedPageSize)
			}
		}
	}
	return nil
}
