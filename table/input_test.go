package table

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gzipBytes compresses data.
func gzipBytes(t testing.TB, data string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadFileTruncatedGzip cuts a gzip-compressed CSV and JSON-lines file
// at every byte and checks that ReadFile fails on each cut naming the
// truncation (or, where the cut leaves no gzip header, an empty or bad
// header), never returning rows.
func TestReadFileTruncatedGzip(t *testing.T) {
	var csvb, jsonb strings.Builder
	csvb.WriteString("id,city,score\n")
	for i := range 300 {
		fmt.Fprintf(&csvb, "%d,c%d,%d.25\n", i, i%7, i%13)
		fmt.Fprintf(&jsonb, "{\"id\": %d, \"city\": \"c%d\"}\n", i, i%7)
	}
	dir := t.TempDir()
	for _, tc := range []struct{ name, data string }{{"t.csv.gz", csvb.String()}, {"t.jsonl.gz", jsonb.String()}} {
		z := gzipBytes(t, tc.data)
		path := filepath.Join(dir, tc.name)
		for cut := 1; cut < len(z); cut++ {
			if err := os.WriteFile(path, z[:cut], 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadFile(path, ReadOptions{})
			if err == nil {
				t.Fatalf("%s cut at %d of %d bytes: read %d rows without error", tc.name, cut, len(z), got.NumRows())
			}
			var te *Error
			if !errors.As(err, &te) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("%s cut at %d: error %q is not one *Error line", tc.name, cut, err)
			}
			if cut >= 10 && !errors.Is(err, ErrTruncated) {
				t.Fatalf("%s cut at %d: error %q does not say the file is truncated", tc.name, cut, err)
			}
		}
		if err := os.WriteFile(path, z, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadFile(path, ReadOptions{}); err != nil {
			t.Fatalf("%s whole: %v", tc.name, err)
		}
	}
}

// TestReadParallelTruncatedGzip runs the parallel readers, with small
// blocks, on a gzip stream cut at many points: each must leave the input
// to the serial reader (errSerial), never return a shorter table.
func TestReadParallelTruncatedGzip(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("id,city\n")
	for i := range 2000 {
		fmt.Fprintf(&sb, "%d,c%d\n", i, i%7)
	}
	z := gzipBytes(t, sb.String())
	cfg := parConfig{block: 512, min: 1024, workers: 3}
	for cut := len(z) / 20; cut < len(z); cut += len(z) / 20 {
		zr, err := gzip.NewReader(bytes.NewReader(z[:cut]))
		if err != nil {
			t.Fatal(err)
		}
		got, err := readCSVParallel(gzipInput{zr}, 0, ReadOptions{}, cfg)
		if !errors.Is(err, errSerial) {
			t.Fatalf("cut at %d of %d: parallel reader returned %v rows, error %v; want errSerial", cut, len(z), rowsOf(got), err)
		}
	}
}

func rowsOf(t *Table) any {
	if t == nil {
		return nil
	}
	return t.NumRows()
}

// TestReadFileMaxBytes checks that ReadFile stops a gzip bomb, a long
// plain file and an oversized Parquet file at MaxBytes or MaxCells, and
// reads a file of exactly MaxBytes bytes or MaxCells cells, on the serial
// and the parallel readers.
func TestReadFileMaxBytes(t *testing.T) {
	dir := t.TempDir()
	// 8 MiB of one repeated line compress to a few KiB.
	bomb := "a,b\n" + strings.Repeat("1,2\n", 2<<20)
	if err := os.WriteFile(filepath.Join(dir, "bomb.csv.gz"), gzipBytes(t, bomb), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "long.csv"), []byte(bomb), 0o644); err != nil {
		t.Fatal(err)
	}
	small := "a,b\n1,2\n3,4\n"
	if err := os.WriteFile(filepath.Join(dir, "exact.csv"), []byte(small), 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := ReadCSV(strings.NewReader(bomb), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(dir, "big.parquet"), tb); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(dir, "bomb.jsonl.gz"), tb); err != nil {
		t.Fatal(err)
	}
	rows := int64(2 << 20)
	for _, tc := range []struct {
		name       string
		maxB, maxC int64
		wantE      bool
	}{
		{"bomb.csv.gz", 1 << 20, 0, true},
		{"bomb.csv.gz", 16 << 20, 0, false},
		{"bomb.csv.gz", 0, 2*rows - 1, true},
		{"bomb.csv.gz", 0, 2 * rows, false},
		{"bomb.jsonl.gz", 0, 2*rows - 1, true},
		{"bomb.jsonl.gz", 0, 2 * rows, false},
		{"long.csv", 1 << 20, 0, true},
		{"long.csv", 0, rows, true},
		{"big.parquet", 0, 2*rows - 1, true},
		{"big.parquet", 0, 2 * rows, false},
		{"big.parquet", 1 << 10, 0, true},
		{"exact.csv", int64(len(small)), 0, false},
		{"exact.csv", int64(len(small)) - 1, 0, true},
		{"exact.csv", 0, 3, true},
		{"exact.csv", 0, 4, false},
	} {
		_, err := ReadFile(filepath.Join(dir, tc.name), ReadOptions{MaxBytes: tc.maxB, MaxCells: tc.maxC})
		if got := errors.Is(err, ErrTooLarge); got != tc.wantE {
			t.Errorf("%s with MaxBytes %d, MaxCells %d: error %v, want ErrTooLarge %v", tc.name, tc.maxB, tc.maxC, err, tc.wantE)
		}
		if err != nil && (len(err.Error()) > 300 || strings.Contains(err.Error(), "\n")) {
			t.Errorf("%s: error is not one short line: %q", tc.name, err)
		}
	}
}

// TestIntegerOutsideInt64 checks that an integer literal int64 cannot hold
// is never rounded to a float: an inferred column holding one is read as
// categorical text, byte for byte, and a schema's integer column names the
// cell.
func TestIntegerOutsideInt64(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
	}{
		{"max and max+1", "n\n9223372036854775807\n9223372036854775808\n"},
		{"below min", "n\n-9223372036854775809\n-9223372036854775808\n"},
		{"after a float", "n\n1.5\n99999999999999999999\n"},
		{"first", "n\n123456789012345678901234567890\n7\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := ReadCSV(strings.NewReader(tc.csv), ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if k := tb.Cols[0].Kind; k != Categorical && k != Text {
				t.Fatalf("kind %s, want categorical or text", k)
			}
			var out bytes.Buffer
			if err := WriteCSV(&out, tb); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.csv {
				t.Errorf("written back as %q, want %q", out.String(), tc.csv)
			}
			js := strings.ReplaceAll(strings.TrimPrefix(tc.csv, "n\n"), "\n", "}\n{\"n\": ")
			js = "{\"n\": " + strings.TrimSuffix(js, "{\"n\": ")
			jt, err := ReadJSONL(strings.NewReader(js), ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if k := jt.Cols[0].Kind; k != Categorical && k != Text {
				t.Errorf("JSON lines: kind %s, want categorical or text", k)
			}
		})
	}
	s := &Schema{Fields: []Field{{Name: "n", Kind: Integer}}}
	_, err := ReadCSV(strings.NewReader("n\n1\n9223372036854775808\n"), ReadOptions{Schema: s, Name: "x.csv"})
	want := `read x.csv: line 3, column "n": "9223372036854775808" is outside the integer range`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("schema integer: error %v, want %s...", err, want)
	}
}

// TestErrorQuotesAPrefix checks that an error about a huge cell or column
// name quotes a short prefix of it.
func TestErrorQuotesAPrefix(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	s := &Schema{Fields: []Field{{Name: "n", Kind: Integer}}}
	for _, tc := range []struct {
		name, csv string
		opts      ReadOptions
	}{
		{"cell", "n\n" + huge + "\n", ReadOptions{Schema: s}},
		{"duplicate column", huge + "," + huge + "\n1,2\n", ReadOptions{}},
		{"non-finite", "f\n1.5\n" + "1" + strings.Repeat("0", 1<<16) + ".0\n", ReadOptions{}},
	} {
		_, err := ReadCSV(strings.NewReader(tc.csv), tc.opts)
		if err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		if n := len(err.Error()); n > 300 {
			t.Errorf("%s: error of %d bytes: %.200s", tc.name, n, err)
		}
	}
}

// FuzzReadFileGzip compresses arbitrary CSV bytes, cuts the stream and
// reads it with a byte limit: a cut stream is always an error, a whole one
// within the limit reads as the serial reader reads the text, and one
// over the limit is an error.
func FuzzReadFileGzip(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n3,4\n", "x\n9223372036854775808\n1\n", "a\n\"q\nr\"\n", ""} {
		f.Add([]byte(s), uint16(0xffff), uint16(0))
		f.Add([]byte(s), uint16(7), uint16(5))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, cut, limit uint16) {
		z := gzipBytes(t, string(data))
		n := min(int(cut), len(z))
		path := filepath.Join(dir, "f.csv.gz")
		if err := os.WriteFile(path, z[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path, ReadOptions{Name: "f", MaxBytes: int64(limit)})
		switch {
		case n < len(z):
			if err == nil {
				t.Fatalf("cut at %d of %d: read %d rows without error", n, len(z), got.NumRows())
			}
		case limit > 0 && len(data) > int(limit):
			if err == nil {
				t.Fatalf("%d bytes over the limit %d read without error", len(data), limit)
			}
		default:
			want, werr := ReadCSV(bytes.NewReader(data), ReadOptions{Name: "f"})
			if len(data) == 0 {
				werr = &Error{Op: "read", File: "f", Err: ErrEmpty}
			}
			if d := sameResult(want, got, werr, err); d != "" {
				t.Fatalf("whole stream: %s", d)
			}
		}
	})
}

// TestCSVHeaderColumns: the header's field count of a CSV file, plain and
// gzipped, a quoted comma inside one field; ReadCSV agrees on every file
// it reads; another format and a header longer than the bound are errors.
func TestCSVHeaderColumns(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	text := []byte("\ufeffa,\"b,c\",d\n1,2,3\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(text)
	zw.Close()
	for _, p := range []string{write("t.csv", text), write("t.csv.gz", gz.Bytes())} {
		n, err := CSVHeaderColumns(p, 1<<20)
		if err != nil || n != 3 {
			t.Errorf("%s: %d columns, %v; want 3", p, n, err)
		}
		tb, err := ReadFile(p, ReadOptions{})
		if err != nil || tb.NumCols() != n {
			t.Errorf("%s: ReadFile gives %v columns (%v)", p, tb, err)
		}
	}
	if _, err := CSVHeaderColumns(write("t.jsonl", []byte("{}\n")), 1<<20); err == nil {
		t.Error("a JSON lines file: no error")
	}
	if _, err := CSVHeaderColumns(write("long.csv", []byte("\"a"+strings.Repeat("x", 100)+"\"\n")), 50); err == nil {
		t.Error("a header beyond the bound: no error")
	}
}
