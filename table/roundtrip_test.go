package table

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// allKinds is a table with every kind, missing values in each, and cells
// that need quoting or escaping.
func allKinds() *Table {
	ts := func(s string) int64 {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return v.UnixNano()
	}
	day := NewDatetime("day", []int64{ts("2020-01-02T00:00:00Z"), 0, ts("1999-12-31T00:00:00Z"), ts("2261-12-31T00:00:00Z"), ts("1678-01-01T00:00:00Z")}, []bool{false, true, false, false, false})
	day.Layout = dateLayout
	at := NewDatetime("at", []int64{ts("2020-01-02T03:04:05.123456789Z"), ts("1970-01-01T00:00:00Z"), 0, -1, ts("2024-02-29T23:59:59Z")}, []bool{false, false, true, false, false})
	at.Layout = time.RFC3339Nano
	return MustNew(
		NewCategorical("sex", []string{"Male", "Female", "a,b", "say \"hi\""}, []int32{0, 1, Missing, 2, 3}),
		NewInteger("age", []int64{39, -1, 0, math.MaxInt64, math.MinInt64}, []bool{false, false, false, false, false}),
		NewFloat("w", []float64{0.1, -2.5e-300, math.NaN(), 123456789, math.SmallestNonzeroFloat64}),
		NewFloat("z", []float64{math.Copysign(0, -1), math.MaxFloat64, math.Inf(1), math.Inf(-1), 1e21}),
		day,
		at,
		NewText("note", []string{"plain", "line\nbreak", "tab\there", "ünïcode ✓", " lead and trail "}, []bool{false, false, false, false, false}),
		NewText("empty", []string{"", "", "x", "", ""}, []bool{true, true, false, true, true}),
	)
}

func TestRoundTrip(t *testing.T) {
	formats := []struct {
		name  string
		write func(io.Writer, *Table) error
		read  func(io.Reader, ReadOptions) (*Table, error)
	}{
		{"csv", WriteCSV, ReadCSV},
		{"jsonl", WriteJSONL, ReadJSONL},
	}
	tables := map[string]*Table{
		"all kinds":               allKinds(),
		"one column with missing": MustNew(NewInteger("n", []int64{1, 0, 3}, []bool{false, true, false})),
		"no rows":                 MustNew(NewInteger("n", []int64{}, nil), NewCategorical("c", []string{}, []int32{})),
		"names needing quotes":    MustNew(NewInteger("\ufeffbom", []int64{1}, nil), NewInteger("a,\"b\"", []int64{2}, nil)),
	}
	for _, f := range formats {
		for name, want := range tables {
			t.Run(f.name+"/"+name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := f.write(&buf, want); err != nil {
					t.Fatal(err)
				}
				got, err := f.read(bytes.NewReader(buf.Bytes()), ReadOptions{Schema: want.Schema(), NonFinite: NonFiniteKeep})
				if err != nil {
					t.Fatalf("%v\n%s", err, buf.Bytes())
				}
				if d := Diff(want, got); d != "" {
					t.Errorf("round trip differs: %s\n%s", d, buf.Bytes())
				}
			})
		}
	}
}

// TestGolden checks the written bytes of allKinds against testdata; run
// with -update to rewrite them.
func TestGolden(t *testing.T) {
	for _, f := range []struct {
		file  string
		write func(io.Writer, *Table) error
	}{{"allkinds.csv", WriteCSV}, {"allkinds.jsonl", WriteJSONL}} {
		t.Run(f.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := f.write(&buf, allKinds()); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", f.file)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				_ = os.WriteFile(path+".got", buf.Bytes(), 0o644)
				t.Errorf("%s differs from the golden file; got written to %s.got (run with -update to accept)", f.file, path)
			}
		})
	}
}

// adultTrain is the copy of the Adult training CSV the project ships
// (gzip -9 -n of the shared data/adult/adult_train.csv).
const adultTrain = "../datasets/data/adult_train.csv.gz"

// TestAdultByteIdentical reads the Adult training CSV and writes it back:
// the bytes must be identical (plain integers, no quoting needed).
func TestAdultByteIdentical(t *testing.T) {
	f, err := os.Open(adultTrain)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != "f2c62076f19504d99a38b22badf445a7f42530ade6b827acf78dd143fbce38bb" {
		t.Fatalf("adult_train.csv has SHA-256 %s, not the one its README lists", got)
	}
	tb, err := ReadCSV(bytes.NewReader(data), ReadOptions{Name: "adult_train.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if tb.NumRows() != 32561 || tb.NumCols() != 15 {
		t.Fatalf("%d rows × %d columns, want 32561 × 15", tb.NumRows(), tb.NumCols())
	}
	ints := map[string]bool{"age": true, "fnlwgt": true, "education-num": true, "capital-gain": true, "capital-loss": true, "hours-per-week": true}
	for _, c := range tb.Cols {
		want := Categorical
		if ints[c.Name] {
			want = Integer
		}
		if c.Kind != want {
			t.Errorf("column %q is %s, want %s", c.Name, c.Kind, want)
		}
	}
	if inc := tb.Col("income"); len(inc.Dict) != 2 || inc.Dict[0] != "<=50K" {
		t.Errorf("income dictionary %q", inc.Dict)
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, tb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), data) {
		a, b := out.Bytes(), data
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Fatalf("written CSV differs from the input at byte %d: %q vs %q", i, snippet(a, i), snippet(b, i))
	}
}

func snippet(b []byte, i int) string {
	lo, hi := max(0, i-20), min(len(b), i+20)
	return string(b[lo:hi])
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	want := allKinds()
	for _, name := range []string{"t.csv", "t.jsonl", "t.ndjson", "t.csv.gz", "T.JSONL.GZ"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := WriteFile(path, want); err != nil {
				t.Fatal(err)
			}
			got, err := ReadFile(path, ReadOptions{Schema: want.Schema(), NonFinite: NonFiniteKeep})
			if err != nil {
				t.Fatal(err)
			}
			if d := Diff(want, got); d != "" {
				t.Error(d)
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 5 {
		t.Errorf("%d files in the directory, want 5 (no temporary files left)", len(entries))
	}
}

// TestWriteFileNoPartial checks that a failing write leaves an existing
// file as it was and no temporary file behind.
func TestWriteFileNoPartial(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := allKinds()
	bad.Cols[1].Kind = 0 // invalid kind fails half way through the first row
	err := WriteFile(path, bad)
	if err == nil {
		t.Fatal("no error for a column of invalid kind")
	}
	if !strings.HasPrefix(err.Error(), "write "+path+": ") {
		t.Errorf("error %q does not name the file", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("existing file changed to %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d entries in the directory, want 1", len(entries))
	}
	err = WriteFile(filepath.Join(dir, "no", "such", "dir.csv"), allKinds())
	if err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Errorf("error %v for a missing directory", err)
	}
	if err := WriteFile(filepath.Join(dir, "x.parquet"), bad); err == nil {
		t.Error("no error writing parquet with a column of invalid kind")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries in the directory after a failed parquet write, want 1", len(entries))
	}
}

// TestAdultSchemaFile reads the Adult CSV with a schema file that
// overrides four columns and leaves the others to inference.
func TestAdultSchemaFile(t *testing.T) {
	const path = adultTrain
	s, err := LoadSchema(filepath.Join("testdata", "adult.schema.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tb, err := ReadFile(path, ReadOptions{Schema: s})
	if err != nil {
		t.Fatal(err)
	}
	inc := tb.Col("income")
	if inc.Kind != Categorical || strings.Join(inc.Dict, " ") != ">50K <=50K" || inc.Description == "" {
		t.Errorf("income: %s %q %q", inc.Kind, inc.Dict, inc.Description)
	}
	n := 0
	for _, k := range inc.Codes {
		if k == 0 {
			n++
		}
	}
	if n != 7841 { // the README's count of >50K rows
		t.Errorf("%d rows >50K, want 7841", n)
	}
	if c := tb.Col("fnlwgt"); c.Kind != Float || c.Floats[0] != 77516 {
		t.Errorf("fnlwgt: %s", c.Kind)
	}
	if c := tb.Col("education-num"); c.Kind != Categorical || len(c.Dict) != 16 {
		t.Errorf("education-num: %s with %d categories", c.Kind, len(c.Dict))
	}
	if c := tb.Col("hours-per-week"); c.Kind != Integer {
		t.Errorf("hours-per-week (inferred): %s", c.Kind)
	}
	// A narrower range than the data is an error naming the first bad line
	// (line 224 holds the first age above 80: awk -F, 'NR>1 && $1>80').
	s.Fields[0].Max = ptr(80.0)
	_, err = ReadFile(path, ReadOptions{Schema: s})
	if want := "read " + path + `: line 224, column "age": 90 is outside the schema's range [17, 80]`; err == nil || err.Error() != want {
		t.Errorf("error %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
