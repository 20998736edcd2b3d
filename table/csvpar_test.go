package table

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// readBoth reads data with the serial reader and with the parallel reader
// cut into blocks of block bytes; parallel reports whether the parallel
// reader kept the input (rather than leaving it to the serial one).
func readBoth(data []byte, opts ReadOptions, block int) (serial, par *Table, serr, perr error, parallel bool) {
	serial, serr = ReadCSV(bytes.NewReader(data), opts)
	cfg := parConfig{block: block, min: 0, workers: 3}
	par, perr = readCSVParallel(bytes.NewReader(data), int64(len(data)), opts, cfg)
	parallel = true
	if errors.Is(perr, errSerial) {
		parallel = false
		par, perr = ReadCSV(bytes.NewReader(data), opts)
	}
	return
}

// sameResult describes how two reads differ, or returns "".
func sameResult(a, b *Table, aerr, berr error) string {
	if (aerr == nil) != (berr == nil) {
		return fmt.Sprintf("errors %v vs %v", aerr, berr)
	}
	if aerr != nil {
		if aerr.Error() != berr.Error() {
			return fmt.Sprintf("errors %q vs %q", aerr, berr)
		}
		return ""
	}
	if d := Diff(a, b); d != "" {
		return d
	}
	for j, c := range a.Cols {
		if !reflect.DeepEqual(c.Field, b.Cols[j].Field) {
			return fmt.Sprintf("column %q: field %+v vs %+v", c.Name, c.Field, b.Cols[j].Field)
		}
		if (c.Nulls == nil) != (b.Cols[j].Nulls == nil) {
			return fmt.Sprintf("column %q: nulls %v vs %v", c.Name, c.Nulls == nil, b.Cols[j].Nulls == nil)
		}
	}
	return ""
}

func TestReadCSVParallelMatchesSerial(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	tests := []struct {
		name string
		data string
		par  bool // the parallel reader keeps the input
	}{
		{"integers", "a,b\n1,2\n3,4\n5,6\n7,8\n", true},
		{"int then float in a later chunk", "x\n1\n2\n3\n4\n5.5\n6\n-0\n", true},
		{"float then negative zero", "x\n1.5\n2\n-0\n-00\n7\n", true},
		{"int then text", "x\n1\n2\n3\nabc\n4\n007\n", true},
		{"missing then values", "x,y\n,\n,\nNA,1\n2,\n3,b\n", true},
		{"all missing", "x\n\n\"\"\nNA\n", true},
		{"dates then timestamps", "d\n2020-01-02\n2020-01-03\n2020-01-04T05:06:07Z\n2020-01-05\n", true},
		{"categories across chunks", "c\nb\na\nb\nc\na\nd\n", true},
		{"quoted fields", "s,t\n\"a,b\",1\n\"say \"\"hi\"\"\",2\n\"line\r\nbreak\",3\n\"x\ny\nz\",4\n", true},
		{"crlf", "a,b\r\n1,2\r\n3,4\r\n\r\n5,6\r", true},
		{"blank lines", "\n\na,b\n\n1,2\n\n\n3,4\n", true},
		{"bom", "\ufeffa,b\n1,2\n", true},
		{"lone cr in field", "a,b\nx\ry,2\n", true},
		{"no final newline", "a,b\n1,2\n3,4", true},
		{"bare quote", "a,b\n1,x\"y\n", false},
		{"text after quote", "a,b\n\"x\"y,1\n", false},
		{"unterminated quote", "a,b\n1,\"xy\n2,3\n", false},
		{"field count", "a,b\n1,2\n3\n", false},
		{"duplicate column", "a,a\n1,2\n", false},
		{"empty", "", false},
		{"integers of every width", "n\n0\n7\n42\n123\n1234\n123456789012345678\n1234567890123456789\n-5\n", true},
		{"leading zeros and signs", "n,m\n10,1\n007,+5\n00,-0\n0,-3\n", true},
		{"integers then missing and text", "a,b\n1,2\n,NA\n3,4x\n5,6\n", true},
		{"categories of a null value's length", "c,d\nMale,No\nNA,NaN\nnull,Nope\nWife,N\nMale,No\n", true},
		{"long categories", "c\nMarried-civ-spouse\nMarried-civ-spousf\n" + strings.Repeat("x", 70) + "\nMarried-civ-spouse\n" + strings.Repeat("x", 70) + "\n", true},
		{"categories by their first bytes", "c,d\nabc,xyz\nabc,xyz\nabcd,xyzw\nabc,xyz\nab,xy\nxyz,abc\nabc,xyz\n", true},
		{"categories that differ in byte 7, 8, 9, 16 or 17", "c,d\n" + func() string {
			var sb strings.Builder
			for range 2 {
				for _, c := range []string{"abcdefg", "abcdefh", "abcdefgh", "abcdefgi", "abcdefghi", "abcdefghj",
					"abcdefghijklmnop", "abcdefghijklmnoq", "abcdefghijklmnopq", "abcdefghijklmnopr", "abcdefghijklmnopqrs"} {
					sb.WriteString(c + ",zzzzzzzzzzzzzzzzzzzz\n" + c + "," + c + "\n")
				}
			}
			return sb.String()
		}(), true},
		{"quoted category with a comma", "c,d\n\"abc,x\",1\nabc,x\nabc,2\n\"abc,x\",3\nabc,x\n", true},
		{"last cell empty", "a,b\n1,x\n2,\n3,y\n", true},
		{"more fields", "a,b\n1,2\n3,4,5\n", false},
		{"fewer fields", "a,b\n1,2\n345678901234\n", false},
	}
	for _, tt := range tests {
		for _, block := range []int{1, 2, 3, 5, 8, 64} {
			t.Run(fmt.Sprintf("%s/block=%d", tt.name, block), func(t *testing.T) {
				s, p, serr, perr, parallel := readBoth([]byte(tt.data), ReadOptions{Name: "x.csv"}, block)
				if d := sameResult(s, p, serr, perr); d != "" {
					t.Fatalf("parallel differs from serial: %s", d)
				}
				if parallel != tt.par {
					t.Errorf("parallel reader kept the input: %v, want %v", parallel, tt.par)
				}
				if serr == nil && parallel && tt.data != "" && s.NumRows() == 0 {
					t.Errorf("no rows")
				}
			})
		}
	}
}

// TestReadCSVParallelNullValues checks cells that look like the common
// cases of the chunk parser (digits, a cached category) but are null
// values.
func TestReadCSVParallelNullValues(t *testing.T) {
	data := []byte("n,c\n1,a\n99,?\n990,b\n-,a\n99,N\n7,?\n")
	for _, block := range []int{1, 4, 64} {
		opts := ReadOptions{Name: "x.csv", NullValues: []string{"99", "-", "?"}}
		s, p, serr, perr, parallel := readBoth(data, opts, block)
		if d := sameResult(s, p, serr, perr); d != "" {
			t.Fatalf("block %d: parallel differs from serial: %s", block, d)
		}
		if !parallel || serr != nil {
			t.Fatalf("block %d: parallel %v, error %v", block, parallel, serr)
		}
		if got := s.Col("n").NullCount(); got != 3 {
			t.Errorf("block %d: %d missing integers, want 3", block, got)
		}
	}
}

func TestReadCSVParallelSchema(t *testing.T) {
	data := "hh,age,sex,when\n1,30,M,2020-01-02\n1,31,M,2020-01-03T04:05:06Z\n2,40,F,\n3,50,F,2020-02-02\n"
	s, err := ParseSchema([]byte("group_key: hh\nfields:\n  - {name: hh, kind: integer}\n  - {name: age, kind: float, min: 0, max: 120}\n  - {name: sex, kind: categorical, categories: [F, M], group: true}\n  - {name: when, kind: datetime}\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range []int{1, 4, 16, 1 << 10} {
		sr, pr, serr, perr, parallel := readBoth([]byte(data), ReadOptions{Name: "x.csv", Schema: s}, block)
		if d := sameResult(sr, pr, serr, perr); d != "" {
			t.Fatalf("block %d: %s", block, d)
		}
		if serr != nil || !parallel {
			t.Fatalf("block %d: err %v, parallel %v", block, serr, parallel)
		}
		if got := pr.Col("when").Layout; got != "2006-01-02T15:04:05.999999999Z07:00" {
			t.Errorf("layout %q", got)
		}
	}
	// A group broken across chunks, and a category the schema lacks: the
	// serial reader's errors.
	for _, bad := range []string{
		"hh,age,sex,when\n1,30,M,\n2,31,M,\n1,40,M,\n",
		"hh,age,sex,when\n1,30,X,\n",
		"hh,age,sex,when\n1,300,M,\n",
	} {
		sr, pr, serr, perr, _ := readBoth([]byte(bad), ReadOptions{Name: "x.csv", Schema: s}, 3)
		if serr == nil {
			t.Fatalf("%q: no error", bad)
		}
		if d := sameResult(sr, pr, serr, perr); d != "" {
			t.Fatalf("%q: %s", bad, d)
		}
	}
}

// TestReadFileParallel reads a file large enough for the parallel reader
// through ReadFile, plain and gzip-compressed, and compares it with the
// serial reader; a broken last line falls back to the serial reader's
// error.
func TestReadFileParallel(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	var sb strings.Builder
	sb.WriteString("id,name,score,when\n")
	for i := range 60_000 {
		fmt.Fprintf(&sb, "%d,\"n,%d\",%d.5,2020-01-%02d\n", i, i%50, i%7, 1+i%28)
	}
	good := sb.String()
	if _, err := readCSVParallel(strings.NewReader(good), int64(len(good)), ReadOptions{}, defaultParConfig()); err != nil {
		t.Fatalf("the parallel reader left a well-formed file to the serial one: %v", err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name, data, want string
	}{
		{"good.csv", good, ""},
		{"good.csv.gz", good, ""},
		{"bad.csv", good + "1,2\n", `read DIR/bad.csv: line 60002: 2 fields, header has 4`},
		{"bad.csv.gz", good + "1,\"x\n", `read DIR/bad.csv.gz: line 60002: extraneous or missing " in quoted-field`},
	} {
		path := filepath.Join(dir, tc.name)
		var err error
		if strings.HasSuffix(tc.name, ".gz") {
			err = writeGzip(path, tc.data)
		} else {
			err = os.WriteFile(path, []byte(tc.data), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path, ReadOptions{})
		want, werr := ReadCSV(strings.NewReader(tc.data), ReadOptions{Name: path})
		if d := sameResult(want, got, werr, err); d != "" {
			t.Fatalf("%s: %s", tc.name, d)
		}
		if tc.want != "" && (err == nil || strings.ReplaceAll(err.Error(), dir, "DIR") != tc.want) {
			t.Errorf("%s: error %v, want %s", tc.name, err, tc.want)
		}
		if tc.want == "" && got.NumRows() != 60_000 {
			t.Errorf("%s: %d rows", tc.name, got.NumRows())
		}
	}
}

func TestReadFileDirectory(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{dir, filepath.Join(dir, "x.csv")} {
		if p != dir {
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		_, err := ReadFile(p, ReadOptions{})
		if err == nil || !strings.Contains(err.Error(), "is a directory") {
			t.Errorf("%s: error %v, want one saying it is a directory", p, err)
		}
	}
}

func FuzzReadCSVParallel(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n3,4\n",
		"x\n1\n2\n2.5\n-0\nabc\n",
		"s,t\n\"a,b\",1\n\"x\ny\",2\n\"q\"\"\",3\n",
		"a,b\r\n1,2\r\n\r\n3,4\r",
		"d\n2020-01-02\n2020-01-02T03:04:05Z\n\n2021-02-03\n",
		"a,b\n1,\"x\n",
		"n\n1e400\n-0\ninf\n9223372036854775808\n1234567\n",
		"\ufeffa,b\ntrue,NA\nfalse,NaN\n",
	} {
		f.Add([]byte(s), uint8(3), false)
		f.Add([]byte(s), uint8(1), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, block uint8, schema bool) {
		opts := ReadOptions{Name: "fuzz.csv"}
		if schema {
			tb, err := ReadCSV(bytes.NewReader(data), opts)
			if err != nil {
				return
			}
			opts.Schema = tb.Schema()
		}
		s, p, serr, perr, _ := readBoth(data, opts, 1+int(block%32))
		if d := sameResult(s, p, serr, perr); d != "" {
			t.Fatalf("parallel differs from serial: %s", d)
		}
	})
}

func writeGzip(path, data string) error {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(data)); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
