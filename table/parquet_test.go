package table

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

type parquetRow struct {
	ID    int64     `parquet:"id"`
	Small int32     `parquet:"small"`
	Name  *string   `parquet:"name,optional"`
	Score float64   `parquet:"score"`
	F32   float32   `parquet:"f32"`
	OK    bool      `parquet:"ok"`
	At    time.Time `parquet:"at,timestamp(microsecond)"`
	Day   int32     `parquet:"day,date"`
	OptN  *int64    `parquet:"optn,optional"`
	Note  string    `parquet:"note"`
}

func parquetFile(t testing.TB) []byte {
	t.Helper()
	str := func(s string) *string { return &s }
	num := func(v int64) *int64 { return &v }
	at := time.Date(2021, 3, 4, 5, 6, 7, 123456000, time.UTC)
	rows := []parquetRow{
		{ID: 1, Small: -3, Name: str("a"), Score: 0.5, F32: 1.25, OK: true, At: at, Day: 0, OptN: num(7), Note: "12"},
		{ID: 2, Small: 4, Name: nil, Score: -1e300, F32: -2, OK: false, At: at.Add(time.Hour), Day: 18628, OptN: nil, Note: "x"},
		{ID: 3, Small: 5, Name: str("b"), Score: 3, F32: 0, OK: true, At: time.Unix(0, 0).UTC(), Day: -1, OptN: num(-9), Note: ""},
	}
	var buf bytes.Buffer
	if err := parquet.Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadParquet(t *testing.T) {
	data := parquetFile(t)
	tb, err := ReadParquet(bytes.NewReader(data), int64(len(data)), ReadOptions{Name: "p.parquet"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		col  string
		kind Kind
		want []string
	}{
		{"id", Integer, []string{"1", "2", "3"}},
		{"small", Integer, []string{"-3", "4", "5"}},
		{"name", Categorical, []string{"a", "<nil>", "b"}},
		{"score", Float, []string{"0.5", "-1e+300", "3"}},
		{"f32", Float, []string{"1.25", "-2", "0"}},
		{"ok", Categorical, []string{"true", "false", "true"}},
		{"at", Datetime, []string{"2021-03-04T05:06:07.123456Z", "2021-03-04T06:06:07.123456Z", "1970-01-01T00:00:00Z"}},
		{"day", Datetime, []string{"1970-01-01", "2021-01-01", "1969-12-31"}},
		{"optn", Integer, []string{"7", "<nil>", "-9"}},
		{"note", Categorical, []string{"12", "x", "<nil>"}}, // strings never inferred numeric; "" is missing
	}
	if tb.NumCols() != len(tests) {
		t.Fatalf("columns %q", tb.Names())
	}
	for _, tc := range tests {
		t.Run(tc.col, func(t *testing.T) {
			c := tb.Col(tc.col)
			if c == nil {
				t.Fatalf("no column %q in %q", tc.col, tb.Names())
			}
			if c.Kind != tc.kind {
				t.Errorf("kind %s, want %s", c.Kind, tc.kind)
			}
			for i, w := range tc.want {
				got := c.String(i)
				if c.IsNull(i) {
					got = "<nil>"
				}
				if got != w {
					t.Errorf("row %d: %q, want %q", i, got, w)
				}
			}
		})
	}
}

func TestReadParquetSchema(t *testing.T) {
	data := parquetFile(t)
	s := &Schema{Fields: []Field{{Name: "note", Kind: Integer}}}
	_, err := ReadParquet(bytes.NewReader(data), int64(len(data)), ReadOptions{Name: "p.parquet", Schema: s})
	want := `read p.parquet: column "note": row 2: "x" is not an integer (schema says integer)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	s = &Schema{Fields: []Field{{Name: "id", Kind: Categorical}, {Name: "small", Kind: Float}}}
	tb, err := ReadParquet(bytes.NewReader(data), int64(len(data)), ReadOptions{Schema: s})
	if err != nil {
		t.Fatal(err)
	}
	if c := tb.Col("id"); c.Kind != Categorical || strings.Join(c.Dict, ",") != "1,2,3" {
		t.Errorf("id: %s %q", c.Kind, c.Dict)
	}
	if c := tb.Col("small"); c.Kind != Float || c.Floats[0] != -3 {
		t.Errorf("small: %s %v", c.Kind, c.Floats)
	}
}

func TestReadParquetErrors(t *testing.T) {
	data := parquetFile(t)
	dir := t.TempDir()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "read x.parquet: empty file"},
		{"not parquet", []byte("a,b\n1,2\n"), "read x.parquet: not a parquet file: "},
		{"truncated", data[:len(data)/2], "read x.parquet: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "x.parquet")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadFile(path, ReadOptions{Name: "x.parquet"})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line starting %q", err, tc.want)
			}
		})
	}
}

func TestReadParquetFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.parquet")
	if err := os.WriteFile(path, parquetFile(t), 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := ReadFile(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tb.NumRows() != 3 || tb.NumCols() != 10 {
		t.Errorf("%d × %d", tb.NumRows(), tb.NumCols())
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(parquetFile(t)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	gzPath := filepath.Join(dir, "p.parquet.gz")
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	fromGz, err := ReadFile(gzPath, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(tb, fromGz); d != "" {
		t.Errorf("gzipped parquet differs: %s", d)
	}
}

// FuzzReadParquet feeds mutated Parquet files to the reader: it must
// return a table or a one-line error, and a table it returns must survive
// a CSV round trip.
func FuzzReadParquet(f *testing.F) {
	data := parquetFile(f)
	f.Add(data)
	f.Add(data[:len(data)-9])
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadParquet(bytes.NewReader(data), int64(len(data)), ReadOptions{Name: "fuzz.parquet"})
		if err != nil {
			checkOneLine(t, err)
			return
		}
		checkRoundTrip(t, tb, WriteCSV, ReadCSV)
	})
}

// TestReadParquetCorruptFooter reads a file found by fuzzing whose footer
// length claims gigabytes: it must fail with one line without allocating
// what it claims.
func TestReadParquetCorruptFooter(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadFile(filepath.Join("testdata", "corrupt-footer.parquet"), ReadOptions{})
	runtime.ReadMemStats(&after)
	want := "read testdata/corrupt-footer.parquet: not a parquet file: footer of "
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want one starting %q", err, want)
	}
	if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 64 {
		t.Errorf("allocated %d MB", mb)
	}
}

// TestCheckParquetPages builds a column chunk holding one page header and
// checks the size limits on it.
func TestCheckParquetPages(t *testing.T) {
	tests := []struct {
		name                     string
		uncompressed, compressed int32
		want                     string
	}{
		{"fits", 100, 10, ""},
		{"compressed beyond the chunk", 100, 1 << 30, "row group 1, column 1: page at 4 claims 1073741824 bytes, more than its chunk holds"},
		{"uncompressed too large", 1 << 30, 10, "row group 1, column 1: page at 4 claims 1073741824 bytes uncompressed"},
		{"negative", -1, 10, "row group 1, column 1: page at 4 claims -1 bytes uncompressed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var proto thrift.CompactProtocol
			h := format.PageHeader{Type: format.DataPage, UncompressedPageSize: tc.uncompressed, CompressedPageSize: tc.compressed}
			h.DataPageHeader.Valid = true
			h.DataPageHeader.V.NumValues = 1
			hb, err := thrift.Marshal(&proto, &h)
			if err != nil {
				t.Fatal(err)
			}
			file := append([]byte("PAR1"), hb...)
			file = append(file, make([]byte, 10)...) // the page body
			chunk := int64(len(file) - 4)
			file = append(file, "....PAR1"...)
			md := &format.FileMetaData{RowGroups: []format.RowGroup{{Columns: []format.ColumnChunk{{}}}}}
			md.RowGroups[0].Columns[0].MetaData = format.ColumnMetaData{DataPageOffset: 4, TotalCompressedSize: chunk, NumValues: 1}
			err = checkParquetPages(bytes.NewReader(file), int64(len(file)), md)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}
}
